import { describe, expect, it } from 'vitest';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { textOf } from '../support/fake-connector.js';

const cardIn = (response: { body: unknown }) => textOf((response.body as { value?: unknown }).value);
const invoke = (concord: TestConcord, verb: string, data: Record<string, unknown>, from = ALEX) =>
  post(concord.url, cardAction(concord.connector.url, verb, data, { from, replyToId: `card-${verb}` }));

async function decideStage(concord: TestConcord, stage: string): Promise<string> {
  await invoke(concord, 'poll.open', { title: `Hub: ${stage}`, proposal: `Agree the ${stage} stage`, category: '1', rule: 'majority', gatewayProgramme: 'Elective hub', gatewayStage: stage });
  const poll = (await concord.store.listPolls({ status: 'open' })).find((candidate) => candidate.gateway?.stage === stage)!;
  await invoke(concord, 'poll.vote', { pollId: poll.id, positionValue: 'support' }, representative(1));
  await invoke(concord, 'poll.close', { pollId: poll.id });
  return poll.id;
}

describe('locked gateways in Teams', () => {
  it('a decided stage is locked; the next stage opens; skipping a stage is refused', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const skipped = await invoke(running, 'poll.open', { title: 'Hub options', proposal: 'P', category: '1', gatewayProgramme: 'Elective hub', gatewayStage: 'options' });
    expect(cardIn(skipped)).toContain('Earlier gateway stages come first');

    await decideStage(running, 'initiation');
    const again = await invoke(running, 'poll.open', { title: 'Hub initiation again', proposal: 'P', category: '1', gatewayProgramme: 'elective HUB', gatewayStage: 'initiation' });
    expect(cardIn(again)).toContain('That gateway stage is locked');

    await decideStage(running, 'case-for-change');
    expect((await running.store.listOutcomes()).map((outcome) => outcome.gateway?.stage)).toEqual(['case-for-change', 'initiation']);
  });

  it('a stage already being decided cannot get a second open poll until the first is closed', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await invoke(running, 'poll.open', { title: 'Hub: initiation', proposal: 'Agree initiation', category: '1', gatewayProgramme: 'Elective hub', gatewayStage: 'initiation' });
    const second = await invoke(running, 'poll.open', { title: 'Hub: initiation, again', proposal: 'Agree initiation', category: '1', gatewayProgramme: 'elective hub', gatewayStage: 'initiation' });
    expect(cardIn(second)).toContain('That gateway stage already has an open poll');
    expect(cardIn(second)).toContain('Hub: initiation');
    expect(await running.store.listPolls()).toHaveLength(1);
  });

  it('reopening needs a recorded public-interest reason, which goes on the record, and supersedes the outcome', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const pollId = await decideStage(running, 'initiation');
    const first = await running.store.getOutcomeByPoll(pollId);

    const noReason = await invoke(running, 'poll.reopen', { pollId, reopenReason: '   ' });
    expect(cardIn(noReason)).toContain('Reopening needs a recorded reason');
    const notChair = await invoke(running, 'poll.reopen', { pollId, reopenReason: 'New evidence' }, representative(2));
    expect(cardIn(notChair)).toContain('Only the chair can reopen');
    expect((await running.store.getPoll(pollId))?.status).toBe('closed');

    const reopened = await invoke(running, 'poll.reopen', { pollId, reopenReason: 'New demand figures change the case; reopening serves patients' });
    expect(cardIn(reopened)).toContain('Reopened by Alex Wilber');
    expect((await running.store.getOutcome(first!.id))?.status).toBe('superseded');
    await invoke(running, 'poll.vote', { pollId, positionValue: 'object' }, representative(1));
    await invoke(running, 'poll.close', { pollId });
    const second = await running.store.getOutcomeByPoll(pollId);
    expect(second?.id).not.toBe(first?.id);
    expect(second?.reasons.join(' ')).toContain('New demand figures change the case');
    const audit = (await running.store.readAudit({ subject: pollId })).map((event) => event.action);
    expect(audit).toEqual(['poll.opened', 'vote.cast', 'poll.closed', 'poll.reopened', 'vote.changed', 'poll.closed']);
  });

  it('category 2: only affected members bind; others record a non-binding view', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await invoke(running, 'poll.open', { title: 'Shared stroke unit', proposal: 'P', category: '2', affectedMembers: ['trust-1', 'trust-2'], rule: 'unanimity' });
    const pollId = (await running.store.listPolls())[0]!.id;
    await invoke(running, 'poll.vote', { pollId, positionValue: 'support' }, representative(1));
    await invoke(running, 'poll.vote', { pollId, positionValue: 'support' }, representative(2));
    const outsider = await invoke(running, 'poll.vote', { pollId, positionValue: 'object' }, representative(3));
    expect(cardIn(outsider)).toContain('(a non-binding view)');
    const closed = await invoke(running, 'poll.close', { pollId });
    expect(cardIn(closed)).toContain('Agreed');
    expect(cardIn(closed)).toContain('Non-binding views');
    expect(await running.store.getOutcomeByPoll(pollId)).toMatchObject({ result: 'agreed', category: 2, membersInScope: ['trust-1', 'trust-2'] });
  });
});
