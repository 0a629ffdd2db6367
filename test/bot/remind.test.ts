import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { textOf } from '../support/fake-connector.js';

const invokeText = (response: { body: unknown }) => textOf((response.body as { value?: unknown }).value);

describe('the chair’s "Remind those not yet on record", through /api/messages', () => {
  it('posts one message in the poll’s conversation that @mentions the representatives of members not on record', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const connector = running.connector;
    await post(running.url, cardAction(connector.url, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', title: 'Shared pathology', proposal: 'Agree' }, { replyToId: 'poll-card', conversationId: 'channel-1' }));
    const [poll] = await running.store.listPolls();
    await post(running.url, cardAction(connector.url, 'poll.vote', { pollId: poll?.id, positionValue: 'support' }, { from: representative(1), replyToId: 'poll-card', conversationId: 'channel-1' }));

    // Not the chair: nothing is sent.
    const refused = await post(running.url, cardAction(connector.url, 'poll.remind', { pollId: poll?.id }, { from: representative(2), replyToId: 'poll-card', conversationId: 'channel-1' }));
    expect(invokeText(refused)).toContain('Only the chair sends reminders');
    expect(connector.sent('channel-1')).toHaveLength(0);

    const reminded = await post(running.url, cardAction(connector.url, 'poll.remind', { pollId: poll?.id }, { from: ALEX, replyToId: 'poll-card', conversationId: 'channel-1' }));
    expect(invokeText(reminded)).toContain('Reminder posted here for 2 members not yet on record (2 people mentioned)');
    const [message] = connector.sent('channel-1');
    expect(connector.sent('channel-1')).toHaveLength(1);
    const entities = message?.body.entities as { type: string; text: string; mentioned: { id: string } }[];
    expect(entities.map((entity) => [entity.type, entity.mentioned.id])).toEqual([['mention', representative(2).aadObjectId], ['mention', representative(3).aadObjectId]]);
    for (const entity of entities) expect(message?.body.text).toContain(entity.text);
    expect((await running.store.readAudit({ subject: poll?.id })).map((event) => event.action)).toContain('poll.reminded');
  });
});
