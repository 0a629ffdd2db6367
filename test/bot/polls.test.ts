import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { ALEX, cardAction, message, post, type Member } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { tempDir } from '../support/temp-dir.js';

const invokeCard = (response: { body: unknown }) => (response.body as { value?: unknown }).value;

async function openPollAs(concord: TestConcord, from: Member, fields: Record<string, unknown>) {
  const response = await post(concord.url, cardAction(concord.connector.url, 'poll.open', { agendaId: '', itemRefValue: '', category: '1', ...fields }, { from, replyToId: 'poll-form-1' }));
  return response;
}

async function onlyPollId(concord: TestConcord): Promise<string> {
  const [poll] = await concord.store.listPolls();
  if (!poll) throw new Error('no poll was opened');
  return poll.id;
}

const vote = (concord: TestConcord, from: Member, pollId: string, positionValue: string, extra: Record<string, unknown> = {}) =>
  post(concord.url, cardAction(concord.connector.url, 'poll.vote', { pollId, positionValue, ...extra }, { from, replyToId: 'poll-form-1' }));

describe('polls through /api/messages', () => {
  it('50 members voting at the same instant are all counted, exactly once', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(50) });
    const opened = await openPollAs(running, ALEX, { title: 'Elective hub', proposal: 'Agree the hub', rule: 'majority' });
    expect(opened.status).toBe(200);
    const pollId = await onlyPollId(running);
    const positions = ['support', 'object', 'abstain'] as const;
    const responses = await Promise.all(Array.from({ length: 50 }, (_, index) =>
      vote(running, representative(index + 1), pollId, positions[index % 3]!)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const votes = await running.store.votes(pollId);
    expect(votes).toHaveLength(50);
    expect(votes.filter((v) => v.position === 'support')).toHaveLength(17);
    expect(votes.filter((v) => v.position === 'object')).toHaveLength(17);
    expect(votes.filter((v) => v.position === 'abstain')).toHaveLength(16);
    // A burst of votes is coalesced into a few card refreshes, not one per vote.
    await running.connector.waitFor(() => running.connector.updates().some((call) => textOf(cardOf(call)).includes('Support 17 · Object 17 · Abstain 16')));
    expect(running.connector.updates().length).toBeLessThan(10);
  });

  it('a retried or double-clicked vote is recorded once; a change replaces it and is audited', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await openPollAs(running, ALEX, { title: 'Shared pathology', proposal: 'Agree', rule: 'consensus' });
    const pollId = await onlyPollId(running);
    await Promise.all([vote(running, representative(1), pollId, 'support'), vote(running, representative(1), pollId, 'support')]);
    expect(await running.store.votes(pollId)).toHaveLength(1);
    const changed = await vote(running, representative(1), pollId, 'object');
    expect(textOf(invokeCard(changed))).toContain('Changed: Trust 1 NHS FT now objects (was supports)');
    const votes = await running.store.votes(pollId);
    expect(votes).toHaveLength(1);
    expect(votes[0]?.position).toBe('object');
    const audit = (await running.store.readAudit({ subject: pollId })).map((event) => event.action);
    expect(audit).toEqual(['poll.opened', 'vote.cast', 'vote.changed']);
  });

  it('refuses a vote from someone who represents no member, and changes nothing', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await openPollAs(running, ALEX, { title: 'T', proposal: 'P' });
    const pollId = await onlyPollId(running);
    const response = await vote(running, { aadObjectId: 'stranger', name: 'A Stranger' }, pollId, 'object');
    expect(response.status).toBe(200);
    expect(textOf(invokeCard(response))).toContain('Only a member organisation’s named representative or deputy can record its position');
    expect(await running.store.votes(pollId)).toHaveLength(0);
  });

  it('only the chair opens and closes a poll', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const refused = await openPollAs(running, representative(1), { title: 'T', proposal: 'P' });
    expect(textOf(invokeCard(refused))).toContain('Only the chair can open a poll');
    expect(await running.store.listPolls()).toHaveLength(0);

    await openPollAs(running, ALEX, { title: 'T', proposal: 'P' });
    const pollId = await onlyPollId(running);
    const notClosed = await post(running.url, cardAction(running.connector.url, 'poll.close', { pollId }, { from: representative(1) }));
    expect(textOf(invokeCard(notClosed))).toContain('Only the chair can close this poll');
    expect((await running.store.getPoll(pollId))?.status).toBe('open');
  });

  it('closing shows every member’s position and logs one outcome, even when pressed twice', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await openPollAs(running, ALEX, { title: 'Theatres', proposal: 'Share theatre lists', rule: 'consensus' });
    const pollId = await onlyPollId(running);
    await vote(running, representative(1), pollId, 'support');
    await vote(running, representative(2), pollId, 'object');
    const [first, second] = await Promise.all([
      post(running.url, cardAction(running.connector.url, 'poll.close', { pollId })),
      post(running.url, cardAction(running.connector.url, 'poll.close', { pollId })),
    ]);
    const text = textOf(invokeCard(first));
    expect(text).toContain('Trust 1 NHS FT: Supports (recorded by Representative 1)');
    expect(text).toContain('Trust 2 NHS FT: Objects (recorded by Representative 2)');
    expect(text).toContain('Trust 3 NHS FT: Did not vote');
    expect(text).toContain('dispute resolution');
    expect(textOf(invokeCard(second))).toContain('closed by Alex Wilber');
    const outcomes = await running.store.listOutcomes();
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ pollId, result: 'not-agreed', status: 'referred-to-dispute-resolution' });
  });

  it('a poll opened from the chat command shows the form', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await post(running.url, message(running.connector.url, 'poll Agree the shared radiology rota'));
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    const card = cardOf(running.connector.sent()[0]);
    expect(JSON.stringify(card)).toContain('Agree the shared radiology rota');
    expect(JSON.stringify(card)).toContain('poll.open');
  });
});

