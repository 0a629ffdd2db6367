import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';

const invokeText = (response: { body: unknown }) => textOf((response.body as { value?: unknown }).value);

describe('pending, through /api/messages', () => {
  it('lists the polls awaiting my member, and a vote from there updates the poll’s shared card', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const connector = running.connector;
    await post(running.url, cardAction(connector.url, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', title: 'Shared pathology', proposal: 'Agree', rule: 'majority' }, { replyToId: 'poll-card', conversationId: 'channel-1' }));
    const [poll] = await running.store.listPolls();
    if (!poll) throw new Error('no poll');

    // In a personal chat, the representative of trust 2 asks what awaits them.
    await post(running.url, message(connector.url, 'pending', { from: representative(2), conversationId: 'personal-2' }));
    await connector.waitFor(() => connector.sent('personal-2').length === 1);
    const card = cardOf(connector.sent('personal-2')[0]);
    expect(textOf(card)).toContain('Shared pathology');
    expect(textOf(card)).toContain('For Trust 2 NHS FT');
    expect(JSON.stringify(card)).toContain('"organisationId":"trust-2"');

    // Support, pressed on that card (Action.Execute), from the personal chat.
    const voted = await post(running.url, cardAction(connector.url, 'poll.vote', { pollId: poll.id, organisationId: 'trust-2', positionValue: 'support', returnTo: 'pending' }, { from: representative(2), conversationId: 'personal-2', replyToId: 'pending-card' }));
    expect(invokeText(voted)).toContain('Recorded: Trust 2 NHS FT supports');
    expect(invokeText(voted)).toContain('Nothing is waiting for you');
    expect(await running.store.votes(poll.id)).toMatchObject([{ organisationId: 'trust-2', position: 'support' }]);
    // The poll's card in its channel, not the pending card, is refreshed for everyone.
    await connector.waitFor(() => connector.updates('channel-1').some((call) => call.activityId === 'poll-card' && textOf(cardOf(call)).includes('Support 1')));
    expect(connector.updates('personal-2')).toHaveLength(0);
  });

  it('says so plainly when nothing awaits, also to someone who acts for no member', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2) });
    await post(running.url, message(running.connector.url, 'pending', { from: ALEX, conversationId: 'personal-alex' }));
    await running.connector.waitFor(() => running.connector.sent('personal-alex').length === 1);
    expect(textOf(cardOf(running.connector.sent('personal-alex')[0]))).toContain('Nothing is waiting for you');
  });

  it('the Action.Submit path records the vote and returns the pending card', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2) });
    const connector = running.connector;
    await post(running.url, cardAction(connector.url, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', title: 'T', proposal: 'P' }, { replyToId: 'poll-card' }));
    const [poll] = await running.store.listPolls();
    const submit = { ...message(connector.url, '', { from: representative(1), conversationId: 'personal-1' }), replyToId: 'pending-card', value: { verb: 'poll.vote', pollId: poll?.id, organisationId: 'trust-1', positionValue: 'abstain', returnTo: 'pending' } };
    expect((await post(running.url, submit)).status).toBe(200);
    await connector.waitFor(() => connector.sent('personal-1').length === 1);
    expect(textOf(cardOf(connector.sent('personal-1')[0]))).toContain('Recorded: Trust 1 NHS FT abstains');
    expect(await running.store.votes(poll?.id ?? '')).toHaveLength(1);
  });
});
