/**
 * Scores the shipped knowledge base against the eval sets in test/eval/: the tuned set
 * (qa.json), the held-out sets (holdout*.json) and every blind set in test/eval/blind/.
 *
 *   npm run eval                              one line per set: correct, wrong, declined, one-click, refused
 *   npm run eval -- --set test/eval/blind/blind-3.json   score one file (any path)
 *   npm run eval -- --failures                also list every failure of the sets scored
 *   npm run eval -- --json                    one summary object per set
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnswerer } from '../knowledge/answer.js';
import { evalFiles, loadEvalFile, OUT_OF_SCOPE_KINDS } from '../knowledge/eval/eval-set.js';
import { evaluate, type EvalReport } from '../knowledge/eval/evaluate.js';
import { loadKnowledgeBase } from '../knowledge/load.js';
import { loadToolConfig, parseCommandLine, runTool, UsageError } from './cli.js';

const TOOL = 'eval';
const USAGE = 'usage: npm run eval [-- [--set file.json] [--failures] [--json]]';
const OPTIONS = { set: { type: 'string', value: 'FILE' }, failures: { type: 'boolean' }, json: { type: 'boolean' } } as const;
const EVAL_DIR = fileURLToPath(new URL('../../test/eval/', import.meta.url));

const percent = (count: number, total: number): string => (total === 0 ? '-' : `${((count / total) * 100).toFixed(1)}%`);

function summary(name: string, report: EvalReport) {
  const total = report.inScope.length;
  const refused = Object.fromEntries(
    [...OUT_OF_SCOPE_KINDS, undefined].flatMap((kind) => {
      const of = report.outOfScope.filter((result) => result.kind === kind);
      return of.length === 0 ? [] : [[kind ?? 'unlabelled', { refused: of.filter((result) => result.correct).length, total: of.length }]];
    }),
  );
  return {
    set: name,
    inScope: total,
    correct: total - report.confidentlyWrong - report.declined,
    wrong: report.confidentlyWrong,
    declined: report.declined,
    oneClick: report.oneClick,
    outOfScope: report.outOfScope.length,
    outOfScopeRefused: report.outOfScope.length - report.outOfScopeAnswered,
    refusedByKind: refused,
    /** Blind sets: correct / total per question style. */
    correctByStyle: Object.fromEntries(
      [...new Set(report.inScope.flatMap((result) => (result.item.style === undefined ? [] : [result.item.style])))].map((style) => {
        const of = report.inScope.filter((result) => result.item.style === style);
        return [style, { correct: of.filter((result) => result.correct).length, total: of.length }];
      }),
    ),
    failures: [
      ...report.inScope
        .filter((result) => !result.correct)
        .map(({ item, answer, outcome, oneClick }) => ({
          kind: outcome,
          oneClick,
          part: item.part,
          style: item.style ?? null,
          question: item.question,
          expected: item.expectIds.length > 0 ? item.expectIds : item.facts.map((fact) => (typeof fact === 'string' ? fact : fact.join(' | '))),
          got: answer.entryId ?? null,
          confidence: answer.confidence,
          suggestions: answer.suggestions,
        })),
      ...report.outOfScope
        .filter((result) => !result.correct)
        .map(({ question, kind, answer }) => ({
          kind: 'out-of-scope-answered',
          oneClick: false,
          part: kind ?? 'out-of-scope',
          style: null,
          question,
          expected: [],
          got: answer.entryId ?? null,
          confidence: answer.confidence,
          suggestions: [],
        })),
    ],
  };
}

type Summary = ReturnType<typeof summary>;

function line(s: Summary): string {
  const kinds = Object.entries(s.refusedByKind).map(([kind, tally]) => `${kind} ${tally.refused}/${tally.total}`).join(', ');
  return [
    s.set.padEnd(22),
    `${s.correct}/${s.inScope} correct (${percent(s.correct, s.inScope)})`.padEnd(24),
    `wrong ${s.wrong} (${percent(s.wrong, s.inScope)})`.padEnd(17),
    `declined ${s.declined} (${percent(s.declined, s.inScope)})`.padEnd(21),
    `one-click ${percent(s.oneClick, s.inScope)}`.padEnd(17),
    `out of scope refused ${s.outOfScopeRefused}/${s.outOfScope}${kinds === '' ? '' : ` (${kinds})`}`,
    ...(Object.keys(s.correctByStyle).length === 0
      ? []
      : [`\n${' '.repeat(23)}correct by style: ${Object.entries(s.correctByStyle).map(([style, tally]) => `${style} ${tally.correct}/${tally.total}`).join(', ')}`]),
  ].join(' ');
}

function failures(s: Summary): string[] {
  if (s.failures.length === 0) return [];
  return [
    '',
    `${s.set} failures:`,
    ...s.failures.flatMap((failure) => [
      `  [${failure.kind}${failure.oneClick ? ', one click' : ''}] (${failure.part}${failure.style ? `, ${failure.style}` : ''}) ${failure.question}`,
      `      expected ${failure.expected.join('; ') || '(not answered)'}; got ${failure.got ?? '(not answered)'} at ${failure.confidence}`,
      ...(failure.suggestions.length > 0 ? [`      suggested: ${failure.suggestions.join(' / ')}`] : []),
    ]),
  ];
}

await runTool(TOOL, () => {
  let values;
  try {
    ({ values } = parseCommandLine(TOOL, process.argv.slice(2), OPTIONS));
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`${error.message}. ${USAGE}`) : error;
  }
  // The knowledge base Concord is configured with (CONCORD_KNOWLEDGE_DIR), named first on stderr.
  const knowledgeDir = path.resolve(loadToolConfig(TOOL).knowledgeDir);
  process.stderr.write(`${TOOL}: reading the knowledge base in ${knowledgeDir}\n`);
  const answerer = createAnswerer(loadKnowledgeBase(knowledgeDir).entries);
  const files = values.set !== undefined ? [path.resolve(values.set)] : evalFiles(EVAL_DIR).map((file) => path.join(EVAL_DIR, file));
  const summaries = files.map((file) => summary(path.relative(EVAL_DIR, file).startsWith('..') ? path.basename(file) : path.relative(EVAL_DIR, file), evaluate(answerer, loadEvalFile(file))));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(values.failures ? summaries : summaries.map(({ failures: _, ...rest }) => rest))}\n`);
  } else {
    const lines = summaries.map(line);
    if (values.failures) lines.push(...summaries.flatMap(failures));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
});
