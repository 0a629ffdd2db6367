import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { BLIND_DIRECTORY, evalFiles, loadEvalSet } from '../../src/knowledge/eval/eval-set.js';
import { evaluate } from '../../src/knowledge/eval/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

/** The quality gate: `npm run eval -- --failures` shows the failures behind a red result here. */
const evalDir = fileURLToPath(new URL('../eval/', import.meta.url));
const answerer = createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);

describe('the Q&A eval set', () => {
  const report = evaluate(answerer, loadEvalSet(evalDir));

  it('has questions on both sides of the line', () => {
    expect(report.inScope.length).toBeGreaterThan(0);
    expect(report.outOfScope.length).toBeGreaterThanOrEqual(40);
  });

  it('answers at least 95% of in-scope questions correctly', () => {
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('answers no out-of-scope question', () => {
    expect(report.outOfScope.filter((result) => result.answer.answered).map((result) => result.question)).toEqual([]);
  });
});

/**
 * The blind tune sets were written from the sources by someone who never saw the KB; the
 * engine was tuned on them, so these floors guard the tuning, not generalisation (the report
 * sets the lead scores do that). Wrong answers are capped near the 3% goal.
 */
describe.each(evalFiles(evalDir).filter((file) => file.startsWith(`${BLIND_DIRECTORY}/`)))('the blind tune set %s', (file) => {
  const report = evaluate(answerer, loadEvalSet(evalDir, file));

  it('answers at least 75% correctly, at most 2 wrongly, and resolves 95% in one click', () => {
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(report.inScope.filter((result) => result.outcome === 'wrong').map((result) => result.item.question).length).toBeLessThanOrEqual(2);
    expect(report.oneClick / report.inScope.length).toBeGreaterThanOrEqual(0.95);
  });

  it('refuses every clinical, HR/IT, general and near-miss question', () => {
    expect(report.outOfScope.filter((result) => result.answer.answered).map((result) => `${result.kind}: ${result.question}`)).toEqual([]);
  });
});
