import { ActivityTypes, TurnContext, type InvokeResponse } from 'botbuilder';
import { checkSender, tenantOf } from './identity.js';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { Person } from '../people/model.js';
import { parseCommand, type Command } from './commands.js';
import { CardActionValue, MAX_CARD_DATA_BYTES, SubmitValue } from './activity-input.js';
import type { CardRenderer, CardJson } from './render.js';
import type { RateLimiter } from './rate-limit.js';
import { refusalCard, sendCard, updateCard } from './send.js';
import type { Turn, Verb, VerbReply } from './verb.js';
import { escapeMarkdown } from './markdown.js';
import { isTransient, retryAfterMs, withRetry } from './retry.js';

export type CommandHandlers = {
  [Kind in Command['kind']]: (turn: Turn, command: Extract<Command, { kind: Kind }>) => Promise<void>;
};

export interface BotDependencies {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly renderer: CardRenderer;
  readonly commands: CommandHandlers;
  readonly verbs: ReadonlyMap<string, Verb<unknown>>;
  readonly rateLimiter: RateLimiter;
  /** No credentials: nothing is authenticated, and Playground activities may lack Teams' fields. */
  readonly localMode: boolean;
  /** Tenants allowed to use Concord; empty allows any (local mode only: start-up requires a list otherwise). */
  readonly allowedTenants: readonly string[];
  /** Greets and remembers a conversation Concord was just added to. */
  readonly onInstalled: (turn: Turn) => Promise<void>;
  /** Event activities (a Teams meeting starting or ending). */
  readonly onEvent?: (turn: Turn) => Promise<{ outcome: 'ok' | 'ignored'; detail?: string }>;
}

type TurnResult = 'ok' | 'ignored' | 'refused' | 'bad-request' | 'rate-limited' | 'forbidden-sender' | 'forbidden-tenant' | 'error';


/**
 * The thin shell: translates Teams activities into calls on Concord's features and their
 * results into cards. It never lets an exception reach the person in chat: every turn ends
 * with one structured log line saying what happened.
 */
export class ConcordBot {
  constructor(private readonly deps: BotDependencies) {}

  async onTurn(context: TurnContext): Promise<void> {
    const started = performance.now();
    const activity = context.activity;
    let outcome: TurnResult = 'ok';
    let detail: string | undefined;
    try {
      const sender = checkSender(activity, { localMode: this.deps.localMode });
      if (!sender.ok) {
        outcome = 'forbidden-sender';
        detail = sender.error.kind;
        if (activity.type === ActivityTypes.Invoke) await this.invokeError(context, 403, 'Forbidden', 'Concord accepts this action only from Microsoft Teams.');
        return;
      }
      const tenantId = tenantOf(activity);
      if (this.deps.allowedTenants.length > 0 && !(tenantId && this.deps.allowedTenants.includes(tenantId))) {
        outcome = 'forbidden-tenant';
        detail = tenantId ?? 'none';
        if (activity.type === ActivityTypes.Invoke) await this.invokeError(context, 403, 'Forbidden', 'This tenant is not allowed to use Concord.');
        return;
      }
      const turn = this.turnFor(context, sender.value.aadObjectId);
      // One limit, checked before anything else is looked at, for every kind of activity: invalid
      // card data and installation notices cost the sender as much as a command does.
      if (!(await this.allowed(turn, sender.value.key))) {
        outcome = 'rate-limited';
        if (activity.type === ActivityTypes.Invoke) await this.invokeError(context, 429, 'TooManyRequests', 'Too many actions; please wait a moment.');
        return;
      }
      switch (activity.type) {
        case ActivityTypes.Message:
          ({ outcome, detail } = await this.onMessage(turn));
          break;
        case ActivityTypes.Invoke:
          ({ outcome, detail } = await this.onInvoke(turn));
          break;
        case ActivityTypes.ConversationUpdate:
          if ((activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id)) await this.deps.onInstalled(turn);
          else outcome = 'ignored';
          break;
        case ActivityTypes.InstallationUpdate:
          if (activity.action === 'add' || activity.action === 'add-upgrade') await this.deps.onInstalled(turn);
          else outcome = 'ignored';
          break;
        case ActivityTypes.Event:
          if (this.deps.onEvent) ({ outcome, detail } = await this.deps.onEvent(turn));
          else outcome = 'ignored';
          break;
        default:
          outcome = 'ignored';
      }
    } catch (error) {
      outcome = 'error';
      this.deps.logger.error({ err: error, conversationId: activity.conversation?.id }, 'turn failed');
      await this.apologise(context);
    } finally {
      this.deps.logger.info({
        activityType: activity.type,
        name: activity.name,
        conversationId: activity.conversation?.id,
        user: activity.from?.aadObjectId,
        outcome,
        detail,
        ms: Math.round((performance.now() - started) * 10) / 10,
      }, 'activity');
    }
  }

