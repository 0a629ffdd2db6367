/**
 * Concord in a Teams meeting: the draft minutes posted to the secretariat when the meeting ends
 * (issue 21). A meeting's chat is a conversation like any other; the agenda posted there is the
 * meeting's agenda, and the polls opened from it are its decisions.
 */
import { TeamsInfo, type Activity, type MeetingNotificationResponse, type TargetedMeetingNotification, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Agenda } from '../agenda/model.js';
import { rolesOf, type Collaborative } from '../decisions/collaborative.js';
import { attendanceAtStart, attendanceLine, nowMarker, startItem } from '../decisions/item-start.js';
import type { Person } from '../people/model.js';
import type { Poll } from '../decisions/model.js';
import { takeAttendance, type Attendance, type Lookup } from '../decisions/attendance.js';
import type { Outcome } from '../decisions/outcome.js';
import { buildMinutes, declarationsForMinutes, type Minutes } from '../register/minutes.js';
import { STATUS_WORDS } from '../register/outcome-view.js';
import { formatItemTime, scheduleAgenda } from '../agenda/schedule.js';
import type { Store } from '../store/store.js';
import { compareText } from '../store/poll-record.js';
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

/** What Teams said about one person: in the meeting or not, and their Teams user id (MRI), which a targeted notification is addressed to. */
export interface Participant {
  readonly lookup: Lookup;
  readonly userId?: string;
}

/** Asks Teams whether one person is in the meeting; injected so tests can count or fail lookups. */
export type ParticipantLookup = (context: TurnContext, meetingId: string, aadObjectId: string, tenantId: string | undefined) => Promise<Participant>;

/** Sends a targeted in-meeting notification; injected so a test can make Teams refuse it. */
export type MeetingNotifier = (context: TurnContext, meetingId: string, notification: TargetedMeetingNotification) => Promise<MeetingNotificationResponse | undefined>;

/**
 * The Bot Framework targeted meeting notification (TeamsInfo.sendMeetingNotification →
 * POST v1/meetings/{meetingId}/notification; RSC permission OnlineMeetingNotification.Send.Chat).
 * Teams answers 202 when every recipient got it and 207 with recipientsFailureInfo when some did not.
 */
