/**
 * Q&A latency benchmark. The lead's runner calls `benchQa()`; it returns milliseconds:
 *   qa.index_ms          building the answerer (index + vocabulary) on the shipped KB
 *   qa.p50_ms / p99_ms   per question on the shipped KB
 *   qa.10k.p50_ms / p99  per question on a synthetic 10,000-entry KB
 * Questions are the eval set's (in and out of scope), cycled to 2,000+ timed queries.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createAnswerer, type Answerer } from '../../src/knowledge/answer.js';
import { loadEvalSet } from '../../src/knowledge/eval/eval-set.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { percentile, round } from './stats.js';

const TIMED_QUERIES = 2_000;
const WARM_UP_QUERIES = 300;
const SYNTHETIC_SIZE = 10_000;

export async function benchQa(): Promise<Record<string, number>> {
  const entries = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries;
  const questions = benchQuestions();

  const indexStart = performance.now();
  const shipped = createAnswerer(entries);
  const indexMs = performance.now() - indexStart;

  const shippedTimes = timeQuestions(shipped, questions);
  const large = createAnswerer(synthesiseEntries(entries, SYNTHETIC_SIZE));
  const largeTimes = timeQuestions(large, questions);

  return {
    'qa.p50_ms': round(percentile(shippedTimes, 50), 3),
    'qa.p99_ms': round(percentile(shippedTimes, 99), 3),
    'qa.10k.p50_ms': round(percentile(largeTimes, 50), 3),
    'qa.10k.p99_ms': round(percentile(largeTimes, 99), 3),
    'qa.index_ms': round(indexMs),
  };
}

function benchQuestions(): string[] {
  const evalSet = loadEvalSet(fileURLToPath(new URL('../eval/', import.meta.url)));
  const questions = [...evalSet.inScope.map((item) => item.question), ...evalSet.outOfScope.map((item) => item.question)];
  // Without an eval set there is still something to time.
  return questions.length > 0 ? questions : ['what is a provider collaborative', 'can one trust block a decision'];
}

function timeQuestions(answerer: Answerer, questions: readonly string[]): number[] {
  for (let i = 0; i < WARM_UP_QUERIES; i++) answerer.answer(questions[i % questions.length] ?? '');
  const count = Math.max(TIMED_QUERIES, questions.length);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const question = questions[i % questions.length] ?? '';
    const start = performance.now();
    answerer.answer(question);
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * A KB of `size` entries made from the shipped ones: each copy swaps about a third of its
 * words for synthetic ones and adds a made-up place, so the vocabulary grows the way a much
 * larger real KB's would and the index is not just the same 200 documents repeated.
 */
export function synthesiseEntries(entries: readonly KnowledgeEntry[], size: number): KnowledgeEntry[] {
  const random = mulberry32(20_210_910);
  const syllables = ['ba', 'cor', 'dal', 'fen', 'gri', 'hol', 'kes', 'lum', 'mor', 'nev', 'pra', 'quin', 'ros', 'sel', 'tav', 'ulm', 'ver', 'wick', 'yar', 'zen'];
  const word = (): string => Array.from({ length: 2 + Math.floor(random() * 2) }, () => syllables[Math.floor(random() * syllables.length)]).join('');
  const vary = (text: string): string =>
    text.replace(/[A-Za-z]{4,}/g, (original) => (random() < 0.33 ? word() : original));

  return Array.from({ length: size }, (_, i): KnowledgeEntry => {
    const base = entries[i % entries.length];
    if (base === undefined) throw new Error('cannot synthesise from an empty KB');
    const place = `${word()} ${word()}`;
    return {
      ...base,
      id: `${base.id}-synthetic-${i}`,
      question: `${vary(base.question)} (${place})`,
      phrasings: base.phrasings.map(vary),
      answer: `${vary(base.answer)} In ${place}.`,
      tags: [...base.tags.map(vary), place],
      followUps: [],
    };
  });
}

/** Small, seeded, good enough for test data (public-domain algorithm by Tommy Ettinger). */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}


