/**
 * Concord in a Teams meeting: the draft minutes posted to the secretariat when the meeting ends
 * (issue 21). A meeting's chat is a conversation like any other; the agenda posted there is the
 * meeting's agenda, and the polls opened from it are its decisions.
 */
import { TeamsInfo, type Activity, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Agenda } from '../agenda/model.js';
import type { Collaborative } from '../decisions/collaborative.js';
import type { Poll } from '../decisions/model.js';
import { takeAttendance, type Attendance, type Lookup } from '../decisions/attendance.js';
import type { Outcome } from '../decisions/outcome.js';
import { buildMinutes, type Minutes } from '../register/minutes.js';
import { STATUS_WORDS } from '../register/outcome-view.js';
import { formatItemTime, scheduleAgenda } from '../agenda/schedule.js';
import type { Store } from '../store/store.js';
import type { Conversations } from './conversations.js';
import { minutesToMarkdown } from './minutes-document.js';
import { escapeMarkdown } from './markdown.js';
import type { Turn } from './verb.js';

/** The meeting-end event Teams sends to a bot in the meeting (Microsoft Learn, "Meeting apps APIs": meetingEnd). */
export const MEETING_END_EVENT = 'application/vnd.microsoft.meetingEnd';
export const MEETING_START_EVENT = 'application/vnd.microsoft.meetingStart';

const MeetingEndValue = z.object({
  Id: z.string().max(1000).optional(),
  Title: z.string().max(1000).optional(),
  EndTime: z.string().max(100).optional(),
});

/** Teams puts the meeting's id in channelData.meeting.id in meeting chats. */
export const MeetingChannelData = z.object({ meeting: z.object({ id: z.string().min(1).max(1000) }) });

/** The Teams meeting an activity came from: a meeting chat is a group chat whose channelData names the meeting. */
export function meetingOf(activity: Activity): { meetingId: string; tenantId?: string } | undefined {
  if (activity.conversation?.conversationType !== 'groupChat') return undefined;
  const channelData = MeetingChannelData.safeParse(activity.channelData);
  if (!channelData.success) return undefined;
  const tenant = (activity.channelData as { tenant?: { id?: unknown } }).tenant?.id;
  return { meetingId: channelData.data.meeting.id, tenantId: typeof tenant === 'string' ? tenant : activity.conversation.tenantId };
}

/** Asks Teams whether one person is in the meeting; injected so tests can count or fail lookups. */
export type ParticipantLookup = (context: TurnContext, meetingId: string, aadObjectId: string, tenantId: string | undefined) => Promise<Lookup>;

const statusOf = (error: unknown): number | undefined =>
  (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : undefined);

/**
 * The Bot Framework meeting participant API (TeamsInfo.getMeetingParticipant, RSC permission
 * OnlineMeetingParticipant.Read.Chat). Teams answers 404 for someone not in the meeting's roster;
 * any other failure is "unknown", so a throttled lookup never records a member absent.
 */
export const teamsParticipantLookup = (logger: Logger): ParticipantLookup => async (context, meetingId, aadObjectId, tenantId) => {
  try {
    const participant = await TeamsInfo.getMeetingParticipant(context, meetingId, aadObjectId, tenantId);
    return participant.meeting?.inMeeting ? 'in-meeting' : 'not-in-meeting';
  } catch (error) {
    if (statusOf(error) === 404) return 'not-in-meeting';
    logger.warn({ event: 'meeting.participant-lookup-failed', meetingId, status: statusOf(error), err: error }, 'could not tell whether a representative is in the meeting');
    return 'unknown';
  }
};

/** Lookups in flight at once: a large collaborative must not trip Teams' rate limit with hundreds together. */
const LOOKUP_CONCURRENCY = 8;

/** What the meeting side panel shows (server/meeting-tab.ts → tab/public/meeting.js). */
export interface SidePanel {
  readonly agendaId: string;
  readonly title: string;
  readonly date: string;
  /** The item the chair marked as under discussion, if any. */
  readonly now: string | null;
  readonly isChair: boolean;
  readonly items: readonly {
    readonly ref: string; readonly title: string; readonly lead: string; readonly purpose: string; readonly time: string; readonly isDecision: boolean;
    readonly poll: { readonly pollId: string; readonly status: string; readonly statusText: string } | null;
  }[];
}

/** Teams limits a message to about 28 KB of text; longer minutes are left to the register tab. */
const MAX_MARKDOWN_CHARS = 20_000;
/** One post per meeting end, however many times Teams repeats the event or instances receive it. */
const MINUTES_LEASE_MS = 24 * 60 * 60_000;

