import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closePoll } from '../../src/decisions/close.js';
import { toPollCardData } from '../../src/decisions/poll-card.js';
import { basisOf, tally } from '../../src/decisions/rules.js';
import { basisText, toOutcomeCardData } from '../../src/register/outcome-view.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { alex, sample } from '../decisions/fixtures.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * test/store/fixtures/v2-store was written by the release before majority bases existed (layout
 * version 2): an open majority poll and a closed two-thirds poll, both with two of five trusts
 * supporting, one objecting and two silent. Those polls counted votes cast, so both were (or
 * would be) agreed. Reading them now must keep that meaning, though a majority of trusts would
 * not agree them.
 */
const V2_FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/v2-store');

async function openFixture() {
  const dataDir = tempDir('store');
  await cp(V2_FIXTURE, dataDir, { recursive: true });
  return openFileStore({ dataDir });
}

describe('a store from the release before majority bases', () => {
  it('opens without migrating, and its majority polls still count votes cast', async () => {
    const store = await openFixture();
    try {
      expect(store.recovery.migratedFrom).toBeUndefined();
      const open = await store.getPoll('majority-open');
      const closed = await store.getPoll('two-thirds-closed');
      if (!open || !closed) throw new Error('fixture polls missing');
      // Stored as written: no basis is added to the file, and it reads as votes cast.
      expect(open.rule).toEqual({ kind: 'majority' });
      expect(basisOf(open.rule)).toBe('cast');
      expect(basisOf(closed.rule)).toBe('cast');

      const votes = await store.votes('majority-open');
      const result = tally(open.rule, open.membersInScope, votes);
      expect(result.counts).toEqual({ support: 2, object: 1, abstain: 0, notVoted: 2 });
      expect(result.result).toBe('agreed');
      // A majority of trusts would say otherwise: the same votes under the guidance's wording.
      expect(tally({ kind: 'majority', basis: 'members' }, open.membersInScope, votes).result).toBe('not-agreed');

      const card = toPollCardData(open, votes, sample());
      expect(card.facts[0]?.text).toMatch(/^Majority of votes cast:/);
      expect(card.countsText).toContain('so far 2 of 3 votes cast support; a majority of votes cast needs 2');

      // Closing the open poll now records what it was opened to mean.
      const closing = closePoll({ poll: open, votes, collaborative: sample(), by: alex, now: new Date('2026-11-21T10:00:00Z'), newOutcomeId: () => 'outcome-open' });
      if (!closing.ok) throw new Error(closing.error.kind);
      expect(closing.value.outcome.result).toBe('agreed');
      expect(closing.value.outcome.explanation).toMatch(/^2 of 3 votes cast support: agreed by a majority of votes cast;/);

      // The outcome recorded then keeps its result and now states its basis too.
      const outcome = await store.getOutcomeByPoll('two-thirds-closed');
      if (!outcome) throw new Error('fixture outcome missing');
      expect(outcome.result).toBe('agreed');
      expect(basisText(outcome)).toBe('2 of 3 votes cast support: agreed by two thirds of votes cast');
      expect(toOutcomeCardData(outcome).facts[0]?.text).toMatch(/^Qualified majority of votes cast: agreed if at least two thirds/);
    } finally {
      await store.close();
    }
  });

  it('keeps a basis written now, next to polls written before', async () => {
    const store = await openFixture();
    try {
      const before = await store.getPoll('majority-open');
      if (!before) throw new Error('fixture poll missing');
      await store.createPoll({ ...before, id: 'majority-of-trusts', rule: { kind: 'majority', basis: 'members' } });
      expect((await store.getPoll('majority-of-trusts'))?.rule).toEqual({ kind: 'majority', basis: 'members' });
      expect((await store.getPoll('majority-open'))?.rule).toEqual({ kind: 'majority' });
    } finally {
      await store.close();
    }
  });
});
