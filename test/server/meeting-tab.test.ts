import { pino } from 'pino';
import restify from 'restify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { mountMeetingTab } from '../../src/server/meeting-tab.js';
import type { MeetingPolls } from '../../src/bot/features.js';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { saveAgenda } from '../register/drive.js';

const asUser = (aadObjectId: string) => ({ 'x-concord-local-user': aadObjectId, 'content-type': 'application/json' });

describe('the in-meeting bubble (local mode)', () => {
  it('serves the page, shows the poll, and records a position through the same core as a card vote', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await post(running.url, cardAction(running.connector.url, 'poll.open', { title: 'Shared <b>lists</b>', proposal: 'Share lists', category: '1', rule: 'majority' }, { from: ALEX }));
    const poll = (await running.store.listPolls())[0]!;

    const page = await fetch(`${running.url}/tab/bubble?poll=${poll.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('src="bubble.js"');
    // The side panel, the bubble and the stage start TeamsJS through one shared script, served beside theirs.
    for (const name of ['bubble', 'meeting', 'stage']) expect(await (await fetch(`${running.url}/tab/${name}`)).text()).toContain('<script src="teams-connect.js" defer></script>');
    const shared = await fetch(`${running.url}/tab/teams-connect.js`);
    expect(shared.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await shared.text()).toContain('getAuthToken');

    const view = await fetch(`${running.url}/api/meeting/polls/${poll.id}`, { headers: asUser(representative(2).aadObjectId) });
    expect(await view.json()).toMatchObject({ pollId: poll.id, title: 'Shared <b>lists</b>', proposal: 'Share lists', isOpen: true, agendaText: '', organisations: [{ organisationId: 'trust-2', name: 'Trust 2 NHS FT' }] });

    const recorded = await fetch(`${running.url}/api/meeting/polls/${poll.id}/position`, { method: 'POST', headers: asUser(representative(2).aadObjectId), body: JSON.stringify({ positionValue: 'object' }) });
    expect(await recorded.json()).toEqual({ recorded: true, message: 'Recorded: Trust 2 NHS FT objects. You can change it until the poll closes.' });
    expect(await running.store.votes(poll.id)).toMatchObject([{ organisationId: 'trust-2', position: 'object', castBy: { aadObjectId: representative(2).aadObjectId } }]);
    expect((await running.store.readAudit({ subject: poll.id })).map((event) => event.action)).toContain('vote.cast');
  });

  it.each([
    ['someone who represents no member', { positionValue: 'support' }, asUser('aad-stranger'), 200, { recorded: false }],
    ['a position that is not one', { positionValue: 'maybe' }, asUser(representative(1).aadObjectId), 400, { error: 'Choose support, object or abstain.' }],
    ['an unknown field', { positionValue: 'support', extra: 1 }, asUser(representative(1).aadObjectId), 400, { error: 'Choose support, object or abstain.' }],
    ['nobody named', { positionValue: 'support' }, { 'content-type': 'application/json' }, 401, { error: 'Sign in through Teams to record a position.' }],
  ])('%s', { timeout: 30_000 }, async (_name, body, headers, status, want) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2) });
    await post(running.url, cardAction(running.connector.url, 'poll.open', { title: 'Pathology', proposal: 'Join', category: '1', rule: 'majority' }));
    const poll = (await running.store.listPolls())[0]!;
    const response = await fetch(`${running.url}/api/meeting/polls/${poll.id}/position`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject(want);
    expect(await running.store.votes(poll.id)).toEqual([]);
  });
});

describe('the meeting side panel (local mode)', () => {
  it('shows the agenda with running times, decision items, poll status and the chair\'s "Now" marker', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const agendaId = await saveAgenda(running, {
      title: 'Provider Leadership Board', date: '2026-11-23',
      items: ['P173/21 | Joint waiting list | Dr Khan | decision | 15 | Approve | ', 'P174/21 | Finance | CFO | information | 10 |  | '],
    });
    await post(running.url, cardAction(running.connector.url, 'poll.open', { agendaId, itemRefValue: 'P173/21', title: 'Joint waiting list', proposal: 'Approve', category: '1', rule: 'majority' }));
    const poll = (await running.store.listPolls())[0]!;
    await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId: poll.id, positionValue: 'support' }, { from: representative(1) }));

    for (const page of ['meeting', 'meeting-config', 'stage']) expect((await fetch(`${running.url}/tab/${page}`)).status).toBe(200);

    const panelFor = async (user: string) => (await fetch(`${running.url}/api/meeting/agenda?chat=conversation-1`, { headers: asUser(user) })).json();
    expect(await panelFor(ALEX.aadObjectId)).toEqual({
      agendaId, title: 'Provider Leadership Board', date: '2026-11-23', now: null, isChair: true,
      items: [
        { ref: 'P173/21', title: 'Joint waiting list', lead: 'Dr Khan', purpose: 'decision', time: '09:30–09:45', isDecision: true,
          attendanceText: '', poll: { pollId: poll.id, status: 'open', statusText: 'Poll open: 1 of 3 members have recorded a position' } },
        { ref: 'P174/21', title: 'Finance', lead: 'CFO', purpose: 'information', time: '09:45–09:55', isDecision: false, attendanceText: '', poll: null },
      ],
    });

    const move = (user: string, itemRef: string) => fetch(`${running.url}/api/meeting/agenda/${agendaId}/now`, { method: 'POST', headers: asUser(user), body: JSON.stringify({ itemRef }) });
    expect((await move(representative(1).aadObjectId, 'P174/21')).status).toBe(403);
    expect((await move(ALEX.aadObjectId, 'P999/99')).status).toBe(400);
    expect((await move(ALEX.aadObjectId, 'P174/21')).status).toBe(200);
    expect(await panelFor(representative(1).aadObjectId)).toMatchObject({ now: 'P174/21', isChair: false });

    expect((await fetch(`${running.url}/api/meeting/agenda?chat=elsewhere`, { headers: asUser(ALEX.aadObjectId) })).status).toBe(404);
    const stage = await (await fetch(`${running.url}/api/meeting/polls/${poll.id}`, { headers: asUser(ALEX.aadObjectId) })).json();
    expect(stage).toMatchObject({ statusText: 'Open for positions', positions: [{ name: 'Trust 1 NHS FT', state: 'Supports' }, { name: 'Trust 2 NHS FT', state: 'Not voted yet' }, { name: 'Trust 3 NHS FT', state: 'Not voted yet' }] });
  });
});

describe('the in-meeting bubble with Teams sign-in', () => {
  it.each([
    ['no token', {}, 401, undefined],
    ['a tenant the register is not shared with', { authorization: 'Bearer other' }, 403, undefined],
    ['a good token: the voter is the token\'s user', { authorization: 'Bearer good' }, 200, 'oid-rep'],
  ])('%s → %s', async (_name, headers: Record<string, string>, status, voter) => {
    const cast: string[] = [];
    const meetingPolls: MeetingPolls = {
      view: async () => undefined,
      sidePanel: async () => undefined,
      setNow: async () => ({ ok: false, status: 403, message: '' }),
      castFor: async (person) => { cast.push(person.aadObjectId); return { recorded: true, message: 'ok' }; },
    };
    const server = restify.createServer();
    const config = parseConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'unused', CONCORD_ALLOWED_TENANTS: 'tenant-ok', PORT: '0' });
    mountMeetingTab(server, {
      config, logger: pino({ level: 'silent' }), meetingPolls,
      verifyToken: async (token) => ({ ok: true, tenantId: token === 'good' ? 'tenant-ok' : 'tenant-other', userId: 'oid-rep', name: 'Rep' }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const response = await fetch(`http://127.0.0.1:${server.address().port}/api/meeting/polls/poll-1/position`, {
      method: 'POST',
      // A local-user header is ignored once Teams sign-in is on.
      headers: { 'content-type': 'application/json', 'x-concord-local-user': 'someone-else', ...headers },
      body: JSON.stringify({ positionValue: 'support' }),
    });
    expect(response.status).toBe(status);
    expect(cast).toEqual(voter ? [voter] : []);
  });
});
