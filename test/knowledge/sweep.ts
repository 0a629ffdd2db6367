/**
 * Measures decision-policy variants without re-running the CLI: for each question of the chosen
 * sets, the top candidates and whether each is a right entry, then correct / wrong / declined /
 * one click under each variant. A development tool, like calibrate.ts; it never reads
 * test/eval/blind-report/ (those sets are scored only after tuning stops).
 *
 *   npx tsx test/knowledge/sweep.ts [KB_DIR=path] set.json ...
 */
import { readFileSync } from 'node:fs';
import { confidenceOf, confidenceSignals } from '../../src/knowledge/confidence.js';
import { loadEvalFile, type InScopeCase } from '../../src/knowledge/eval/eval-set.js';
import { isRightAnswer } from '../../src/knowledge/eval/evaluate.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { outOfScope } from '../../src/knowledge/scope.js';
import { createKnowledgeIndex, type Candidate } from '../../src/knowledge/search.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { TUNING } from '../../src/knowledge/tuning.js';
import { UPDATES } from '../../src/knowledge/updates.js';

const args = process.argv.slice(2);
const kbArg = args.find((a) => a.startsWith('KB_DIR='));
const files = args.filter((a) => !a.startsWith('KB_DIR='));
if (files.some((f) => f.includes('blind-report'))) throw new Error('the report sets are not for tuning');
const entries = loadKnowledgeBase(kbArg?.slice(7) ?? DEFAULT_KNOWLEDGE_DIR).entries;
const index = createKnowledgeIndex(entries);
const verbose = process.env.SWEEP_VERBOSE === '1';

function right(item: InScopeCase, entry: KnowledgeEntry | undefined): boolean {
  if (entry === undefined) return false;
  const text = [entry.answer, ...entry.updates.map((id) => `Since then: ${UPDATES[id].note}`)].join('\n\n');
  const sources = [...entry.sources, ...entry.updates.map((id) => UPDATES[id].source)].map((s) => ({ ...s, title: '', published: '' }));
  return isRightAnswer(item, { answered: true, entryId: entry.id, answer: text, sources, confidence: 1, suggestions: [], followUps: [], reason: 'answered' });
}

const rows: object[] = [];
const total = { n: 0, c: 0, w: 0, d: 0, o: 0, oos: 0, oosA: 0 };
for (const file of files) {
  const set = loadEvalFile(file);
  let c = 0, w = 0, d = 0, o = 0, oosA = 0;
  for (const item of set.inScope) {
    if (outOfScope(item.question) !== null) { d++; continue; }
    const result = index.search(item.question);
    const conf = confidenceOf(confidenceSignals(result));
    const cands: readonly Candidate[] = result.candidates;
    const r0 = right(item, cands[0]?.entry);
    const r1 = right(item, cands[1]?.entry);
    const sig = confidenceSignals(result);
    if (process.env.SWEEP_ROWS === '1' && sig !== null) rows.push({ set: file, inScope: true, ...sig, cov: cands[0]?.coverage, qcov: cands[0]?.questionCoverage, bm25: cands[0]?.bm25, concepts: result.conceptCount, right: r0, right1: r1, conf });
    const answered = conf >= TUNING.answerThreshold && cands[0] !== undefined;
    if (answered && r0) { c++; o++; } else if (answered) { w++; if (r1) o++; } else { d++; if (r0) o++; }
    if (verbose && !(answered && r0)) {
      const rightAt = cands.findIndex((cand) => right(item, cand.entry));
      const rc = cands[rightAt];
      if (rightAt > 0 && rc !== undefined && process.env.SWEEP_DETAIL === '1') {
        const f = (x: Candidate): string => `rank ${x.rank.toFixed(3)} cov ${x.coverage.toFixed(2)} qcov ${x.questionCoverage.toFixed(2)} focus ${x.focus.toFixed(2)} bm25 ${x.bm25Share.toFixed(2)}`;
        process.stdout.write(`    top:   ${cands[0]?.entry.question} [${cands[0] ? f(cands[0]) : ''}]\n    right: ${rc.entry.question} [${f(rc)}]\n`);
      }
      process.stdout.write(`  ${answered ? 'WRONG' : 'decl '} ${conf.toFixed(2)} rightAt=${rightAt} top=${cands[0]?.entry.id} ${cands[0]?.rank.toFixed(3)} 2nd=${cands[1]?.entry.id} ${cands[1]?.rank.toFixed(3)} | ${item.question}\n`);
    }
  }
  for (const item of set.outOfScope) {
    if (outOfScope(item.question) !== null) continue;
    const res = index.search(item.question);
    const sig = confidenceSignals(res);
    const conf = confidenceOf(sig);
    if (process.env.SWEEP_ROWS === '1' && sig !== null) rows.push({ set: file, inScope: false, ...sig, cov: res.candidates[0]?.coverage, qcov: res.candidates[0]?.questionCoverage, bm25: res.candidates[0]?.bm25, concepts: res.conceptCount, right: false, right1: false, conf });
    if (conf >= TUNING.answerThreshold) { oosA++; if (verbose) process.stdout.write(`  OOS ANSWERED ${conf} ${item.question}\n`); }
  }
  const n = set.inScope.length;
  const pct = (x: number): string => `${((100 * x) / n).toFixed(1)}%`;
  process.stdout.write(`${file.replace(/.*test\/eval\//, '').padEnd(22)} n=${n} correct ${pct(c)} wrong ${pct(w)} declined ${pct(d)} one-click ${pct(o)} oos answered ${oosA}/${set.outOfScope.length}\n`);
  Object.assign(total, { n: total.n + n, c: total.c + c, w: total.w + w, d: total.d + d, o: total.o + o, oosA: total.oosA + oosA });
}
void readFileSync;
if (process.env.SWEEP_ROWS === '1') process.stderr.write(JSON.stringify(rows));
