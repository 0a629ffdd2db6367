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
  /** The question first, then each phrasing, each with its total idf. */
  readonly phrasings: readonly Phrasing[];
  /** The answer states a figure: a count, share or amount, not just a year. */
  readonly statesFigure: boolean;
}

export interface Phrasing {
  readonly terms: readonly string[];
  readonly idfTotal: number;
}

/** A percentage, a sum of money, or a number that is not a year ("2021" alone is no figure). */
const FIGURE = /\d\s?%|£\s?\d|\b(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?\b/;

export function profileOf(entry: KnowledgeEntry, vocabulary: Vocabulary): EntryProfile {
  const questionTerms = new Set(terms([entry.question, ...entry.phrasings].join(' \n ')));
  const tagTerms = new Set(terms(entry.tags.join(' \n ')));
  const answerTerms = terms(entry.answer);
  const phrasings = [entry.question, ...entry.phrasings].map((text): Phrasing => {
    const unique = [...new Set(terms(text))];
    return { terms: unique, idfTotal: unique.reduce((sum, term) => sum + vocabulary.idf(term), 0) };
  });
  return {
    questionTerms,
    tagTerms,
    allTerms: new Set([...questionTerms, ...tagTerms, ...answerTerms]),
    phrasings,
    statesFigure: FIGURE.test(entry.answer),
  };
}
