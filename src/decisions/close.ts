import { displayName, type Person } from '../people/model.js';
import type { MemberPosition, Outcome } from './outcome.js';
import { statusOf } from './outcome-status.js';
import type { NewId } from '../shared/clock.js';
import { err, ok, type Result } from '../shared/result.js';
import { memberIds, memberName, rolesOf, type Collaborative } from './collaborative.js';
import { DEADLINE_CLOSER, isDue } from './deadline.js';
import { conflictedMembers } from './interests.js';
import { referenceOf, type Poll, type Vote } from './model.js';
import { latestPerOrganisation, tally, type Tally } from './rules.js';

export type CloseError = { kind: 'not-chair' } | { kind: 'poll-closed' } | { kind: 'not-due' };

export interface ClosePollArgs {
  poll: Poll;
  /** The poll's votes as stored; votes for other polls are ignored. */
  votes: readonly Vote[];
  collaborative: Collaborative;
  /** A chair, or 'deadline' when the closing time has been reached. */
  by: Person | 'deadline';
  now: Date;
  newOutcomeId: NewId;
}

/**
 * Committees in common take aligned decisions and "the record shows every member's position, not
 * only the total" (DESIGN.md): every member in scope appears, "not-voted" included, followed by
 * non-binding views from members outside a category 2 scope.
 */
const positionsOf = (poll: Poll, votes: readonly Vote[], collaborative: Collaborative): MemberPosition[] => {
  const latest = latestPerOrganisation(votes);
  const conflicted = conflictedMembers(poll, collaborative);
  const entry = (organisationId: string, binding: boolean): MemberPosition => {
    const vote = latest.get(organisationId);
    const base = { organisationId, organisationName: memberName(collaborative, organisationId), binding };
    if (vote === undefined && conflicted.has(organisationId)) return { ...base, position: 'not-voted', conflicted: true };
    return vote === undefined ? { ...base, position: 'not-voted' } : { ...base, position: vote.position, castBy: vote.castBy, castAt: vote.castAt, ...(vote.onBehalf ? { onBehalf: vote.onBehalf } : {}) };
  };
  const inScope = [...new Set(poll.membersInScope)];
  const known = memberIds(collaborative);
  const viewers = [...latest.keys()].filter((id) => !inScope.includes(id));
  // Members in collaborative order, then any that have since left, by id.
  viewers.sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia !== ib) return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return [
    ...inScope.map((id) => {
      const position = entry(id, true);
      // A vote stored as non-binding for an in-scope member is listed as such, as the tally treats it.
      return latest.get(id)?.binding === false ? { ...position, binding: false } : position;
    }),
    ...viewers.map((id) => entry(id, false)),
  ];
};


const reasonsOf = (poll: Poll, result: Tally, votes: readonly Vote[], collaborative: Collaborative): string[] => {
  const latest = latestPerOrganisation(votes);
  const objections = result.objectors.map((id) => {
    const castBy = latest.get(id)?.castBy;
    const by = castBy !== undefined && castBy.name !== '' ? ` (recorded by ${castBy.name})` : '';
    return `${memberName(collaborative, id)} objected${by}.`;
  });
  // Reopening a decision must be justified ("in the best interest of the public", guidance option 2): keep why.
  const reopenings = poll.reopenings.map((r) => `Reopening recorded by ${displayName(r.by)} at ${r.at}: ${r.reason}`);
  return [...objections, ...reopenings];
};

/**
 * Closes a poll and writes its outcome, or says why not. Only a chair closes a poll, or the
 * deadline once the closing time is reached. The result is tallied from the votes now, never
 * from a running count.
 */
export const closePoll = (args: ClosePollArgs): Result<{ poll: Poll; outcome: Outcome }, CloseError> => {
  const { poll, collaborative, now } = args;
  let closedBy: Person;
  if (args.by === 'deadline') {
    if (poll.status === 'open' && !isDue(poll, now)) return err({ kind: 'not-due' });
    closedBy = DEADLINE_CLOSER;
  } else {
    if (!rolesOf(collaborative, args.by.aadObjectId).isChair) return err({ kind: 'not-chair' });
    closedBy = args.by;
  }
  if (poll.status !== 'open') return err({ kind: 'poll-closed' });

  const votes = args.votes.filter((v) => v.pollId === poll.id);
  const result = tally(poll.rule, poll.membersInScope, votes, { nameOf: (id) => memberName(collaborative, id) });
  const closedAt = now.toISOString();
  const outcome: Outcome = {
    id: args.newOutcomeId(),
    pollId: poll.id,
    reference: referenceOf(poll),
    title: poll.title,
    proposal: poll.proposal,
    rule: poll.rule,
    category: poll.category,
    membersInScope: [...poll.membersInScope],
    positions: positionsOf(poll, votes, collaborative),
    counts: { ...result.counts },
    result: result.result,
    explanation: result.explanation,
    status: statusOf(result),
    closedBy,
    closedAt,
    reasons: reasonsOf(poll, result, votes, collaborative),
    ...(poll.declarations && poll.declarations.length > 0 ? { declarations: poll.declarations } : {}),
    actions: [],
    delivery: { state: 'pending', attempts: 0 },
  };
  if (poll.agenda !== undefined) outcome.meeting = { title: poll.agenda.meetingTitle, date: poll.agenda.meetingDate };
  if (poll.gateway !== undefined) outcome.gateway = { ...poll.gateway };
  return ok({ poll: { ...poll, status: 'closed', closedBy, closedAt }, outcome });
};

export type ReopenError =
  | { kind: 'not-chair' }
  | { kind: 'poll-open' }
  | { kind: 'reason-required' }
  | { kind: 'invalid'; issues: string[] };

export interface ReopenPollArgs {
  poll: Poll;
  collaborative: Collaborative;
  by: Person;
  reason: string;
  now: Date;
  /** A new closing time; without one, a closing time already passed is dropped and the chair closes by hand. */
  closesAt?: Date;
}

const MAX_REASON = 2000;

/**
 * Reopens a closed poll. Decisions, once made, are reopened only "in the best interest of the
 * public" (guidance option 2), so a chair must give a reason; it is appended to the poll's
 * reopenings and carried into the next outcome. Votes already cast stand and may be changed.
 */
export const reopenPoll = (args: ReopenPollArgs): Result<Poll, ReopenError> => {
  const { poll, by, now } = args;
  if (!rolesOf(args.collaborative, by.aadObjectId).isChair) return err({ kind: 'not-chair' });
  if (poll.status === 'open') return err({ kind: 'poll-open' });
  const reason = args.reason.trim();
  if (reason === '') return err({ kind: 'reason-required' });
  if (reason.length > MAX_REASON) return err({ kind: 'invalid', issues: [`reason: at most ${MAX_REASON} characters`] });
  if (args.closesAt !== undefined && args.closesAt.getTime() <= now.getTime()) {
    return err({ kind: 'invalid', issues: ['closesAt: the closing time must be in the future'] });
  }

  const { closedBy: _closedBy, closedAt: _closedAt, closesAt: previousClosesAt, ...rest } = poll;
  const reopened: Poll = {
    ...rest,
    status: 'open',
    reopenings: [...poll.reopenings, { by, at: now.toISOString(), reason }],
  };
  if (args.closesAt !== undefined) reopened.closesAt = args.closesAt.toISOString();
  else if (previousClosesAt !== undefined && Date.parse(previousClosesAt) > now.getTime()) reopened.closesAt = previousClosesAt;
  return ok(reopened);
};
