import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import { SOURCE_DOCUMENTS } from '../../src/knowledge/documents.js';
import { UPDATES } from '../../src/knowledge/updates.js';

/**
 * The 2021 sources speak of the Health and Care Bill as pending and of ICBs arriving in April
 * 2022; both were overtaken (the Act passed in 2022, ICBs were set up in July 2022). Every
 * shipped answer that still speaks that way must carry the update that says so.
 */
const { entries } = loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR);

describe('answers overtaken by the 2022 Act', () => {
  it.each([
    ['the Bill as pending', /\b(Bill|if (passed|enacted)|legislation (passes|allowed)|proposed legislation|subject to (the )?legislation)\b/, 'act-2022', 'icbs-july-2022'],
    ['statutory ICBs still to come', /\b(statutory (ICBs|integrated care boards)|ICBs? (were|was) to be)\b/, 'icbs-july-2022', 'icbs-july-2022'],
    ['the April 2022 membership date', /\b(expected|due) to (be in|join|belong)[^.]*April 2022|April 2022[^.]*(belong|be part of|join)/, 'providers-by-july-2022', 'providers-by-july-2022'],
  ] as const)('every answer speaking of %s carries an update', (_label, pattern, update, alternative) => {
    const missing = entries
      .filter((entry) => pattern.test(entry.answer) && !entry.updates.includes(update) && !entry.updates.includes(alternative))
      .map((entry) => entry.id);
    expect(missing).toEqual([]);
  });

  it('cites a later source for every update', () => {
    for (const update of Object.values(UPDATES)) expect(SOURCE_DOCUMENTS[update.source.document].published).toMatch(/2022|2023/);
  });
});
