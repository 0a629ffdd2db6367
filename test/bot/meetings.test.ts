import mammoth from 'mammoth';
import { pino } from 'pino';
import restify from 'restify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { mountRegisterTab } from '../../src/server/register-tab.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { installed, post } from '../support/activities.js';
import { writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { logOutcome, saveAgenda } from '../register/drive.js';

/** The event Teams sends a bot in the meeting when the meeting ends (its chat is the conversation). */
function meetingEnd(serviceUrl: string, conversationId: string, endTime = '2026-11-23T11:30:00Z') {
  return {
    type: 'event',
    name: 'application/vnd.microsoft.meetingEnd',
    id: `meeting-end-${endTime}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: endTime,
    from: { id: '29:organiser', aadObjectId: 'organiser' },
    recipient: { id: '28:concord', name: 'Concord' },
    conversation: { id: conversationId, conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' }, meeting: { id: 'MCMxOTptZWV0aW5n' } },
    value: { Id: 'MCMxOTptZWV0aW5n', MeetingType: 'Scheduled', JoinUrl: 'https://teams.microsoft.com/l/meetup-join/x', Title: 'Board', EndTime: endTime },
  };
}

async function meetingWithADecision(concord: TestConcord): Promise<string> {
  const agendaId = await saveAgenda(concord, {
    title: 'Provider Leadership Board',
    date: '2026-11-23',
    items: ['P173/21 | Joint waiting list | **Dr** <b>Khan</b> | decision | 15 | =SUM(A1) | ', 'P174/21 | Finance | CFO | information | 10 |  | '],
  });
  await logOutcome(concord, {
    title: 'Joint waiting list', proposal: 'Approve the joint waiting list', agenda: { agendaId, itemRef: 'P173/21' },
    votes: { 1: 'support', 2: 'object' },
    actions: [{ who: 'Sam Patel', what: 'Convene the panel', when: '30 Nov 2026' }],
  });
  return agendaId;
}

describe('draft minutes after a Teams meeting', () => {
  it('posts the minutes to the secretariat once when the meeting ends', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_SECRETARIAT_CONVERSATION: 'secretariat-chat' });
    await post(running.url, installed(running.connector.url, { conversationId: 'secretariat-chat' }));
    await meetingWithADecision(running);
    // Outcome cards reach the secretariat too; the minutes are the Markdown messages.
    const drafts = () => running.connector.sent('secretariat-chat').filter((call) => call.body.textFormat === 'markdown');

    expect((await post(running.url, meetingEnd(running.connector.url, 'conversation-1'))).status).toBe(200);
    await running.connector.waitFor(() => drafts().length === 1);
    const minutes = drafts()[0]!.body;
    expect(minutes).toMatchObject({ type: 'message', textFormat: 'markdown' });
    const text = String(minutes.text);
    for (const want of ['# Draft minutes: Provider Leadership Board', '## P173/21 Joint waiting list', '**Lead:** \\*\\*Dr\\*\\* \\<b>Khan\\</b>',
      '- **Outcome:** Not agreed', '- Trust 1 NHS FT: Supports', '- Trust 2 NHS FT: Objects', '- Trust 3 NHS FT: Did not vote',
      '## P174/21 Finance', '- P173/21: **Sam Patel**: Convene the panel (by 30 Nov 2026)', 'Meeting minutes']) {
      expect(text).toContain(want);
    }

    // Teams may deliver the event again: the secretariat still gets one draft.
    expect((await post(running.url, meetingEnd(running.connector.url, 'conversation-1'))).status).toBe(200);
    expect(drafts()).toHaveLength(1);
  });

  it('a meeting whose chat has no agenda gets no minutes, and nothing fails', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_SECRETARIAT_CONVERSATION: 'secretariat-chat' });
    expect((await post(running.url, meetingEnd(running.connector.url, 'some-other-meeting'))).status).toBe(200);
    expect(running.connector.sent()).toEqual([]);
  });

  it('the register tab lists the meeting and serves its minutes as .docx and .md', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const agendaId = await meetingWithADecision(running);

    const meetings = await (await fetch(`${running.url}/api/register/meetings`)).json();
    expect(meetings).toEqual({ meetings: [{ agendaId, title: 'Provider Leadership Board', date: '2026-11-23' }] });

    const docx = await fetch(`${running.url}/api/register/minutes/${agendaId}?format=docx`);
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-disposition')).toBe('attachment; filename="minutes-2026-11-23-provider-leadership-board.docx"');
    const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(await docx.arrayBuffer()) });
    expect(text).toContain('Lead: **Dr** <b>Khan</b>');
    expect(text).toContain('Recommendation: =SUM(A1)');
    expect(text).toContain('Trust 2 NHS FT: Objects');

    const markdown = await fetch(`${running.url}/api/register/minutes/${agendaId}?format=md`);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await markdown.text()).toContain('## P173/21 Joint waiting list');

    expect((await fetch(`${running.url}/api/register/minutes/${agendaId}?format=pdf`)).status).toBe(400);
    expect((await fetch(`${running.url}/api/register/minutes/no-such-agenda`)).status).toBe(404);
  });

  it.each([
    ['no token', {}, 401],
    ['a token from a tenant the register is not shared with', { authorization: 'Bearer other-tenant' }, 403],
    ['a good token', { authorization: 'Bearer good' }, 404],
  ])('minutes and meetings follow the register tab access rules: %s → %s', { timeout: 30_000 }, async (_name, headers: Record<string, string>, status) => {
    const server = restify.createServer();
    server.use(restify.plugins.queryParser({ mapParams: false }));
    const config = parseConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'unused', CONCORD_ALLOWED_TENANTS: 'tenant-ok', PORT: '0' });
    mountRegisterTab(server, {
      store: createMemoryStore(), config, logger: pino({ level: 'silent' }),
      verifyToken: async (token) => ({ ok: true, tenantId: token === 'good' ? 'tenant-ok' : 'tenant-other' }),
      minutesForAgenda: async () => undefined,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${server.address().port}/api/register`;
    expect((await fetch(`${base}/minutes/agenda-1`, { headers })).status).toBe(status);
    expect((await fetch(`${base}/meetings`, { headers })).status).toBe(status === 404 ? 200 : status);
  });
});
