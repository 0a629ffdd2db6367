import type { SearchResult } from './search.js';
import { TUNING } from './tuning.js';

/**
 * How likely the top candidate is the right answer, 0..1. A logistic model over five signals,
 * fitted by test/knowledge/calibrate.ts on the tuned eval set, the blind tune sets and
 * near-miss questions:
 *   - rank: how well the best entry explains the question and vice versa;
 *   - margin: how far ahead of the next entry it is (a near tie means we are guessing);
 *   - focus: how much of the entry's own question (or a phrasing) the person asked about;
 *   - length: how many concepts the question has. Staff who write a long, scenario-laden
 *     question ("our finance director keeps…; what does the guidance say about…") leave much
 *     of it unexplained by any entry, so its rank is low even when the top entry is right.
 *     Fitted on blind sets, the model learnt to expect that rather than decline every long question.
 *   - unknown words: words found nowhere in the KB, even allowing for typos, are often the very
 *     thing we cannot answer ("…scored by the regulator in Wales"), so each one costs.
 */
export interface ConfidenceSignals {
  readonly rank: number;
  readonly margin: number;
  readonly focus: number;
  /** Concepts in the question over TUNING.confidence.lengthCap, at most 1. */
  readonly length: number;
  readonly unknownWords: number;
}

export function confidenceSignals(result: SearchResult): ConfidenceSignals | null {
  const [top, runnerUp] = result.candidates;
  if (top === undefined) return null;
  const { marginCap, lengthCap } = TUNING.confidence;
  const margin = runnerUp === undefined ? marginCap : top.rank - runnerUp.rank;
  return {
    rank: top.rank,
    margin: Math.min(margin, marginCap),
    focus: top.focus,
    length: Math.min(result.conceptCount, lengthCap) / lengthCap,
    unknownWords: result.unknownWords.length,
  };
}

export function confidenceOf(signals: ConfidenceSignals | null): number {
  if (signals === null) return 0;
  const model = TUNING.confidence;
  const z = model.intercept + model.rank * signals.rank + model.margin * signals.margin + model.focus * signals.focus + model.length * signals.length + model.unknownWord * signals.unknownWords;
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
