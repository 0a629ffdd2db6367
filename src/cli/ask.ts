/**
 * Ask the knowledge base from a terminal.
 *
 *   npm run --silent ask -- "question"            readable answer and its sources
 *   npm run --silent ask -- --json "question"     one JSON line (contract below)
 *   npm run --silent ask -- --batch               one question per stdin line → readable answers
 *   npm run --silent ask -- --json --batch        one question per stdin line → one JSON line each
 *
 * Reads the knowledge base Concord is configured with (CONCORD_KNOWLEDGE_DIR, from `.env` or the
 * environment, as the server does) and names it on the first line of stderr.
 *
 * The JSON line is a contract other tools parse: exactly the keys
 * answered, answer, confidence, sources[{document, section}], suggestions, in that order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createAnswerer, type Answer, type Answerer } from '../knowledge/answer.js';
import { KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.js';
import { loadToolConfig, parseCommandLine, runTool, UsageError } from './cli.js';

const TOOL = 'ask';
const USAGE = 'usage: npm run --silent ask -- [--json] "question" | npm run --silent ask -- [--json] --batch < questions.txt';
const OPTIONS = { json: { type: 'boolean' }, batch: { type: 'boolean' } } as const;

interface Options {
  readonly json: boolean;
  readonly batch: boolean;
  readonly question: string;
}

/** The options; anything wrong is a UsageError that says what and what is accepted. */
function parseArguments(args: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseCommandLine(TOOL, args, OPTIONS, true);
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`${error.message}. ${USAGE}`) : error;
  }
  const json = parsed.values.json ?? false;
  const batch = parsed.values.batch ?? false;
  const question = parsed.positionals.join(' ').trim();
  if (batch && question !== '') throw new UsageError(`${TOOL}: --batch reads its questions from stdin, one a line, so it takes no question on the command line (got "${question}"). ${USAGE}`);
  if (!batch && question === '') throw new UsageError(`${TOOL}: no question given; put it in quotes after the options, or use --batch to read questions from stdin. ${USAGE}`);
  return { json, batch, question };
}

/** The contract's shape, built key by key so the order is fixed. */
function toJsonLine(answer: Answer): string {
  return JSON.stringify({
    answered: answer.answered,
    answer: answer.answer,
    confidence: answer.confidence,
    sources: answer.sources.map((source) => ({ document: source.document, section: source.section })),
    suggestions: [...answer.suggestions],
  });
}

function toReadable(answer: Answer): string {
  const lines = [answer.answer];
  if (answer.sources.length > 0) {
    lines.push('', 'Sources:');
    for (const source of answer.sources) lines.push(`  - ${source.title} (${source.published}): ${source.section}`);
  }
  if (answer.suggestions.length > 0) {
    lines.push('', answer.answered ? 'Related:' : 'You could ask:');
    for (const suggestion of answer.suggestions) lines.push(`  - ${suggestion}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One answer per stdin line: JSON lines for tools, or for a person each question followed by its answer. */
function runBatch(answerer: Answerer, json: boolean): void {
  const input = readFileSync(0, 'utf8');
  const questions = input.split(/\r?\n/);
  // A trailing newline ends the last question; it does not start another one.
  if (questions.at(-1) === '') questions.pop();
  if (json) {
    const out = questions.map((question) => toJsonLine(answerer.answer(question)));
    process.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
    return;
  }
  process.stdout.write(questions.map((question) => `Q: ${question}\n${toReadable(answerer.answer(question))}`).join('\n'));
}

// A bug, not bad input, is still one line (runTool): never a stack trace in someone's terminal.
await runTool(TOOL, () => {
  const options = parseArguments(process.argv.slice(2));
  const knowledgeDir = path.resolve(loadToolConfig(TOOL).knowledgeDir);
  process.stderr.write(`${TOOL}: reading the knowledge base in ${knowledgeDir}\n`);
  let answerer: Answerer;
  try {
    answerer = createAnswerer(loadKnowledgeBase(knowledgeDir).entries);
  } catch (error) {
    if (!(error instanceof KnowledgeBaseError)) throw error;
    process.stderr.write(`knowledge base: ${error.message}\n`);
    return 1;
  }
  if (options.batch) {
    runBatch(answerer, options.json);
    return 0;
  }
  const answer = answerer.answer(options.question);
  process.stdout.write(options.json ? `${toJsonLine(answer)}\n` : toReadable(answer));
  return 0;
});
