import { describe, expect, it } from 'vitest';
import { serialisePollRecord } from '../../src/store/file/poll-file.js';
import { serialiseDocument } from '../../src/store/file/store-layout.js';
import { withEvents, withVotes, type PollRecord } from '../../src/store/poll-record.js';
import type { AuditEvent } from '../../src/store/store.js';
import { CHAIR, REPRESENTATIVE, aPoll, aVote, anOutcome } from './builders.js';

const cast = (organisationId: string, position: string): AuditEvent =>
  ({ action: 'vote.cast', by: REPRESENTATIVE, subject: 'poll-1', at: '2025-03-01T10:05:00.000Z', detail: { organisationId, position, note: 'by e-mail “10:02” – \\ *' } });

const start: PollRecord = { poll: aPoll(), votes: [], outcomes: [] };
const twoVotes = withEvents(withVotes(start, [aVote('poll-1', 'org-a'), aVote('poll-1', 'org-b', 'object')]).record, [cast('org-a', 'support'), cast('org-b', 'object')]);
const changed = withEvents(withVotes(twoVotes, [aVote('poll-1', 'org-b', 'abstain')]).record, [cast('org-b', 'abstain')]);
// A write that failed (not installed) and another built from the record before it instead.
const instead = withEvents(withVotes(twoVotes, [aVote('poll-1', 'org-c', 'object')]).record, [cast('org-c', 'object')]);
const closed: PollRecord = { ...changed, poll: { ...changed.poll, status: 'closed', closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, outcomes: [anOutcome('poll-1')] };

describe('a poll file written from cached parts', () => {
  // Each row is a record as the store builds it, one write after another, so the cache is warm
  // with the elements the later records share with the earlier ones.
  it.each([
    ['a poll just opened, no events key', start],
    ['with an empty event list', { ...start, events: [] }],
    ['an undefined key left out', { ...start, events: undefined }],
    ['two votes and their events', twoVotes],
    ['one vote changed: shares the other and the old events', changed],
    ['another write built from the same earlier record', instead],
    ['closed with an outcome', closed],
    ['written again once closed (nothing cached for it now)', { ...closed, outcomes: [...closed.outcomes] }],
    ['keys in another order', { outcomes: closed.outcomes, events: closed.events, votes: closed.votes, poll: closed.poll }],
  ] as [string, PollRecord][])('%s: the same bytes as serialising the whole record', (_name, record) => {
    expect(serialisePollRecord(record).toString('utf8')).toBe(serialiseDocument(record));
  });

  it('freezes a vote once it is cached, so changing it in place throws instead of leaving the file out of date', () => {
    const record = withVotes(start, [aVote('poll-1', 'org-c')]).record;
    serialisePollRecord(record);
    expect(() => { (record.votes[0] as { position: string }).position = 'object'; }).toThrow(TypeError);
    expect(() => { (record.votes[0]!.castBy as { name: string }).name = 'Someone else'; }).toThrow(TypeError);
  });
});
