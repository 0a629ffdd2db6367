import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/people/model.js';
import type { Poll } from '../../src/decisions/model.js';
import { castVote, VoteInput, type VoteError } from '../../src/decisions/vote.js';
import { alex, ALL_MEMBERS, lee, megan, minutesAfter, NOW, patti, poll, sample, stranger, vote } from './fixtures.js';

const cast = (voter: Person, input: Partial<VoteInput> = {}, onPoll: Poll = poll(), now = NOW) =>
  castVote({ poll: onPoll, collaborative: sample(), voter, input: { pollId: onPoll.id, positionValue: 'support', ...input }, now });

const categoryTwo = poll({ category: 2, membersInScope: ['barnsley', 'rotherham'] });

describe('castVote records an organisation position', () => {
  it('for a representative of one member', () => {
    expect(cast(megan, { positionValue: 'object' })).toEqual({
      ok: true,
      value: {
        pollId: 'poll-1',
        organisationId: 'barnsley',
        position: 'object',
        binding: true,
        castBy: megan,
        castAt: NOW.toISOString(),
      },
    });
  });

  it('for a deputy, like a representative', () => {
    const result = cast(patti);
    expect(result.ok && result.value.organisationId).toBe('sheffield-teaching');
  });

  it('for the member someone acting for several names', () => {
    const result = cast(alex, { organisationId: 'barnsley', positionValue: 'abstain' });
    expect(result.ok && [result.value.organisationId, result.value.position]).toEqual(['barnsley', 'abstain']);
  });

  it('in category 2, bindingly for an affected member', () => {
    const result = cast(megan, {}, categoryTwo);
    expect(result.ok && result.value.binding).toBe(true);
  });

  it('in category 2, as a non-binding view for a member outside the affected subset', () => {
    const result = cast(lee, { positionValue: 'object' }, categoryTwo);
    expect(result.ok && result.value).toMatchObject({ organisationId: 'sheffield-childrens', binding: false, position: 'object' });
  });

  it('in category 1, bindingly for every member', () => {
    for (const voter of [megan, lee, patti]) {
      const result = cast(voter);
      expect(result.ok && result.value.binding).toBe(true);
    }
  });
});

describe('castVote refusals change nothing', () => {
  const closed = poll({ status: 'closed', closedBy: alex, closedAt: NOW.toISOString() });
  const due = poll({ closesAt: NOW.toISOString() });
  const joinedLater = poll({ membersInScope: ALL_MEMBERS.filter((m) => m !== 'sheffield-childrens') });

  it.each<[string, () => ReturnType<typeof cast>, VoteError]>([
    ['someone who represents no member', () => cast(stranger), { kind: 'not-a-representative' }],
    ['a representative naming a member they do not represent', () => cast(megan, { organisationId: 'rotherham' }), { kind: 'not-a-representative' }],
    ['a closed poll', () => cast(megan, {}, closed), { kind: 'poll-closed' }],
    ['an open poll whose closing time has come', () => cast(megan, {}, due), { kind: 'poll-closed' }],
    ['someone acting for several who does not say which', () => cast(alex), { kind: 'choose-organisation', options: ['barnsley', 'rotherham'] }],
    ['category 1, a member not in scope (joined after opening)', () => cast(lee, {}, joinedLater), { kind: 'not-in-scope', organisationId: 'sheffield-childrens' }],
  ])('%s', (_name, attempt, want) => {
    expect(attempt()).toEqual({ ok: false, error: want });
  });

  it('takes a vote a moment before the closing time', () => {
    expect(cast(megan, {}, poll({ closesAt: minutesAfter(NOW, 1).toISOString() })).ok).toBe(true);
  });

  it('does not modify the poll it was given', () => {
    const frozen = poll();
    const before = structuredClone(frozen);
    cast(stranger, {}, frozen);
    cast(megan, {}, frozen);
    expect(frozen).toEqual(before);
  });

  it('treats a poll that is not the one voted on as a bug', () => {
    expect(() => castVote({ poll: poll(), collaborative: sample(), voter: megan, input: { pollId: 'other', positionValue: 'support' }, now: NOW })).toThrow();
  });
});

describe('VoteInput (card data of poll.vote)', () => {
  it.each<[string, unknown, boolean]>([
    ['a position', { pollId: 'poll-1', positionValue: 'support' }, true],
    ['a position for a named member', { pollId: 'poll-1', positionValue: 'object', organisationId: 'rotherham' }, true],
    ['an unknown position', { pollId: 'poll-1', positionValue: 'maybe' }, false],
    ['no poll id', { positionValue: 'support' }, false],
    ['an oversized poll id', { pollId: 'p'.repeat(101), positionValue: 'support' }, false],
    ['an oversized organisation id', { pollId: 'poll-1', positionValue: 'support', organisationId: 'o'.repeat(65) }, false],
  ])('%s → %s', (_name, data, valid) => {
    expect(VoteInput.safeParse(data).success).toBe(valid);
  });

  it.each(['', 'mine'])('reads the organisation choice %j as their own organisation', (organisationId) => {
    expect(VoteInput.parse({ pollId: 'poll-1', positionValue: 'support', organisationId })).toEqual({ pollId: 'poll-1', positionValue: 'support' });
  });
});
