import type { Logger } from 'pino';
import type { Outcome } from '../register/model.js';
import { toOutcomeCardData } from '../register/outcome-view.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../shared/clock.js';
import { isTransient, withRetry, withTimeout } from '../shared/retry.js';
import { UnknownConversationError, type Conversations } from './conversations.js';
import type { CardRenderer } from './render.js';

export interface OutcomePublisherOptions {
  readonly store: Store;
  readonly conversations: Pick<Conversations, 'post'>;
  readonly renderer: CardRenderer;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The secretariat's conversation; without one, outcomes wait in the register. */
  readonly secretariatConversationId?: string;
  readonly registerUrl?: string;
  readonly retryBaseDelayMs?: number;
  /** How long to wait before trying an outcome again after a round of retries failed. */
  readonly redeliverAfterMs?: number;
  /** A post Teams has not answered in this time is abandoned and retried. */
  readonly sendTimeoutMs?: number;
}

/**
 * Posts each logged outcome to the secretariat's conversation. The outcome is already stored
 * before it gets here, so a failed post never loses it: it stays "pending" on the register,
 * is retried with backoff, then again later and at every start, until Teams accepts it.
 */
export class OutcomePublisher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: OutcomePublisherOptions) {}

  publish(outcome: Outcome): void {
    void this.deliver(outcome.id);
  }

  /** Delivers every outcome still pending, e.g. after a restart. */
  async deliverPending(): Promise<void> {
    const pending = (await this.options.store.listOutcomes()).filter((outcome) => outcome.delivery.state === 'pending');
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

  private async attempt(outcomeId: string): Promise<void> {
    const { store, logger } = this.options;
    const outcome = await store.getOutcome(outcomeId);
    if (!outcome || outcome.delivery.state !== 'pending' || this.stopped) return;
    const conversationId = this.options.secretariatConversationId;
    if (!conversationId) {
      logger.info({ outcomeId }, 'no secretariat conversation configured (CONCORD_SECRETARIAT_CONVERSATION); the outcome is on the register');
      await store.updateOutcome(outcomeId, (current) => ({ ...current, delivery: { ...current.delivery, state: 'not-configured' } }));
      return;
    }
    const card = this.options.renderer.render('outcome', toOutcomeCardData(outcome, { registerUrl: this.options.registerUrl }));
    let attempts = 0;
    try {
      await withRetry(async () => {
        attempts += 1;
        await withTimeout(this.options.conversations.post(conversationId, card), this.options.sendTimeoutMs ?? 10_000);
      }, {
        attempts: 4,
        baseDelayMs: this.options.retryBaseDelayMs ?? 1000,
        maxDelayMs: 15_000,
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
      if (!this.stopped) {
        const timer = setTimeout(() => { this.timers.delete(timer); void this.deliver(outcomeId); }, this.options.redeliverAfterMs ?? 60_000);
        timer.unref();
        this.timers.add(timer);
      }
    }
  }
}
