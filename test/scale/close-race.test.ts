import { describe, expect, it } from 'vitest';
import type { Vote } from '../../src/decisions/model.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';

/**
 * A store shared with another instance, as this instance sees it: just before this instance's close
 * is written, the other instance records `vote` (its per-poll queue is not ours, so nothing here
 * orders the two). The store accepts that vote: the poll is still open when it lands.
 */
function withVoteLandingBeforeClose(store: Store, vote: (pollId: string) => Vote): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'transitionPoll') {
        const transitionPoll: Store['transitionPoll'] = async (id, from, to, change, outcome) => {
          if (outcome) await target.recordVotes(id, [vote(id)]);
          return target.transitionPoll(id, from, to, change, outcome);
        };
        return transitionPoll;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('closing while another instance records a vote', () => {
  it('the outcome counts the vote that landed between reading the votes and closing', async () => {
    const late = (pollId: string): Vote => ({
      pollId, organisationId: 'trust-2', position: 'object', binding: true, castBy: representative(2), castAt: new Date().toISOString(),
    });
    const store = withVoteLandingBeforeClose(createMemoryStore(), late);
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) }, { store });
    await post(running.url, cardAction(running.connector.url, 'poll.open', { title: 'Theatres', proposal: 'Agree', category: '1', rule: 'majority' }, { replyToId: 'card-1' }));
    const [poll] = await store.listPolls();
    await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId: poll!.id, positionValue: 'support' }, { from: representative(1), replyToId: 'card-1' }));
    const closed = await post(running.url, cardAction(running.connector.url, 'poll.close', { pollId: poll!.id }, { from: ALEX, replyToId: 'card-1' }));
    expect(closed.status).toBe(200);

    const outcome = await store.getOutcomeByPoll(poll!.id);
    expect(outcome?.counts).toEqual({ support: 1, object: 1, abstain: 0, notVoted: 1 });
    expect(outcome?.positions.find((position) => position.organisationId === 'trust-2')?.position).toBe('object');
    expect(await store.listOutcomes()).toHaveLength(1);
  });
});
