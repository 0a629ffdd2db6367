/**
 * Scores the held-out check sets, test/eval/holdout.json and test/eval/holdout-2.json:
 * totals only, by design.
 *
 *   npx tsx test/knowledge/holdout.ts
 *
 * The sets were written before the engine was tuned and are never tuned against, so they show
 * how the engine does on wording nobody fitted it to. Looking at single questions and fixing
 * them would turn them into more eval sets; `npm run eval` is the place for failures.
 */
import { fileURLToPath } from 'node:url';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { HOLDOUT_2_FILE, HOLDOUT_FILE, loadEvalSet } from '../../src/knowledge/eval/eval-set.js';
import { evaluate } from '../../src/knowledge/eval/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';

const answerer = createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);
const evalDir = fileURLToPath(new URL('../eval/', import.meta.url));

function totals(label: string, file: string): string[] {
  const report = evaluate(answerer, loadEvalSet(evalDir, file));
  const right = report.inScope.filter((result) => result.correct).length;
  const unanswered = report.inScope.filter((result) => !result.answer.answered).length;
  const byDocument = new Map<string, { right: number; total: number }>();
  for (const { item, correct } of report.inScope) {
    const tally = byDocument.get(item.part) ?? { right: 0, total: 0 };
    tally.total += 1;
    if (correct) tally.right += 1;
    byDocument.set(item.part, tally);
  }
  const pad = ' '.repeat(Math.max(0, 10 - label.length));
  return [
    `${label} in scope:     ${pad}${right}/${report.inScope.length} correct (${(report.inScopeAccuracy * 100).toFixed(1)}%); ${report.confidentlyWrong} answered wrongly, ${unanswered} unanswered`,
    ...[...byDocument].map(([document, tally]) => `  ${document}: ${tally.right}/${tally.total}`),
    `${label} out of scope: ${pad}${report.outOfScope.length - report.outOfScopeAnswered}/${report.outOfScope.length} declined; ${report.outOfScopeAnswered} answered`,
  ];
}

process.stdout.write([...totals('holdout', HOLDOUT_FILE), ...totals('holdout-2', HOLDOUT_2_FILE)].join('\n') + '\n');
