import type { Poll } from '../decisions/model.js';
import type { Outcome } from '../decisions/outcome.js';

/**
 * Which collaborative a poll (and so its outcomes) belongs to: the one it names, or, for a poll
 * opened before issue 19, the default collaborative (the deployment's only one at the time).
 */
export const collaborativeOfPoll = (poll: Pick<Poll, 'collaborativeId'>, defaultCollaborativeId: string | undefined): string | undefined =>
  poll.collaborativeId ?? defaultCollaborativeId;

/** The outcomes of one collaborative's polls, in the order given: its register, and nobody else's. */
export const outcomesOfCollaborative = (
  collaborativeId: string,
  outcomes: readonly Outcome[],
  polls: readonly Pick<Poll, 'id' | 'collaborativeId'>[],
  defaultCollaborativeId: string | undefined,
): Outcome[] => {
  const ids = new Set(polls.filter((poll) => collaborativeOfPoll(poll, defaultCollaborativeId) === collaborativeId).map((poll) => poll.id));
  return outcomes.filter((outcome) => ids.has(outcome.pollId));
};
