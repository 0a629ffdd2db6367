import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/people/model.js';
import { closePoll, reopenPoll, type CloseError, type ReopenError } from '../../src/decisions/close.js';
import { DEADLINE_CLOSER, isDue } from '../../src/decisions/deadline.js';
import type { Poll, Vote } from '../../src/decisions/model.js';
import { Outcome } from '../../src/decisions/outcome.js';
import { adele, alex, ALL_MEMBERS, lee, megan, minutesAfter, NOW, patti, poll, sample, vote } from './fixtures.js';

const LATER = minutesAfter(NOW, 20);

const close = (onPoll: Poll, votes: Vote[], by: Person | 'deadline' = alex, now = LATER) =>
  closePoll({ poll: onPoll, votes, collaborative: sample(), by, now, newOutcomeId: () => 'outcome-new' });

const closed = (onPoll: Poll, votes: Vote[], by: Person | 'deadline' = alex, now = LATER) => {
  const result = close(onPoll, votes, by, now);
  if (!result.ok) throw new Error(`expected to close, got ${result.error.kind}`);
  return result.value;
};

const byMegan = vote('barnsley', 'support', { castBy: megan });
const byAdele = vote('doncaster-bassetlaw', 'object', { castBy: adele });
const byLee = vote('sheffield-childrens', 'abstain', { castBy: lee });

