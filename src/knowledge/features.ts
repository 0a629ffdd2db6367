import type { ResolvedAlternative, ResolvedConcept } from './concepts.js';
import type { EntryProfile } from './profile.js';
import { TUNING } from './tuning.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * What the re-ranking knows about one candidate entry. BM25 alone says "these words occur
 * here"; a calibrated confidence also needs to know how much of the question the entry
 * explains (coverage) and how much of the entry the question is about (focus), so "what is a
 * provider collaborative" prefers that entry over "what is a mental health provider
 * collaborative", which also contains every word asked.
 */
export interface CandidateFeatures {
  /** 0..1: idf-weighted share of the question's concepts this entry matches, any field. */
  readonly coverage: number;
  /** 0..1: the same, counting only the entry's question and phrasings. */
  readonly questionCoverage: number;
  /** 0..1: idf-weighted share of the entry's best-matching question or phrasing the query covers. */
  readonly focus: number;
  /** 0..1: BM25 score relative to the best candidate's. */
  readonly bm25Share: number;
}

/** The re-ranking score, 0..1: a weighted mean of the features (weights in TUNING.rank). */
export function rankOf(features: CandidateFeatures): number {
  const weights = TUNING.rank;
  let total = 0;
  let sum = 0;
  for (const key of Object.keys(weights) as (keyof CandidateFeatures)[]) {
    total += weights[key];
    sum += weights[key] * features[key];
  }
  return sum / total;
}

export function coverageOf(concepts: readonly ResolvedConcept[], profile: EntryProfile, questionOnly: boolean): number {
  let matched = 0;
  let total = 0;
  for (const concept of concepts) {
    total += concept.weight;
    matched += concept.weight * conceptMatch(concept, profile, questionOnly);
  }
  return total === 0 ? 0 : matched / total;
}

function conceptMatch(concept: ResolvedConcept, profile: EntryProfile, questionOnly: boolean): number {
  const { fieldWeight } = TUNING;
  let best = 0;
  for (const alternative of concept.alternatives) {
    let match = slotsMatch(alternative, profile.questionTerms);
    if (!questionOnly) {
      const inTags = fieldWeight.tags * slotsMatch(alternative, profile.tagTerms);
      // A phrase may be split across fields ("care system" in tags, "integrated" in the answer).
      const anywhere = fieldWeight.answer * slotsMatch(alternative, profile.allTerms);
      match = Math.max(fieldWeight.question * match, inTags, anywhere);
    }
    best = Math.max(best, alternative.discount * match);
  }
  return best;
}

/** The weakest slot decides: a phrase is only as well matched as its worst-matched word. */
function slotsMatch(alternative: ResolvedAlternative, present: ReadonlySet<string>): number {
  let weakest = 1;
  for (const options of alternative.slots) {
    let strongest = 0;
    for (const option of options) if (present.has(option.term)) strongest = Math.max(strongest, option.quality);
    weakest = Math.min(weakest, strongest);
    if (weakest === 0) return 0;
  }
  return weakest;
}

/** The best share of any one of the entry's questions or phrasings that the query covers. */
export function focusOf(termBoost: ReadonlyMap<string, number>, profile: EntryProfile, vocabulary: Vocabulary): number {
  let focus = 0;
  for (const phrasing of profile.phrasings) {
    if (phrasing.idfTotal === 0) continue;
    let covered = 0;
    for (const term of phrasing.terms) covered += vocabulary.idf(term) * Math.min(1, termBoost.get(term) ?? 0);
    focus = Math.max(focus, covered / phrasing.idfTotal);
  }
  return focus;
}

/** Questions whose answer must be a figure: counts, shares, sizes, frequencies. */
const FIGURE_QUESTION = /\b(how (many|much|often|big|large)|what (number|proportion|percentage|share)|percent|figures?|numbers|population)\b|%/i;

export function asksForFigure(question: string): boolean {
  return FIGURE_QUESTION.test(question);
}