export const teamsMeetingNotifier: MeetingNotifier = (context, meetingId, notification) =>
  TeamsInfo.sendMeetingNotification(context, notification, meetingId);

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
    return participant.meeting?.inMeeting
      ? { lookup: 'in-meeting', ...(typeof participant.user?.id === 'string' ? { userId: participant.user.id } : {}) }
      : { lookup: 'not-in-meeting' };
  } catch (error) {
    if (statusOf(error) === 404) return { lookup: 'not-in-meeting' };
    logger.warn({ event: 'meeting.participant-lookup-failed', meetingId, status: statusOf(error), err: error }, 'could not tell whether a representative is in the meeting');
    return { lookup: 'unknown' };
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
  /** The chair or the secretariat: may move "Now" and put a result on the stage. */
  readonly isChair: boolean;
  readonly items: readonly {
    readonly ref: string; readonly title: string; readonly lead: string; readonly purpose: string; readonly time: string; readonly isDecision: boolean;
    /** Who was in the meeting when the chair first marked the item "Now"; empty until then. */
    readonly attendanceText: string;
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
  /** An agenda's own collaborative (issue 19): its minutes and its "Now" marker answer to that one. */
  readonly collaborativeForAgenda: (agenda: Agenda) => Promise<Collaborative | undefined>;
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
  /** Runs logic in a turn of a saved conversation: the side panel's "Now" asks Teams who is in the meeting through it. */
  readonly inConversation: (conversationId: string, logic: (context: TurnContext) => Promise<void>) => Promise<void>;
  readonly meetingNotifier?: MeetingNotifier;
  readonly now: () => Date;
}

export type SetNowResult =
  | { readonly ok: true; readonly status: 200; readonly message: string }
  | { readonly ok: false; readonly status: 400 | 403 | 404; readonly message: string };

export function meetings(deps: MeetingsDependencies) {
  const { store, logger } = deps;

  /**
   * The meeting's polls: opened from the agenda, or opened in its chat on the meeting's day without
   * one. Asked of the store by agenda and by day, so a long register's other polls are not read.
   */
  const pollsOf = async (agenda: Agenda): Promise<Poll[]> => {
    const [fromAgenda, thatDay] = await Promise.all([store.listPolls({ agendaId: agenda.id }), store.listPolls({ openedOn: agenda.current.meeting.date })]);
    const inChat = thatDay.filter((poll) => poll.agenda === undefined && poll.conversationId === agenda.conversationId && poll.attendance !== undefined);
    return [...fromAgenda, ...inChat].sort((a, b) => compareText(a.openedAt, b.openedAt) || compareText(a.id, b.id));
  };

  const minutesOf = async (agenda: Agenda, endedAt?: string): Promise<Minutes> => {
    const polls = await pollsOf(agenda);
    const outcomes = (await Promise.all(polls.map((poll) => store.getOutcomeByPoll(poll.id)))).filter((outcome): outcome is Outcome => outcome !== undefined);
    const members = ((await deps.collaborativeForAgenda(agenda))?.members ?? []).map((member) => ({ id: member.id, name: member.name }));
    return buildMinutes({
      agenda, polls, outcomes, endedAt, itemStarts: await store.itemStarts(agenda.id), members,
      declarations: declarationsForMinutes(agenda, polls, members),
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

  /** Each member's people (representatives and deputy), in the collaborative's order. */
  const peopleOf = (collaborative: Collaborative) =>
    collaborative.members.map((member) => ({ id: member.id, people: [...member.representatives, ...(member.deputy ? [member.deputy] : [])] }));

  /** Asks Teams about every representative and deputy, at most LOOKUP_CONCURRENCY at a time. */
  const lookUp = async (context: TurnContext, meetingId: string, tenantId: string | undefined, collaborative: Collaborative, takenAt: Date) => {
    const members = peopleOf(collaborative);
    const people = [...new Set(members.flatMap((member) => member.people))];
    const found = new Map<string, Participant>();
    let next = 0;
    const worker = async () => {
      while (next < people.length) {
        const person = people[next++]!;
        found.set(person, await deps.participantLookup(context, meetingId, person, tenantId));
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, people.length) }, worker));
    const attendance = takeAttendance({ meetingId, takenAt: takenAt.toISOString(), members, lookup: (id) => found.get(id)?.lookup ?? 'unknown' });
    return { attendance, found };
  };

  /** Who Teams said is in the meeting, per turn, so the poll's announcement can address them without asking again. */
  const inMeetingByTurn = new WeakMap<TurnContext, ReadonlyMap<string, Participant>>();

  /** When a poll opens in a meeting: who of each member's representatives and deputy is in it. */
  const attendanceFor = async (turn: Turn): Promise<Attendance | undefined> => {
    const meeting = meetingOf(turn.context.activity);
    if (!meeting) return undefined;
    const collaborative = await deps.collaborativeForTurn(turn);
    if (!collaborative) return undefined;
    const { attendance, found } = await lookUp(turn.context, meeting.meetingId, meeting.tenantId, collaborative, turn.now);
    inMeetingByTurn.set(turn.context, found);
    return attendance;
  };

  /**
   * When the chair marks an item "Now" from the side panel (an HTTP request, not a bot turn): ask
   * Teams in a turn of the meeting chat, whose meeting id was saved with its conversation reference.
   * Undefined when that is not known or Teams cannot be reached; the move still counts.
   */
  const attendanceInChat = async (chatId: string, collaborative: Collaborative, at: Date): Promise<Attendance | undefined> => {
    const record = await store.getConversation(chatId);
    if (!record?.meetingId) {
      logger.info({ event: 'meeting.now-without-meeting', conversationId: chatId }, 'no Teams meeting is known for this chat: the item start is recorded without attendance');
      return undefined;
    }
    const meetingId = record.meetingId;
    let attendance: Attendance | undefined;
    try {
      await deps.inConversation(chatId, async (context) => {
        const tenantId = context.activity.conversation?.tenantId;
        attendance = (await lookUp(context, meetingId, tenantId, collaborative, at)).attendance;
      });
    } catch (error) {
      logger.warn({ event: 'meeting.now-attendance-failed', conversationId: chatId, err: error }, 'could not take attendance for the item start');
    }
    return attendance;
  };

  /** The bubble page for a poll, where a representative records their member's position. */
  const bubblePage = (pollId: string): string | undefined =>
    (deps.publicUrl ? `${deps.publicUrl}/tab/bubble?poll=${encodeURIComponent(pollId)}` : undefined);

  /** The content bubble's deep link (Microsoft Learn, "Build in-meeting notification for Teams meeting"). */
  const bubbleUrl = (pollId: string): string | undefined => {
    const page = bubblePage(pollId);
    if (!deps.appId || !page) return undefined;
    const query = new URLSearchParams({ url: page, height: '420', width: '320', title: 'Record your position', completionBotId: deps.appId });
    return `https://teams.microsoft.com/l/bubble/${encodeURIComponent(deps.appId)}?${query.toString()}`;
  };

  /** The Teams user ids of the representatives and deputies of the poll's members who are in the call. */
  const recipientsOf = (poll: Poll, collaborative: Collaborative | undefined, inMeeting: ReadonlyMap<string, Participant> | undefined): string[] => {
    if (!collaborative || !inMeeting) return [];
    const people = peopleOf(collaborative).filter((member) => poll.membersInScope.includes(member.id)).flatMap((member) => member.people);
    return [...new Set(people.flatMap((person) => {
      const found = inMeeting.get(person);
      return found?.lookup === 'in-meeting' && found.userId ? [found.userId] : [];
    }))];
  };

  /**
   * The targeted in-meeting notification: only the representatives and deputies of the poll's
   * members see the bubble, on the meeting stage. True when Teams accepted it for every one of them;
   * false when it refused (no RSC consent, a meeting type without targeted notifications, an old
   * client) or missed someone, so the caller falls back to the notification everyone sees.
   */
  const notifyRepresentatives = async (turn: Turn, meetingId: string, poll: Poll, recipients: string[], url: string): Promise<boolean> => {
    const notification: TargetedMeetingNotification = {
      type: 'targetedMeetingNotification',
      value: {
        recipients,
        surfaces: [{ surface: 'meetingStage', contentType: 'task', content: { value: { height: 420, width: 320, title: 'Record your position', url } } }],
      },
    };
    try {
      const response = await (deps.meetingNotifier ?? teamsMeetingNotifier)(turn.context, meetingId, notification);
      const failed = response?.recipientsFailureInfo ?? [];
      if (failed.length === 0) return true;
      logger.warn({ event: 'meeting.notification-partial', pollId: poll.id, failed: failed.map((info) => ({ errorCode: info.errorCode, failureReason: info.failureReason })) }, 'the targeted meeting notification missed some representatives; notifying everyone in the meeting');
      return false;
    } catch (error) {
      logger.warn({ event: 'meeting.notification-refused', pollId: poll.id, status: statusOf(error), err: error }, 'Teams refused the targeted meeting notification; notifying everyone in the meeting');
      return false;
    }
  };

  /**
   * Shows a just-opened poll in the call. First a targeted meeting notification to the
   * representatives and deputies of its members who are in the call (as found when attendance was
   * taken); where Teams refuses that, the chat message carries the notification everyone in the
   * meeting sees (channelData.notification.alertInMeeting with the content bubble). The chat message
   * is posted either way, so the poll is in the meeting's record. Without a public URL (local mode)
   * there is no bubble; the card in the chat still works.
   */
  const announcePoll = async (turn: Turn, poll: Poll): Promise<void> => {
    const meeting = meetingOf(turn.context.activity);
    if (!meeting) return;
    const page = bubblePage(poll.id);
    const recipients = page ? recipientsOf(poll, await deps.collaborativeForTurn(turn), inMeetingByTurn.get(turn.context)) : [];
    const targeted = page !== undefined && recipients.length > 0 && await notifyRepresentatives(turn, meeting.meetingId, poll, recipients, page);
    const externalResourceUrl = targeted ? undefined : bubbleUrl(poll.id);
    const where = targeted ? ' in the pop-up on your meeting stage or' : externalResourceUrl ? ' in the pop-up or' : '';
    const text = `**Poll open:** ${escapeMarkdown(poll.title).replace(/</g, '\\<')}. Representatives, record your member's position${where} on the card in the chat.`;
    logger.info({ event: 'meeting.poll-announced', pollId: poll.id, targeted, recipients: recipients.length, alertInMeeting: externalResourceUrl !== undefined }, 'poll shown in the meeting');
    await turn.context.sendActivity({
      type: 'message',
      text,
      textFormat: 'markdown',
      ...(externalResourceUrl ? { channelData: { notification: { alertInMeeting: true, externalResourceUrl } } } : {}),
    });
  };

  /**
   * The side panel for a meeting chat. The "Now" marker and each item's attendance come from the
   * stored moves, read each time, so every instance and a restart show the same marker.
   */
  const sidePanel = async (chatId: string, aadObjectId: string): Promise<SidePanel | undefined> => {
    const agenda = (await store.listAgendas({ conversationId: chatId })).at(-1);
    if (!agenda) return undefined;
    const collaborative = await deps.collaborativeForConversation(chatId);
    const roles = collaborative && rolesOf(collaborative, aadObjectId);
    const names = new Map((collaborative?.members ?? []).map((member) => [member.id, member.name]));
    const { meeting, items } = agenda.current;
    const schedule = scheduleAgenda(meeting.startTime, items.map((item) => item.minutes));
    const polls = await store.listPolls({ agendaId: agenda.id });
    const starts = await store.itemStarts(agenda.id);
    return {
      agendaId: agenda.id,
      title: meeting.title,
      date: meeting.date,
      now: nowMarker(starts),
      isChair: roles !== undefined && (roles.isChair || roles.isSecretariat),
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
          attendanceText: attendanceLine(attendanceAtStart(starts, item.ref)?.attendance, names),
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

  /** The chair (or secretariat) marks an item "Now": who is in the meeting is recorded with the move. */
  const setNow = async (agendaId: string, itemRef: string, by: Person): Promise<SetNowResult> => {
    const agenda = await store.getAgenda(agendaId);
    const collaborative = agenda && await deps.collaborativeForAgenda(agenda);
    if (!agenda || !collaborative) return { ok: false, status: 404, message: 'That agenda is not on record.' };
    const now = deps.now();
    const started = startItem({ agenda, itemRef, by, collaborative, now });
    if (!started.ok) {
      switch (started.error.kind) {
        case 'not-chair-or-secretariat':
          return { ok: false, status: 403, message: `Only the chair or secretariat of ${collaborative.name} moves the "Now" marker.` };
        case 'not-on-agenda':
          return { ok: false, status: 400, message: `${started.error.itemRef} is not on the current agenda (version ${agenda.current.version}). Choose one of its items.` };
      }
    }
    const attendance = await attendanceInChat(agenda.conversationId, collaborative, now);
    await store.recordItemStart({ ...started.value, ...(attendance ? { attendance } : {}) });
    logger.info({ event: 'meeting.now', agendaId, itemRef, attendanceTaken: attendance !== undefined }, 'the chair moved the Now marker');
    return { ok: true, status: 200, message: `Now: ${itemRef}` };
  };

  /** For a poll's result (stage, bubble): who was in the meeting when its agenda item was marked "Now". */
  const itemAttendanceText = async (poll: Poll, collaborative: Collaborative): Promise<string> => {
    if (!poll.agenda) return '';
    const start = attendanceAtStart(await store.itemStarts(poll.agenda.agendaId), poll.agenda.itemRef);
    const line = attendanceLine(start?.attendance, new Map(collaborative.members.map((member) => [member.id, member.name])));
    return line ? `At the start of ${poll.agenda.itemRef}: ${line}` : '';
  };

  return { minutesForAgenda, onMeetingEnd, attendanceFor, announcePoll, bubbleUrl, sidePanel, setNow, itemAttendanceText };
}
