/**
 * Scores the shipped knowledge base against the eval set, test/eval/qa.json.
 *
 *   npm run eval               accuracy and every failure, for a person
 *   npm run eval -- --json     one summary object
 */
import { fileURLToPath } from 'node:url';
import { createAnswerer } from '../knowledge/answer.js';
import { loadEvalSet } from '../knowledge/eval/eval-set.js';
import { evaluate, type EvalReport } from '../knowledge/eval/evaluate.js';
import path from 'node:path';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { loadToolConfig, parseCommandLine, runTool, UsageError } from './cli.js';

const TOOL = 'eval';
const USAGE = 'usage: npm run eval [-- --json]';
const EVAL_DIR = fileURLToPath(new URL('../../test/eval/', import.meta.url));

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

function summary(report: EvalReport) {
  const inScopeCorrect = report.inScope.filter((result) => result.correct).length;
  return {
    inScope: report.inScope.length,
    inScopeCorrect,
    inScopeAccuracy: Math.round(report.inScopeAccuracy * 1000) / 1000,
    confidentlyWrong: report.confidentlyWrong,
    unanswered: report.inScope.filter((result) => !result.answer.answered).length,
    outOfScope: report.outOfScope.length,
    outOfScopeAnswered: report.outOfScopeAnswered,
    failures: [
      ...report.inScope
        .filter((result) => !result.correct)
        .map(({ item, answer }) => ({
          kind: answer.answered ? 'wrong-entry' : 'unanswered',
          part: item.part,
          question: item.question,
          expected: item.expectIds,
          got: answer.entryId ?? null,
          confidence: answer.confidence,
          suggestions: answer.suggestions,
        })),
      ...report.outOfScope
        .filter((result) => !result.correct)
        .map(({ question, part, answer }) => ({
          kind: 'out-of-scope-answered',
          part,
          question,
          expected: [],
          got: answer.entryId ?? null,
          confidence: answer.confidence,
          suggestions: [],
        })),
    ],
  };
}

function toReadable(report: EvalReport): string {
  const s = summary(report);
  const lines = [
    `in scope:     ${s.inScopeCorrect}/${s.inScope} correct (${percent(report.inScopeAccuracy)}); ${s.confidentlyWrong} answered wrongly, ${s.unanswered} unanswered`,
    `out of scope: ${s.outOfScope - s.outOfScopeAnswered}/${s.outOfScope} declined; ${s.outOfScopeAnswered} answered`,
  ];
  if (s.failures.length > 0) lines.push('', 'failures:');
  for (const failure of s.failures) {
    lines.push(`  [${failure.kind}] (${failure.part}) ${failure.question}`);
    lines.push(`      expected ${failure.expected.join(' | ') || '(not answered)'}; got ${failure.got ?? '(not answered)'} at ${failure.confidence}`);
  }
  return `${lines.join('\n')}\n`;
}

await runTool(TOOL, () => {
  let values;
  try {
    ({ values } = parseCommandLine(TOOL, process.argv.slice(2), { json: { type: 'boolean' } }));
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`${error.message}. ${USAGE}`) : error;
  }
  // The knowledge base Concord is configured with (CONCORD_KNOWLEDGE_DIR), named first on stderr.
  const knowledgeDir = path.resolve(loadToolConfig(TOOL).knowledgeDir);
  process.stderr.write(`${TOOL}: reading the knowledge base in ${knowledgeDir}\n`);
  const answerer = createAnswerer(loadKnowledgeBase(knowledgeDir).entries);
  const report = evaluate(answerer, loadEvalSet(EVAL_DIR));
  process.stdout.write(values.json ? `${JSON.stringify(summary(report))}\n` : toReadable(report));
  return 0;
});
