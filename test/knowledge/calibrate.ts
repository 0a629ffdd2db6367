/**
 * Refits the confidence model (src/knowledge/confidence.ts) and prints weights to paste into
 * TUNING.confidence, with the answered/wrong/out-of-scope trade-off at each threshold, per set.
 *
 *   npx tsx test/knowledge/calibrate.ts                     fit on qa.json, every blind tune set and the 'fit' near-misses
 *   npx tsx test/knowledge/calibrate.ts blind/blind-1.json  fit on qa.json and that blind set only, to check on the others
 *
 * Rows: every in-scope question (label: the top entry is right) and every out-of-scope question
 * that gets past the scope rules (label: wrong). The held-out sets and the 'check' near-misses
 * are never fitted on. Wrong answers and out-of-scope rows weigh more than right ones: a
 * confident wrong answer is the worst outcome, an answered out-of-scope question worse still.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { confidenceOf, confidenceSignals, type ConfidenceSignals } from '../../src/knowledge/confidence.js';
import { evalFiles, loadEvalFile, type InScopeCase } from '../../src/knowledge/eval/eval-set.js';
import { isRightAnswer } from '../../src/knowledge/eval/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { outOfScope } from '../../src/knowledge/scope.js';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { createKnowledgeIndex } from '../../src/knowledge/search.js';
import { TUNING } from '../../src/knowledge/tuning.js';

interface Row {
  readonly set: string;
  readonly inScope: boolean;
  readonly signals: ConfidenceSignals;
  readonly right: boolean;
}

const evalDir = fileURLToPath(new URL('../eval/', import.meta.url));
const nearMisses = JSON.parse(readFileSync(new URL('./near-misses.json', import.meta.url), 'utf8')) as { fit: string[]; check: string[] };
const entries = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries;
const index = createKnowledgeIndex(entries);
// The answer text graded is what the person sees, update notes included.
const answerer = createAnswerer(entries);

function row(set: string, question: string, item?: InScopeCase): Row | null {
  if (outOfScope(question) !== null) return null;
  const result = index.search(question);
  const signals = confidenceSignals(result);
  const top = result.candidates[0];
  if (signals === null || top === undefined) return null;
  const shown = answerer.answer(top.entry.question);
  const asAnswer = { ...shown, answered: true, entryId: top.entry.id, answer: shown.entryId === top.entry.id ? shown.answer : top.entry.answer, sources: shown.entryId === top.entry.id ? shown.sources : top.entry.sources.map((s) => ({ ...s, title: '', published: '' })) };
  return { set, inScope: item !== undefined, signals, right: item !== undefined && isRightAnswer(item, asAnswer) };
}

const files = evalFiles(evalDir);
const fitOn = new Set(process.argv.length > 2 ? ['qa.json', ...process.argv.slice(2)] : files.filter((file) => file === 'qa.json' || file.startsWith('blind/')));
fitOn.add('near-misses fit');
const rows: Row[] = [
  ...files.flatMap((file) => {
    const set = loadEvalFile(`${evalDir}${file}`);
    return [...set.inScope.map((item) => row(file, item.question, item)), ...set.outOfScope.map(({ question }) => row(file, question))];
  }),
  ...nearMisses.fit.map((question) => row('near-misses fit', question)),
  ...nearMisses.check.map((question) => row('near-misses check', question)),
].filter((r): r is Row => r !== null);

const features = (s: ConfidenceSignals): number[] => [s.rank, s.margin, s.focus, s.length, s.unknownWords];
const training = rows.filter((r) => fitOn.has(r.set));
const weights = [0, 0, 0, 0, 0];
let intercept = 0;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
for (let step = 0; step < 20_000; step++) {
  const gradient = [0, 0, 0, 0, 0];
  let gradientIntercept = 0;
  for (const r of training) {
    const x = features(r.signals);
    const p = sigmoid(intercept + x.reduce((sum, v, i) => sum + v * (weights[i] ?? 0), 0));
    const importance = r.right ? 1 : r.inScope ? 3 : 6;
    const error = (p - (r.right ? 1 : 0)) * importance;
    x.forEach((v, i) => (gradient[i] = (gradient[i] ?? 0) + error * v));
    gradientIntercept += error;
  }
  const rate = 2 / training.length;
  weights.forEach((w, i) => (weights[i] = w - rate * ((gradient[i] ?? 0) + 0.01 * w)));
  intercept -= rate * gradientIntercept;
}

const fitted = { intercept, rank: weights[0] ?? 0, margin: weights[1] ?? 0, focus: weights[2] ?? 0, length: weights[3] ?? 0, unknownWord: weights[4] ?? 0 };
const round2 = (v: number): number => Math.round(v * 100) / 100;
process.stdout.write(`fitted on ${[...fitOn].join(', ')}:\n  ${JSON.stringify(Object.fromEntries(Object.entries(fitted).map(([k, v]) => [k, round2(v)])))}\n`);
process.stdout.write(`current: ${JSON.stringify(TUNING.confidence)} threshold ${TUNING.answerThreshold}\n\n`);

const fittedConfidence = (s: ConfidenceSignals): number =>
  sigmoid(fitted.intercept + fitted.rank * s.rank + fitted.margin * s.margin + fitted.focus * s.focus + fitted.length * s.length + fitted.unknownWord * s.unknownWords);
const sets = [...new Set(rows.map((r) => r.set))];
for (const [label, confidence] of [['fitted', fittedConfidence], ['current', confidenceOf]] as const) {
  process.stdout.write(`${label} model (right/wrong in scope, out of scope answered; * = fitted on):\n`);
  for (const threshold of [0.3, 0.4, 0.45, 0.5, 0.6, 0.7]) {
    const cells = sets.map((set) => {
      const of = rows.filter((r) => r.set === set && confidence(r.signals) >= threshold);
      return `${set}${fitOn.has(set) ? '*' : ''} ${of.filter((r) => r.right).length}/${of.filter((r) => r.inScope && !r.right).length}/${of.filter((r) => !r.inScope).length}`;
    });
    process.stdout.write(`  t=${threshold}: ${cells.join(' | ')}\n`);
  }
}
