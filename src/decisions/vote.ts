import { z } from 'zod';
import type { Person } from '../people/model.js';
import { err, ok, type Result } from '../shared/result.js';
import { blankAsUndefined } from './card-input.js';
import { isMember, rolesOf, type Collaborative } from './collaborative.js';
import { isDue } from './deadline.js';
import { excludedByInterest } from './interests.js';
import { Position, type Poll, type Vote } from './model.js';

/**
 * Card data of the `poll.vote` action: the vote buttons' data plus the "Voting for" choice Teams
 * merges in from the card. `organisationId` is needed only by people acting for several members;
 * "mine" (the choice's default) and an untouched choice ("") mean their own organisation.
 */
export const VoteInput = z.object({
  pollId: z.string().trim().min(1).max(100),
  positionValue: Position,
  organisationId: z.preprocess((value) => (value === 'mine' ? undefined : blankAsUndefined(value)), z.string().max(64).optional()),
});
export type VoteInput = z.infer<typeof VoteInput>;

export type VoteError =
  | { kind: 'poll-closed' }
  | { kind: 'not-a-representative' }
  | { kind: 'choose-organisation'; options: string[] }
  | { kind: 'not-in-scope'; organisationId: string }
  /** The chair excluded this person from the decision after their declaration of interest. */
  | { kind: 'excluded-by-interest'; organisationId: string };

export interface CastVoteArgs {
  /** The poll named by `input.pollId`. */
  poll: Poll;
  collaborative: Collaborative;
  voter: Person;
  input: VoteInput;
  now: Date;
}

/**
 * Records an organisation's position, or says why not; nothing else changes on a refusal.
 *
 * A representative, or the organisation's deputy, votes for their organisation; someone acting
 * for several must say which. Binding votes follow the guidance's categorised decisions
 * ("Options for strengthening decision-making", option 1): in category 1 every member is in scope
 * and binding; in category 2 "only those impacted by decisions ... have binding votes", so a
 * member outside the affected subset may record a view with `binding: false`.
 */
export const castVote = ({ poll, collaborative, voter, input, now }: CastVoteArgs): Result<Vote, VoteError> => {
  if (input.pollId !== poll.id) {
    throw new Error(`castVote was given poll ${poll.id} for a vote on poll ${input.pollId}`);
  }
  if (poll.status !== 'open' || isDue(poll, now)) return err({ kind: 'poll-closed' });

  const { representing } = rolesOf(collaborative, voter.aadObjectId);
  let organisationId: string;
  if (input.organisationId !== undefined) {
    if (!representing.includes(input.organisationId)) return err({ kind: 'not-a-representative' });
    organisationId = input.organisationId;
  } else if (representing.length === 1 && representing[0] !== undefined) {
    organisationId = representing[0];
  } else if (representing.length === 0) {
    return err({ kind: 'not-a-representative' });
  } else {
    return err({ kind: 'choose-organisation', options: representing });
  }

  // Only the person declared is excluded: the member's other representative or deputy may still vote.
  if (excludedByInterest(poll, voter.aadObjectId, organisationId)) return err({ kind: 'excluded-by-interest', organisationId });

  const binding = bindingOf(poll, collaborative, organisationId);
  if (binding === undefined) return err({ kind: 'not-in-scope', organisationId });

  return ok({
    pollId: poll.id,
    organisationId,
    position: input.positionValue,
    binding,
    castBy: voter,
    castAt: now.toISOString(),
  });
};

/**
 * Whether a position for `organisationId` binds: members in scope bind; on a category 2 decision
 * another member records a non-binding view. Undefined when it may not record one at all
 * (category 1 binds every member, so a member missing from scope joined after the poll opened).
 */
export function bindingOf(poll: Pick<Poll, 'membersInScope' | 'category'>, collaborative: Collaborative, organisationId: string): boolean | undefined {
  if (poll.membersInScope.includes(organisationId)) return true;
  if (poll.category === 2 && isMember(collaborative, organisationId)) return false;
  return undefined;
}
