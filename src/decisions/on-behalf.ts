import { z } from 'zod';
import { displayName, type Person } from '../people/model.js';
import { err, ok, type Result } from '../shared/result.js';
import { rolesOf, type Collaborative } from './collaborative.js';
import { isDue } from './deadline.js';
import { excludedByInterest } from './interests.js';
import { Position, type Poll, type Vote } from './model.js';
import { bindingOf } from './vote.js';

/** The longest note kept with a position recorded on a member's behalf. */
export const MAX_ON_BEHALF_NOTE = 500;

/**
 * Card data of `poll.onBehalf`: the member, its position and how it came in. Field ids differ from
 * the vote buttons' so the form's inputs never leak into a vote pressed on the same card.
 */
export const OnBehalfInput = z.object({
  pollId: z.string().trim().min(1).max(100),
  onBehalfOrganisationId: z.string().trim().max(64).default(''),
  onBehalfPosition: z.union([Position, z.literal('')]).default(''),
  onBehalfNote: z.string().max(2000).default(''),
});
export type OnBehalfInput = z.infer<typeof OnBehalfInput>;

export type OnBehalfError =
  | { kind: 'poll-closed' }
  | { kind: 'not-chair-or-secretariat' }
  | { kind: 'choose-member' }
  | { kind: 'choose-position' }
  | { kind: 'note-required' }
  | { kind: 'note-too-long'; max: number }
  | { kind: 'not-in-scope'; organisationId: string }
  /** The recorder declared an interest for this member and the chair excluded them: no back door. */
  | { kind: 'excluded-by-interest'; organisationId: string };

export interface RecordOnBehalfArgs {
  poll: Poll;
  collaborative: Collaborative;
  recorder: Person;
  input: OnBehalfInput;
  now: Date;
}

/**
 * Records a member's position for it, as board secretariats do with a position sent in by e-mail
 * (DESIGN.md, "Board practice around a decision"). Only the chair or the secretariat may, and only
 * with a note saying how the position came, so the record shows it was not cast by the member.
 * The member's own representative or deputy can replace it with castVote until the poll closes.
 * Binding follows castVote: in category 2 a member outside the affected subset gives a view.
 */
export const recordOnBehalf = ({ poll, collaborative, recorder, input, now }: RecordOnBehalfArgs): Result<Vote, OnBehalfError> => {
  if (input.pollId !== poll.id) throw new Error(`recordOnBehalf was given poll ${poll.id} for poll ${input.pollId}`);
  if (poll.status !== 'open' || isDue(poll, now)) return err({ kind: 'poll-closed' });
  const roles = rolesOf(collaborative, recorder.aadObjectId);
  if (!roles.isChair && !roles.isSecretariat) return err({ kind: 'not-chair-or-secretariat' });
  const organisationId = input.onBehalfOrganisationId;
  if (organisationId === '') return err({ kind: 'choose-member' });
  if (input.onBehalfPosition === '') return err({ kind: 'choose-position' });
  const note = input.onBehalfNote.trim();
  if (note === '') return err({ kind: 'note-required' });
  if (note.length > MAX_ON_BEHALF_NOTE) return err({ kind: 'note-too-long', max: MAX_ON_BEHALF_NOTE });

  if (excludedByInterest(poll, recorder.aadObjectId, organisationId)) return err({ kind: 'excluded-by-interest', organisationId });

  const binding = bindingOf(poll, collaborative, organisationId);
  if (binding === undefined) return err({ kind: 'not-in-scope', organisationId });

  return ok({
    pollId: poll.id,
    organisationId,
    position: input.onBehalfPosition,
    binding,
    castBy: recorder,
    castAt: now.toISOString(),
    onBehalf: { note },
  });
};

/**
 * Who recorded a position, as every view words it: "recorded by Megan Bowen" or, for a position
 * recorded for the member, "recorded on behalf by Alex Wilber: by e-mail from the chief executive".
 * `when` is the already formatted time, if the view shows one.
 */
export const recordedByText = (castBy: Person, onBehalf: { note: string } | undefined, when?: string): string =>
  `${onBehalf ? 'recorded on behalf by' : 'recorded by'} ${displayName(castBy)}${when ? `, ${when}` : ''}${onBehalf ? `: ${onBehalf.note}` : ''}`;
