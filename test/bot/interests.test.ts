import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post, type Member } from '../support/activities.js';
import { representative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { tempDir } from '../support/temp-dir.js';

const SECOND_REP: Member = { aadObjectId: 'rep-1b', name: 'Second Representative' };

/** Trust 1 has two representatives; trust 2 one. */
function collaborativeFile(): string {
  const file = path.join(tempDir('interests'), 'collaborative.json');
  writeFileSync(file, JSON.stringify({
    id: 'c', name: 'Test Collaborative', chairs: [ALEX.aadObjectId], secretariat: [ALEX.aadObjectId], defaultRule: { kind: 'majority' },
    members: [
      { id: 'trust-1', name: 'Trust 1 NHS FT', representatives: [representative(1).aadObjectId, SECOND_REP.aadObjectId] },
      { id: 'trust-2', name: 'Trust 2 NHS FT', representatives: [representative(2).aadObjectId] },
    ],
  }));
  return file;
}

const invokeText = (response: { body: unknown }) => textOf((response.body as { value?: unknown }).value);
const act = (concord: TestConcord, from: Member, verb: string, data: Record<string, unknown>) =>
  post(concord.url, cardAction(concord.connector.url, verb, data, { from, replyToId: 'poll-card' }));

describe('declarations of interest, through /api/messages', () => {
  it('a declaration the chair excludes stops that person’s vote; the member’s other representative votes; the record shows it', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: collaborativeFile() });
    await act(running, ALEX, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', title: 'Award the pathology contract', proposal: 'Award it', rule: 'majority' });
    const [poll] = await running.store.listPolls();
    if (!poll) throw new Error('no poll');

    const declared = await act(running, representative(1), 'interest.declare', { pollId: poll.id, interestDescription: 'Non-executive director of a bidder' });
    expect(invokeText(declared)).toContain('Your declaration is on the record');
    expect(invokeText(declared)).toContain('Representative 1 (Trust 1 NHS FT): Non-executive director of a bidder: awaiting the chair’s decision');
    const declarationId = (await running.store.getPoll(poll.id))?.declarations?.[0]?.id;

    // Only the chair handles it.
    expect(invokeText(await act(running, representative(2), 'interest.handle', { pollId: poll.id, declarationId, handlingValue: 'no-part' }))).toContain('Only the chair records');
    // The Action.Submit path (older clients) reaches the same handler.
    const submit = { ...message(running.connector.url, ''), replyToId: 'poll-card', value: { verb: 'interest.handle', pollId: poll.id, declarationId, handlingValue: 'no-part' } };
    expect((await post(running.url, submit)).status).toBe(200);
    expect((await running.store.getPoll(poll.id))?.declarations?.[0]?.handling?.kind).toBe('no-part');

    const refused = await act(running, representative(1), 'poll.vote', { pollId: poll.id, positionValue: 'support' });
    expect(invokeText(refused)).toContain('you may not take part in this decision');
    expect(await running.store.votes(poll.id)).toHaveLength(0);

    const other = await act(running, SECOND_REP, 'poll.vote', { pollId: poll.id, positionValue: 'support' });
    expect(invokeText(other)).toContain('Recorded: Trust 1 NHS FT supports');
    await running.connector.waitFor(() => running.connector.updates().some((call) => textOf(cardOf(call)).includes('may not take part in the decision (decided by Alex Wilber)')));

    await act(running, ALEX, 'poll.close', { pollId: poll.id });
    const outcome = await running.store.getOutcomeByPoll(poll.id);
    expect(outcome?.declarations?.map((d) => [d.declaredBy.aadObjectId, d.handling?.kind])).toEqual([[representative(1).aadObjectId, 'no-part']]);
    const audit = (await running.store.readAudit({ subject: poll.id })).map((event) => event.action);
    expect(audit).toEqual(['poll.opened', 'interest.declared', 'interest.handled', 'vote.cast', 'poll.closed']);
  });

  it('a member whose only representative leaves for the item is shown as conflicted', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: collaborativeFile() });
    await act(running, ALEX, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', title: 'T', proposal: 'P', rule: 'majority' });
    const [poll] = await running.store.listPolls();
    await act(running, representative(2), 'interest.declare', { pollId: poll?.id, interestDescription: 'Spouse works for a bidder' });
    const declarationId = (await running.store.getPoll(poll?.id ?? ''))?.declarations?.[0]?.id;
    const handled = await act(running, ALEX, 'interest.handle', { pollId: poll?.id, declarationId, handlingValue: 'leaves' });
    expect(invokeText(handled)).toContain('Conflicted: no one who acts for it may take part');
  });
});
