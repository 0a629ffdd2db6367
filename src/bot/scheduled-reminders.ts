import type { Logger } from 'pino';
import type { Collaborative } from '../decisions/collaborative.js';
import type { Poll } from '../decisions/model.js';
import { reminderFor } from '../decisions/reminders.js';
import { dueReminders, personalReminders, type SentReminder } from '../decisions/schedule.js';
import type { Person } from '../people/model.js';
import { ukDateTime } from '../shared/format.js';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../store/store.js';
import { personalConversationKey, type Conversations } from './conversations.js';
import { mentionMessage } from './polls.js';
import { Pacer } from './pacer.js';
import { isTransient, retryAfterMs, withRetry, withTimeout } from './retry.js';

/** Recorded as the sender of a scheduled reminder in the audit. */
export const REMINDER_SENDER: Person = { aadObjectId: 'concord', name: 'Concord (scheduled reminder)' };

/** A 429 that outlasts the HTTP pipeline's own retries waits for Retry-After, up to 30 s (Teams' longest window). */
const RETRY = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface ReminderDependencies {
  readonly store: Store;
  readonly conversations: Conversations;
  /** Each poll's collaborative, read at send time: membership may have changed since it opened (issue 19). */
  readonly collaborativeForPoll: (poll: Poll) => Promise<Collaborative>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sendTimeoutMs: number;
  /** Waits between sends (pacing) and between retries; injected so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Keeps sends inside Teams' per-conversation limits; one per process, shared by every run. */
  readonly pacer?: Pacer;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the scheduled reminders that are due. A reminder counts as sent (a `poll.reminded` audit
 * event with `detail.offset`) only once its channel message went out, so one that fails is tried
 * again at the next check; the caller holds the store lease, so instances sharing a store send once.
 */
export function scheduledReminders(deps: ReminderDependencies) {
  const { store, conversations, logger } = deps;
  const sleep = deps.sleep ?? defaultSleep;
  const pacer = deps.pacer ?? new Pacer(() => Date.now(), sleep);
  // Every attempt, a retry included, waits for its slot in the conversation's limits.
  const send = (what: string, conversationId: string, activity: Parameters<Conversations['send']>[1]) => withRetry(async () => {
    await pacer.wait(conversationId);
    await withTimeout(conversations.send(conversationId, activity), deps.sendTimeoutMs);
  }, {
    ...RETRY, retryable: isTransient, retryAfterMs: (error) => retryAfterMs(error), sleep,
    onRetry: (error, attempt, delayMs) => logger.warn({ err: error, what, attempt, delayMs }, 'reminder send failed; retrying'),
  });

  const sentFor = async (pollId: string): Promise<SentReminder[]> =>
    (await store.readAudit({ subject: pollId }))
      .filter((event) => event.action === 'poll.reminded' && event.detail['how'] === 'schedule')
      .flatMap((event) => {
        const settles = event.detail['settles'];
        const offsets = Array.isArray(settles) ? settles : [event.detail['offset']];
        return offsets.filter((offset): offset is number => typeof offset === 'number').map((offset) => ({ pollId, offset }));
      });

  /** Returns how many reminders were sent (and recorded). */
  return async function sendDue(): Promise<number> {
    const now = deps.clock.now();
    // The audit is read only for polls with a reminder time passed (most checks read none).
    const open = await store.listPolls({ status: 'open' });
    const candidates = new Set(dueReminders(open, [], now).map((due) => due.pollId));
    const scheduled = open.filter((poll) => candidates.has(poll.id));
    const sent = (await Promise.all(scheduled.map((poll) => sentFor(poll.id)))).flat();
    let count = 0;
    for (const due of dueReminders(scheduled, sent, now)) {
      // Re-read: the poll may have closed, or positions come in, since the list was read.
      const poll = await store.getPoll(due.pollId);
      if (!poll || dueReminders([poll], sent, deps.clock.now()).length === 0) continue;
      const closesText = `${ukDateTime(poll.closesAt ?? '')} (UK time)`;
      const collaborative = await deps.collaborativeForPoll(poll);
      const reminder = reminderFor(poll, await store.votes(poll.id), collaborative, closesText);
      const detail = { offset: due.offset, settles: due.settles, how: 'schedule' };
      if (!reminder) {
        // Everyone is on record: nothing to send, and nothing to send later for these offsets.
        await store.appendAudit({ action: 'poll.reminded', by: REMINDER_SENDER, subject: poll.id, at: now.toISOString(), detail: { ...detail, organisationIds: [], mentioned: 0 } });
        continue;
      }
      try {
        await send('channel', poll.conversationId, mentionMessage(reminder));
      } catch (error) {
        // Not recorded as sent: the next check tries again while the poll is open.
        logger.error({ err: error, event: 'reminder.failed', pollId: poll.id, offset: due.offset, conversationId: poll.conversationId }, 'scheduled reminder could not be posted; will try again');
        continue;
      }
      await store.appendAudit({ action: 'poll.reminded', by: REMINDER_SENDER, subject: poll.id, at: now.toISOString(), detail: { ...detail, organisationIds: reminder.organisationIds, mentioned: reminder.mentions.length } });
      count += 1;
      let personal = 0;
      for (const message of personalReminders(poll, reminder.organisationIds, collaborative, closesText)) {
        const key = personalConversationKey(message.aadObjectId);
        if (!(await conversations.has(key))) continue;
        try {
          await send('personal', key, { type: 'message', text: message.text, textFormat: 'markdown' });
          personal += 1;
        } catch (error) {
          // The channel message (which @mentions them) went out; this copy is logged, not retried later.
          logger.error({ err: error, event: 'reminder.personal-failed', pollId: poll.id, offset: due.offset, aadObjectId: message.aadObjectId }, 'personal reminder could not be sent');
        }
      }
      logger.info({ event: 'reminder.sent', pollId: poll.id, offset: due.offset, settles: due.settles, members: reminder.organisationIds.length, personal }, 'scheduled reminder sent');
    }
    return count;
  };
}
