import type { Logger } from 'pino';
import type { Outcome } from '../decisions/outcome.js';
import { renderOutcomeCard } from './register.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../shared/clock.js';
import { isTransient, withRetry, withTimeout } from './retry.js';
import { UnknownConversationError, type Conversations } from './conversations.js';
import type { CardRenderer } from './render.js';

export interface OutcomePublisherOptions {
  readonly store: Store;
  readonly conversations: Pick<Conversations, 'post'>;
  readonly renderer: CardRenderer;
  readonly logger: Logger;
  readonly clock: Clock;
  /** This process's name in the store's leases: with several instances, one posts each outcome. */
  readonly instanceId: string;
  /** The secretariat's conversation; without one, outcomes wait in the register. */
  readonly secretariatConversationId?: string;
  readonly registerUrl?: string;
  readonly retryBaseDelayMs?: number;
  /** How long to wait before trying an outcome again after a round of retries failed. */
  readonly redeliverAfterMs?: number;
  /** A post Teams has not answered in this time is abandoned and retried. */
  readonly sendTimeoutMs?: number;
}

/** Tries per round of posting, and the longest wait between them (withRetry's cap). */
const POST_ATTEMPTS = 4;
const MAX_RETRY_DELAY_MS = 15_000;

/**
 * Posts each logged outcome to the secretariat's conversation. The outcome is already stored
 * before it gets here, so a failed post never loses it: it stays "pending" on the register,
 * is retried with backoff, then again later and at every start, until Teams accepts it.
 */
export class OutcomePublisher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Longer than the slowest round of posting (every try timing out, every wait at its cap), so a lease never runs out mid-round. */
  private readonly leaseMs: number;

  constructor(private readonly options: OutcomePublisherOptions) {
    this.leaseMs = POST_ATTEMPTS * (options.sendTimeoutMs ?? 10_000) + (POST_ATTEMPTS - 1) * MAX_RETRY_DELAY_MS + 30_000;
  }

  publish(outcome: Outcome): void {
    void this.deliver(outcome.id);
  }

  /** Delivers every outcome still pending, e.g. after a restart. */
  async deliverPending(): Promise<void> {
    // Filtered by the store: the embedded one reads only these outcomes' files, not the whole register.
    const pending = await this.options.store.listOutcomes({ delivery: 'pending' });
    await Promise.all(pending.map((outcome) => this.deliver(outcome.id)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** One delivery per outcome at a time in this process. */
  deliver(outcomeId: string): Promise<void> {
    const running = this.inFlight.get(outcomeId);
    if (running) return running;
    const attempt = this.attempt(outcomeId).finally(() => this.inFlight.delete(outcomeId));
    this.inFlight.set(outcomeId, attempt);
    return attempt;
  }

  /**
   * Several instances may try the same outcome (its closer, and any instance that starts while it is
   * pending): only the holder of its lease posts it, and reads its delivery state only once it holds
   * the lease, so an outcome another instance has just posted is not posted again. One that finds
   * the lease taken looks again later, in case the holder stops before posting.
   */
  private async attempt(outcomeId: string): Promise<void> {
    const { store, logger, instanceId } = this.options;
    if (this.stopped) return;
    const lease = `outcome:${outcomeId}`;
    let held: boolean;
    try {
      held = await store.acquireLease(lease, instanceId, this.leaseMs, this.options.clock.now());
    } catch (error) {
      logger.error({ err: error, outcomeId }, 'could not take the outcome lease; the outcome stays pending and will be retried');
      this.retryLater(outcomeId);
      return;
    }
    if (!held) {
      logger.debug({ outcomeId }, 'another instance is posting this outcome; checking again later');
      this.retryLater(outcomeId);
      return;
    }
    try {
      await this.post(outcomeId);
    } finally {
      await store.releaseLease(lease, instanceId).catch((error: unknown) => logger.warn({ err: error, outcomeId }, 'could not release the outcome lease; it expires by itself'));
    }
  }

  private async post(outcomeId: string): Promise<void> {
    const { store, logger } = this.options;
    const outcome = await store.getOutcome(outcomeId);
    if (!outcome || outcome.delivery.state !== 'pending' || this.stopped) return;
    const conversationId = this.options.secretariatConversationId;
    if (!conversationId) {
      logger.info({ outcomeId }, 'no secretariat conversation configured (CONCORD_SECRETARIAT_CONVERSATION); the outcome is on the register');
      await store.updateOutcome(outcomeId, (current) => ({ ...current, delivery: { ...current.delivery, state: 'not-configured' } }));
      return;
    }
    const card = renderOutcomeCard(this.options.renderer, outcome, { registerUrl: this.options.registerUrl });
    let attempts = 0;
    try {
      await withRetry(async () => {
        attempts += 1;
        await withTimeout(this.options.conversations.post(conversationId, card), this.options.sendTimeoutMs ?? 10_000);
      }, {
        attempts: POST_ATTEMPTS,
        baseDelayMs: this.options.retryBaseDelayMs ?? 1000,
        maxDelayMs: MAX_RETRY_DELAY_MS,
        retryable: (error) => !(error instanceof UnknownConversationError) && isTransient(error),
        onRetry: (error, attempt, delayMs) => logger.warn({ err: error, outcomeId, attempt, delayMs }, 'posting outcome to the secretariat failed; retrying'),
      });
      const postedAt = this.options.clock.now().toISOString();
      await store.updateOutcome(outcomeId, (current) => ({ ...current, delivery: { state: 'posted', attempts: current.delivery.attempts + attempts, postedAt } }));
      logger.info({ outcomeId, conversationId }, 'outcome posted to the secretariat');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await store.updateOutcome(outcomeId, (current) => ({ ...current, delivery: { state: 'pending', attempts: current.delivery.attempts + attempts, lastError: message } }));
      logger.error({ err: error, outcomeId, conversationId }, 'outcome not yet posted to the secretariat; it stays pending and will be retried');
      this.retryLater(outcomeId);
    }
  }

  private retryLater(outcomeId: string): void {
    if (this.stopped) return;
    const timer = setTimeout(() => { this.timers.delete(timer); void this.deliver(outcomeId); }, this.options.redeliverAfterMs ?? 60_000);
    timer.unref();
    this.timers.add(timer);
  }
}
