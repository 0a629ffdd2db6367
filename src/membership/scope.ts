import type { Poll } from '../decisions/model.js';
import type { CollaborativeScope } from '../store/store.js';

/**
 * Which collaborative a poll (and so its outcomes) belongs to: the one it names, or, for a poll
 * opened before issue 19, the default collaborative (the deployment's only one at the time).
 */
export const collaborativeOfPoll = (poll: Pick<Poll, 'collaborativeId'>, defaultCollaborativeId: string | undefined): string | undefined =>
  poll.collaborativeId ?? defaultCollaborativeId;

/** Whether a poll is on the register of one of the collaboratives in scope. */
export const inScope = (scope: CollaborativeScope, poll: Pick<Poll, 'collaborativeId'>): boolean => {
  const owner = collaborativeOfPoll(poll, scope.defaultId);
  return owner !== undefined && scope.ids.includes(owner);
};
