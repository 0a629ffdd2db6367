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
import { evalFiles, loadEvalFile, OUT_OF_SCOPE_KINDS } from '../knowledge/eval-set.js';
import { evaluate, type EvalReport } from '../knowledge/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../knowledge/load.js';

const USAGE = 'usage: npm run eval [-- [--set file.json]... [--failures] [--json]]';
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

function main(): number {
  const args = process.argv.slice(2);
  const sets: string[] = [];
  let json = false;
  let showFailures = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--failures') showFailures = true;
    else if (arg === '--set' && args[i + 1] !== undefined) sets.push(path.resolve(args[++i] as string));
    else {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
  }
  const files = sets.length > 0 ? sets : evalFiles(EVAL_DIR).map((file) => path.join(EVAL_DIR, file));
  const answerer = createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);
  const summaries = files.map((file) => summary(path.relative(EVAL_DIR, file).startsWith('..') ? path.basename(file) : path.relative(EVAL_DIR, file), evaluate(answerer, loadEvalFile(file))));
  if (json) {
    process.stdout.write(`${JSON.stringify(showFailures ? summaries : summaries.map(({ failures: _, ...rest }) => rest))}\n`);
  } else {
    const lines = summaries.map(line);
    if (showFailures) lines.push(...summaries.flatMap(failures));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`eval failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
