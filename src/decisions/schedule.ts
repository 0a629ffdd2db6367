import { memberName, type Collaborative } from './collaborative.js';
import { escapeMentionName } from './mention-text.js';
import type { Poll } from './model.js';
import { chaseable } from './reminders.js';

/** Minutes before closing: the default, a day and an hour before (as Polly and Loomio do). */
export const DEFAULT_REMINDERS: readonly number[] = [24 * 60, 60];

const MINUTE_MS = 60_000;

/**
 * The offsets a new poll keeps: distinct, largest first, and only those whose time is still ahead
 * when the poll opens (a poll closing in 30 minutes gets no "24 hours before" reminder at once).
 */
export function reminderSchedule(offsets: readonly number[], closesAt: string, now: Date): number[] {
  const closes = Date.parse(closesAt);
  return [...new Set(offsets)].filter((minutes) => closes - minutes * MINUTE_MS > now.getTime()).sort((a, b) => b - a);
}

/** A reminder already sent: one `poll.reminded` audit event with `detail.offset`. */
export interface SentReminder {
  pollId: string;
  offset: number;
}

/** One reminder to send now for a poll. */
export interface DueReminder {
  pollId: string;
  /** The offset (minutes before closing) this reminder is for: the latest one due. */
  offset: number;
  /**
   * Every offset it settles, itself included. After downtime both the 24-hour and the 1-hour
   * reminders may be due; members get one message (the nearer), and both count as sent.
   */
  settles: number[];
}

/**
 * Which scheduled reminders are due at `now`: for an open poll with a closing time still ahead, each
 * offset whose time (closesAt − offset) has come and that is not in `sent`. Never after close (by
 * status or by time: the deadline closer may not have run yet), never twice, at most one per poll.
 */
export function dueReminders(polls: readonly Poll[], sent: readonly SentReminder[], now: Date): DueReminder[] {
  const done = new Set(sent.map((reminder) => `${reminder.pollId}\u0000${reminder.offset}`));
  const due: DueReminder[] = [];
  for (const poll of polls) {
    if (poll.status !== 'open' || poll.closesAt === undefined || !poll.reminders?.length) continue;
    const closes = Date.parse(poll.closesAt);
    if (closes <= now.getTime()) continue;
    const settles = poll.reminders
      .filter((offset) => closes - offset * MINUTE_MS <= now.getTime() && !done.has(`${poll.id}\u0000${offset}`))
      .sort((a, b) => b - a);
    if (settles.length > 0) due.push({ pollId: poll.id, offset: Math.min(...settles), settles });
  }
  return due;
}

/** A reminder for one person, sent to their personal chat with Concord. */
export interface PersonalReminder {
  aadObjectId: string;
  text: string;
}

/**
 * One personal message per representative or deputy of each member not yet on record (a person
 * acting for two such members gets one message naming both). Text is Teams markdown, escaped.
 */
export function personalReminders(poll: Poll, organisationIds: readonly string[], collaborative: Collaborative, closesText: string): PersonalReminder[] {
  const membersOf = new Map<string, string[]>();
  for (const member of collaborative.members) {
    if (!organisationIds.includes(member.id)) continue;
    for (const aadObjectId of chaseable(poll, member)) {
      membersOf.set(aadObjectId, [...(membersOf.get(aadObjectId) ?? []), escapeMentionName(memberName(collaborative, member.id))]);
    }
  }
  const title = escapeMentionName(poll.title);
  return [...membersOf].map(([aadObjectId, names]) => ({
    aadObjectId,
    text: `Reminder: “${title}” closes ${closesText} and has no position yet from ${names.join(' or ')}. Type "pending" here to record it.`,
  }));
}
