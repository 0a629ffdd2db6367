import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post, type Member } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { outcomesToCsv, outcomesToMarkdown } from '../../src/register/export.js';

const NOTE = 'By e-mail from the chief executive, 3 Dec 10:02';
const invokeText = (response: { body: unknown }) => textOf((response.body as { value?: unknown }).value);

async function openPoll(concord: TestConcord): Promise<string> {
  await post(concord.url, cardAction(concord.connector.url, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', title: 'Shared pathology', proposal: 'Agree', rule: 'majority' }, { replyToId: 'poll-card' }));
  const [poll] = await concord.store.listPolls();
  if (!poll) throw new Error('no poll was opened');
  return poll.id;
}

const onBehalf = (concord: TestConcord, from: Member, data: Record<string, unknown>) =>
  post(concord.url, cardAction(concord.connector.url, 'poll.onBehalf', data, { from, replyToId: 'poll-card' }));

describe('positions recorded on a member’s behalf, through /api/messages', () => {
  it('the chair records one with a note; the card, audit and register show it; the representative can change it', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const pollId = await openPoll(running);
    const recorded = await onBehalf(running, ALEX, { pollId, onBehalfOrganisationId: 'trust-2', onBehalfPosition: 'object', onBehalfNote: NOTE });
    expect(recorded.status).toBe(200);
    expect(invokeText(recorded)).toContain('Recorded on behalf of Trust 2 NHS FT: objects');
    expect(await running.store.votes(pollId)).toMatchObject([{ organisationId: 'trust-2', position: 'object', castBy: { aadObjectId: ALEX.aadObjectId }, onBehalf: { note: NOTE } }]);
    // The voter gets the small reply card (issue 22); the shared poll card, for everyone, shows who recorded it.
    await running.connector.waitFor(() => running.connector.updates().some((call) => textOf(cardOf(call)).includes('recorded on behalf by Alex Wilber')));

    // Its own representative, who may know better, changes it before close.
    const changed = await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId, positionValue: 'support' }, { from: representative(2), replyToId: 'poll-card' }));
    expect(invokeText(changed)).toContain('Changed: Trust 2 NHS FT now supports (was objects)');
    const [vote] = await running.store.votes(pollId);
    expect(vote?.onBehalf).toBeUndefined();

    const audit = await running.store.readAudit({ subject: pollId });
    expect(audit.map((event) => [event.action, event.detail.note, (event.detail.previousOnBehalf as { note?: string } | undefined)?.note]))
      .toEqual([['poll.opened', undefined, undefined], ['vote.cast', NOTE, undefined], ['vote.changed', undefined, NOTE]]);
  });

  it('a position still on behalf at close is in the outcome, the CSV and the Markdown', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const pollId = await openPoll(running);
    // The Action.Submit path (older clients) reaches the same handler.
    const submit = { ...message(running.connector.url, ''), replyToId: 'poll-card', value: { verb: 'poll.onBehalf', pollId, onBehalfOrganisationId: 'trust-3', onBehalfPosition: 'abstain', onBehalfNote: NOTE } };
    expect((await post(running.url, submit)).status).toBe(200);
    await post(running.url, cardAction(running.connector.url, 'poll.close', { pollId }, { replyToId: 'poll-card' }));
    const outcome = await running.store.getOutcomeByPoll(pollId);
    expect(outcome?.positions.find((p) => p.organisationId === 'trust-3')).toMatchObject({ position: 'abstain', onBehalf: { note: NOTE } });
    expect(outcomesToCsv(outcome ? [outcome] : [])).toContain(`Abstains (recorded on behalf by Alex Wilber, `);
    expect(outcomesToMarkdown(outcome ? [outcome] : [])).toContain(`Trust 3 NHS FT: Abstains (recorded on behalf by Alex Wilber, `);
    expect(outcomesToCsv(outcome ? [outcome] : [])).toContain(NOTE);
  });

  it.each<[string, Member, Record<string, unknown>, string]>([
    ['a representative', representative(1), { onBehalfOrganisationId: 'trust-2', onBehalfPosition: 'support', onBehalfNote: NOTE }, 'Only the chair or the secretariat'],
    ['no note', ALEX, { onBehalfOrganisationId: 'trust-2', onBehalfPosition: 'support', onBehalfNote: '' }, 'Add a note saying how the position came in'],
  ])('refuses %s, and changes nothing', async (_name, from, data, words) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const pollId = await openPoll(running);
    const response = await onBehalf(running, from, { pollId, ...data });
    expect(response.status).toBe(200);
    expect(invokeText(response)).toContain(words);
    expect(await running.store.votes(pollId)).toHaveLength(0);
  });

  it.each<[string, Member, RegExp]>([
    ['the chair gets the form, listing every member', ALEX, /Trust 1 NHS FT: trust-1[\s\S]*Trust 3 NHS FT: trust-3[\s\S]*Record on its behalf/],
    ['a representative is told it is for the chair or the secretariat', representative(1), /Only the chair or the secretariat/],
  ])('the "On a member’s behalf" button: %s', async (_name, from, shown) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const pollId = await openPoll(running);
    const response = await post(running.url, cardAction(running.connector.url, 'poll.onBehalfForm', { pollId }, { from, replyToId: 'poll-card' }));
    expect(response.status).toBe(200);
    expect(invokeText(response)).toMatch(shown);
  });
});
