import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { DOCUMENT_IDS } from '../../src/knowledge/documents.js';
import { BLIND_DIRECTORY, evalFiles, HOLDOUT_2_FILE, HOLDOUT_FILE, loadEvalSet, type EvalSet } from '../../src/knowledge/eval/eval-set.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { terms, words } from '../../src/knowledge/text.js';

/**
 * The eval set (test/eval/qa.json), the held-out check sets (test/eval/holdout*.json) and the
 * blind sets (test/eval/blind/) are only worth their numbers if they are sound: every expected
 * entry exists, every source document is asked about, and no question was copied into the
 * knowledge base as a phrasing (which would score the copy, not the engine).
 */
const evalDir = fileURLToPath(new URL('../eval/', import.meta.url));
const { entries } = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR);
const ids = new Set(entries.map((entry) => entry.id));
const sets: Record<'qa' | 'holdout' | 'holdout-2', EvalSet> = {
  qa: loadEvalSet(evalDir),
  holdout: loadEvalSet(evalDir, HOLDOUT_FILE),
  'holdout-2': loadEvalSet(evalDir, HOLDOUT_2_FILE),
};
const questionsOf = (set: EvalSet): string[] => [...set.inScope.map((item) => item.question), ...set.outOfScope.map((item) => item.question)];

/** Case, punctuation, accents and spacing folded away: "CiC meaning?" → "cic meaning". */
const normalised = (text: string): string => words(text).join(' ');
/** The question's content terms as a set: the same words in another order, or with other filler. */
const contentKey = (text: string): string => [...new Set(terms(text))].sort().join(' ');

// The tune sets only: the report sets (blind-report/) were written by someone who never saw the KB,
// so the few canonical questions they share with it ("what does CMAST stand for?") are coincidence,
// not copying; nobody tunes on them.
const blindFiles = evalFiles(evalDir).filter((file) => file.startsWith(`${BLIND_DIRECTORY}/`));
const allSets: Record<string, EvalSet> = { ...sets, ...Object.fromEntries(blindFiles.map((file) => [file, loadEvalSet(evalDir, file)])) };

describe.each(['qa', 'holdout', 'holdout-2', ...blindFiles])('test/eval/%s', (name) => {
  const set = allSets[name] as EvalSet;

  it('gives every question a way to be graded: entry ids, or a document and facts', () => {
    expect(set.inScope.filter((item) => item.expectIds.length === 0 && (item.document === undefined || item.facts.length === 0)).map((item) => item.question)).toEqual([]);
  });

  it('expects only entries that exist', () => {
    const unknown = set.inScope.flatMap((item) => item.expectIds.filter((id) => !ids.has(id)).map((id) => `${item.question} → ${id}`));
    expect(unknown).toEqual([]);
  });

  it('asks about every source document, and says which one each question came from', () => {
    expect(set.inScope.filter((item) => item.document === undefined).map((item) => item.question)).toEqual([]);
    expect(new Set(set.inScope.map((item) => item.document))).toEqual(new Set(DOCUMENT_IDS));
  });

  it('has no question twice', () => {
    const seen = questionsOf(set).map(normalised);
    expect(seen.filter((question, i) => seen.indexOf(question) !== i)).toEqual([]);
  });

  it('has no question that is also a KB question or phrasing, after folding case and punctuation', () => {
    const kb = new Map(entries.flatMap((entry) => [entry.question, ...entry.phrasings].map((text) => [normalised(text), `${entry.id}: ${text}`] as const)));
    const copies = questionsOf(set).filter((question) => kb.has(normalised(question))).map((question) => `${question} = ${kb.get(normalised(question))}`);
    expect(copies).toEqual([]);
  });

  it('has no question of two or more content words that a KB phrasing repeats in other order or filler', () => {
    const kb = new Map(entries.flatMap((entry) => [entry.question, ...entry.phrasings].map((text) => [contentKey(text), `${entry.id}: ${text}`] as const)));
    const nearCopies = questionsOf(set)
      .filter((question) => new Set(terms(question)).size >= 2 && kb.has(contentKey(question)))
      .map((question) => `${question} ~ ${kb.get(contentKey(question))}`);
    expect(nearCopies).toEqual([]);
  });
});

describe('the blind sets', () => {
  it('are there, with questions in scope and out of scope of every kind', () => {
    expect(blindFiles.length).toBeGreaterThanOrEqual(2);
    for (const file of blindFiles) {
      const set = allSets[file] as EvalSet;
      expect(set.inScope.length, file).toBeGreaterThanOrEqual(60);
      expect(new Set(set.outOfScope.map((item) => item.kind)), file).toEqual(new Set(['clinical', 'hr-it', 'general', 'near-miss']));
    }
  });
});

describe('the eval files', () => {
  it('are large enough to mean something', () => {
    expect(sets.qa.inScope.length).toBeGreaterThanOrEqual(100);
    expect(sets.qa.outOfScope.length).toBeGreaterThanOrEqual(30);
    expect(sets.holdout.inScope.length).toBeGreaterThanOrEqual(40);
    expect(sets['holdout-2'].inScope.length).toBeGreaterThanOrEqual(40);
    expect(sets['holdout-2'].outOfScope.length).toBeGreaterThanOrEqual(15);
  });

  it('keep the held-out questions out of the eval set', () => {
    const qa = new Set(questionsOf(sets.qa).map(normalised));
    expect(questionsOf(sets.holdout).filter((question) => qa.has(normalised(question)))).toEqual([]);
    expect(questionsOf(sets['holdout-2']).filter((question) => qa.has(normalised(question)))).toEqual([]);
  });

  it('keep the two held-out sets apart', () => {
    const first = new Set(questionsOf(sets.holdout).map(normalised));
    expect(questionsOf(sets['holdout-2']).filter((question) => first.has(normalised(question)))).toEqual([]);
  });
});

describe('questions the KB must not answer', () => {
  const { answer } = createAnswerer(entries);
  const nearMisses = JSON.parse(readFileSync(new URL('./near-misses.json', import.meta.url), 'utf8')) as { fit: string[]; check: string[] };

  it.each([
    ['the held-out out-of-scope questions', sets.holdout.outOfScope.map((item) => item.question)],
    ['the second held-out set\'s out-of-scope questions', sets['holdout-2'].outOfScope.map((item) => item.question)],
    ['the near-misses used to fit the confidence model', nearMisses.fit],
    ['the near-misses held out from that fit', nearMisses.check],
  ])('declines %s', (_label, questions) => {
    expect(questions.length).toBeGreaterThan(0);
    expect(questions.filter((question) => answer(question).answered)).toEqual([]);
  });
});
