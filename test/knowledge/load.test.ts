import { readFileSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENT_IDS } from '../../src/knowledge/documents.js';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { tempDir } from '../support/temp-dir.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const entry = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  question: `What is ${id}?`,
  phrasings: [],
  answer: 'A short answer that is long enough to pass the schema.',
  tags: ['test'],
  sources: [{ document: 'trft-board-2021', section: 'Some heading' }],
  followUps: [],
  ...extra,
});

describe('loadKnowledgeBase', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('kb');
  });

  const write = (file: string, content: unknown): void =>
    writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));

  const loadError = (): KnowledgeBaseError => {
    try {
      loadKnowledgeBase(dir);
    } catch (error) {
      if (error instanceof KnowledgeBaseError) return error;
      throw error;
    }
    throw new Error('expected the load to fail');
  };

  it('loads valid files and remembers where each entry came from', () => {
    write('a.json', { entries: [entry('alpha', { followUps: ['beta'] })] });
    write('b.json', { entries: [entry('beta')] });
    write('notes.txt', 'ignored: not json');
    const kb = loadKnowledgeBase(dir);
    expect(kb.entries.map((e) => e.id)).toEqual(['alpha', 'beta']);
    expect(kb.fileOf.get('beta')).toBe('b.json');
  });

  it.each([
    ['an answer that is too short', { answer: 'too short' }, /answer/],
    ['an unknown source document', { sources: [{ document: 'not-a-document', section: 'x' }] }, /sources\.0\.document/],
    ['no tags', { tags: [] }, /tags/],
    ['an unexpected key', { colour: 'blue' }, /colour|unrecognized/i],
  ])('rejects an entry with %s, naming the file, the entry and the issue', (_label, change, issue) => {
    write('good.json', { entries: [entry('fine')] });
    write('bad.json', { entries: [entry('first'), entry('broken-entry', change)] });
    const error = loadError();
    expect(error.message).toContain('bad.json');
    expect(error.message).toContain('"broken-entry"');
    expect(error.message).toMatch(issue);
  });

  it('names an entry without a usable id by its position', () => {
    write('bad.json', { entries: [entry('first'), { question: 'no id here?' }] });
    expect(loadError().message).toMatch(/bad\.json: entry #1: .*id/);
  });

  it('rejects duplicate ids across files, naming both files', () => {
    write('a.json', { entries: [entry('same-id')] });
    write('b.json', { entries: [entry('same-id')] });
    const message = loadError().message;
    expect(message).toContain('b.json');
    expect(message).toContain('a.json');
    expect(message).toContain('duplicate id');
  });

  it('rejects a followUp that points at no entry', () => {
    write('a.json', { entries: [entry('alpha', { followUps: ['nowhere'] })] });
    expect(loadError().message).toMatch(/a\.json: entry "alpha": followUp "nowhere"/);
  });

  it('rejects a file that is not JSON, or not shaped { entries: [...] }', () => {
    write('a.json', '{ not json');
    expect(loadError().message).toMatch(/a\.json: not valid JSON/);
    write('a.json', { items: [] });
    expect(loadError().message).toMatch(/a\.json/);
  });
});

describe('the shipped knowledge base', () => {
  const kb = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR);

  it('has at least 150 entries', () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(150);
  });

  it.each(DOCUMENT_IDS)('cites %s in at least 15 entries', (document) => {
    const citing = kb.entries.filter((e) => e.sources.some((source) => source.document === document));
    expect(citing.length).toBeGreaterThanOrEqual(15);
  });

  // Every citation must be checkable: the section string is found in the source text.
  const sourcesDir = path.resolve(repoRoot, '../shared/sources');
  it.skipIf(!existsSync(sourcesDir))('cites sections that occur in the source documents', () => {
    const readme = readFileSync(path.join(sourcesDir, 'README.md'), 'utf8');
    const fileOf = new Map([...readme.matchAll(/^\|\s*([a-z0-9-]+)\s*\|\s*(\S+\.txt)\s*\|/gm)].map((m) => [m[1], m[2]]));
    const collapse = (text: string): string => text.replace(/\s+/g, ' ');
    const texts = new Map<string, string>();
    const textOf = (document: string): string => {
      const file = fileOf.get(document);
      if (file === undefined) throw new Error(`sources/README.md lists no file for ${document}`);
      if (!texts.has(document)) texts.set(document, collapse(readFileSync(path.join(sourcesDir, file), 'utf8')));
      return texts.get(document) ?? '';
    };
    const missing = kb.entries.flatMap((e) =>
      e.sources.filter((s) => !textOf(s.document).includes(collapse(s.section))).map((s) => `${e.id}: ${s.document} "${s.section}"`),
    );
    expect(missing).toEqual([]);
  });
});