describe('closing time', () => {
  it('a poll whose closing time passed while Concord was down is closed on start', async () => {
    const dataDir = tempDir('deadline');
    const collaborativeFile = writeCollaborative(3);
    let now = new Date('2026-11-23T10:00:00Z');
    const clock = { now: () => now };
    const environment = { CONCORD_COLLABORATIVE_FILE: collaborativeFile, CONCORD_DATA_DIR: dataDir };

    const running = await useTestConcord(environment, { store: await openFileStore({ dataDir }), clock });
    await openPollAs(running, ALEX, { title: 'Deadline', proposal: 'P', rule: 'majority', closesInMinutes: '30' });
    const pollId = await onlyPollId(running);
    await vote(running, representative(1), pollId, 'support');
    await running.stop();

    now = new Date('2026-11-23T11:00:00Z');
    const restarted = await useTestConcord(environment, { store: await openFileStore({ dataDir }), clock });
    const poll = await restarted.store.getPoll(pollId);
    expect(poll?.status).toBe('closed');
    expect(poll?.closedBy?.aadObjectId).toBe('concord');
    const outcome = await restarted.store.getOutcomeByPoll(pollId);
    expect(outcome).toMatchObject({ result: 'agreed', counts: { support: 1, object: 0, abstain: 0, notVoted: 2 } });
  });
});

describe('each representative’s own view', () => {
  it('the card asks Teams to refresh it for the members’ representatives, and the refresh shows what is on record for them', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const opened = await openPollAs(running, ALEX, { title: 'Hidden', proposal: 'P', hidePositions: 'true' });
    const card = invokeCard(opened) as { refresh?: { userIds?: string[]; action?: { verb?: string } } };
    expect(card.refresh?.action?.verb).toBe('poll.refresh');
    expect(card.refresh?.userIds).toEqual([representative(1).aadObjectId, representative(2).aadObjectId, representative(3).aadObjectId]);
    const pollId = await onlyPollId(running);
    await vote(running, representative(2), pollId, 'object');

    const own = await post(running.url, cardAction(running.connector.url, 'poll.refresh', { pollId }, { from: representative(2) }));
    expect(textOf(invokeCard(own))).toContain('On record for you: Trust 2 NHS FT objects (recorded by Representative 2)');
    // Everyone else still sees only that Trust 2 has voted, not how.
    const other = await post(running.url, cardAction(running.connector.url, 'poll.refresh', { pollId }, { from: representative(1) }));
    expect(textOf(invokeCard(other))).toContain('On record for you: Trust 1 NHS FT has not voted yet');
    expect(textOf(invokeCard(other))).toContain('Trust 2 NHS FT: Voted');
    expect(textOf(invokeCard(other))).not.toContain('objects');
  });
});

