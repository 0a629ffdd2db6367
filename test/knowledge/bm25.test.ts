import MiniSearch from 'minisearch';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FieldedBm25 } from '../../src/knowledge/bm25.js';
import { resolveQuestion, termBoosts } from '../../src/knowledge/concepts.js';
import { HOLDOUT_FILE, loadEvalSet } from '../../src/knowledge/eval/eval-set.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { termOf, words } from '../../src/knowledge/text.js';
import { TUNING } from '../../src/knowledge/tuning.js';
import { Vocabulary } from '../../src/knowledge/vocabulary.js';
import { synthesiseEntries } from '../bench/qa.js';

/**
 * bm25.ts replaced minisearch's search for speed; the ranking must not have moved. Both are
 * run on the same questions and must return the same entries with bit-identical scores.
 */
const FIELDS = ['question', 'phrasings', 'tags', 'answer'] as const;
const fieldsOf = (entry: KnowledgeEntry): string[] => [entry.question, entry.phrasings.join(' \n '), entry.tags.join(' \n '), entry.answer];
const evalDir = fileURLToPath(new URL('../eval/', import.meta.url));
const questions = [loadEvalSet(evalDir), loadEvalSet(evalDir, HOLDOUT_FILE)].flatMap((set) => [
  ...set.inScope.map((item) => item.question),
  ...set.outOfScope.map((item) => item.question),
]);
const shipped = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries;

describe.each([
  ['the shipped KB', shipped],
  ['a synthetic 2,000-entry KB', synthesiseEntries(shipped, 2_000)],
])('FieldedBm25 on %s', (_label, entries) => {
  const vocabulary = new Vocabulary();
  for (const entry of entries) vocabulary.addEntry(words([entry.question, ...entry.phrasings, ...entry.tags, entry.answer].join(' ')));
  const miniSearch = new MiniSearch<Record<string, string | number>>({ idField: 'position', fields: [...FIELDS], tokenize: words, processTerm: termOf });
  miniSearch.addAll(entries.map((entry, position) => ({ position, ...Object.fromEntries(FIELDS.map((field, i) => [field, fieldsOf(entry)[i] ?? ''])) })));
  const bm25 = new FieldedBm25(entries.map(fieldsOf), FIELDS.length);
  const boosts = FIELDS.map((field) => TUNING.fieldBoost[field]);

  it('ranks and scores exactly as minisearch did', () => {
    let compared = 0;
    for (const question of questions) {
      const boost = termBoosts(resolveQuestion(question, vocabulary));
      const terms = [...boost.keys()];
      if (terms.length === 0) continue;
      const expected = miniSearch
        .search(terms.join(' '), { tokenize: (text) => text.split(' '), processTerm: (term) => term, boost: TUNING.fieldBoost, boostTerm: (term) => boost.get(term) ?? 1, combineWith: 'OR' })
        .slice(0, TUNING.candidates)
        .map((result) => ({ position: result.id as number, score: result.score }));
      expect(bm25.search(terms, (term) => boost.get(term) ?? 1, boosts, TUNING.candidates), question).toEqual(expected);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('finds nothing for terms that are not in the KB', () => {
    expect(bm25.search(['zzzz', 'qqqq'], () => 1, boosts, 10)).toEqual([]);
  });
});
