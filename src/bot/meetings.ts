/**
 * Concord in a Teams meeting: the draft minutes posted to the secretariat when the meeting ends
 * (issue 21). A meeting's chat is a conversation like any other; the agenda posted there is the
 * meeting's agenda, and the polls opened from it are its decisions.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Agenda } from '../agenda/model.js';
import type { Collaborative } from '../decisions/collaborative.js';
import type { Poll } from '../decisions/model.js';
import type { Outcome } from '../decisions/outcome.js';
import { buildMinutes, type Minutes } from '../register/minutes.js';
import type { Store } from '../store/store.js';
import type { Conversations } from './conversations.js';
import { minutesToMarkdown } from './minutes-document.js';
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

/** Teams limits a message to about 28 KB of text; longer minutes are left to the register tab. */
const MAX_MARKDOWN_CHARS = 20_000;
/** One post per meeting end, however many times Teams repeats the event or instances receive it. */
const MINUTES_LEASE_MS = 24 * 60 * 60_000;

export interface MeetingsDependencies {
  readonly store: Store;
  readonly collaborative: Collaborative;
  readonly conversations: Pick<Conversations, 'postMarkdown'>;
  readonly logger: Logger;
  /** Names each attempt's lease holder: a lease renews for the same holder, and a repeated event must not. */
  readonly newId: () => string;
  readonly secretariatConversationId?: string;
  readonly registerUrl?: string;
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
      members: deps.collaborative.members.map((member) => ({ id: member.id, name: member.name })),
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

  return { minutesForAgenda, onMeetingEnd };
}
