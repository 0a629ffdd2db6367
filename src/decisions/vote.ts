import { z } from 'zod';
import type { Person } from '../people/model.js';
import { err, ok, type Result } from '../shared/result.js';
import { blankAsUndefined } from './card-input.js';
import { isMember, OrganisationId, rolesOf, type Collaborative } from './collaborative.js';
import { isDue } from './deadline.js';
import { Position, type Poll, type Vote } from './model.js';

/** Card data of the `decision.vote` action. `organisationId` is needed only by people acting for several members. */
export const VoteInput = z
  .object({
    pollId: z.string().trim().min(1).max(100),
    position: Position,
    organisationId: z.preprocess(blankAsUndefined, OrganisationId.optional()),
  })
  .strict();
export type VoteInput = z.infer<typeof VoteInput>;

export type VoteError =
  | { kind: 'poll-closed' }
  | { kind: 'not-a-representative' }
  | { kind: 'choose-organisation'; options: string[] }
  | { kind: 'not-in-scope'; organisationId: string };

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

  let binding: boolean;
  if (poll.membersInScope.includes(organisationId)) binding = true;
  else if (poll.category === 2 && isMember(collaborative, organisationId)) binding = false;
  // Category 1 binds every member, so a member missing from scope joined after the poll opened.
  else return err({ kind: 'not-in-scope', organisationId });

  return ok({
    pollId: poll.id,
    organisationId,
    position: input.position,
    binding,
    castBy: voter,
    castAt: now.toISOString(),
  });
};

/**
 * The store's write, as a pure function: one vote per (pollId, organisationId), so a re-vote or a
 * retried invoke replaces the record rather than adding one (STYLE.md §3.5).
 */
export const upsertVote = (votes: readonly Vote[], vote: Vote): Vote[] => {
  const index = votes.findIndex((v) => v.pollId === vote.pollId && v.organisationId === vote.organisationId);
  if (index === -1) return [...votes, vote];
  return votes.map((v, i) => (i === index ? vote : v));
};