describe('closePoll writes the outcome', () => {
  it('records every member in scope, not-voted included, with counts, result and explanation', () => {
    const { outcome } = closed(poll({ rule: { kind: 'majority' } }), [byLee, byAdele, byMegan, vote('rotherham', 'support', { castBy: alex })]);
    expect(Outcome.safeParse(outcome).success).toBe(true);
    expect(outcome.positions.map((p) => [p.organisationId, p.position, p.binding, p.castBy?.name])).toEqual([
      ['barnsley', 'support', true, 'Megan Bowen'],
      ['doncaster-bassetlaw', 'object', true, 'Adele Vance'],
      ['rotherham', 'support', true, 'Alex Wilber'],
      ['sheffield-childrens', 'abstain', true, 'Lee Gu'],
      ['sheffield-teaching', 'not-voted', true, undefined],
    ]);
    expect(outcome.positions[0]?.organisationName).toBe('Barnsley Hospital NHS Foundation Trust');
    expect(outcome).toMatchObject({
      id: 'outcome-new',
      pollId: 'poll-1',
      reference: 'poll-1',
      membersInScope: ALL_MEMBERS,
      counts: { support: 2, object: 1, abstain: 1, notVoted: 1 },
      result: 'agreed',
      status: 'agreed',
      explanation:
        '2 of 3 votes cast support: agreed by a majority of votes cast; 1 abstained; 1 has not voted; 1 objection (Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust). Only 2 of 5 member trusts support: this rule counts votes cast, so members that abstain or do not vote count neither way.',
      closedBy: alex,
      closedAt: LATER.toISOString(),
      actions: [],
      delivery: { state: 'pending', attempts: 0 },
    });
  });

  it('closes the poll', () => {
    expect(closed(poll(), []).poll).toEqual({ ...poll(), status: 'closed', closedBy: alex, closedAt: LATER.toISOString() });
  });

  it('lists category 2 views after the affected members, as non-binding', () => {
    const categoryTwo = poll({ category: 2, membersInScope: ['rotherham', 'barnsley'] });
    const view = vote('sheffield-teaching', 'object', { binding: false, castBy: patti });
    const { outcome } = closed(categoryTwo, [view, byMegan]);
    expect(outcome.positions.map((p) => [p.organisationId, p.position, p.binding])).toEqual([
      ['rotherham', 'not-voted', true],
      ['barnsley', 'support', true],
      ['sheffield-teaching', 'object', false],
    ]);
    expect(outcome.result).toBe('agreed'); // the outsider's objection is a view, not a veto
    expect(outcome.counts).toEqual({ support: 1, object: 0, abstain: 0, notVoted: 1 });
  });

  it('refers a consensus that fails on an objection to dispute resolution, naming the objector', () => {
    const { outcome } = closed(poll(), [byMegan, byAdele]);
    expect(outcome.result).toBe('not-agreed');
    expect(outcome.status).toBe('referred-to-dispute-resolution');
    expect(outcome.reasons).toEqual(['Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust objected (recorded by Adele Vance).']);
  });

  it.each<[string, Poll, Vote[], Outcome['result'], Outcome['status']]>([
    ['unanimity with an abstention', poll({ rule: { kind: 'unanimity' } }), [byMegan, byLee], 'not-agreed', 'not-agreed'],
    ['majority with more objection', poll({ rule: { kind: 'majority' } }), [byAdele], 'not-agreed', 'not-agreed'],
    // The same positions, counted as the guidance words it: 2 of 5 trusts is not a majority of trusts.
    ['majority of votes cast, 2 of 3 cast', poll({ rule: { kind: 'majority', basis: 'cast' } }), [byMegan, byAdele, byLee, vote('rotherham', 'support')], 'agreed', 'agreed'],
    ['majority of trusts, 2 of 5 trusts', poll({ rule: { kind: 'majority', basis: 'members' } }), [byMegan, byAdele, byLee, vote('rotherham', 'support')], 'not-agreed', 'not-agreed'],
    ['majority of trusts, 3 of 5 trusts', poll({ rule: { kind: 'majority', basis: 'members' } }), [byMegan, byAdele, vote('rotherham', 'support'), vote('sheffield-teaching', 'support')], 'agreed', 'agreed'],
    ['consensus short of quorum', poll({ rule: { kind: 'consensus', quorum: 3 } }), [byAdele], 'no-quorum', 'no-quorum'],
    ['consensus with no objection', poll(), [byMegan, byLee], 'agreed', 'agreed'],
  ])('%s → %s, %s', (_name, onPoll, votes, result, status) => {
    expect(closed(onPoll, votes).outcome).toMatchObject({ result, status });
  });

  it('ignores votes for other polls', () => {
    const elsewhere = vote('barnsley', 'object', { pollId: 'poll-2' });
    expect(closed(poll(), [elsewhere]).outcome.counts.notVoted).toBe(5);
  });

  it('carries the agenda reference, meeting and gateway', () => {
    const agenda = { agendaId: 'a1', itemRef: 'P173/21', meetingTitle: 'Committees in common', meetingDate: '2025-03-04' };
    const gateway = { programme: 'Elective recovery hub', stage: 'options' as const };
    const { outcome } = closed(poll({ agenda, gateway }), []);
    expect(outcome).toMatchObject({ reference: 'P173/21', meeting: { title: 'Committees in common', date: '2025-03-04' }, gateway });
  });

  it('carries reopening justifications into the reasons', () => {
    const reopened = poll({ reopenings: [{ by: alex, at: NOW.toISOString(), reason: 'New evidence on waiting times.' }] });
    expect(closed(reopened, []).outcome.reasons).toEqual([`Reopening recorded by Alex Wilber at ${NOW.toISOString()}: New evidence on waiting times.`]);
  });

  it('closes by deadline once the closing time is reached, as Concord', () => {
    const timed = poll({ closesAt: LATER.toISOString() });
    const { poll: after, outcome } = closed(timed, [byMegan], 'deadline', LATER);
    expect(outcome.closedBy).toEqual(DEADLINE_CLOSER);
    expect(after.closedBy).toEqual({ aadObjectId: 'concord', name: 'Concord (closing time reached)' });
  });
});

