import type { Poll } from '../decisions/model.js';

/**
 * Which collaborative a poll (and so its outcomes) belongs to: the one it names, or, for a poll
 * opened before issue 19, the default collaborative (the deployment's only one at the time).
 */
export const collaborativeOfPoll = (poll: Pick<Poll, 'collaborativeId'>, defaultCollaborativeId: string | undefined): string | undefined =>
  poll.collaborativeId ?? defaultCollaborativeId;

/**
 * Outcomes of polls that belong to one of `ids`. A poll opened before collaboratives were named
 * (issue 19) belongs to `defaultId`, the deployment's default collaborative.
 */
export interface CollaborativeScope {
  ids: readonly string[];
  defaultId?: string;
}

/** Whether a poll is on the register of one of the collaboratives in scope. */
export const inScope = (scope: CollaborativeScope, poll: Pick<Poll, 'collaborativeId'>): boolean => {
  const owner = collaborativeOfPoll(poll, scope.defaultId);
  return owner !== undefined && scope.ids.includes(owner);
};