export interface MeetingsDependencies {
  readonly store: Store;
  /** The collaborative of a conversation (the meeting chat) and of a turn in it, read each time (issue 19). */
  readonly collaborativeForConversation: (conversationId: string) => Promise<Collaborative | undefined>;
  readonly collaborativeForTurn: (turn: Turn) => Promise<Collaborative | undefined>;
  readonly conversations: Pick<Conversations, 'postMarkdown'>;
  readonly logger: Logger;
  /** Names each attempt's lease holder: a lease renews for the same holder, and a repeated event must not. */
  readonly newId: () => string;
  readonly secretariatConversationId?: string;
  readonly registerUrl?: string;
  readonly participantLookup: ParticipantLookup;
  /** The bot's Microsoft app id, which the content bubble's deep link names twice. */
  readonly appId?: string;
  /** Where Concord is reachable from Teams (CONCORD_PUBLIC_URL): the bubble page is served there. */
  readonly publicUrl?: string;
}

export function meetings(deps: MeetingsDependencies) {
  const { store, logger } = deps;

  /** The meeting's polls: opened from the agenda, or opened in its chat on the meeting's day without one. */
  const pollsOf = async (agenda: Agenda): Promise<Poll[]> => (await store.listPolls()).filter((poll) =>
    poll.agenda?.agendaId === agenda.id
    || (poll.agenda === undefined && poll.conversationId === agenda.conversationId && poll.attendance !== undefined && poll.openedAt.startsWith(agenda.current.meeting.date)));

  const minutesOf = async (agenda: Agenda, endedAt?: string): Promise<Minutes> => {
    const polls = await pollsOf(agenda);
    const outcomes = (await Promise.all(polls.map((poll) => store.getOutcomeByPoll(poll.id)))).filter((outcome): outcome is Outcome => outcome !== undefined);
    return buildMinutes({
      agenda, polls, outcomes, endedAt,
      members: ((await deps.collaborativeForConversation(agenda.conversationId))?.members ?? []).map((member) => ({ id: member.id, name: member.name })),
    });
  };

  const minutesForAgenda = async (agendaId: string): Promise<Minutes | undefined> => {
    const agenda = await store.getAgenda(agendaId);
    return agenda && minutesOf(agenda);
  };

  /** The meeting ended: draft its minutes from the latest agenda posted in its chat and post them to the secretariat. */
  const onMeetingEnd = async (turn: Turn): Promise<{ outcome: 'ok' | 'ignored'; detail: string }> => {
    const value = MeetingEndValue.safeParse(turn.context.activity.value ?? {});
    const endedAt = value.success && value.data.EndTime && !Number.isNaN(Date.parse(value.data.EndTime)) ? new Date(value.data.EndTime).toISOString() : turn.now.toISOString();
    const agenda = (await store.listAgendas({ conversationId: turn.conversationId })).at(-1);
    if (!agenda) return { outcome: 'ignored', detail: 'meeting ended with no agenda in its chat' };
    const target = deps.secretariatConversationId;
    if (!target) {
      logger.info({ event: 'minutes.not-posted', agendaId: agenda.id }, 'meeting ended: no secretariat conversation configured (CONCORD_SECRETARIAT_CONVERSATION); the minutes are on the register tab');
      return { outcome: 'ok', detail: 'minutes: no secretariat conversation' };
    }
    // A recurring meeting keeps one chat, so the lease names the end time as well as the agenda.
    const lease = `minutes:${agenda.id}:${endedAt.slice(0, 16)}`;
    const holder = `minutes-${deps.newId()}`;
    if (!(await store.acquireLease(lease, holder, MINUTES_LEASE_MS, turn.now))) return { outcome: 'ignored', detail: 'minutes already posted' };
    const minutes = await minutesOf(agenda, endedAt);
    const markdown = minutesToMarkdown(minutes);
    const download = deps.registerUrl
      ? `\n\nThe Word document is in the [decision register](${deps.registerUrl}), under "Meeting minutes".`
      : '\n\nThe Word document is in the decision register tab, under "Meeting minutes".';
    const body = markdown.length <= MAX_MARKDOWN_CHARS ? markdown : `${markdown.slice(0, MAX_MARKDOWN_CHARS)}\n\n…the draft is longer than a Teams message allows.`;
    try {
      await deps.conversations.postMarkdown(target, `${body}${download}`);
    } catch (error) {
      // Let the next delivery of the event (or a restart's) try again; the minutes stay on the register tab meanwhile.
      await store.releaseLease(lease, holder).catch((releaseError: unknown) => logger.warn({ err: releaseError, lease }, 'could not release the minutes lease; it expires by itself'));
      throw error;
    }
    logger.info({ event: 'minutes.posted', agendaId: agenda.id, conversationId: target, items: minutes.items.length }, 'draft minutes posted to the secretariat');
    return { outcome: 'ok', detail: 'minutes posted' };
  };

  /** When a poll opens in a meeting: who of each member's representatives and deputy is in it. */
  const attendanceFor = async (turn: Turn): Promise<Attendance | undefined> => {
    const meeting = meetingOf(turn.context.activity);
    if (!meeting) return undefined;
    const collaborative = await deps.collaborativeForTurn(turn);
    if (!collaborative) return undefined;
    const members = collaborative.members.map((member) => ({ id: member.id, people: [...member.representatives, ...(member.deputy ? [member.deputy] : [])] }));
    const people = [...new Set(members.flatMap((member) => member.people))];
    const found = new Map<string, Lookup>();
    let next = 0;
    const worker = async () => {
      while (next < people.length) {
        const person = people[next++]!;
        found.set(person, await deps.participantLookup(turn.context, meeting.meetingId, person, meeting.tenantId));
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, people.length) }, worker));
    return takeAttendance({ meetingId: meeting.meetingId, takenAt: turn.now.toISOString(), members, lookup: (id) => found.get(id) ?? 'unknown' });
  };

  /** The content bubble's deep link (Microsoft Learn, "Build in-meeting notification for Teams meeting"). */
  const bubbleUrl = (pollId: string): string | undefined => {
    if (!deps.appId || !deps.publicUrl) return undefined;
    const page = `${deps.publicUrl}/tab/bubble?poll=${encodeURIComponent(pollId)}`;
    const query = new URLSearchParams({ url: page, height: '420', width: '320', title: 'Record your position', completionBotId: deps.appId });
    return `https://teams.microsoft.com/l/bubble/${encodeURIComponent(deps.appId)}?${query.toString()}`;
  };

  /**
   * Shows a just-opened poll to everyone in the call: a chat message that Teams also raises as an
   * in-meeting notification, opening the bubble page where a representative records their member's
   * position. Without an app id and public URL (local mode) there is no bubble; the card in the chat still works.
   */
  const announcePoll = async (turn: Turn, poll: Poll): Promise<void> => {
    if (!meetingOf(turn.context.activity)) return;
    const externalResourceUrl = bubbleUrl(poll.id);
    const text = `**Poll open:** ${escapeMarkdown(poll.title).replace(/</g, '\\<')}. Representatives, record your member's position${externalResourceUrl ? ' in the pop-up or' : ''} on the card in the chat.`;
    await turn.context.sendActivity({
      type: 'message',
      text,
      textFormat: 'markdown',
      ...(externalResourceUrl ? { channelData: { notification: { alertInMeeting: true, externalResourceUrl } } } : {}),
    });
  };

  /**
   * The chair's "Now" marker, per agenda. Kept in this process only: it is a pointer for the
   * duration of a meeting, not part of the record, and a restart shows the agenda without it.
   */
  const nowMarkers = new Map<string, string>();

  const sidePanel = async (chatId: string, isChair: boolean): Promise<SidePanel | undefined> => {
    const agenda = (await store.listAgendas({ conversationId: chatId })).at(-1);
    if (!agenda) return undefined;
    const { meeting, items } = agenda.current;
    const schedule = scheduleAgenda(meeting.startTime, items.map((item) => item.minutes));
    const polls = (await store.listPolls()).filter((poll) => poll.agenda?.agendaId === agenda.id);
    return {
      agendaId: agenda.id,
      title: meeting.title,
      date: meeting.date,
      now: nowMarkers.get(agenda.id) ?? null,
      isChair,
      items: await Promise.all(items.map(async (item, index) => {
        const poll = polls.filter((candidate) => candidate.agenda?.itemRef === item.ref).at(-1);
        const slot = schedule.slots[index];
        return {
          ref: item.ref,
          title: item.title,
          lead: item.lead,
          purpose: item.purpose,
          time: slot ? `${formatItemTime(slot.start)}–${formatItemTime(slot.end)}` : '',
          isDecision: item.purpose === 'decision',
          poll: poll ? { pollId: poll.id, status: poll.status, statusText: await pollStatusText(poll) } : null,
        };
      })),
    };
  };

  const pollStatusText = async (poll: Poll): Promise<string> => {
    if (poll.status === 'open') {
      const voted = new Set((await store.votes(poll.id)).filter((vote) => poll.membersInScope.includes(vote.organisationId)).map((vote) => vote.organisationId)).size;
      return `Poll open: ${voted} of ${poll.membersInScope.length} members have recorded a position`;
    }
    const outcome = await store.getOutcomeByPoll(poll.id);
    return outcome ? `Closed: ${STATUS_WORDS[outcome.status]}` : 'Closed';
  };

  const setNow = async (agendaId: string, itemRef: string): Promise<{ ok: boolean; message: string }> => {
    const agenda = await store.getAgenda(agendaId);
    if (!agenda?.current.items.some((item) => item.ref === itemRef)) return { ok: false, message: 'That item is not on the current agenda.' };
    nowMarkers.set(agendaId, itemRef);
    return { ok: true, message: `Now: ${itemRef}` };
  };

  return { minutesForAgenda, onMeetingEnd, attendanceFor, announcePoll, bubbleUrl, sidePanel, setNow };
}
