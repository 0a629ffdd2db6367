import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';

async function openPoll(concord: TestConcord, conversationId: string): Promise<string> {
  await post(concord.url, cardAction(concord.connector.url, 'poll.open', { title: `Poll in ${conversationId}`, proposal: 'P', category: '1', rule: 'majority' }, { conversationId, replyToId: `card-${conversationId}` }));
  return (await concord.store.listPolls()).find((poll) => poll.conversationId === conversationId)!.id;
}

describe('a slow or failing Teams connector', () => {
  it('votes are recorded and the card refresh is retried through 429s and 500s', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(5) });
    const pollId = await openPoll(running, 'board');
    running.connector.injectFor('board', { status: 429, retryAfterSeconds: 0 }, { status: 500 }, { status: 503 });
    const votes = await Promise.all([1, 2, 3].map((n) => post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId, positionValue: 'support' }, { from: representative(n), conversationId: 'board' }))));
    expect(votes.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await running.store.votes(pollId)).toHaveLength(3);
    await running.connector.waitFor(() => running.connector.updates('board').some((call) => textOf(cardOf(call)).includes('Support 3')), 15_000);
  });

  it('a stalled card refresh is abandoned after the timeout and tried again', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_CONNECTOR_TIMEOUT_MS: '300' });
    const pollId = await openPoll(running, 'board');
    running.connector.injectFor('board', { delayMs: 2000 });
    await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId, positionValue: 'object' }, { from: representative(1), conversationId: 'board' }));
    expect(await running.store.votes(pollId)).toHaveLength(1);
    await running.connector.waitFor(() => running.connector.updates('board').some((call) => textOf(cardOf(call)).includes('Object 1')), 10_000);
  });

  it('a connector that stalls one conversation does not hold up another', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    running.connector.injectFor('slow-room', { delayMs: 3000 });
    const slow = post(running.url, message(running.connector.url, 'help', { conversationId: 'slow-room' }));
    const started = performance.now();
    await post(running.url, message(running.connector.url, 'help', { conversationId: 'quick-room', from: ALEX }));
    await running.connector.waitFor(() => running.connector.sent('quick-room').length === 1);
    expect(performance.now() - started).toBeLessThan(2500);
    expect((await slow).status).toBe(200);
  });
});
