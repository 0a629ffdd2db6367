import { ukDateTime } from '../shared/format.js';
import { memberName, rolesOf, type Collaborative } from './collaborative.js';
import { isDue } from './deadline.js';
import { excludedByInterest } from './interests.js';
import type { Poll, Vote } from './model.js';

/** One member a person acts for, on one open poll, with no position on record yet. */
export interface AwaitingPosition {
  poll: Poll;
  organisationId: string;
}

/**
 * "Needs my vote": the open polls where a member this person acts for (as representative or
 * deputy) is in scope and has no position on record, soonest closing first (polls without a
 * closing time last, oldest first). A poll whose closing time has passed is not listed: it is
 * closing, and castVote would refuse. Category 2 members outside the scope are not chased: their
 * view is welcome but not awaited. Nor is a member the chair excluded this person from acting for
 * on the poll (a declaration of interest): its other representative or deputy is awaited instead.
 */
export function awaitingPositions(
  polls: readonly Poll[],
  votesByPoll: ReadonlyMap<string, readonly Vote[]>,
  collaborative: Collaborative,
  aadObjectId: string,
  now: Date,
): AwaitingPosition[] {
  const { representing } = rolesOf(collaborative, aadObjectId);
  if (representing.length === 0) return [];
  const open = polls.filter((poll) => poll.status === 'open' && !isDue(poll, now));
  open.sort((a, b) => compare(closingOrder(a), closingOrder(b)) || compare(a.openedAt, b.openedAt) || compare(a.id, b.id));
  return open.flatMap((poll) => {
    const onRecord = new Set((votesByPoll.get(poll.id) ?? []).map((vote) => vote.organisationId));
    return representing
      // A member whose position this person may not cast (declaration of interest) is not theirs to give.
      .filter((organisationId) => poll.membersInScope.includes(organisationId) && !onRecord.has(organisationId) && !excludedByInterest(poll, aadObjectId, organisationId))
      .map((organisationId) => ({ poll, organisationId }));
  });
}

// ISO instants sort as text; "~" sorts after every digit, so polls without a closing time come last.
const closingOrder = (poll: Poll): string => poll.closesAt ?? '~';
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Plain data for cards/pending.json: one entry per (poll, member), each with its vote buttons. */
export interface PendingCardData {
  heading: string;
  emptyText: string;
  note: string;
  noteTone: 'good' | 'warning';
  items: { pollId: string; organisationId: string; headline: string; detail: string }[];
}

/** `collaborative` is absent where the conversation has none yet: then nothing can be awaited. */
export function toPendingCardData(awaiting: readonly AwaitingPosition[], collaborative: Collaborative | undefined, note?: { text: string; tone: 'good' | 'warning' }): PendingCardData {
  return {
    heading: 'Awaiting your position',
    emptyText: 'Nothing is waiting for you: every open poll has a position on record from each member you act for.',
    note: note?.text ?? '',
    noteTone: note?.tone ?? 'good',
    items: awaiting.map(({ poll, organisationId }) => ({
      pollId: poll.id,
      organisationId,
      headline: poll.title,
      detail: [
        `For ${collaborative ? memberName(collaborative, organisationId) : organisationId}`,
        poll.agenda ? `agenda item ${poll.agenda.itemRef}` : '',
        poll.closesAt ? `closes ${ukDateTime(poll.closesAt)} (UK time)` : 'no closing time: the chair closes it',
      ].filter((part) => part !== '').join(' · '),
    })),
  };
}
