import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, installed, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';

async function closeAPoll(concord: TestConcord, title: string): Promise<string> {
  await post(concord.url, cardAction(concord.connector.url, 'poll.open', { title, proposal: 'Agree it', category: '1', rule: 'majority' }, { replyToId: `form-${title}` }));
  const poll = (await concord.store.listPolls()).find((candidate) => candidate.title === title)!;
  await post(concord.url, cardAction(concord.connector.url, 'poll.vote', { pollId: poll.id, positionValue: 'support' }, { from: representative(1) }));
  await post(concord.url, cardAction(concord.connector.url, 'poll.close', { pollId: poll.id }, { from: ALEX }));
  return poll.id;
}

describe('outcomes reach the secretariat', () => {
  it('posts each outcome to the secretariat conversation as a card', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_SECRETARIAT_CONVERSATION: 'secretariat-chat' });
    await post(running.url, installed(running.connector.url, { conversationId: 'secretariat-chat' }));
    const pollId = await closeAPoll(running, 'Shared radiology rota');
    await running.connector.waitFor(() => running.connector.sent('secretariat-chat').length === 2);
    const card = cardOf(running.connector.sent('secretariat-chat')[1]);
    expect(textOf(card)).toContain('Shared radiology rota');
    expect(textOf(card)).toContain('Trust 1 NHS FT: Supports (recorded by Representative 1');
    const outcome = await running.store.getOutcomeByPoll(pollId);
    await expect.poll(async () => (await running.store.getOutcome(outcome!.id))?.delivery.state).toBe('posted');
  });

  it('retries a failed post and never loses the outcome', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_SECRETARIAT_CONVERSATION: 'secretariat-chat' });
    await post(running.url, installed(running.connector.url, { conversationId: 'secretariat-chat' }));
    await running.connector.waitFor(() => running.connector.sent('secretariat-chat').length === 1);
    // The shared poll-card update and the first outcome post fail; the retry gets through.
    running.connector.inject({ status: 500 }, { status: 429, retryAfterSeconds: 0 });
    const pollId = await closeAPoll(running, 'Theatre lists');
    const outcome = await running.store.getOutcomeByPoll(pollId);
    expect(outcome).toBeDefined();
    await running.connector.waitFor(() => running.connector.sent('secretariat-chat').length === 2, 15_000);
    await expect.poll(async () => (await running.store.getOutcome(outcome!.id))?.delivery.state, { timeout: 5000 }).toBe('posted');
  });

  it('without a secretariat conversation the outcome waits in the register', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const pollId = await closeAPoll(running, 'Pathology');
    const outcome = await running.store.getOutcomeByPoll(pollId);
    await expect.poll(async () => (await running.store.getOutcome(outcome!.id))?.delivery.state).toBe('not-configured');
    await post(running.url, { ...cardAction(running.connector.url, 'x', {}), type: 'message', text: 'decisions pathology', value: undefined });
    await running.connector.waitFor(() => running.connector.sent().some((call) => textOf(cardOf(call)).includes('Decisions matching')));
    const list = running.connector.sent().find((call) => textOf(cardOf(call)).includes('Decisions matching'));
    expect(textOf(cardOf(list))).toContain('Pathology');
  });
});
