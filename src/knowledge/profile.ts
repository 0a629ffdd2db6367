import type { KnowledgeEntry } from './schema.js';
import { terms } from './text.js';
import type { Vocabulary } from './vocabulary.js';

/** One entry's terms per field, computed once at index time for the re-ranking step. */
export interface EntryProfile {
  /** Terms of the question and every phrasing. */
  readonly questionTerms: ReadonlySet<string>;
  readonly tagTerms: ReadonlySet<string>;
  /** Terms of every field together. */
  readonly allTerms: ReadonlySet<string>;
  /**
   * Term → where it occurs, as bits (IN_QUESTION | IN_TAGS | IN_ANY): the three sets above in
   * one lookup, for the re-ranking's inner loop.
   */
  readonly fieldsOf: ReadonlyMap<string, number>;
  /** The question first, then each phrasing, each with its total idf. */
  readonly phrasings: readonly Phrasing[];
  /** The answer states a figure: a count, share or amount, not just a year. */
  readonly statesFigure: boolean;
}

export interface Phrasing {
  readonly terms: readonly string[];
  /** The idf of each term, in the same order. */
  readonly idfs: readonly number[];
  readonly idfTotal: number;
}

export const IN_QUESTION = 1;
export const IN_TAGS = 2;
export const IN_ANY = 4;

/** A percentage, a sum of money, or a number that is not a year ("2021" alone is no figure). */
const FIGURE = /\d\s?%|£\s?\d|\b(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?\b/;

export function profileOf(entry: KnowledgeEntry, vocabulary: Vocabulary): EntryProfile {
  const questionTerms = new Set(terms([entry.question, ...entry.phrasings].join(' \n ')));
  const tagTerms = new Set(terms(entry.tags.join(' \n ')));
  const answerTerms = terms(entry.answer);
  const phrasings = [entry.question, ...entry.phrasings].map((text): Phrasing => {
    const unique = [...new Set(terms(text))];
    const idfs = unique.map((term) => vocabulary.idf(term));
    return { terms: unique, idfs, idfTotal: idfs.reduce((sum, idf) => sum + idf, 0) };
  });
  const allTerms = new Set([...questionTerms, ...tagTerms, ...answerTerms]);
  const fieldsOf = new Map<string, number>();
  for (const term of allTerms) {
    fieldsOf.set(term, IN_ANY | (questionTerms.has(term) ? IN_QUESTION : 0) | (tagTerms.has(term) ? IN_TAGS : 0));
  }
  return {
    questionTerms,
    tagTerms,
    allTerms,
    fieldsOf,
    phrasings,
    statesFigure: FIGURE.test(entry.answer),
  };
}
