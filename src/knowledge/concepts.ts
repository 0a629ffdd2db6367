import { parseQuestion, type QueryConcept } from './query.js';
import { termOf } from './text.js';
import { TUNING } from './tuning.js';
import type { TermOption, Vocabulary } from './vocabulary.js';

/**
 * A question's concepts resolved against the KB's vocabulary: each word becomes the index
 * terms it may stand for (itself, a completion, a spelling correction), and each concept gets
 * a weight, its idf, so rare and telling words count for more than common ones.
 */
export interface ResolvedAlternative {
  /** Every slot must match; a slot matches through any of its options. */
  readonly slots: readonly (readonly TermOption[])[];
  /** How much a match through this alternative counts (1 for the person's own words). */
  readonly discount: number;
}

export interface ResolvedConcept {
  readonly text: string;
  /** False when no spelling of the concept occurs anywhere in the KB. */
  readonly known: boolean;
  readonly weight: number;
  readonly alternatives: readonly ResolvedAlternative[];
}

export function resolveQuestion(question: string, vocabulary: Vocabulary): ResolvedConcept[] {
  return parseQuestion(question).map((concept) => resolveConcept(concept, vocabulary));
}

/**
 * A concept weighs what its commonest equivalent spelling weighs: "NHSE" is rare in the
 * entries, which mostly say "NHS England", but the person asked about the same common thing.
 * Related words ("veto" → "block") only set the weight when nothing the person typed is
 * known. If nothing at all is known, the concept weighs a share of a rare word's idf.
 */
function resolveConcept(concept: QueryConcept, vocabulary: Vocabulary): ResolvedConcept {
  const alternatives: ResolvedAlternative[] = [];
  let sameWeight = Infinity;
  let relatedWeight = Infinity;
  // A word the synonym table knows is spelt as meant: "cons" is not a partial "consensus".
  const fromTable = concept.alternatives.some((alternative) => alternative.origin !== 'typed');
  for (const alternative of concept.alternatives) {
    const slots: TermOption[][] = [];
    let resolvable = true;
    for (const word of alternative.words) {
      if (termOf(word) === null) continue;
      const options = alternative.origin === 'typed' && !fromTable ? vocabulary.resolveTyped(word) : vocabulary.resolveExact(word);
      if (options.length === 0) resolvable = false;
      slots.push(options);
    }
    if (!resolvable || slots.length === 0) continue;
    const weight = Math.max(...slots.map((options) => slotIdf(options, vocabulary)));
    if (alternative.origin === 'related') relatedWeight = Math.min(relatedWeight, weight);
    else sameWeight = Math.min(sameWeight, weight);
    alternatives.push({ slots, discount: TUNING.originDiscount[alternative.origin] });
  }
  const knownWeight = Number.isFinite(sameWeight) ? sameWeight : relatedWeight;
  const known = Number.isFinite(knownWeight);
  return {
    text: concept.text,
    known,
    weight: known ? knownWeight : TUNING.unknownWordWeight * vocabulary.rareIdf(),
    alternatives,
  };
}

/** A slot weighs what its most likely reading weighs; among equally likely, the commonest. */
function slotIdf(options: readonly TermOption[], vocabulary: Vocabulary): number {
  const bestQuality = Math.max(...options.map((option) => option.quality));
  return Math.min(...options.filter((option) => option.quality === bestQuality).map((option) => vocabulary.idf(option.term)));
}

/** Every index term the concepts may match, with the strongest boost each one gets. */
export function termBoosts(concepts: readonly ResolvedConcept[]): Map<string, number> {
  const boosts = new Map<string, number>();
  for (const concept of concepts) {
    for (const alternative of concept.alternatives) {
      for (const option of alternative.slots.flat()) {
        const boost = option.quality * alternative.discount;
        boosts.set(option.term, Math.max(boosts.get(option.term) ?? 0, boost));
      }
    }
  }
  return boosts;
}
