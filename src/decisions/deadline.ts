import type { Person } from '../people/model.js';
import type { Poll } from './model.js';

/** Recorded as the closer when a poll closes because its closing time was reached. */
export const DEADLINE_CLOSER: Person = { aadObjectId: 'concord', name: 'Concord (closing time reached)' };

/** An open poll whose closing time has come: it takes no more votes and is closed by the deadline. */
export const isDue = (poll: Poll, now: Date): boolean =>
  poll.status === 'open' && poll.closesAt !== undefined && Date.parse(poll.closesAt) <= now.getTime();
