import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { loadEvalSet } from '../../src/knowledge/eval/eval-set.js';
import { evaluate } from '../../src/knowledge/eval/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

/** The quality gate: `npm run eval` shows the failures behind a red result here. */
describe('the Q&A eval set', () => {
  const report = evaluate(
    createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries),
    loadEvalSet(fileURLToPath(new URL('../eval/', import.meta.url))),
  );

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
