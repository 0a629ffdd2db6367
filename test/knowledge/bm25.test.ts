import MiniSearch from 'minisearch';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/knowledge/bm25.js';
import { loadEvalSet } from '../../src/knowledge/eval/eval-set.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { termOf, terms, words } from '../../src/knowledge/text.js';
import { TUNING } from '../../src/knowledge/tuning.js';

/**
 * Concord scores BM25 itself (src/knowledge/bm25.ts) to avoid MiniSearch's per-search garbage,
 * and promises the same ranking MiniSearch gave: every eval question, against the shipped KB,
 * must get the same entries in the same order with the same scores.
 */
const FIELDS = ['question', 'phrasings', 'tags', 'answer'] as const;
const BOOSTS = TUNING.fieldBoost;
const entries = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries;
const documents = entries.map((entry) => ({ question: entry.question, phrasings: entry.phrasings.join(' \n '), tags: entry.tags.join(' \n '), answer: entry.answer }));

/** MiniSearch over the same fields, searched as Concord searched it before (exact terms, OR). */
function miniSearchTop(boostOf: (term: string) => number, limit: number) {
  const index = new MiniSearch<(typeof documents)[number] & { position: number }>({ idField: 'position', fields: [...FIELDS], tokenize: words, processTerm: termOf });
  index.addAll(documents.map((document, position) => ({ ...document, position })));
  return (search: readonly string[]) => index
    .search(search.join(' '), { tokenize: (text) => text.split(' '), processTerm: (term) => term, boost: BOOSTS, boostTerm: boostOf, combineWith: 'OR' })
    .slice(0, limit)
    .map((result) => ({ position: result.id as number, score: result.score }));
}

describe('BM25 ranks as MiniSearch does', () => {
  const ours = new Bm25Index(FIELDS.length, words, termOf);
  for (const document of documents) ours.add({ fields: FIELDS.map((field) => document[field]) });
  const boostOf = (term: string) => 1 + (term.length % 3) * 0.25;
  const theirs = miniSearchTop(boostOf, 10);
  const questions = loadEvalSet(fileURLToPath(new URL('../eval/', import.meta.url))).inScope.map((item) => item.question);

  it.each(questions.slice(0, 60).map((question) => [question]))('%s', (question) => {
    const queryTerms = [...new Set(terms(question))];
    expect(ours.search(queryTerms, FIELDS.map((field) => BOOSTS[field]), boostOf, 10)).toEqual(theirs(queryTerms));
  });

  it('breaks ties by the entry first matched, and finds nothing for a term no entry has', () => {
    const twins = new Bm25Index(1, words, termOf);
    for (const text of ['alpha beta', 'beta gamma', 'delta']) twins.add({ fields: [text] });
    expect(twins.search(['beta'], [1], () => 1, 10).map((hit) => hit.position)).toEqual([0, 1]);
    expect(twins.search(['zeta'], [1], () => 1, 10)).toEqual([]);
  });
});
