import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, StoreUnavailableError, type OutcomeQuery, type Store } from '../../src/store/store.js';
import { tempDir } from '../support/temp-dir.js';
import { collaborativeContract } from './collaborative-contract.js';
import { aStart, itemStartContract } from './item-start-contract.js';
import { aFeedback, anAgenda, anAuditEvent, anOutcome, aPoll, aQuestion, aVote, recordVote, CHAIR, REPRESENTATIVE } from './builders.js';

/** Where a durable store keeps its data (a directory, a database URL), and how to open it there. */
export interface DurableBackend {
  /** A new, empty place, removed when the test finishes. */
  newPlace(): Promise<string>;
  open(place: string): Promise<Store>;
}

function durabilityContract(name: string, backend: DurableBackend): void {
  describe(`Store contract: ${name}, durable`, () => {
    it('keeps everything across close and reopen', async () => {
      const place = await backend.newPlace();
      const first = await backend.open(place);
      await first.createPoll(aPoll());
      await recordVote(first, aVote('poll-1', 'org-a'));
      await first.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome('poll-1'));
      await first.putAgenda(anAgenda('agenda-1', 1));
      await first.recordItemStart(aStart('agenda-1', 'P173/21', 5));
      await first.saveConversation({ conversationId: 'c1', reference: { serviceUrl: 'https://smba' }, savedAt: '2025-03-01T09:00:00.000Z' });
      await first.appendAudit(anAuditEvent('poll-1'));
      await first.logQuestion(aQuestion('q1'));
      await first.recordFeedback(aFeedback('q1'));
      // What was pruned stays gone after a reopen (the file store replaces its log on disk).
      await first.logQuestion(aQuestion('q-old', { at: '2024-01-01T09:00:00.000Z' }));
      await first.pruneQuestions('2025-01-01T00:00:00.000Z');
      await first.close();

      const second = await backend.open(place);
      try {
        expect(await second.getPoll('poll-1')).toMatchObject({ status: 'closed' });
        expect(await second.votes('poll-1')).toEqual([aVote('poll-1', 'org-a')]);
        expect(await second.getOutcomeByPoll('poll-1')).toEqual(anOutcome('poll-1'));
        expect(await second.getAgenda('agenda-1')).toEqual(anAgenda('agenda-1', 1));
        // The chair's "Now" marker survives a restart (issue 21).
        expect(await second.itemStarts('agenda-1')).toEqual([aStart('agenda-1', 'P173/21', 5)]);
        expect((await second.getConversation('c1'))?.reference).toEqual({ serviceUrl: 'https://smba' });
        expect(await second.readAudit()).toEqual([anAuditEvent('poll-1')]);
        expect(await second.listQuestions()).toEqual([aQuestion('q1')]);
        expect(await second.listFeedback()).toEqual([aFeedback('q1')]);
      } finally {
        await second.close();
      }
    });
  });
}

/**
 * What every Store must do, whatever keeps its data. Run it for each implementation:
 *
 *   storeContract('lowdb', () => openFileStore({ dataDir: freshTempDir() }));
 *
 * `factory` returns a new, empty store; the contract closes it after each test. A backend whose
 * data outlives the process also passes `durable`, and must keep everything across a reopen.
 */