  private async onMessage(turn: Turn): Promise<{ outcome: TurnResult; detail?: string }> {
    const activity = turn.context.activity;
    // Action.Submit, the fallback for clients without Action.Execute, arrives as a message with a value.
    if (activity.value !== undefined && activity.value !== null) {
      const submit = SubmitValue.safeParse(activity.value);
      if (!submit.success) return this.badCardData(turn, 'submit without a verb');
      const { verb, ...data } = submit.data;
      return this.runVerb(turn, verb, data, async (reply) => {
        // A vote's shared card is refreshed by the coalescing card updater: the voter gets one line.
        if (reply.kind === 'card' && reply.confirmation !== undefined && !reply.shared) {
          await this.confirm(turn, reply.confirmation);
          return;
        }
        const card = this.cardFor(reply);
        if (reply.kind === 'card' && reply.shared && turn.cardActivityId) {
          await this.updateShared(turn, card);
        } else {
          await sendCard(turn.context, card);
        }
      });
    }
    const text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    const command = parseCommand(text);
    await this.dispatch(turn, command);
    return { outcome: 'ok', detail: command.kind };
  }

  private async onInvoke(turn: Turn): Promise<{ outcome: TurnResult; detail?: string }> {
    const activity = turn.context.activity;
    if (activity.name !== 'adaptiveCard/action') {
      await this.invokeError(turn.context, 501, 'NotImplemented', `Concord does not handle ${activity.name ?? 'this invoke'}.`);
      return { outcome: 'ignored', detail: activity.name };
    }
    const value = CardActionValue.safeParse(activity.value);
    if (!value.success) {
      await this.invokeError(turn.context, 400, 'BadRequest', 'That card action was not understood.');
      return this.badCardData(turn, 'malformed Action.Execute value', false);
    }
    const { verb, data } = value.data.action;
    let answered = false;
    const result = await this.runVerb(turn, verb, data, async (reply) => {
      const card = this.cardFor(reply);
      if (reply.kind === 'card' && reply.shared) await this.updateShared(turn, card);
      answered = true;
      await this.invokeReply(turn.context, { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
    });
    if (!answered) {
      const status = result.outcome === 'bad-request' ? 400 : 500;
      await this.invokeError(turn.context, status, status === 400 ? 'BadRequest' : 'InternalError', result.detail ?? 'The action failed.');
    }
    return result;
  }

  private async runVerb(
    turn: Turn,
    name: string,
    data: Record<string, unknown>,
    deliver: (reply: VerbReply) => Promise<void>,
  ): Promise<{ outcome: TurnResult; detail?: string }> {
    const handler = this.deps.verbs.get(name);
    if (!handler) return this.badCardData(turn, `unknown verb ${name}`);
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_CARD_DATA_BYTES) return this.badCardData(turn, `${name}: card data too large`);
    const input = handler.input.safeParse(data);
    if (!input.success) {
      const issues = input.error.issues.map((issue) => `${issue.path.join('.') || 'data'}: ${issue.message}`);
      return this.badCardData(turn, `${name}: ${issues.join('; ')}`, true, issues);
    }
    const reply = await handler.handle(turn, input.data);
    await deliver(reply);
    if (reply.kind === 'refusal') return { outcome: 'refused', detail: name };
    // A card that tells the person their action was refused is logged as what happened.
    return reply.refused ? { outcome: 'refused', detail: `${name}: ${reply.refused}` } : { outcome: 'ok', detail: name };
  }

  /**
   * Updates the pressed card for everyone. The change is already stored and the person who
   * pressed gets the new card in the reply, so a failed update is logged, not turned into an error.
   */
  private async updateShared(turn: Turn, card: CardJson): Promise<void> {
    if (!turn.cardActivityId) return;
    try {
      await updateCard(turn.context, turn.cardActivityId, card);
    } catch (error) {
      this.deps.logger.warn({ err: error, conversationId: turn.conversationId, activityId: turn.cardActivityId }, 'shared card update failed');
    }
  }

  /**
   * A short text reply confirming a fallback action. Teams throttles a busy channel (429), so it is
   * retried with backoff, honouring Retry-After; the action itself is already stored.
   */
  private async confirm(turn: Turn, text: string): Promise<void> {
    await withRetry(() => turn.context.sendActivity({ type: ActivityTypes.Message, text: escapeMarkdown(text), textFormat: 'markdown' }), {
      attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, retryable: isTransient, retryAfterMs: (error) => retryAfterMs(error),
    });
  }

  private async dispatch(turn: Turn, command: Command): Promise<void> {
    const commands = this.deps.commands;
    switch (command.kind) {
      case 'help': return commands.help(turn, command);
      case 'agenda': return commands.agenda(turn, command);
      case 'poll': return commands.poll(turn, command);
      case 'decisions': return commands.decisions(turn, command);
      case 'pending': return commands.pending(turn, command);
      case 'members': return commands.members(turn, command);
      case 'setup': return commands.setup(turn, command);
      case 'question': return commands.question(turn, command);
    }
  }

  private cardFor(reply: VerbReply): CardJson {
    return reply.kind === 'card' ? reply.card : refusalCard(this.deps.renderer, reply);
  }

  /** Malformed or unknown card data: a polite card in chat, a log line, and for invokes a 400. */
  private async badCardData(turn: Turn, detail: string, tellPerson = true, issues: string[] = []): Promise<{ outcome: TurnResult; detail: string }> {
    this.deps.logger.warn({ conversationId: turn.conversationId, user: turn.person.aadObjectId, detail, issues }, 'bad card data');
    if (tellPerson) {
      const card = this.deps.renderer.render('message', {
        title: "Sorry, I couldn't use that",
        message: 'That card action was incomplete or out of date, so nothing was changed.',
        hint: 'Try the command again (type "help" to see them all).',
        tone: 'warning',
      });
      await sendCard(turn.context, card);
    }
    return { outcome: 'bad-request', detail };
  }

  /** Per-person rate limit; the first refusal in a window says so politely (messages only: invokes get a 429). */
  private async allowed(turn: Turn, key: string): Promise<boolean> {
    const verdict = this.deps.rateLimiter.check(key, turn.now.getTime());
    if (verdict === 'refused-first' && turn.context.activity.type === ActivityTypes.Message) {
      await sendCard(turn.context, this.deps.renderer.render('message', {
        title: 'One moment, please',
        message: 'You have sent a lot of requests in the last minute, so I am pausing yours for a short while. Nothing you already did was lost.',
        hint: '',
        tone: 'warning',
      }));
    }
    return verdict === 'allowed';
  }

  private async apologise(context: TurnContext): Promise<void> {
    try {
      if (context.activity.type === ActivityTypes.Invoke) {
        await this.invokeError(context, 500, 'InternalError', 'Concord could not complete that action.');
      } else if (context.activity.type === ActivityTypes.Message) {
        const card = this.deps.renderer.render('message', {
          title: 'Something went wrong on my side',
          message: 'Nothing you sent was lost; please try again in a moment. If it keeps happening, tell your secretariat.',
          hint: '',
          tone: 'warning',
        });
        await sendCard(context, card);
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'could not send apology');
    }
  }

  private async invokeError(context: TurnContext, status: number, code: string, message: string): Promise<void> {
    await this.invokeReply(context, { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } });
  }

  private async invokeReply(context: TurnContext, body: { statusCode: number; type: string; value: unknown }): Promise<void> {
    const response: InvokeResponse = { status: body.statusCode, body };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
  }

  private turnFor(context: TurnContext, aadObjectId: string): Turn {
    const activity = context.activity;
    const person: Person = { aadObjectId, name: activity.from?.name ?? '' };
    return {
      context,
      person,
      conversationId: activity.conversation?.id ?? 'unknown',
      now: this.deps.clock.now(),
      cardActivityId: activity.replyToId,
    };
  }
}

