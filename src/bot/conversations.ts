import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Store } from '../store/store.js';
import type { CardJson } from './render.js';
import { sendCard, updateCard } from './send.js';
import { BoundedMap } from '../shared/bounded-map.js';

/** Entries each per-conversation map in the bot shell keeps; beyond it the least recent go. */
export const MEMORY_CAPACITY = 5_000;

/**
 * Posting later (a refreshed poll card, an outcome for the secretariat) needs the
 * conversation's reference, saved when Concord is installed there or first used.
 */
export class Conversations {
  /** Conversations saved by this process; bounded, as a forgotten one is only saved again. */
  private readonly known = new BoundedMap<string, true>(MEMORY_CAPACITY);

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly store: Store,
    private readonly appId: string,
  ) {}

  /** Saves the reference once per conversation per process; cheap to call on every turn. */
  async remember(context: TurnContext, now: Date): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const conversationId = reference.conversation?.id;
    if (!conversationId || this.known.has(conversationId)) return;
    const meetingId = meetingIdOf(context.activity);
    const record = { reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>, savedAt: now.toISOString(), ...(meetingId ? { meetingId } : {}) };
    await this.store.saveConversation({ conversationId, ...record });
    // A personal chat is also saved under the person, so a scheduled reminder can reach them there.
    const aadObjectId = context.activity.from?.aadObjectId;
    if (reference.conversation?.conversationType === 'personal' && aadObjectId) {
      await this.store.saveConversation({ conversationId: personalConversationKey(aadObjectId), ...record });
    }
    this.known.set(conversationId, true);
  }

  /** Sends a message (not a card) into a saved conversation, e.g. a reminder with @mentions. */
  async send(conversationId: string, activity: Partial<Activity>): Promise<void> {
    await this.continue(conversationId, async (context) => {
      await context.sendActivity(activity);
    });
  }

  async has(conversationId: string): Promise<boolean> {
    return (await this.store.getConversation(conversationId)) !== undefined;
  }

  /** Posts a new card; returns its activity id. Throws when the conversation is unknown. */
  async post(conversationId: string, card: CardJson): Promise<string | undefined> {
    let activityId: string | undefined;
    await this.continue(conversationId, async (context) => {
      activityId = await sendCard(context, card);
    });
    return activityId;
  }

  /** Posts a Markdown message (e.g. draft minutes); returns its activity id. Throws when the conversation is unknown. */
  async postMarkdown(conversationId: string, text: string): Promise<string | undefined> {
    let activityId: string | undefined;
    await this.continue(conversationId, async (context) => {
      activityId = (await context.sendActivity({ type: 'message', text, textFormat: 'markdown' }))?.id;
    });
    return activityId;
  }

  async update(conversationId: string, activityId: string, card: CardJson): Promise<void> {
    await this.continue(conversationId, async (context) => {
      await updateCard(context, activityId, card);
    });
  }

  /** Runs `logic` in a turn of a saved conversation (e.g. the meeting chat, for the participant API). Throws when the conversation is unknown. */
  async within(conversationId: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.continue(conversationId, logic);
  }

  private async continue(conversationId: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const record = await this.store.getConversation(conversationId);
    if (!record) throw new UnknownConversationError(conversationId);
    // The adapter hands an error thrown inside the turn to onTurnError, which logs it and returns:
    // the caller would take a failed send for a sent one and never retry it. Carry it out instead.
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, record.reference as Partial<ConversationReference>, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}

export class UnknownConversationError extends Error {
  constructor(readonly conversationId: string) {
    super(`Concord has no reference for conversation ${conversationId}: add Concord to it first`);
    this.name = 'UnknownConversationError';
  }
}

/** Teams names the meeting in channelData.meeting.id on every activity in a meeting's chat. */
function meetingIdOf(activity: Partial<Activity>): string | undefined {
  const meeting = (activity.channelData as { meeting?: { id?: unknown } } | undefined)?.meeting;
  return typeof meeting?.id === 'string' && meeting.id.length > 0 && meeting.id.length <= 1000 ? meeting.id : undefined;
}

/** Where a person's personal chat with Concord is saved (besides its own conversation id). */
export const personalConversationKey = (aadObjectId: string): string => `personal:${aadObjectId}`;
