import type { ResolvedConcept } from './concepts.js';
import { IN_ANY, IN_QUESTION, IN_TAGS, type EntryProfile } from './profile.js';
import { TUNING } from './tuning.js';

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

const RANK_WEIGHT_TOTAL = TUNING.rank.coverage + TUNING.rank.questionCoverage + TUNING.rank.focus + TUNING.rank.bm25Share;

/** The re-ranking score, 0..1: a weighted mean of the features (weights in TUNING.rank). */
export function rankOf(features: CandidateFeatures): number {
  const weights = TUNING.rank;
  let sum = weights.coverage * features.coverage;
  sum += weights.questionCoverage * features.questionCoverage;
  sum += weights.focus * features.focus;
  sum += weights.bm25Share * features.bm25Share;
  return sum / RANK_WEIGHT_TOTAL;
}

export interface Coverages {
  /** Share of the question matched in any field (tags and answer text count for less). */
  readonly coverage: number;
  /** Share of the question matched by the entry's own question and phrasings. */
  readonly questionCoverage: number;
}

/** Both coverages in one pass over the question's concepts. */
export function coveragesOf(concepts: readonly ResolvedConcept[], profile: EntryProfile): Coverages {
  const { fieldWeight } = TUNING;
  let matched = 0;
  let matchedInQuestion = 0;
  let total = 0;
  for (const concept of concepts) {
    let best = 0;
    let bestInQuestion = 0;
    for (const alternative of concept.alternatives) {
      // The weakest slot decides: a phrase is only as well matched as its worst-matched word.
      let inQuestion = 1;
      let inTags = 1;
      let anywhere = 1;
      for (const options of alternative.slots) {
        let question = 0;
        let tags = 0;
        let any = 0;
        for (const option of options) {
          const fields = profile.fieldsOf.get(option.term);
          if (fields === undefined) continue;
          if (fields & IN_QUESTION && option.quality > question) question = option.quality;
          if (fields & IN_TAGS && option.quality > tags) tags = option.quality;
          if (fields & IN_ANY && option.quality > any) any = option.quality;
        }
        if (question < inQuestion) inQuestion = question;
        if (tags < inTags) inTags = tags;
        if (any < anywhere) anywhere = any;
        if (anywhere === 0) break;
      }
      // A phrase may be split across fields ("care system" in tags, "integrated" in the answer).
      const match = Math.max(fieldWeight.question * inQuestion, fieldWeight.tags * inTags, fieldWeight.answer * anywhere);
      best = Math.max(best, alternative.discount * match);
      bestInQuestion = Math.max(bestInQuestion, alternative.discount * inQuestion);
    }
    total += concept.weight;
    matched += concept.weight * best;
    matchedInQuestion += concept.weight * bestInQuestion;
  }
  return total === 0 ? { coverage: 0, questionCoverage: 0 } : { coverage: matched / total, questionCoverage: matchedInQuestion / total };
}

/** The best share of any one of the entry's questions or phrasings that the query covers. */
export function focusOf(termBoost: ReadonlyMap<string, number>, profile: EntryProfile): number {
  let focus = 0;
  for (const phrasing of profile.phrasings) {
    if (phrasing.idfTotal === 0) continue;
    let covered = 0;
    const { terms, idfs } = phrasing;
    for (let i = 0; i < terms.length; i++) covered += (idfs[i] as number) * Math.min(1, termBoost.get(terms[i] as string) ?? 0);
    focus = Math.max(focus, covered / phrasing.idfTotal);
  }
  return focus;
}

/** A concept typed as a year ("2024", "2019"). */
const YEAR = /^(?:19|20)\d\d$/;

/** The year concepts of a question: an entry that never mentions the year is about another time. */
export function yearConcepts(concepts: readonly ResolvedConcept[]): ResolvedConcept[] {
  return concepts.filter((concept) => YEAR.test(concept.text));
}

/** How many of the given concepts the entry does not mention in any field. */
export function missingFrom(concepts: readonly ResolvedConcept[], profile: EntryProfile): number {
  let missing = 0;
  for (const concept of concepts) {
    const found = concept.alternatives.some((alternative) =>
      alternative.slots.every((options) => options.some((option) => profile.allTerms.has(option.term))),
    );
    if (!found) missing += 1;
  }
  return missing;
}

/**
 * Questions whose answer must be a figure: counts, shares, sizes, frequencies. "How much should
 * we spend…" asks for guidance, not a statistic, so "how much/many should…" is not one.
 */
const FIGURE_QUESTION = /\b(how (many|much|often|big|large)(?! (should|ought|do we need|would you))|what (number|proportion|percentage|share|fraction)|percent|fraction|figures?|stats?|statistics?|numbers|population)\b|%/i;

export function asksForFigure(question: string): boolean {
  return FIGURE_QUESTION.test(question);
}
