import { nextSendAt, recordSend, TEAMS_PER_APP, TEAMS_PER_CONVERSATION, type RateWindow } from '../shared/pacing.js';

/**
 * Holds each conversation's recent send times (and the app's) and waits until the next send to a
 * conversation fits Teams' limits. A slot is reserved before waiting, so concurrent callers queue
 * up rather than all going at once. Per process: instances sharing a store send reminders under one
 * lease, so one process does the sending.
 */
export class Pacer {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly nowMs: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly perConversation: readonly RateWindow[] = TEAMS_PER_CONVERSATION,
    private readonly perApp: readonly RateWindow[] = TEAMS_PER_APP,
  ) {}

  /** Resolves when a message to `conversationId` may go; returns how long it waited (ms). */
  async wait(conversationId: string): Promise<number> {
    const now = this.nowMs();
    const conversation = this.sent.get(conversationId) ?? [];
    const app = this.sent.get(APP) ?? [];
    const at = Math.max(nextSendAt(conversation, now, this.perConversation), nextSendAt(app, now, this.perApp));
    this.sent.set(conversationId, recordSend(conversation, at, this.perConversation));
    this.sent.set(APP, recordSend(app, at, this.perApp));
    this.forgetIdle(now);
    if (at > now) await this.sleep(at - now);
    return at - now;
  }

  /** Conversations with no send inside the longest window need no entry (keeps the map small). */
  private forgetIdle(now: number): void {
    if (this.sent.size < 1_000) return;
    const longest = Math.max(...this.perConversation.map((window) => window.ms));
    for (const [key, times] of this.sent) if ((times.at(-1) ?? 0) <= now - longest) this.sent.delete(key);
  }
}

/** The app-wide log's key; conversation ids never start with a space. */
const APP = ' app';
