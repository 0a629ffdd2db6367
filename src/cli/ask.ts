/**
 * Ask the knowledge base from a terminal.
 *
 *   npm run --silent ask -- "question"            readable answer and its sources
 *   npm run --silent ask -- --json "question"     one JSON line (contract below)
 *   npm run --silent ask -- --json --batch        one question per stdin line → one JSON line each
 *
 * The JSON line is a contract other tools parse: exactly the keys
 * answered, answer, confidence, sources[{document, section}], suggestions, in that order.
 */
import { readFileSync } from 'node:fs';
import { createAnswerer, type Answer, type Answerer } from '../knowledge/answer.js';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError, loadKnowledgeBase } from '../knowledge/load.js';

const USAGE = 'usage: npm run --silent ask -- [--json] "question" | npm run --silent ask -- --json --batch < questions.txt';

interface Options {
  readonly json: boolean;
  readonly batch: boolean;
  readonly question: string;
}

function parseArguments(args: readonly string[]): Options | null {
  let json = false;
  let batch = false;
  const rest: string[] = [];
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--batch') batch = true;
    else if (arg.startsWith('--')) return null;
    else rest.push(arg);
  }
  if (batch) return json && rest.length === 0 ? { json, batch, question: '' } : null;
  const question = rest.join(' ').trim();
  return question.length > 0 ? { json, batch, question } : null;
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

function runBatch(answerer: Answerer): void {
  const input = readFileSync(0, 'utf8');
  const questions = input.split(/\r?\n/);
  // A trailing newline ends the last question; it does not start another one.
  if (questions.at(-1) === '') questions.pop();
  const out = questions.map((question) => toJsonLine(answerer.answer(question)));
  process.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
}

function main(): number {
  const options = parseArguments(process.argv.slice(2));
  if (options === null) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let answerer: Answerer;
  try {
    answerer = createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);
  } catch (error) {
    if (!(error instanceof KnowledgeBaseError)) throw error;
    process.stderr.write(`knowledge base: ${error.message}\n`);
    return 1;
  }
  if (options.batch) {
    runBatch(answerer);
    return 0;
  }
  const answer = answerer.answer(options.question);
  process.stdout.write(options.json ? `${toJsonLine(answer)}\n` : toReadable(answer));
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  // A bug, not bad input: still one line, never a stack trace in someone's terminal.
  process.stderr.write(`ask failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
