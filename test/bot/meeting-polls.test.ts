import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { TurnContext } from 'botbuilder';
import { meetings, type MeetingsDependencies } from '../../src/bot/meetings.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { parseCollaborative } from '../../src/decisions/collaborative.js';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { textOf } from '../support/fake-connector.js';
import { aPoll } from '../store/builders.js';
import { readFileSync } from 'node:fs';

const MEETING = { id: 'MCMxOTptZWV0aW5nXzEyMw', chat: '19:meeting_abc@thread.v2' };

/** An Action.Execute pressed in a Teams meeting's chat (a group chat whose channelData names the meeting). */
function inMeeting<T extends { conversation: object; channelData: object }>(activity: T): T {
  return {
    ...activity,
    conversation: { ...activity.conversation, id: MEETING.chat, conversationType: 'groupChat', isGroup: true },
    channelData: { ...activity.channelData, meeting: { id: MEETING.id } },
  };
}

describe('a poll opened in a Teams meeting', () => {
  it('records who is in the call, shows present/absent and the quorum, and announces the poll in the meeting', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3, { kind: 'majority', basis: 'members', quorum: 2 }) });
    running.connector.participants.set(representative(1).aadObjectId, true);
    running.connector.participants.set(representative(2).aadObjectId, false);
    // Representative 3 is not in the meeting's roster at all: Teams answers 404.

    const opened = await post(running.url, inMeeting(cardAction(running.connector.url, 'poll.open', { title: 'Shared theatre lists', proposal: 'Share lists', category: '1', rule: 'majority', quorum: '2' }, { from: ALEX })));
    expect(opened.status).toBe(200);
    expect([...running.connector.participantLookups].sort()).toEqual([1, 2, 3].map((n) => representative(n).aadObjectId));

    const poll = (await running.store.listPolls())[0]!;
    expect(poll.attendance).toMatchObject({ meetingId: MEETING.id, members: [
      { organisationId: 'trust-1', state: 'present' }, { organisationId: 'trust-2', state: 'absent' }, { organisationId: 'trust-3', state: 'absent' },
    ] });
    const card = textOf((opened.body as { value: unknown }).value);
    expect(card).toContain('Trust 1 NHS FT: Not voted yet · Present');
    expect(card).toContain('Trust 2 NHS FT: Not voted yet · Absent');
    expect(card).toContain('Quorum: Not quorate: 1 of the 2 members needed for a quorum are in the meeting.');

    // In local mode there is no app id for the content bubble: the announcement is a plain chat message.
    await running.connector.waitFor(() => running.connector.sent(MEETING.chat).length === 1);
    const announcement = running.connector.sent(MEETING.chat)[0]!.body;
    expect(announcement).toMatchObject({ type: 'message', textFormat: 'markdown', text: expect.stringContaining('**Poll open:** Shared theatre lists') });
    expect(announcement.channelData).toBeUndefined();
  });

  it('a participant lookup that fails is "not known", never "absent", and the poll still opens', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2, { kind: 'majority', quorum: 2 }) });
    running.connector.participants.set(representative(1).aadObjectId, true);
    running.connector.participants.set(representative(2).aadObjectId, true);
    running.connector.inject({ status: 403 }, { status: 403 });
    const opened = await post(running.url, inMeeting(cardAction(running.connector.url, 'poll.open', { title: 'Pathology', proposal: 'Join', category: '1', rule: 'majority', quorum: '2' })));
    expect(opened.status).toBe(200);
    const poll = (await running.store.listPolls())[0]!;
    expect(poll.attendance?.members.map((member) => member.state)).toEqual(['unknown', 'unknown']);
  });

  it('outside a meeting nobody is looked up and no attendance is stored', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2) });
    await post(running.url, cardAction(running.connector.url, 'poll.open', { title: 'Pathology', proposal: 'Join', category: '1', rule: 'majority' }));
    expect(running.connector.participantLookups).toEqual([]);
    expect((await running.store.listPolls())[0]!.attendance).toBeUndefined();
  });
});

