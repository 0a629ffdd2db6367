import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/people/model.js';
import type { Poll, Vote } from '../../src/decisions/model.js';
import { awaitingPositions, toPendingCardData } from '../../src/decisions/pending.js';
import { adele, alex, lee, megan, minutesAfter, NOW, patti, poll, sample, stranger, vote } from './fixtures.js';

const pending = (person: Person, polls: Poll[], votes: Vote[] = []) => {
  const byPoll = new Map<string, Vote[]>();
  for (const v of votes) byPoll.set(v.pollId, [...(byPoll.get(v.pollId) ?? []), v]);
  return awaitingPositions(polls, byPoll, sample(), person.aadObjectId, NOW).map(({ poll: p, organisationId }) => `${p.id}:${organisationId}`);
};

const p1 = poll({ id: 'p1' });
const excluded = (by: Person, organisationId: string) => ({
  id: `d-${organisationId}`, organisationId, declaredBy: by, description: 'Director of a bidder', declaredAt: NOW.toISOString(),
  handling: { kind: 'no-part' as const, by: alex, at: NOW.toISOString() },
});

describe('awaitingPositions: open polls where a member I act for has no position', () => {
  it.each<[string, Person, Poll[], Vote[], string[]]>([
    ['a representative, nothing recorded', megan, [p1], [], ['p1:barnsley']],
    ['a representative whose member is on record', megan, [p1], [vote('barnsley', 'support', { pollId: 'p1' })], []],
    ['on record by the chair on its behalf counts as on record', megan, [p1], [vote('barnsley', 'object', { pollId: 'p1', castBy: alex, onBehalf: { note: 'e-mail' } })], []],
    ['a deputy, for the member they deputise for', patti, [p1], [], ['p1:sheffield-teaching']],
    ['someone acting for two members, one on record', alex, [p1], [vote('rotherham', 'support', { pollId: 'p1' })], ['p1:barnsley']],
    ['someone who acts for no member', stranger, [p1], [], []],
    ['a closed poll', megan, [poll({ id: 'p1', status: 'closed' })], [], []],
    ['a poll whose closing time has come', megan, [poll({ id: 'p1', closesAt: NOW.toISOString() })], [], []],
    ['category 2, a member outside the affected subset (a view is not awaited)', lee, [poll({ id: 'p1', category: 2, membersInScope: ['barnsley'] })], [], []],
    ['category 2, an affected member', adele, [poll({ id: 'p1', category: 2, membersInScope: ['doncaster-bassetlaw'] })], [], ['p1:doncaster-bassetlaw']],
    ['a member the chair excluded this person from (declaration of interest): not theirs to give', alex, [poll({ id: 'p1', declarations: [excluded(alex, 'rotherham')] })], [], ['p1:barnsley']],
    ['the excluded member is still awaited from its other representative or deputy', megan, [poll({ id: 'p1', declarations: [excluded(alex, 'barnsley')] })], [], ['p1:barnsley']],
    ['soonest closing first, no closing time last', megan, [
      poll({ id: 'no-close' }),
      poll({ id: 'late', closesAt: minutesAfter(NOW, 120).toISOString() }),
      poll({ id: 'soon', closesAt: minutesAfter(NOW, 5).toISOString() }),
    ], [], ['soon:barnsley', 'late:barnsley', 'no-close:barnsley']],
  ])('%s', (_name, person, polls, votes, want) => {
    expect(pending(person, polls, votes)).toEqual(want);
  });

  it('card data: member, closing time in UK time, and a plain empty state', () => {
    const data = toPendingCardData(awaitingPositions([poll({ id: 'p1', closesAt: '2025-03-05T17:00:00Z' })], new Map(), sample(), megan.aadObjectId, NOW), sample());
    expect(data.items).toEqual([{ pollId: 'p1', organisationId: 'barnsley', headline: p1.title, detail: expect.stringMatching(/^For Barnsley .* · closes 5 Mar 2025, 17:00 \(UK time\)$/) }]);
    expect(toPendingCardData([], sample()).emptyText).toMatch(/^Nothing is waiting for you/);
  });
});
