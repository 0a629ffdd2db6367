import { describe, expect, it } from 'vitest';
import { MAX_REFRESH_USERS, toPollCardData } from '../../src/decisions/poll-card.js';
import type { Collaborative } from '../../src/decisions/collaborative.js';
import { poll, sample } from './fixtures.js';

/** n members, member i with representative rep-i and, for every third, deputy dep-i; rep-1 also represents member 2. */
const collaborativeOf = (n: number): Collaborative => ({
  ...sample(),
  members: Array.from({ length: n }, (_, index) => ({
    id: `m-${index + 1}`,
    name: `Member ${index + 1}`,
    representatives: index === 1 ? ['rep-1', 'rep-2'] : [`rep-${index + 1}`],
    ...(index % 3 === 0 ? { deputy: `dep-${index + 1}` } : {}),
  })),
});

/** The people Teams refreshes the card for: in member order, each once, at most 60 (Teams' limit). */
const expected = (collaborative: Collaborative, inScope: readonly string[]): string[] =>
  [...new Set(collaborative.members.filter((member) => inScope.includes(member.id))
    .flatMap((member) => [...member.representatives, ...(member.deputy ? [member.deputy] : [])]))].slice(0, MAX_REFRESH_USERS);

describe('refreshUserIds on the poll card', () => {
  it.each([
    ['5 members, all in scope', 5, (ids: string[]) => ids],
    ['200 members, all in scope: the first 60 people', 200, (ids: string[]) => ids],
    ['200 members, every other one in scope', 200, (ids: string[]) => ids.filter((_, index) => index % 2 === 1)],
    ['45 members: 60 people exactly reached part-way through a member', 45, (ids: string[]) => ids],
  ])('%s', (_case, size, scope) => {
    const collaborative = collaborativeOf(size);
    const membersInScope = scope(collaborative.members.map((member) => member.id));
    const ids = toPollCardData(poll({ membersInScope }), [], collaborative).refreshUserIds;
    expect(ids).toEqual(expected(collaborative, membersInScope));
    expect(ids.length).toBeLessThanOrEqual(MAX_REFRESH_USERS);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