describe('closePoll refusals', () => {
  const done = poll({ status: 'closed', closedBy: alex, closedAt: NOW.toISOString() });
  it.each<[string, () => ReturnType<typeof close>, CloseError]>([
    ['a representative who is not a chair', () => close(poll(), [], megan), { kind: 'not-chair' }],
    ['a poll already closed', () => close(done, []), { kind: 'poll-closed' }],
    ['the deadline, on a poll already closed', () => close(done, [], 'deadline'), { kind: 'poll-closed' }],
    ['the deadline, before the closing time', () => close(poll({ closesAt: minutesAfter(LATER, 1).toISOString() }), [], 'deadline'), { kind: 'not-due' }],
    ['the deadline, on a poll with no closing time', () => close(poll(), [], 'deadline'), { kind: 'not-due' }],
  ])('%s', (_name, attempt, want) => expect(attempt()).toEqual({ ok: false, error: want }));
});

describe('reopenPoll', () => {
  const done = poll({ status: 'closed', closedBy: alex, closedAt: NOW.toISOString(), closesAt: NOW.toISOString() });
  const reopen = (overrides: { by?: Person; reason?: string; onPoll?: Poll; closesAt?: Date } = {}) =>
    reopenPoll({
      poll: overrides.onPoll ?? done,
      collaborative: sample(),
      by: overrides.by ?? alex,
      reason: overrides.reason ?? 'Members asked for more time to consult their boards.',
      now: LATER,
      ...(overrides.closesAt === undefined ? {} : { closesAt: overrides.closesAt }),
    });

  it('reopens with the reason appended, the closing record cleared and a passed closing time dropped', () => {
    const result = reopen({ reason: '  Members asked for more time.  ' });
    expect(result).toEqual({
      ok: true,
      value: { ...poll(), status: 'open', reopenings: [{ by: alex, at: LATER.toISOString(), reason: 'Members asked for more time.' }] },
    });
  });

  it('sets a new closing time when given one', () => {
    const result = reopen({ closesAt: minutesAfter(LATER, 60) });
    expect(result.ok && result.value.closesAt).toBe(minutesAfter(LATER, 60).toISOString());
  });

  it.each<[string, Parameters<typeof reopen>[0], ReopenError]>([
    ['a representative who is not a chair', { by: megan }, { kind: 'not-chair' }],
    ['no reason', { reason: '' }, { kind: 'reason-required' }],
    ['a blank reason', { reason: ' \n\t ' }, { kind: 'reason-required' }],
    ['an oversized reason', { reason: 'x'.repeat(2001) }, { kind: 'invalid', issues: ['reason: at most 2000 characters'] }],
    ['a poll that is open', { onPoll: poll() }, { kind: 'poll-open' }],
    ['a closing time in the past', { closesAt: NOW }, { kind: 'invalid', issues: ['closesAt: the closing time must be in the future'] }],
  ])('refuses %s', (_name, overrides, want) => expect(reopen(overrides)).toEqual({ ok: false, error: want }));

  it('takes a reason of exactly 2000 characters', () => {
    expect(reopen({ reason: 'x'.repeat(2000) }).ok).toBe(true);
  });

  it('leads to an outcome whose reasons keep the justification', () => {
    const reopened = reopen();
    if (!reopened.ok) throw new Error(reopened.error.kind);
    expect(closed(reopened.value, [], alex, minutesAfter(LATER, 5)).outcome.reasons).toEqual([
      `Reopening recorded by Alex Wilber at ${LATER.toISOString()}: Members asked for more time to consult their boards.`,
    ]);
  });
});

describe('isDue', () => {
  it.each<[string, Poll, boolean]>([
    ['open, closing time passed', poll({ closesAt: NOW.toISOString() }), true],
    ['open, closing time exactly now', poll({ closesAt: LATER.toISOString() }), true],
    ['open, closing time ahead', poll({ closesAt: minutesAfter(LATER, 1).toISOString() }), false],
    ['open, no closing time', poll(), false],
    ['closed, closing time passed', poll({ status: 'closed', closesAt: NOW.toISOString() }), false],
  ])('%s → %s', (_name, onPoll, want) => expect(isDue(onPoll, LATER)).toBe(want));
});
