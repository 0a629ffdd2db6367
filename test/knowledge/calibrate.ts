/**
 * Refits the confidence model (src/knowledge/confidence.ts) and prints weights to paste into
 * TUNING.confidence, with the answered/wrong/out-of-scope trade-off at each threshold.
 *
 *   npx tsx test/knowledge/calibrate.ts
 *
 * Training rows: every in-scope eval question (label: the top entry is right) and every
 * out-of-scope question that gets past the scope rules, from the eval set and from the 'fit'
 * near-misses (label: wrong). The 'check' near-misses are held out. Wrong answers and
 * out-of-scope rows weigh more than right ones: a confident wrong answer is the worst outcome.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { confidenceOf, confidenceSignals, type ConfidenceSignals } from '../../src/knowledge/confidence.js';
import { loadEvalSet, type InScopeCase } from '../../src/knowledge/eval-set.js';
import { isRightAnswer } from '../../src/knowledge/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { outOfScope } from '../../src/knowledge/scope.js';
import { createKnowledgeIndex } from '../../src/knowledge/search.js';
import { TUNING } from '../../src/knowledge/tuning.js';

interface Row {
  readonly kind: 'in-scope' | 'out-of-scope' | 'check';
  readonly signals: ConfidenceSignals;
  readonly right: boolean;
}

const evalDir = fileURLToPath(new URL('../eval/', import.meta.url));
const nearMisses = JSON.parse(readFileSync(new URL('./near-misses.json', import.meta.url), 'utf8')) as { fit: string[]; check: string[] };
const index = createKnowledgeIndex(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);
const evalSet = loadEvalSet(evalDir);

function row(question: string, kind: Row['kind'], expect?: Pick<InScopeCase, 'expectIds' | 'facts' | 'document'>): Row | null {
  if (outOfScope(question) !== null) return null;
  const result = index.search(question);
  const signals = confidenceSignals(result);
  const top = result.candidates[0];
  if (signals === null || top === undefined) return null;
  const asAnswer = { answered: true, answer: top.entry.answer, entryId: top.entry.id } as const;
  const right = expect !== undefined && isRightAnswer(expect, { ...asAnswer, confidence: 1, sources: [], suggestions: [], followUps: [], reason: 'answered' });
  return { kind, signals, right };
}

const rows: Row[] = [
  ...evalSet.inScope.map((item) => row(item.question, 'in-scope', item)),
  ...evalSet.outOfScope.map(({ question }) => row(question, 'out-of-scope')),
  ...nearMisses.fit.map((question) => row(question, 'out-of-scope')),
  ...nearMisses.check.map((question) => row(question, 'check')),
].filter((r): r is Row => r !== null);

const features = (s: ConfidenceSignals): number[] => [s.rank, s.margin, s.unknownWords];
const training = rows.filter((r) => r.kind !== 'check');
const weights = [0, 0, 0];
let intercept = 0;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
for (let step = 0; step < 40_000; step++) {
  const gradient = [0, 0, 0];
  let gradientIntercept = 0;
  for (const r of training) {
    const x = features(r.signals);
    const p = sigmoid(intercept + x.reduce((sum, v, i) => sum + v * (weights[i] ?? 0), 0));
    const importance = r.right ? 1 : r.kind === 'in-scope' ? 2 : 3;
    const error = (p - (r.right ? 1 : 0)) * importance;
    x.forEach((v, i) => (gradient[i] = (gradient[i] ?? 0) + error * v));
    gradientIntercept += error;
  }
  const rate = 0.5 / training.length;
  weights.forEach((w, i) => (weights[i] = w - rate * ((gradient[i] ?? 0) + 0.01 * w)));
  intercept -= rate * gradientIntercept;
}

const fitted = { intercept, rank: weights[0] ?? 0, margin: weights[1] ?? 0, unknownWord: weights[2] ?? 0 };
const round2 = (v: number): number => Math.round(v * 100) / 100;
process.stdout.write(`fitted:  ${JSON.stringify(Object.fromEntries(Object.entries(fitted).map(([k, v]) => [k, round2(v)])))}\n`);
process.stdout.write(`current: ${JSON.stringify(TUNING.confidence)} threshold ${TUNING.answerThreshold}\n\n`);

const fittedConfidence = (s: ConfidenceSignals): number =>
  sigmoid(fitted.intercept + fitted.rank * s.rank + fitted.margin * s.margin + fitted.unknownWord * s.unknownWords);
for (const [label, confidence] of [['fitted', fittedConfidence], ['current', confidenceOf]] as const) {
  process.stdout.write(`${label} model:\n`);
  for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
    const answered = (r: Row): boolean => confidence(r.signals) >= threshold;
    const inScope = rows.filter((r) => r.kind === 'in-scope');
    const count = (predicate: (r: Row) => boolean): number => rows.filter(predicate).length;
    process.stdout.write(
      `  t=${threshold}: right ${count((r) => r.kind === 'in-scope' && r.right && answered(r))}/${evalSet.inScope.length}` +
        `, wrong ${count((r) => r.kind === 'in-scope' && !r.right && answered(r))}` +
        `, out-of-scope answered ${count((r) => r.kind === 'out-of-scope' && answered(r))}` +
        `, held-out near-misses answered ${count((r) => r.kind === 'check' && answered(r))}/${nearMisses.check.length}` +
        ` (unanswerable in-scope rows: ${inScope.length - inScope.filter((r) => r.right).length})\n`,
    );
  }
}
