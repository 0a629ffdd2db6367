import type { SearchResult } from './search.js';
import { TUNING } from './tuning.js';

/**
 * How likely the top candidate is the right answer, 0..1. A logistic model over three
 * signals, fitted on the eval set plus near-miss questions (test/knowledge/calibrate.ts):
 *   - rank: how well the best entry explains the question and vice versa;
 *   - margin: how far ahead of the next entry it is (a near tie means we are guessing);
 *   - unknown words: words found nowhere in the KB are usually the very thing we cannot
 *     answer ("GP contract uplift", "pension scheme"), so each one costs a lot.
 */
export interface ConfidenceSignals {
  readonly rank: number;
  readonly margin: number;
  readonly unknownWords: number;
}

export function confidenceSignals(result: SearchResult): ConfidenceSignals | null {
  const [top, runnerUp] = result.candidates;
  if (top === undefined) return null;
  const margin = runnerUp === undefined ? TUNING.confidence.marginCap : top.rank - runnerUp.rank;
  return {
    rank: top.rank,
    margin: Math.min(margin, TUNING.confidence.marginCap),
    unknownWords: result.unknownWords.length,
  };
}

export function confidenceOf(signals: ConfidenceSignals | null): number {
  if (signals === null) return 0;
  const model = TUNING.confidence;
  const z = model.intercept + model.rank * signals.rank + model.margin * signals.margin + model.unknownWord * signals.unknownWords;
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