export function storeContract(name: string, factory: () => Promise<Store>, durable?: DurableBackend): void {
  if (durable) durabilityContract(name, durable);
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('polls', () => {
      it('returns a copy: changing what was passed in or handed out does not change the record', async () => {
        const poll = aPoll();
        await store.createPoll(poll);
        poll.title = 'changed by the caller';
        const read = await store.getPoll('poll-1');
        read!.membersInScope.push('org-z');
        expect(await store.getPoll('poll-1')).toEqual({ ...aPoll(), reference: 'D-2025-001' });
      });

      it.each([
        ['the identical poll again (a retry)', aPoll(), 'does nothing'],
        ['a different poll under the same id', aPoll({ title: 'Another proposal' }), 'is a conflict'],
      ])('creating %s %s', async (_case, again, want) => {
        await store.createPoll(aPoll());
        const attempt = store.createPoll(again);
        if (want === 'does nothing') await expect(attempt).resolves.toBeUndefined();
        else await expect(attempt).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getPoll('poll-1')).toEqual({ ...aPoll(), reference: 'D-2025-001' });
      });

      it('lists the polls of one agenda, or of one day, open or closed, oldest first', async () => {
        const board = { agendaId: 'agenda-board', itemRef: 'P1/25', meetingTitle: 'Board', meetingDate: '2025-03-01' };
        await store.createPoll(aPoll({ id: 'item-2', agenda: { ...board, itemRef: 'P2/25' }, openedAt: '2025-03-01T11:00:00.000Z' }));
        await store.createPoll(aPoll({ id: 'item-1', agenda: board, openedAt: '2025-03-01T10:00:00.000Z' }));
        await store.createPoll(aPoll({ id: 'same-day', openedAt: '2025-03-01T12:00:00.000Z' }));
        await store.createPoll(aPoll({ id: 'next-day', openedAt: '2025-03-02T10:00:00.000Z' }));
        await store.transitionPoll('item-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T10:30:00.000Z' }, anOutcome('item-1'));
        expect((await store.listPolls({ agendaId: 'agenda-board' })).map((poll) => poll.id)).toEqual(['item-1', 'item-2']);
        expect((await store.listPolls({ agendaId: 'agenda-board', status: 'closed' })).map((poll) => poll.id)).toEqual(['item-1']);
        expect((await store.listPolls({ openedOn: '2025-03-01' })).map((poll) => poll.id)).toEqual(['item-1', 'item-2', 'same-day']);
        expect(await store.listPolls({ agendaId: 'agenda-other' })).toEqual([]);
      });

      it('gives each poll without an agenda item a decision reference: per year, in order, never twice (issue 15)', async () => {
        await store.createPoll(aPoll({ id: 'a', openedAt: '2025-12-31T23:00:00.000Z' }));
        await store.createPoll(aPoll({ id: 'b', agenda: { agendaId: 'ag', itemRef: 'P173/21', meetingTitle: 'Board', meetingDate: '2026-01-02' } }));
        await Promise.all(['c', 'd', 'e'].map((id) => store.createPoll(aPoll({ id, openedAt: '2026-01-02T10:00:00.000Z' }))));
        await store.createPoll(aPoll({ id: 'a', openedAt: '2025-12-31T23:00:00.000Z' })); // a retry keeps its number
        const references = new Map((await store.listPolls()).map((poll) => [poll.id, poll.reference]));
        expect(references.get('a')).toBe('D-2025-001');
        expect(references.get('b')).toBeUndefined(); // P173/21 is its reference
        expect(['c', 'd', 'e'].map((id) => references.get(id)).sort()).toEqual(['D-2026-001', 'D-2026-002', 'D-2026-003']);
      });

      it('lists polls oldest first, optionally by status', async () => {
        await store.createPoll(aPoll({ id: 'late', openedAt: '2025-03-02T10:00:00.000Z' }));
        await store.createPoll(aPoll({ id: 'early', openedAt: '2025-03-01T10:00:00.000Z', status: 'closed' }));
        expect((await store.listPolls()).map((poll) => poll.id)).toEqual(['early', 'late']);
        expect((await store.listPolls({ status: 'open' })).map((poll) => poll.id)).toEqual(['late']);
      });

      it('keeps a majority rule as written: with its basis, or without one as stored before bases existed', async () => {
        const rules = [{ kind: 'majority' }, { kind: 'majority', basis: 'members' }, { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 }, basis: 'cast' }] as const;
        for (const [index, rule] of rules.entries()) {
          await store.createPoll(aPoll({ id: `rule-${index}`, rule }));
          await store.transitionPoll(`rule-${index}`, 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome(`rule-${index}`, { rule }));
        }
        for (const [index, rule] of rules.entries()) {
          expect((await store.getPoll(`rule-${index}`))?.rule).toStrictEqual(rule);
          expect((await store.getOutcomeByPoll(`rule-${index}`))?.rule).toStrictEqual(rule);
        }
      });

      it('updates the card activity id, and answers undefined for an unknown poll', async () => {
        await store.createPoll(aPoll());
        expect(await store.updatePoll('poll-1', { activityId: 'activity-9' })).toMatchObject({ activityId: 'activity-9' });
        expect((await store.getPoll('poll-1'))?.activityId).toBe('activity-9');
        expect(await store.updatePoll('missing', { activityId: 'x' })).toBeUndefined();
      });

      it('adds a declaration of interest, replaces it by id (the chair’s handling), and refuses one on a closed poll', async () => {
        await store.createPoll(aPoll());
        const declaration = { id: 'd-1', organisationId: 'org-a', declaredBy: REPRESENTATIVE, description: 'Director of a bidder', declaredAt: '2025-01-01T10:00:00.000Z' };
        expect((await store.recordDeclaration('poll-1', declaration))?.declarations).toEqual([declaration]);
        const handled = { ...declaration, handling: { kind: 'no-part' as const, by: CHAIR, at: '2025-01-01T10:05:00.000Z' } };
        await store.recordDeclaration('poll-1', handled);
        expect((await store.getPoll('poll-1'))?.declarations).toEqual([handled]);
        await store.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-01-01T11:00:00.000Z' });
        expect(await store.recordDeclaration('poll-1', { ...declaration, id: 'd-2' })).toBeUndefined();
        expect(await store.recordDeclaration('missing', declaration)).toBeUndefined();
        expect((await store.getPoll('poll-1'))?.declarations).toEqual([handled]);
      });
    });

    describe('votes: one record per (poll, organisation)', () => {
      beforeEach(async () => {
        await store.createPoll(aPoll());
      });

      it('a first vote replaces nothing', async () => {
        expect(await recordVote(store, aVote('poll-1', 'org-a'))).toEqual({});
        expect(await store.votes('poll-1')).toEqual([aVote('poll-1', 'org-a')]);
      });

      it('a re-vote replaces the organisation’s position and returns the one it replaced', async () => {
        await recordVote(store, aVote('poll-1', 'org-a', 'support'));
        const result = await recordVote(store, aVote('poll-1', 'org-a', 'object', { castAt: '2025-03-01T10:06:00.000Z' }));
        expect(result.previous).toEqual(aVote('poll-1', 'org-a', 'support'));
        expect(await store.votes('poll-1')).toEqual([aVote('poll-1', 'org-a', 'object', { castAt: '2025-03-01T10:06:00.000Z' })]);
      });

      it('hands out votes no caller can change: a change throws or leaves the record as it was', async () => {
        await recordVote(store, aVote('poll-1', 'org-a'));
        const read = await store.votes('poll-1');
        const tryTo = (change: () => void) => { try { change(); } catch { /* a frozen record refuses */ } };
        tryTo(() => { read[0]!.position = 'object'; });
        tryTo(() => { read[0]!.castBy.name = 'Someone else'; });
        read.push(aVote('poll-1', 'org-b'));
        expect(await store.votes('poll-1')).toEqual([aVote('poll-1', 'org-a')]);
      });

      it('a retried vote changes nothing', async () => {
        await recordVote(store, aVote('poll-1', 'org-a'));
        await recordVote(store, aVote('poll-1', 'org-a'));
        expect(await store.votes('poll-1')).toEqual([aVote('poll-1', 'org-a')]);
      });

      it('keeps each organisation’s vote, ordered by organisation, and separate per poll', async () => {
        await store.createPoll(aPoll({ id: 'poll-2' }));
        await recordVote(store, aVote('poll-1', 'org-c'));
        await recordVote(store, aVote('poll-1', 'org-a', 'abstain'));
        await recordVote(store, aVote('poll-2', 'org-a', 'object'));
        expect(await store.votes('poll-1')).toEqual([aVote('poll-1', 'org-a', 'abstain'), aVote('poll-1', 'org-c')]);
        expect(await store.votes('poll-2')).toEqual([aVote('poll-2', 'org-a', 'object')]);
        expect(await store.votes('no-such-poll')).toEqual([]);
      });

      it('refuses a vote for a poll that does not exist', async () => {
        await expect(recordVote(store, aVote('no-such-poll', 'org-a'))).rejects.toThrow(/no poll no-such-poll/);
      });

      it('records a batch of votes in one write, the last for an organisation standing', async () => {
        await recordVote(store, aVote('poll-1', 'org-b', 'object'));
        const result = await store.recordVotes('poll-1', [
          aVote('poll-1', 'org-a', 'support'),
          aVote('poll-1', 'org-b', 'support'),
          aVote('poll-1', 'org-a', 'abstain', { castAt: '2025-03-01T10:07:00.000Z' }),
        ]);
        expect(result).toEqual({ recorded: true, previous: [undefined, aVote('poll-1', 'org-b', 'object'), aVote('poll-1', 'org-a', 'support')] });
        expect(await store.votes('poll-1')).toEqual([
          aVote('poll-1', 'org-a', 'abstain', { castAt: '2025-03-01T10:07:00.000Z' }),
          aVote('poll-1', 'org-b', 'support'),
        ]);
      });

      it('records no vote on a poll that is no longer open', async () => {
        await store.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' });
        expect(await store.recordVotes('poll-1', [aVote('poll-1', 'org-a')])).toEqual({ recorded: false, status: 'closed' });
        expect(await store.votes('poll-1')).toEqual([]);
      });

      it('a vote and a close racing: the vote lands before the close or not at all', async () => {
        const [recorded] = await Promise.all([
          store.recordVotes('poll-1', [aVote('poll-1', 'org-a')]),
          store.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }),
        ]);
        expect((await store.votes('poll-1')).length).toBe(recorded.recorded ? 1 : 0);
      });

      it('refuses a batch that names another poll', async () => {
        await expect(store.recordVotes('poll-1', [aVote('poll-2', 'org-a')])).rejects.toThrow(/names poll poll-2/);
      });
    });

    describe('transitionPoll: a conditional write', () => {
      const closing = { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' };

      beforeEach(async () => {
        await store.createPoll(aPoll());
      });

      it('closes an open poll and stores its outcome with it', async () => {
        const closed = await store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1'));
        expect(closed).toMatchObject({ status: 'closed', ...closing });
        expect(await store.getPoll('poll-1')).toEqual(closed);
        expect(await store.getOutcome('outcome-poll-1')).toEqual(anOutcome('poll-1'));
        expect(await store.getOutcomeByPoll('poll-1')).toEqual(anOutcome('poll-1'));
      });

      it('does nothing when the poll is no longer in `from`, or does not exist', async () => {
        await store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1'));
        expect(await store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1', { id: 'second' }))).toBeUndefined();
        expect(await store.transitionPoll('missing', 'open', 'closed', closing)).toBeUndefined();
        expect(await store.listOutcomes()).toEqual([anOutcome('poll-1')]);
      });

      it('two concurrent closers: exactly one gets the poll, one outcome is stored', async () => {
        const results = await Promise.all([
          store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1', { id: 'by-first' })),
          store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1', { id: 'by-second' })),
        ]);
        expect(results.filter((poll) => poll !== undefined)).toHaveLength(1);
        expect(await store.listOutcomes()).toHaveLength(1);
      });

      it('a reopened poll closed again keeps both outcomes; the latest is the poll’s outcome', async () => {
        await store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1', { id: 'first' }));
        const reopening = { by: CHAIR, at: '2025-03-02T09:00:00.000Z', reason: 'New evidence in the public interest' };
        const reopened = await store.transitionPoll('poll-1', 'closed', 'open', { closedBy: undefined, closedAt: undefined, reopenings: [reopening] });
        expect(reopened).toMatchObject({ status: 'open', reopenings: [reopening] });
        expect(reopened?.closedAt).toBeUndefined();
        const second = anOutcome('poll-1', { id: 'second', closedAt: '2025-03-02T11:00:00.000Z' });
        await store.transitionPoll('poll-1', 'open', 'closed', { ...closing, closedAt: second.closedAt }, second);
        expect(await store.getOutcomeByPoll('poll-1')).toEqual(second);
        expect((await store.listOutcomes()).map((outcome) => outcome.id)).toEqual(['second', 'first']);
      });

      it('refuses an outcome for another poll, and an outcome id already in the register', async () => {
        await store.createPoll(aPoll({ id: 'poll-2' }));
        await expect(store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-2'))).rejects.toThrow(/is for poll poll-2/);
        await store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1', { id: 'taken' }));
        await expect(store.transitionPoll('poll-2', 'open', 'closed', closing, anOutcome('poll-2', { id: 'taken' }))).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await store.getPoll('poll-2'))?.status).toBe('open');
      });
    });

    describe('audit events written with the record they are about (issue 15)', () => {
      const closing = { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' };
      const voteEvents = (votes: readonly ReturnType<typeof aVote>[]) => (previous: readonly (ReturnType<typeof aVote> | undefined)[]) =>
        votes.map((vote, index) => anAuditEvent('poll-1', {
          action: previous[index] ? 'vote.changed' : 'vote.cast', at: vote.castAt, detail: { organisationId: vote.organisationId, position: vote.position },
        }));

      it.each([
        ['opening', async (s: Store) => s.createPoll(aPoll(), [anAuditEvent('poll-1', { action: 'poll.opened', at: '2025-03-01T10:00:00.000Z' })]), ['poll.opened']],
        ['votes, given what each replaced', async (s: Store) => {
          await s.createPoll(aPoll());
          await s.recordVotes('poll-1', [aVote('poll-1', 'org-a', 'support')], voteEvents([aVote('poll-1', 'org-a', 'support')]));
          const again = aVote('poll-1', 'org-a', 'object', { castAt: '2025-03-01T10:06:00.000Z' });
          await s.recordVotes('poll-1', [again], voteEvents([again]));
        }, ['vote.cast', 'vote.changed']],
        ['a close with its outcome, and a reopening', async (s: Store) => {
          await s.createPoll(aPoll());
          await s.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1'), [anAuditEvent('poll-1', { action: 'poll.closed', at: closing.closedAt })]);
          await s.transitionPoll('poll-1', 'closed', 'open', { closedBy: undefined, closedAt: undefined }, undefined, [anAuditEvent('poll-1', { action: 'poll.reopened', at: '2025-03-02T09:00:00.000Z' })]);
        }, ['poll.closed', 'poll.reopened']],
      ])('%s: the events are on the audit trail, in order', async (_case, write, want) => {
        await write(store);
        expect((await store.readAudit({ subject: 'poll-1' })).map((event) => event.action)).toEqual(want);
        expect((await store.readAudit()).map((event) => event.action)).toEqual(want);
      });

      it('a refused write writes no event: a vote on a closed poll, a transition that lost the race', async () => {
        await store.createPoll(aPoll());
        await store.transitionPoll('poll-1', 'open', 'closed', closing, anOutcome('poll-1'));
        const late = aVote('poll-1', 'org-a');
        expect(await store.recordVotes('poll-1', [late], voteEvents([late]))).toEqual({ recorded: false, status: 'closed' });
        expect(await store.transitionPoll('poll-1', 'open', 'closed', closing, undefined, [anAuditEvent('poll-1', { action: 'poll.closed' })])).toBeUndefined();
        expect(await store.readAudit()).toEqual([]);
      });

      it('merges events kept with polls and appended ones by time', async () => {
        await store.appendAudit(anAuditEvent('agenda-1', { action: 'agenda.created', at: '2025-03-01T09:00:00.000Z' }));
        await store.createPoll(aPoll(), [anAuditEvent('poll-1', { action: 'poll.opened', at: '2025-03-01T10:00:00.000Z' })]);
        await store.appendAudit(anAuditEvent('agenda-1', { action: 'agenda.edited', at: '2025-03-01T11:00:00.000Z' }));
        expect((await store.readAudit()).map((event) => event.action)).toEqual(['agenda.created', 'poll.opened', 'agenda.edited']);
      });
    });

    describe('agendas: by conversation', () => {
      it('lists the agendas posted in one conversation, first posted first, and none from elsewhere', async () => {
        await store.putAgenda(anAgenda('agenda-b', 1, { conversationId: 'meeting-chat' }));
        await store.putAgenda(anAgenda('agenda-a', 2, { conversationId: 'meeting-chat', history: [anAgenda('agenda-a', 1).current] }));
        await store.putAgenda(anAgenda('agenda-c', 1, { conversationId: 'other-chat' }));
        expect((await store.listAgendas({ conversationId: 'meeting-chat' })).map((agenda) => agenda.id)).toEqual(['agenda-a', 'agenda-b']);
        expect(await store.listAgendas({ conversationId: 'nowhere' })).toEqual([]);
        expect((await store.listAgendas()).map((agenda) => agenda.id)).toEqual(['agenda-a', 'agenda-b', 'agenda-c']);
      });
    });

    describe('agendas: declarations of interest on items', () => {
      const declaration = { id: 'd-1', itemRef: 'P1/25', organisationId: 'org-a', declaredBy: REPRESENTATIVE, description: 'Director of a bidder', declaredAt: '2025-01-01T10:00:00.000Z' };

      it('adds one, replaces it by id (the chair’s handling), leaves the version alone, and answers undefined for an unknown agenda', async () => {
        await store.putAgenda(anAgenda('agenda-1', 1));
        expect((await store.recordAgendaDeclaration('agenda-1', declaration))?.declarations).toEqual([declaration]);
        const handled = { ...declaration, handling: { kind: 'leaves' as const, by: CHAIR, at: '2025-01-01T10:05:00.000Z' } };
        await store.recordAgendaDeclaration('agenda-1', handled);
        const stored = await store.getAgenda('agenda-1');
        expect(stored?.declarations).toEqual([handled]);
        expect(stored?.current.version).toBe(1);
        expect(await store.recordAgendaDeclaration('missing', declaration)).toBeUndefined();
      });

      it('an edit saved from a copy read before a declaration keeps the declaration', async () => {
        await store.putAgenda(anAgenda('agenda-1', 1));
        await store.recordAgendaDeclaration('agenda-1', declaration);
        await store.putAgenda(anAgenda('agenda-1', 2, { history: [anAgenda('agenda-1', 1).current] }), 1);
        await store.putAgenda(anAgenda('agenda-1', 3, { history: [anAgenda('agenda-1', 1).current] }));
        const stored = await store.getAgenda('agenda-1');
        expect(stored?.current.version).toBe(3);
        expect(stored?.declarations).toEqual([declaration]);
      });
    });

    describe('agendas: optimistic concurrency', () => {
      it('saves a new version when the caller read the current one', async () => {
        await store.putAgenda(anAgenda('agenda-1', 1));
        await store.putAgenda(anAgenda('agenda-1', 2, { history: [anAgenda('agenda-1', 1).current] }), 1);
        expect((await store.getAgenda('agenda-1'))?.current.version).toBe(2);
      });

      it('refuses a save based on a version someone else has replaced, and keeps theirs', async () => {
        await store.putAgenda(anAgenda('agenda-1', 1));
        await store.putAgenda(anAgenda('agenda-1', 2), 1);
        await expect(store.putAgenda(anAgenda('agenda-1', 2, { activityId: 'stale' }), 1)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getAgenda('agenda-1')).toEqual(anAgenda('agenda-1', 2));
      });

      it('two editors saving from the same version at once: one wins, one gets a ConflictError', async () => {
        await store.putAgenda(anAgenda('agenda-1', 1));
        const results = await Promise.allSettled([
          store.putAgenda(anAgenda('agenda-1', 2, { activityId: 'first' }), 1),
          store.putAgenda(anAgenda('agenda-1', 2, { activityId: 'second' }), 1),
        ]);
        expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
        const rejected = results.find((result) => result.status === 'rejected');
        expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(ConflictError);
      });

      it('an expected version for an agenda never saved is a conflict', async () => {
        await expect(store.putAgenda(anAgenda('agenda-1', 2), 1)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getAgenda('agenda-1')).toBeUndefined();
      });
    });

    describe('outcomes: the register', () => {
      // april-late's poll names no collaborative: it was opened before there were several (issue 19).
      const register = [
        { id: 'march', closedAt: '2025-03-10T15:00:00.000Z', title: 'Elective recovery hub', reference: 'P173/21', collaborativeId: 'acute' },
        { id: 'april', closedAt: '2025-04-02T09:00:00.000Z', title: 'Pathology network', reference: 'P20/25', delivery: { state: 'posted' as const, attempts: 1 }, collaborativeId: 'mental-health' },
        { id: 'april-late', closedAt: '2025-04-30T23:59:00.000Z', title: 'Pathology network: options', reference: 'P31/25', gateway: { programme: 'Pathology', stage: 'options' as const } },
        { id: 'may', closedAt: '2025-05-01T00:00:00.000Z', title: 'Community diagnostics', reference: 'P44/25', collaborativeId: 'acute' },
      ];

      beforeEach(async () => {
        for (const { collaborativeId, ...entry } of register) {
          await store.createPoll(aPoll({ id: `poll-${entry.id}`, ...(collaborativeId ? { collaborativeId } : {}) }));
          const outcome = anOutcome(`poll-${entry.id}`, { ...entry, proposal: `Approve: ${entry.title}` });
          await store.transitionPoll(`poll-${entry.id}`, 'open', 'closed', { closedBy: CHAIR, closedAt: entry.closedAt }, outcome);
        }
      });

      it.each([
        [{}, ['may', 'april-late', 'april', 'march']],
        [{ from: '2025-04-02', to: '2025-04-30' }, ['april-late', 'april']],
        [{ from: '2025-04-03' }, ['may', 'april-late']],
        [{ to: '2025-04-02' }, ['april', 'march']],
        [{ text: 'PATHOLOGY options' }, ['april-late']],
        [{ text: 'p173/21' }, ['march']],
        [{ text: 'leadership board' }, ['may', 'april-late', 'april', 'march']],
        [{ text: 'pathology', limit: 1 }, ['april-late']],
        [{ limit: 0 }, []],
        [{ text: 'nothing like this' }, []],
        [{ delivery: 'pending' as const }, ['may', 'april-late', 'march']],
        [{ delivery: 'posted' as const, text: 'pathology' }, ['april']],
        [{ gateway: true as const }, ['april-late']],
        [{ collaboratives: { ids: ['acute'] } }, ['may', 'march']],
        [{ collaboratives: { ids: ['acute'], defaultId: 'acute' } }, ['may', 'april-late', 'march']],
        [{ collaboratives: { ids: ['acute'], defaultId: 'acute' }, limit: 2 }, ['may', 'april-late']],
        [{ collaboratives: { ids: ['mental-health', 'acute'] }, text: 'pathology' }, ['april']],
        [{ collaboratives: { ids: ['mental-health'], defaultId: 'acute' }, gateway: true as const }, []],
        [{ collaboratives: { ids: [] } }, []],
      ])('%o → %o (newest first), and counts them', async (query, want) => {
        expect((await store.listOutcomes(query)).map((outcome) => outcome.id)).toEqual(want);
        const { limit, ...unlimited } = query as OutcomeQuery;
        expect(await store.countOutcomes(unlimited)).toBe(limit === undefined ? want.length : (await store.listOutcomes(unlimited)).length);
      });

      it('updates an outcome in place, and answers undefined for an unknown one', async () => {
        const action = { who: 'COO', what: 'Publish the case', when: 'April', addedBy: CHAIR, addedAt: '2025-03-11T09:00:00.000Z' };
        const updated = await store.updateOutcome('march', (outcome) => ({ ...outcome, actions: [...outcome.actions, action] }));
        expect(updated?.actions).toEqual([action]);
        expect((await store.getOutcome('march'))?.actions).toEqual([action]);
        expect(await store.updateOutcome('missing', (outcome) => outcome)).toBeUndefined();
      });

      it('refuses an update that changes the outcome’s id', async () => {
        await expect(store.updateOutcome('march', (outcome) => ({ ...outcome, id: 'other' }))).rejects.toThrow(/may not change/);
        expect(await store.getOutcome('march')).toBeDefined();
      });
    });

    describe('append-only logs', () => {
      it('reads the audit back in the order appended, filtered by subject', async () => {
        await store.appendAudit(anAuditEvent('poll-1', { action: 'poll.opened' }));
        await store.appendAudit(anAuditEvent('poll-2', { action: 'poll.opened' }));
        await store.appendAudit(anAuditEvent('poll-1', { action: 'vote.cast', detail: { organisationId: 'org-a' } }));
        expect((await store.readAudit()).map((event) => `${event.subject} ${event.action}`)).toEqual([
          'poll-1 poll.opened',
          'poll-2 poll.opened',
          'poll-1 vote.cast',
        ]);
        expect(await store.readAudit({ subject: 'poll-1' })).toEqual([
          anAuditEvent('poll-1', { action: 'poll.opened' }),
          anAuditEvent('poll-1', { action: 'vote.cast', detail: { organisationId: 'org-a' } }),
        ]);
      });

      it('appends several audit events in one call, in order', async () => {
        await store.appendAudit(anAuditEvent('poll-1', { action: 'vote.cast' }), anAuditEvent('poll-1', { action: 'vote.changed' }));
        expect((await store.readAudit({ subject: 'poll-1' })).map((event) => event.action)).toEqual(['vote.cast', 'vote.changed']);
      });

      it('audit events handed out are copies', async () => {
        await store.appendAudit(anAuditEvent('poll-1', { detail: { note: 'original' } }));
        const [event] = await store.readAudit();
        event!.detail['note'] = 'changed';
        expect((await store.readAudit())[0]?.detail).toEqual({ note: 'original' });
      });

      it('keeps question logs and feedback in order', async () => {
        await store.logQuestion(aQuestion('q1'));
        await store.logQuestion(aQuestion('q2', { answered: false, confidence: 0.1 }));
        await store.recordFeedback(aFeedback('q1', { helpful: false }));
        expect((await store.listQuestions()).map((question) => question.id)).toEqual(['q1', 'q2']);
        expect(await store.listFeedback()).toEqual([aFeedback('q1', { helpful: false })]);
      });

      it('prunes questions before a time, with their feedback and feedback that old, and keeps appending after', async () => {
        await store.logQuestion(aQuestion('old', { at: '2025-01-01T09:00:00.000Z' }));
        await store.logQuestion(aQuestion('new', { at: '2025-04-01T09:00:00.000Z' }));
        await store.recordFeedback(aFeedback('old', { at: '2025-04-02T09:00:00.000Z' }));
        await store.recordFeedback(aFeedback('new', { at: '2025-01-02T09:00:00.000Z' }));
        await store.recordFeedback(aFeedback('new', { at: '2025-04-02T09:00:00.000Z' }));
        expect(await store.pruneQuestions('2025-03-01T00:00:00.000Z')).toEqual({ questions: 1, feedback: 2 });
        expect((await store.listQuestions()).map((question) => question.id)).toEqual(['new']);
        expect(await store.getQuestion('old')).toBeUndefined();
        expect(await store.listFeedback()).toEqual([aFeedback('new', { at: '2025-04-02T09:00:00.000Z' })]);
        expect(await store.pruneQuestions('2025-03-01T00:00:00.000Z')).toEqual({ questions: 0, feedback: 0 });
        await store.logQuestion(aQuestion('later', { at: '2025-05-01T09:00:00.000Z', withheld: 'clinical', question: '' }));
        expect((await store.listQuestions()).map((question) => question.id)).toEqual(['new', 'later']);
        expect(await store.getQuestion('later')).toMatchObject({ withheld: 'clinical', question: '' });
      });

      it('finds one logged question by id', async () => {
        await store.logQuestion(aQuestion('q1'));
        await store.logQuestion(aQuestion('q10', { answered: false, confidence: 0.1 }));
        expect(await store.getQuestion('q10')).toEqual(aQuestion('q10', { answered: false, confidence: 0.1 }));
        expect(await store.getQuestion('q1')).toEqual(aQuestion('q1'));
        expect(await store.getQuestion('missing')).toBeUndefined();
      });
    });

    describe('conversations', () => {
      it('saves, replaces and reads a conversation reference', async () => {
        await store.saveConversation({ conversationId: 'c1', reference: { serviceUrl: 'https://one' }, savedAt: '2025-03-01T09:00:00.000Z' });
        await store.saveConversation({ conversationId: 'c1', reference: { serviceUrl: 'https://two' }, savedAt: '2025-03-02T09:00:00.000Z' });
        expect((await store.getConversation('c1'))?.reference).toEqual({ serviceUrl: 'https://two' });
        expect(await store.getConversation('c2')).toBeUndefined();
      });
    });

    collaborativeContract(() => store);
    itemStartContract(() => store);

    describe('concurrency', () => {
      it('500 concurrent writes in one process: every one present, none doubled', async () => {
        await store.createPoll(aPoll({ membersInScope: ['org-a'] }));
        await store.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome('poll-1'));
        await store.createPoll(aPoll({ id: 'poll-2' }));
        const organisations = Array.from({ length: 150 }, (_, index) => `org-${String(index).padStart(3, '0')}`);
        const writes = [
          // 150 votes, each sent twice as a retried invoke would be: 300 calls.
          ...organisations.flatMap((organisation) => [aVote('poll-2', organisation), aVote('poll-2', organisation)]).map((vote) => recordVote(store, vote)),
          // 100 read-modify-writes of one outcome: a lost update would drop an action.
          ...Array.from({ length: 100 }, (_, index) =>
            store.updateOutcome('outcome-poll-1', (outcome) => ({
              ...outcome,
              actions: [...outcome.actions, { who: `lead ${index}`, what: 'Report back', when: 'May', addedBy: CHAIR, addedAt: '2025-03-02T09:00:00.000Z' }],
            })),
          ),
          // 100 audit events.
          ...Array.from({ length: 100 }, (_, index) => store.appendAudit(anAuditEvent(`event-${index}`))),
        ];
        expect(writes).toHaveLength(500);
        await Promise.all(writes);

        expect((await store.votes('poll-2')).map((vote) => vote.organisationId)).toEqual(organisations);
        const whos = (await store.getOutcome('outcome-poll-1'))!.actions.map((action) => action.who);
        expect(new Set(whos).size).toBe(100);
        expect(whos).toHaveLength(100);
        const subjects = (await store.readAudit()).map((event) => event.subject);
        expect(new Set(subjects).size).toBe(100);
        expect(subjects).toHaveLength(100);
      });
    });

    describe('leases: work done once across instances', () => {
      const start = new Date('2025-03-01T10:00:00.000Z');
      const at = (ms: number) => new Date(start.getTime() + ms);

      it('a free lease is granted; while it runs nobody else gets it', async () => {
        expect(await store.acquireLease('deadline-closer', 'instance-a', 1000, at(0))).toBe(true);
        expect(await store.acquireLease('deadline-closer', 'instance-b', 1000, at(999))).toBe(false);
      });

      it('an expired lease passes to the next to ask', async () => {
        await store.acquireLease('deadline-closer', 'instance-a', 1000, at(0));
        expect(await store.acquireLease('deadline-closer', 'instance-b', 1000, at(1000))).toBe(true);
        expect(await store.acquireLease('deadline-closer', 'instance-a', 1000, at(1500))).toBe(false);
      });

      it('its holder renews it, moving the expiry on', async () => {
        await store.acquireLease('deadline-closer', 'instance-a', 1000, at(0));
        expect(await store.acquireLease('deadline-closer', 'instance-a', 1000, at(900))).toBe(true);
        expect(await store.acquireLease('deadline-closer', 'instance-b', 1000, at(1500))).toBe(false);
        expect(await store.acquireLease('deadline-closer', 'instance-b', 1000, at(1900))).toBe(true);
      });

      it('a released lease is free at once; a release by someone else changes nothing', async () => {
        await store.acquireLease('outcome:o-1', 'instance-a', 60_000, at(0));
        await store.releaseLease('outcome:o-1', 'instance-b');
        expect(await store.acquireLease('outcome:o-1', 'instance-b', 60_000, at(1))).toBe(false);
        await store.releaseLease('outcome:o-1', 'instance-a');
        expect(await store.acquireLease('outcome:o-1', 'instance-b', 60_000, at(2))).toBe(true);
      });

      it('leases with different names are independent', async () => {
        expect(await store.acquireLease('card:c-1:a-1', 'instance-a', 1000, at(0))).toBe(true);
        expect(await store.acquireLease('card:c-1:a-2', 'instance-b', 1000, at(0))).toBe(true);
      });

      it('ten instances asking at once: exactly one gets it', async () => {
        const granted = await Promise.all(Array.from({ length: 10 }, (_, index) => store.acquireLease('deadline-closer', `instance-${index}`, 5000, at(0))));
        expect(granted.filter(Boolean)).toHaveLength(1);
      });

      it('refuses a lease that could never be right', async () => {
        await expect(store.acquireLease('deadline-closer', 'instance-a', 0, at(0))).rejects.toThrow(/ttlMs/);
        await expect(store.acquireLease('', 'instance-a', 1000, at(0))).rejects.toThrow(/name and a holder/);
      });
    });

    describe('lifecycle', () => {
      it('close waits for queued writes, then refuses new ones', async () => {
        await store.createPoll(aPoll());
        // Each write records when it was acknowledged: all must be before the close finishes.
        // (A store need not answer reads once closed: a database store has released its connections.)
        const acknowledged: string[] = [];
        const pending = Array.from({ length: 20 }, (_, index) =>
          recordVote(store, aVote('poll-1', `org-${index}`)).then(() => acknowledged.push(`org-${index}`)));
        expect(store.state()).toBe('ready');
        const closing = store.close();
        expect(store.state()).toBe('closing');
        await expect(recordVote(store, aVote('poll-1', 'late'))).rejects.toBeInstanceOf(StoreUnavailableError);
        await closing;
        expect(acknowledged).toHaveLength(20);
        await Promise.all(pending);
        expect(store.state()).toBe('closed');
        await expect(store.acquireLease('deadline-closer', 'instance-a', 1000, new Date())).rejects.toBeInstanceOf(StoreUnavailableError);
      });

      it('backs up to a directory and returns the files written', async () => {
        await store.createPoll(aPoll());
        await recordVote(store, aVote('poll-1', 'org-a'));
        await store.appendAudit(anAuditEvent('poll-1'));
        const files = await store.backup(path.join(tempDir('contract-backup'), 'copy'));
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) expect(existsSync(file)).toBe(true);
      });
    });
  });
}
