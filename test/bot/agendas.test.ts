import { describe, expect, it } from 'vitest';
import { cardAction, message, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';

const PASTED = [
  'Meeting: Provider Leadership Board',
  'Date: 2026-12-01',
  'Start: 09:30',
  'P173/21 | Chief Executive Report | R Jenkins | information | 15',
  'P174/21 | Elective recovery hub | S Patel | decision | 30 | Approve the hub business case',
  'P175/21 | Quality report | A Vance | assurance | ten',
].join('\n');

const invokeCard = (response: { body: unknown }) => (response.body as { value?: unknown }).value;

describe('agendas through /api/messages', () => {
  it('a pasted agenda with a bad line comes back as the form, naming the line and keeping every line', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await post(running.url, message(running.connector.url, `agenda ${PASTED}`));
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    const form = JSON.stringify(cardOf(running.connector.sent()[0]));
    expect(form).toContain('line 6');
    expect(form).toContain('P174/21 | Elective recovery hub');
    expect(await running.store.listOutcomes()).toHaveLength(0);
  });

  it('posts a pasted agenda with running times, then edits it in place for everyone and starts a poll from it', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await post(running.url, message(running.connector.url, `agenda ${PASTED.replace('| ten', '| 10')}`));
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    const posted = running.connector.sent()[0]!;
    const text = textOf(cardOf(posted));
    expect(text).toContain('Provider Leadership Board');
    expect(text).toContain('09:45'); // the second item starts after the 15-minute first
    expect(text).toContain('For decision');

    const agendaActivityId = 'activity-1';
    const agendaId = JSON.stringify(cardOf(posted)).match(/"agendaId":"([^"]+)"/)?.[1];
    expect(agendaId).toBeTruthy();

    const edit = await post(running.url, cardAction(running.connector.url, 'agenda.edit', { agendaId }, { replyToId: agendaActivityId }));
    expect(JSON.stringify(invokeCard(edit))).toContain('agenda.save');

    const saved = await post(running.url, cardAction(running.connector.url, 'agenda.save', {
      agendaId, expectedVersion: '1', title: 'Provider Leadership Board (rescheduled)', date: '2026-12-02', startTime: '10:00',
      items: 'P174/21 | Elective recovery hub | S Patel | decision | 30 | Approve the hub business case',
    }, { replyToId: agendaActivityId }));
    expect(textOf(invokeCard(saved))).toContain('rescheduled');
    // Everyone sees the edit: the original message is updated, not a new one posted.
    await running.connector.waitFor(() => running.connector.updates().some((call) => call.activityId === agendaActivityId));
    const stored = await running.store.getAgenda(agendaId!);
    expect(stored?.current.version).toBe(2);
    expect(stored?.history).toHaveLength(1);

    await post(running.url, cardAction(running.connector.url, 'poll.start', { agendaId, itemRef: 'P174/21' }, { replyToId: agendaActivityId }));
    await running.connector.waitFor(() => running.connector.sent().length === 2);
    const form = JSON.stringify(cardOf(running.connector.sent()[1]));
    expect(form).toContain('Approve the hub business case');

    await post(running.url, cardAction(running.connector.url, 'poll.open', {
      agendaId, itemRefValue: 'P174/21', title: 'P174/21 Elective recovery hub', proposal: 'Approve the hub business case', category: '1', rule: 'majority',
    }, { replyToId: 'activity-2' }));
    const [poll] = await running.store.listPolls();
    expect(poll?.agenda).toMatchObject({ itemRef: 'P174/21', meetingTitle: 'Provider Leadership Board (rescheduled)' });
  });

  it('trusts no agenda data from the card: an edit must name its version, a poll must be on an item of the stored agenda (item 14.9)', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await post(running.url, message(running.connector.url, `agenda ${PASTED.replace('| ten', '| 10')}`));
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    const agendaId = JSON.stringify(cardOf(running.connector.sent()[0])).match(/"agendaId":"([^"]+)"/)?.[1];

    const blind = await post(running.url, cardAction(running.connector.url, 'agenda.save', {
      agendaId, title: 'Replaced', date: '2026-12-02', startTime: '10:00', items: 'X1 | Nothing | Nobody | decision | 5',
    }, { replyToId: 'activity-1' }));
    expect(textOf(invokeCard(blind))).toContain('did not say which version');
    expect((await running.store.getAgenda(agendaId!))?.current.version).toBe(1);

    const forged = await post(running.url, cardAction(running.connector.url, 'poll.open', {
      agendaId, itemRefValue: 'P999/99', title: 'Not on the agenda', proposal: 'Agree it', category: '1', rule: 'majority',
    }, { replyToId: 'activity-1' }));
    expect(textOf(invokeCard(forged))).toContain('could not find that item');
    expect(await running.store.listPolls()).toEqual([]);
  });

  it('refuses agenda editing to someone who is neither chair nor secretariat', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await post(running.url, message(running.connector.url, 'agenda', { from: representative(1) }));
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    expect(textOf(cardOf(running.connector.sent()[0]))).toContain('Only the chair or secretariat');
    const saved = await post(running.url, cardAction(running.connector.url, 'agenda.save', { title: 'x', date: '2026-12-01', startTime: '09:00', items: 'A1 | t | l | decision | 5' }, { from: representative(1) }));
    expect(textOf(invokeCard(saved))).toContain('Only the chair or secretariat');
  });
});