describe('a poll announced in a Teams meeting (HTTP, fake connector)', () => {
  const PUBLIC_URL = 'https://concord.example.nhs.uk';
  const openInMeeting = async (concord: TestConcord) => {
    const opened = await post(concord.url, inMeeting(cardAction(concord.connector.url, 'poll.open', { title: 'Shared theatre lists', proposal: 'Share lists', category: '1', rule: 'majority' }, { from: ALEX })));
    expect(opened.status).toBe(200);
    await concord.connector.waitFor(() => concord.connector.sent(MEETING.chat).length === 1);
    return { poll: (await concord.store.listPolls())[0]!, chat: concord.connector.sent(MEETING.chat)[0]!.body };
  };

  it('sends a targeted meeting notification to the representatives in the call only, and a plain chat message', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_PUBLIC_URL: PUBLIC_URL });
    running.connector.participants.set(representative(1).aadObjectId, true);
    running.connector.participants.set(representative(2).aadObjectId, true);
    running.connector.participants.set(representative(3).aadObjectId, false);
    const { poll, chat } = await openInMeeting(running);

    expect(running.connector.meetingNotifications).toEqual([{
      meetingId: MEETING.id,
      body: {
        type: 'targetedMeetingNotification',
        value: {
          // The participant API's user ids (MRIs) of those in the call; representative 3 is not.
          recipients: [`29:${representative(1).aadObjectId}`, `29:${representative(2).aadObjectId}`],
          surfaces: [{ surface: 'meetingStage', contentType: 'task', content: { value: { height: 420, width: 320, title: 'Record your position', url: `${PUBLIC_URL}/tab/bubble?poll=${encodeURIComponent(poll.id)}` } } }],
        },
      },
    }]);
    expect(chat).toMatchObject({ type: 'message', textFormat: 'markdown', text: expect.stringContaining('in the pop-up on your meeting stage or on the card in the chat') });
    expect(chat.channelData).toBeUndefined();
  });

  it.each([
    ['Teams refuses it (403: no consent for OnlineMeetingNotification.Send.Chat)', { status: 403, body: { error: { code: 'Forbidden', message: 'no' } } }],
    ['Teams misses a recipient (207)', { status: 207, body: { recipientsFailureInfo: [{ recipientMri: '29:rep-0001', errorCode: 'BadRequest', failureReason: 'not in meeting' }] } }],
  ])('%s: falls back to the chat message everyone in the meeting sees', { timeout: 30_000 }, async (_name, answer) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2), CONCORD_PUBLIC_URL: PUBLIC_URL });
    running.connector.participants.set(representative(1).aadObjectId, true);
    running.connector.meetingNotificationAnswer = answer;
    const { chat } = await openInMeeting(running);
    expect(running.connector.meetingNotifications).toHaveLength(1);
    // Local mode has no app id for the content bubble's deep link, so the fallback is the plain message
    // (with an app id it carries alertInMeeting: see the next describe block).
    expect(chat.text).toContain('record your member\'s position on the card in the chat');
    expect(chat.text).not.toContain('meeting stage');
  });

  it('with nobody in the call there is no one to target: no notification call, the chat message only', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(2), CONCORD_PUBLIC_URL: PUBLIC_URL });
    await openInMeeting(running);
    expect(running.connector.meetingNotifications).toEqual([]);
  });
});

describe('the in-meeting notification', () => {
  const collaborativeOf = (size: number) => {
    const collaborative = parseCollaborative(JSON.parse(readFileSync(writeCollaborative(size), 'utf8')));
    if (!collaborative.ok) throw new Error('bad collaborative');
    return collaborative.value;
  };
  const feature = (overrides: Partial<MeetingsDependencies> = {}) => {
    const collaborative = collaborativeOf(2);
    return meetings({
      store: createMemoryStore(), collaborativeForConversation: async () => collaborative, collaborativeForTurn: async () => collaborative, collaborativeForAgenda: async () => collaborative, conversations: { postMarkdown: async () => undefined }, logger: pino({ level: 'silent' }),
      newId: () => 'id', participantLookup: async () => ({ lookup: 'in-meeting' }), appId: 'app-123', publicUrl: 'https://concord.example.nhs.uk',
      inConversation: async () => { throw new Error('not used'); }, now: () => new Date('2026-11-23T10:00:00Z'),
      ...overrides,
    });
  };
  const turnIn = () => {
    const sent: Record<string, unknown>[] = [];
    const context = {
      activity: inMeeting({ type: 'invoke', conversation: { id: 'x', tenantId: 't' }, channelData: { tenant: { id: 't' } } }),
      sendActivity: async (activity: Record<string, unknown>) => { sent.push(activity); return { id: 'a-1' }; },
    } as unknown as TurnContext;
    return { sent, turn: { context, person: ALEX, conversationId: MEETING.chat, now: new Date('2026-11-23T10:00:00Z') } };
  };
  const alertOf = (activity: Record<string, unknown> | undefined) =>
    (activity?.channelData as { notification?: { alertInMeeting: boolean; externalResourceUrl: string } } | undefined)?.notification;

  it('carries alertInMeeting and a content-bubble deep link to the bubble page for the poll', async () => {
    const { sent, turn } = turnIn();
    await feature().announcePoll(turn, aPoll({ id: 'poll 1/a', title: '*Hub* <b>' }));
    expect(sent).toHaveLength(1);
    const notification = alertOf(sent[0])!;
    expect(notification.alertInMeeting).toBe(true);
    const url = new URL(notification.externalResourceUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://teams.microsoft.com/l/bubble/app-123');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      url: 'https://concord.example.nhs.uk/tab/bubble?poll=poll%201%2Fa', height: '420', width: '320', title: 'Record your position', completionBotId: 'app-123',
    });
    expect(sent[0]!.text).toContain('\\*Hub\\* \\<b>');
  });

  it.each([
    ['Teams accepts the targeted notification', async () => ({}), false],
    ['Teams refuses it', async () => { throw Object.assign(new Error('Forbidden'), { statusCode: 403 }); }, true],
  ] as const)('%s → alertInMeeting for everyone: %s', async (_name, notifier, fallsBack) => {
    const targeted: { meetingId: string; recipients: string[] }[] = [];
    const meeting = feature({
      participantLookup: async (_context, _meetingId, aadObjectId) => ({ lookup: 'in-meeting', userId: `29:${aadObjectId}` }),
      meetingNotifier: async (_context, meetingId, notification) => { targeted.push({ meetingId, recipients: notification.value.recipients }); return notifier(); },
    });
    const { sent, turn } = turnIn();
    const attendance = await meeting.attendanceFor(turn);
    await meeting.announcePoll(turn, aPoll({ id: 'poll-1', membersInScope: ['trust-2'] }));
    expect(attendance?.members.map((member) => member.state)).toEqual(['present', 'present']);
    // Only the representatives of the poll's members (category 2: trust 2 alone) are addressed.
    expect(targeted).toEqual([{ meetingId: MEETING.id, recipients: [`29:${representative(2).aadObjectId}`] }]);
    expect(sent).toHaveLength(1);
    expect(alertOf(sent[0])?.alertInMeeting === true).toBe(fallsBack);
  });
});
