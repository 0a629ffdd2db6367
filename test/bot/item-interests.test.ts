import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post, type Member } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';


const PASTED = [
  'Meeting: Provider Leadership Board',
  'Date: 2026-12-01',
  'Start: 09:30',
  'P173/21 | Chief Executive Report | R Jenkins | information | 15',
  'P174/21 | Elective recovery hub | S Patel | decision | 30 | Approve the hub business case',
].join('\n');
const AGENDA_ACTIVITY = 'activity-1';

const invokeText = (response: { body: unknown }) => textOf((response.body as { value?: unknown }).value);
/** Action.Execute, pressed on the agenda card. */
const execute = (concord: TestConcord, from: Member, verb: string, data: Record<string, unknown>) =>
  post(concord.url, cardAction(concord.connector.url, verb, data, { from, replyToId: AGENDA_ACTIVITY }));
/** Action.Submit (clients without Universal Actions): a message whose value carries the verb. */
const submit = (concord: TestConcord, from: Member, data: Record<string, unknown>) =>
  post(concord.url, { ...message(concord.connector.url, '', { from }), replyToId: AGENDA_ACTIVITY, value: data });

async function postAgenda(concord: TestConcord): Promise<string> {
  await post(concord.url, message(concord.connector.url, `agenda ${PASTED}`));
  await concord.connector.waitFor(() => concord.connector.sent().length === 1);
  const [agenda] = await concord.store.listAgendas();
  if (!agenda) throw new Error('agenda not stored');
  return agenda.id;
}

const openFromItem = (concord: TestConcord, agendaId: string) =>
  post(concord.url, cardAction(concord.connector.url, 'poll.open', { agendaId, itemRefValue: 'P174/21', category: '1', title: 'Elective recovery hub', proposal: 'Approve the hub business case', rule: 'majority' }, { replyToId: 'poll-form' }));

describe('declarations of interest on agenda items, through /api/messages', () => {
  it('declared (Execute) and handled (Submit) on the agenda card; the poll started from the item stops the excluded person’s vote', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const agendaId = await postAgenda(running);

    const declared = await execute(running, representative(2), 'agenda.declareInterest', { agendaId, declareItemRef: 'P174/21', interestDescription: 'Non-executive director of the hub’s preferred provider' });
    expect(invokeText(declared)).toContain('Your declaration on P174/21 is on the record');
    expect(invokeText(declared)).toContain('Representative 2 (Trust 2 NHS FT): Non-executive director of the hub’s preferred provider: awaiting the chair’s decision');
    // Everyone's copy of the agenda shows it: the posted message is updated, not a new one sent.
    await running.connector.waitFor(() => running.connector.updates().some((call) => call.activityId === AGENDA_ACTIVITY && textOf(cardOf(call)).includes('preferred provider')));
    const shared = running.connector.updates().filter((call) => call.activityId === AGENDA_ACTIVITY).at(-1);
    expect(textOf(cardOf(shared))).not.toContain('Your declaration'); // that line is for the presser only
    const declarationId = (await running.store.getAgenda(agendaId))?.declarations?.[0]?.id;

    // Only the chair handles it; a representative's try is refused on the card, nothing stored.
    const notChair = await execute(running, representative(3), 'agenda.handleInterest', { agendaId, declarationId, handlingValue: 'no-part' });
    expect(invokeText(notChair)).toContain('Only the chair records how a declaration of interest is handled');
    expect((await running.store.getAgenda(agendaId))?.declarations?.[0]?.handling).toBeUndefined();

    expect((await submit(running, ALEX, { verb: 'agenda.handleInterest', agendaId, declarationId, handlingValue: 'no-part' })).status).toBe(200);
    expect((await running.store.getAgenda(agendaId))?.declarations?.[0]?.handling?.kind).toBe('no-part');

    expect((await openFromItem(running, agendaId)).status).toBe(200);
    const [poll] = await running.store.listPolls();
    expect(poll?.declarations?.map((d) => [d.id, d.declaredBy.aadObjectId, d.handling?.kind])).toEqual([[declarationId, representative(2).aadObjectId, 'no-part']]);

    const refused = await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId: poll!.id, positionValue: 'support' }, { from: representative(2), replyToId: 'poll-card' }));
    expect(invokeText(refused)).toContain('you may not take part in this decision');
    expect(await running.store.votes(poll!.id)).toHaveLength(0);

    const audit = (await running.store.readAudit({ subject: agendaId })).map((event) => [event.action, event.detail['itemRef']]);
    expect(audit).toEqual([['agenda.created', undefined], ['interest.declared', 'P174/21'], ['interest.handled', 'P174/21']]);
  });

  it('declared (Submit) while the item’s poll is open: the poll gets it too, and the chair’s handling (Execute) applies there at once', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const agendaId = await postAgenda(running);
    await openFromItem(running, agendaId);
    const [poll] = await running.store.listPolls();

    expect((await submit(running, representative(3), { verb: 'agenda.declareInterest', agendaId, declareItemRef: 'P174/21', interestDescription: 'Spouse works for a bidder' })).status).toBe(200);
    const declarationId = (await running.store.getAgenda(agendaId))?.declarations?.[0]?.id;
    expect((await running.store.getPoll(poll!.id))?.declarations?.map((d) => d.id)).toEqual([declarationId]);

    const handled = await execute(running, ALEX, 'agenda.handleInterest', { agendaId, declarationId, handlingValue: 'leaves' });
    expect(invokeText(handled)).toContain('Recorded on P174/21: Representative 3 (Trust 3 NHS FT): Spouse works for a bidder: leaves the meeting for this item (decided by Alex Wilber)');
    expect((await running.store.getPoll(poll!.id))?.declarations?.[0]?.handling?.kind).toBe('leaves');
    const refused = await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId: poll!.id, positionValue: 'object' }, { from: representative(3), replyToId: 'poll-card' }));
    expect(invokeText(refused)).toContain('you may not take part in this decision');
  });

  it.each<[string, Member, Record<string, unknown>, string]>([
    ['no item chosen', representative(2), { declareItemRef: '', interestDescription: 'x' }, 'Choose the agenda item'],
    ['an item edited off the agenda', representative(2), { declareItemRef: 'P999/21', interestDescription: 'x' }, 'no longer on the agenda'],
    ['no description', representative(2), { declareItemRef: 'P174/21', interestDescription: ' ' }, 'Describe the interest'],
    ['someone who acts for no member', { aadObjectId: 'stranger', name: 'Someone Else' }, { declareItemRef: 'P174/21', interestDescription: 'x' }, 'Only a member organisation’s representative or deputy'],
  ])('refuses %s politely on the card, storing nothing', async (_name, from, data, want) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const agendaId = await postAgenda(running);
    const response = await execute(running, from, 'agenda.declareInterest', { agendaId, ...data });
    expect(response.status).toBe(200);
    expect(invokeText(response)).toContain(want);
    expect((await running.store.getAgenda(agendaId))?.declarations).toBeUndefined();
  });
});
