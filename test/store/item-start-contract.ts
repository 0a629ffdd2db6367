import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ItemStart } from '../../src/decisions/item-start.js';
import { readStoreDirectory } from '../../src/store/file/read-store-directory.js';
import type { Store } from '../../src/store/store.js';
import { CHAIR } from './builders.js';

export const aStart = (agendaId: string, itemRef: string, minute: number, overrides: Partial<ItemStart> = {}): ItemStart => ({
  agendaId, itemRef, startedAt: `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`, by: CHAIR, ...overrides,
});

/** Store contract, issue 21: the chair's "Now" moves, insert-only, per agenda, in the order recorded. */
export function itemStartContract(store: () => Store): void {
  describe('"Now" marker moves', () => {
    it('keeps every move of an agenda in order, apart from other agendas', async () => {
      await store().recordItemStart(aStart('agenda-1', 'P173/21', 5, { attendance: { meetingId: 'm-1', takenAt: '2026-11-23T10:05:00.000Z', members: [{ organisationId: 'org-a', state: 'present' }] } }));
      await store().recordItemStart(aStart('agenda-2', 'X1', 6));
      await store().recordItemStart(aStart('agenda-1', 'P174/21', 7));
      await store().recordItemStart(aStart('agenda-1', 'P173/21', 7));
      expect((await store().itemStarts('agenda-1')).map((start) => start.itemRef)).toEqual(['P173/21', 'P174/21', 'P173/21']);
      expect((await store().itemStarts('agenda-1'))[0]?.attendance?.members).toEqual([{ organisationId: 'org-a', state: 'present' }]);
      expect(await store().itemStarts('agenda-2')).toEqual([aStart('agenda-2', 'X1', 6)]);
      expect(await store().itemStarts('nothing')).toEqual([]);
    });

    it('two moves at once both land (nothing is overwritten)', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, n) => store().recordItemStart(aStart('agenda-1', `I${n}`, n))));
      expect((await store().itemStarts('agenda-1')).map((start) => start.itemRef).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `I${n}`).sort());
    });

    it('refuses a move that does not fit the schema, and stores nothing', async () => {
      await expect(store().recordItemStart(aStart('agenda-1', '', 1))).rejects.toThrow();
      expect(await store().itemStarts('agenda-1')).toEqual([]);
    });

    it('a backup carries the moves, in the embedded layout', async () => {
      await store().recordItemStart(aStart('agenda-1', 'P173/21', 5));
      await store().recordItemStart(aStart('agenda-1', 'P174/21', 9));
      const directory = await mkdtemp(path.join(os.tmpdir(), 'concord-item-starts-'));
      try {
        await store().backup(path.join(directory, 'copy'));
        const { contents } = await readStoreDirectory(path.join(directory, 'copy'));
        expect(contents.itemStarts).toEqual([[aStart('agenda-1', 'P173/21', 5), aStart('agenda-1', 'P174/21', 9)]]);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  });
}
