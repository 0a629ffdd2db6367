/**
 * Scores the held-out check set, test/eval/holdout.json: totals only, by design.
 *
 *   npx tsx test/knowledge/holdout.ts
 *
 * The set was written before the engine was tuned and is never tuned against, so it shows
 * how the engine does on wording nobody fitted it to. Looking at single questions and fixing
 * them would turn it into a second eval set; `npm run eval` is the place for failures.
 */
import { fileURLToPath } from 'node:url';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { HOLDOUT_FILE, loadEvalSet } from '../../src/knowledge/eval-set.js';
import { evaluate } from '../../src/knowledge/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

const report = evaluate(
  createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries),
  loadEvalSet(fileURLToPath(new URL('../eval/', import.meta.url)), HOLDOUT_FILE),
);
const right = report.inScope.filter((result) => result.correct).length;
const unanswered = report.inScope.filter((result) => !result.answer.answered).length;
const byDocument = new Map<string, { right: number; total: number }>();
for (const { item, correct } of report.inScope) {
  const tally = byDocument.get(item.part) ?? { right: 0, total: 0 };
  tally.total += 1;
  if (correct) tally.right += 1;
  byDocument.set(item.part, tally);
}
process.stdout.write(
  [
    `holdout in scope:     ${right}/${report.inScope.length} correct (${((report.inScopeAccuracy) * 100).toFixed(1)}%); ${report.confidentlyWrong} answered wrongly, ${unanswered} unanswered`,
    ...[...byDocument].map(([document, tally]) => `  ${document}: ${tally.right}/${tally.total}`),
    `holdout out of scope: ${report.outOfScope.length - report.outOfScopeAnswered}/${report.outOfScope.length} declined; ${report.outOfScopeAnswered} answered`,
  ].join('\n') + '\n',
);
