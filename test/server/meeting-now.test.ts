import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { ALEX, cardAction, installed, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { saveAgenda } from '../register/drive.js';

const start = useTestConcord;

const MEETING_ID = 'MCMxOTptZWV0aW5nX25vdw';
const CHAT = 'conversation-1';
const SECRETARY = 'sec-0001';
const asUser = (aadObjectId: string) => ({ 'x-concord-local-user': aadObjectId, 'content-type': 'application/json' });

/** Three trusts chaired by Alex, with a secretary who is not the chair. */
function collaborativeWithSecretary(): string {
  const file = writeCollaborative(3);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), secretariat: [SECRETARY] }));
  return file;
}

/** Concord added to the Teams meeting: the activity in its chat names the meeting, which Concord keeps with the chat. */
function addedToMeeting(serviceUrl: string) {
  const activity = installed(serviceUrl, { conversationId: CHAT });
  return { ...activity, conversation: { ...activity.conversation, conversationType: 'groupChat', isGroup: true }, channelData: { ...activity.channelData, meeting: { id: MEETING_ID } } };
}

function meetingEnd(serviceUrl: string) {
  return {
    type: 'event', name: 'application/vnd.microsoft.meetingEnd', id: 'meeting-end-1', channelId: 'msteams', serviceUrl, timestamp: '2026-11-23T11:30:00Z',
    from: { id: '29:organiser', aadObjectId: 'organiser' }, recipient: { id: '28:concord', name: 'Concord' },
    conversation: { id: CHAT, conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' }, meeting: { id: MEETING_ID } },
    value: { Id: MEETING_ID, Title: 'Board', EndTime: '2026-11-23T11:30:00Z' },
  };
}

describe('the "Now" marker (issue 21)', () => {
  it('is stored: moved on one instance, seen on another and after a restart, with who was in the meeting as the item started', { timeout: 60_000 }, async () => {
    // Instances sharing one store (as on one database); the ones after the first leave it open when they stop.
    const store = createMemoryStore();
    const shared = new Proxy(store, { get: (target, key) => (key === 'close' ? async () => undefined : Reflect.get(target, key, target)) });
    const environment = { CONCORD_COLLABORATIVE_FILE: collaborativeWithSecretary(), CONCORD_SECRETARIAT_CONVERSATION: 'secretariat-chat' };
    const first = await start(environment, { store });
    const second = await start(environment, { store: shared });
    expect((await post(first.url, addedToMeeting(first.connector.url))).status).toBe(200);
    expect((await post(first.url, installed(first.connector.url, { conversationId: 'secretariat-chat' }))).status).toBe(200);
    const agendaId = await saveAgenda(first, {
      title: 'Provider Leadership Board', date: '2026-11-23',
      items: ['P173/21 | Joint waiting list | Dr Khan | decision | 15 | Approve | ', 'P174/21 | Finance | CFO | information | 10 |  | '],
    });
    first.connector.participants.set(representative(1).aadObjectId, true);
    first.connector.participants.set(representative(2).aadObjectId, false);
    // Representative 3 is not in the meeting's roster: Teams answers 404.

    const move = (concord: TestConcord, user: string, itemRef: string, agenda = agendaId) =>
      fetch(`${concord.url}/api/meeting/agenda/${encodeURIComponent(agenda)}/now`, { method: 'POST', headers: asUser(user), body: JSON.stringify({ itemRef }) });
    const panel = async (concord: TestConcord) => (await fetch(`${concord.url}/api/meeting/agenda?chat=${CHAT}`, { headers: asUser(representative(1).aadObjectId) })).json() as Promise<{ now: string | null; items: { ref: string; attendanceText: string }[] }>;

    const moved = await move(second, ALEX.aadObjectId, 'P173/21');
    expect([moved.status, await moved.json()]).toEqual([200, { ok: true, message: 'Now: P173/21' }]);
    // The participant API, asked through the meeting chat saved with its meeting id (the chat's own serviceUrl).
    expect([...first.connector.participantLookups].sort()).toEqual([1, 2, 3].map((n) => representative(n).aadObjectId));
    const seen = await panel(first);
    expect(seen.now).toBe('P173/21');
    expect(seen.items.map((item) => item.attendanceText)).toEqual(['Present: Trust 1 NHS FT · Absent: Trust 2 NHS FT, Trust 3 NHS FT', '']);

    // The poll's result (stage and bubble) says who was there as its item started.
    expect((await post(first.url, cardAction(first.connector.url, 'poll.open', { agendaId, itemRefValue: 'P173/21', title: 'Joint waiting list', proposal: 'Approve', category: '1', rule: 'majority' }))).status).toBe(200);
    const poll = (await store.listPolls())[0]!;
    const result = await (await fetch(`${second.url}/api/meeting/polls/${poll.id}`, { headers: asUser(ALEX.aadObjectId) })).json();
    expect(result).toMatchObject({ itemAttendanceText: 'At the start of P173/21: Present: Trust 1 NHS FT · Absent: Trust 2 NHS FT, Trust 3 NHS FT' });

    // The secretariat may move it too.
    expect((await move(first, SECRETARY, 'P174/21')).status).toBe(200);
    await second.stop();
    const restarted = await start(environment, { store: shared });
    expect((await panel(restarted)).now).toBe('P174/21');

    // The draft minutes posted at the meeting's end say who was there at the start of each item.
    expect((await post(first.url, meetingEnd(first.connector.url))).status).toBe(200);
    const drafts = () => first.connector.sent('secretariat-chat').filter((call) => call.body.textFormat === 'markdown');
    await first.connector.waitFor(() => drafts().length === 1);
    const minutes = String(drafts()[0]!.body.text);
    expect(minutes).toMatch(/- \*\*At the start of the item:\*\* Taken up [^\n]+\. Present: Trust 1 NHS FT · Absent: Trust 2 NHS FT, Trust 3 NHS FT\./);
    expect(minutes).toContain('- Trust 1 NHS FT: Present');
  });

  it.each([
    ['a representative', 403, representative(1).aadObjectId, 'P174/21', undefined, /Only the chair or secretariat of Test Collaborative moves the "Now" marker/],
    ['an item not on the agenda', 400, ALEX.aadObjectId, 'P999/99', undefined, /P999\/99 is not on the current agenda \(version 1\)/],
    ['an agenda not on record', 404, ALEX.aadObjectId, 'P174/21', 'no-such-agenda', /not on record/],
  ])('%s → %i, and the marker does not move', { timeout: 30_000 }, async (_name, status, user, itemRef, agenda, message) => {
    const concord = await start({ CONCORD_COLLABORATIVE_FILE: collaborativeWithSecretary() });
    const agendaId = await saveAgenda(concord, { title: 'Board', date: '2026-11-23', items: ['P174/21 | Finance | CFO | information | 10 |  | '] });
    const response = await fetch(`${concord.url}/api/meeting/agenda/${agenda ?? agendaId}/now`, { method: 'POST', headers: asUser(user), body: JSON.stringify({ itemRef }) });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
    expect(await concord.store.itemStarts(agendaId)).toEqual([]);
    // Outside a meeting chat nobody is looked up.
    expect(concord.connector.participantLookups).toEqual([]);
  });
});
