import { describe, expect, it } from 'vitest';
import { auditGaps, type PollOnRecord } from '../../src/store/audit-check.js';
import type { AuditEvent } from '../../src/store/store.js';
import { anAuditEvent, anOutcome, aPoll, aVote, CHAIR } from './builders.js';

const opened = anAuditEvent('poll-1', { action: 'poll.opened' });
const cast = (organisationId: string, position: string, action: AuditEvent['action'] = 'vote.cast') => anAuditEvent('poll-1', { action, detail: { organisationId, position } });
const closed = anAuditEvent('poll-1', { action: 'poll.closed' });
const logged = anAuditEvent('outcome-poll-1', { action: 'outcome.logged' });
const reopened = anAuditEvent('poll-1', { action: 'poll.reopened' });

const open = (votes = [aVote('poll-1', 'org-a', 'support')]): PollOnRecord => ({ poll: aPoll(), votes, outcomes: [] });
const closedPoll = (): PollOnRecord => ({ poll: aPoll({ status: 'closed' }), votes: [], outcomes: [anOutcome('poll-1')] });
const reopenedPoll = (): PollOnRecord => ({ poll: aPoll({ reopenings: [{ by: CHAIR, at: '2025-03-02T09:00:00.000Z', reason: 'Public interest' }] }), votes: [], outcomes: [anOutcome('poll-1')] });

describe('audit:verify: every fact on the record has its event', () => {
  it.each<[string, PollOnRecord, AuditEvent[], RegExp[]]>([
    ['a complete trail', open(), [opened, cast('org-a', 'support')], []],
    ['a changed vote whose last event agrees', open([aVote('poll-1', 'org-a', 'object')]), [opened, cast('org-a', 'support'), cast('org-a', 'object', 'vote.changed')], []],
    ['a vote with no event (the crash of issue 15)', open(), [opened], [/org-a's vote \(support\) has no vote event/]],
    ['a vote whose last event disagrees', open([aVote('poll-1', 'org-a', 'object')]), [opened, cast('org-a', 'support')], [/org-a's vote is object but its last vote event says support/]],
    ['no poll.opened', open([]), [], [/no poll.opened event/]],
    ['a close with its events', closedPoll(), [opened, closed, logged], []],
    ['an outcome with no poll.closed', closedPoll(), [opened, logged], [/1 outcome\(s\) on record but 0 poll.closed/]],
    ['an outcome with no outcome.logged', closedPoll(), [opened, closed], [/outcome outcome-poll-1 has no outcome.logged/]],
    ['a reopening with its event', reopenedPoll(), [opened, closed, logged, reopened], []],
    ['a reopening with no event', reopenedPoll(), [opened, closed, logged], [/1 reopening\(s\) on record but 0 poll.reopened/]],
  ])('%s', (_case, record, events, want) => {
    const gaps = auditGaps([record], events);
    expect(gaps).toHaveLength(want.length);
    want.forEach((pattern, index) => expect(gaps[index]).toMatch(pattern));
  });
});
