import type { Logger } from 'pino';
import { isTransient, withRetry, withTimeout } from './retry.js';
import type { CardJson } from './render.js';
import { BoundedMap } from '../shared/bounded-map.js';

const TIMING_CAPACITY = 5_000;

/** Sends one card update to Teams (updateActivity through the adapter). */
export type SendCardUpdate = (conversationId: string, activityId: string, card: CardJson) => Promise<void>;

export interface CardUpdaterOptions {
  readonly send: SendCardUpdate;
  readonly logger: Logger;
  /** Least time between two updates of the same card. */
  readonly cardIntervalMs: number;
  /**
   * Least time between any two updates in one conversation. Teams allows about 7 messages a
   * second and 60 per 30 seconds per conversation; 600 ms keeps every card in a busy channel
   * under 50 per 30 seconds, leaving room for Concord's ordinary replies.
   */
  readonly conversationIntervalMs?: number;
  readonly retryBaseDelayMs?: number;
  /** A send that takes longer is abandoned and retried, so one stalled call can't hold a card. */
  readonly sendTimeoutMs?: number;
  /**
   * Takes (or renews) a lease for `ttlMs`; false when another instance holds it. Without one,
   * this process is the only one refreshing cards (the embedded store).
   */
  readonly claim?: (lease: string, ttlMs: number) => Promise<boolean>;
}

interface Pending {
  conversationId: string;
  activityId: string;
  render: () => Promise<CardJson>;
  timer?: NodeJS.Timeout;
  running: boolean;
  again: boolean;
}

/**
 * Coalesces refreshes of shared cards. Each vote asks for its poll's card to be refreshed; the
 * card is rendered from stored state only when the update is actually sent, so a burst of 200
 * votes in a second becomes one or two updates, each showing everything stored so far.
 */
export class CardUpdater {
  private readonly pending = new Map<string, Pending>();
  // When each card and conversation was last refreshed, for pacing. Bounded: an entry matters only
  // for one interval, and a forgotten one at worst lets one refresh go a little early.
  private readonly lastCardUpdate = new BoundedMap<string, number>(TIMING_CAPACITY);
  private readonly lastConversationUpdate = new BoundedMap<string, number>(TIMING_CAPACITY);
  private readonly conversationIntervalMs: number;
  private stopped = false;
  /** Updates actually sent, for the benchmark and tests. */
  sentCount = 0;

  constructor(private readonly options: CardUpdaterOptions) {
    this.conversationIntervalMs = options.conversationIntervalMs ?? 600;
  }

  request(conversationId: string, activityId: string, render: () => Promise<CardJson>): void {
    if (this.stopped) return;
    const key = `${conversationId}\u0000${activityId}`;
    const existing = this.pending.get(key);
    if (existing) {
      existing.render = render;
      if (existing.running) existing.again = true;
      return;
    }
    const entry: Pending = { conversationId, activityId, render, running: false, again: false };
    this.pending.set(key, entry);
    this.arm(key, entry);
  }

  /** Sends what is pending now (used at shutdown) and stops taking requests. */
  async flush(): Promise<void> {
    this.stopped = true;
    const entries = [...this.pending.entries()];
    for (const [key, entry] of entries) {
      clearTimeout(entry.timer);
      if (entry.running) continue;
      // A card another instance is refreshing is tried once more after its interval, so this
      // instance's last votes still reach it before it stops.
      if ((await this.fire(key, entry)) === 'claimed-elsewhere') {
        await new Promise((resolve) => setTimeout(resolve, this.options.cardIntervalMs));
        await this.fire(key, entry);
      }
    }
  }

  private arm(key: string, entry: Pending): void {
    const now = Date.now();
    const dueByCard = (this.lastCardUpdate.get(key) ?? 0) + this.options.cardIntervalMs;
    const dueByConversation = (this.lastConversationUpdate.get(entry.conversationId) ?? 0) + this.conversationIntervalMs;
    const delay = Math.max(0, dueByCard - now, dueByConversation - now);
    // Reserve the conversation slot now so two cards in one conversation don't fire together.
    this.lastConversationUpdate.set(entry.conversationId, now + delay);
    entry.timer = setTimeout(() => void this.fire(key, entry), delay);
    entry.timer.unref?.();
  }

  private async fire(key: string, entry: Pending): Promise<'sent' | 'failed' | 'claimed-elsewhere'> {
    entry.running = true;
    entry.again = false;
    const lease = `card:${entry.conversationId}:${entry.activityId}`;
    const sendTimeoutMs = this.options.sendTimeoutMs ?? 10_000;
    try {
      // Several instances may each hold requests for one card (a vote arrived at each). One refreshes
      // it at a time, and none more often than the card interval: the lease covers the send, then
      // one interval after it. Refused, this request waits an interval and tries again: the holder
      // may have rendered the card before this instance's votes were stored.
      if (this.options.claim && !(await this.options.claim(lease, this.options.cardIntervalMs + sendTimeoutMs))) {
        entry.again = true;
        return 'claimed-elsewhere';
      }
      await withRetry(async () => {
        const card = await entry.render();
        await withTimeout(this.options.send(entry.conversationId, entry.activityId, card), sendTimeoutMs);
      }, {
        attempts: 5,
        baseDelayMs: this.options.retryBaseDelayMs ?? 500,
        maxDelayMs: 8000,
        retryable: isTransient,
        onRetry: (error, attempt, delayMs) =>
          this.options.logger.warn({ err: error, conversationId: entry.conversationId, attempt, delayMs }, 'card update failed; retrying'),
      });
      this.sentCount += 1;
      // Keep the card for one interval from now (a slow send may have used up the first ttl); a
      // refusal means the lease ran out mid-send and another instance has it, which is fine.
      if (this.options.claim) await this.options.claim(lease, Math.max(1, this.options.cardIntervalMs)).catch(() => false);
      return 'sent';
    } catch (error) {
      // The votes are safe in the store; the next vote (or the close) refreshes the card again.
      this.options.logger.error({ err: error, conversationId: entry.conversationId, activityId: entry.activityId }, 'card update gave up');
      return 'failed';
    } finally {
      const now = Date.now();
      this.lastCardUpdate.set(key, now);
      this.lastConversationUpdate.set(entry.conversationId, Math.max(now, this.lastConversationUpdate.get(entry.conversationId) ?? 0));
      entry.running = false;
      if (entry.again && !this.stopped) this.arm(key, entry);
      else this.pending.delete(key);
    }
  }
}