describe('the log says what happened to each vote (issue 15, item 7)', () => {
  /** Concord with its log lines captured as objects. */
  async function withLog(): Promise<{ running: TestConcord; lines: Record<string, unknown>[] }> {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done(); } });
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) }, { logger: pino({ level: 'info' }, stream) });
    return { running, lines };
  }
  const STRANGER: Member = { aadObjectId: 'not-a-member-0001', name: 'Someone Else' };

  it.each<[string, Member, 'open' | 'closed', 'poll.vote' | 'poll.close', string, string]>([
    ['a representative votes (ok)', representative(1), 'open', 'poll.vote', 'ok', 'poll.vote'],
    ['someone who represents no member votes (refused)', STRANGER, 'open', 'poll.vote', 'refused', 'poll.vote: not-a-representative'],
    ['a representative votes on a closed poll (refused)', representative(1), 'closed', 'poll.vote', 'refused', 'poll.vote: poll-closed'],
    ['a representative tries to close the poll (refused)', representative(2), 'open', 'poll.close', 'refused', 'poll.close: not-chair'],
  ])('%s: logged as the outcome it had', async (_case, from, state, verb, outcome, detail) => {
    const { running, lines } = await withLog();
    await openPollAs(running, ALEX, { title: 'Logged', proposal: 'P', rule: 'majority' });
    const pollId = await onlyPollId(running);
    if (state === 'closed') await post(running.url, cardAction(running.connector.url, 'poll.close', { pollId }, { from: ALEX }));
    const response = verb === 'poll.vote'
      ? await vote(running, from, pollId, 'support')
      : await post(running.url, cardAction(running.connector.url, 'poll.close', { pollId }, { from }));
    expect(response.status).toBe(200);
    const logged = lines.filter((line) => line.msg === 'activity' && line.user === from.aadObjectId && line.name === 'adaptiveCard/action').at(-1);
    expect(logged).toMatchObject({ outcome, detail });
  });
});

describe('decision references (issue 15, item 4)', () => {
  it('a poll started with `poll` is quoted as D-<year>-<n> on its card, in the register and the exports', async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const references: string[] = [];
    for (const title of ['First', 'Second']) {
      const opened = await openPollAs(running, ALEX, { title, proposal: 'P', rule: 'majority' });
      const poll = (await running.store.listPolls()).find((candidate) => candidate.title === title)!;
      expect(textOf(invokeCard(opened))).toContain(`Decision ${poll.reference}`);
      await post(running.url, cardAction(running.connector.url, 'poll.close', { pollId: poll.id }, { from: ALEX }));
      const outcome = await running.store.getOutcomeByPoll(poll.id);
      references.push(outcome!.reference);
    }
    const year = String(new Date().getUTCFullYear());
    expect(references).toEqual([`D-${year}-001`, `D-${year}-002`]);
    const { outcomesToCsv, outcomesToMarkdown } = await import('../../src/register/export.js');
    const outcomes = await running.store.listOutcomes();
    expect(outcomesToCsv(outcomes)).toContain(`\r\nD-${year}-002,Second,`);
    expect(outcomesToMarkdown(outcomes)).toContain(`## D-${year}-001 · First`);
  });
});

describe('Action.Submit fallback votes (issue 15, item 6)', () => {
  const MEMBERS = 30;
  const submitVote = (concord: TestConcord, from: Member, pollId: string, positionValue: string) => post(concord.url, {
    ...message(concord.connector.url, '', { from }),
    replyToId: 'poll-form-1',
    value: { verb: 'poll.vote', pollId, positionValue },
  });

  it.each([
    ['Teams answers every call', []],
    ['Teams throttles the channel (429) for a while', Array.from({ length: 6 }, () => ({ status: 429, retryAfterSeconds: 0 }))],
  ])('%s: the shared card is updated through the coalescing updater and each voter gets a one-line confirmation', async (_case, faults) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(MEMBERS) });
    await openPollAs(running, ALEX, { title: 'Fallback', proposal: 'P', rule: 'majority' });
    const pollId = await onlyPollId(running);
    const before = running.connector.calls.length;
    running.connector.inject(...faults);
    const responses = await Promise.all(Array.from({ length: MEMBERS }, (_, index) => submitVote(running, representative(index + 1), pollId, 'support')));
    expect(responses.map((response) => response.status)).toEqual(Array(MEMBERS).fill(200));
    expect(await running.store.votes(pollId)).toHaveLength(MEMBERS);

    const connector = running.connector;
    const confirmations = () => connector.calls.slice(before).filter((call) => call.method === 'POST' && String(call.body.text ?? '').startsWith('Recorded:'));
    await connector.waitFor(() => confirmations().length === MEMBERS, 20_000);
    // No vote posts a card into the channel: every new message is a short text.
    const posted = connector.calls.slice(before).filter((call) => call.method === 'POST');
    expect(posted.filter((call) => Array.isArray(call.body.attachments) && (call.body.attachments as unknown[]).length > 0)).toEqual([]);
    expect(Math.max(...confirmations().map((call) => JSON.stringify(call.body).length))).toBeLessThan(2000);
    // The shared card is refreshed (coalesced: far fewer updates than votes) until it shows every vote.
    const updates = () => connector.calls.slice(before).filter((call) => call.method === 'PUT' && call.activityId === 'poll-form-1');
    await connector.waitFor(() => updates().some((call) => JSON.stringify(call.body).includes(`Support ${MEMBERS} · Object 0`)), 20_000);
    expect(updates().length).toBeLessThan(MEMBERS / 2);
  });
});
