import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { Person } from '../people/model.js';
import type { CardJson } from './render.js';

/** What a card action handler knows about the turn, in Concord's own terms. */
export interface Turn {
  readonly context: TurnContext;
  readonly person: Person;
  readonly conversationId: string;
  readonly now: Date;
  /** The message holding the card that was pressed, when Teams says which. */
  readonly cardActivityId?: string;
}

/**
 * The reply to a card action. `card` replaces the pressed card for the person who pressed it;
 * with `shared`, Concord also updates that message for everyone in the conversation.
 * `refusal` is an expected "no" (not the chair, poll closed): a polite card, status 200.
 */
export type Refusal = { kind: 'refusal'; title: string; message: string };
export type VerbReply = {
  kind: 'card';
  card: CardJson;
  shared?: boolean;
  /**
   * Set when the card is the answer to a refused action (a vote from someone who is not a
   * representative, on a closed poll): the card says so to the person, and the turn's log line
   * records `outcome: "refused"` with this reason instead of "ok" (issue 15, item 7).
   */
  refused?: string;
  /**
   * One line saying what happened to this person's action ("Recorded: Barnsley supports."), for
   * clients that pressed the Action.Submit fallback: they get this as a short reply, while the
   * shared card is refreshed by the coalescing updater, instead of a new copy of the whole card in
   * the channel for every press (issue 15, item 6).
   */
  confirmation?: string;
} | Refusal;

export interface Verb<Input> {
  readonly input: z.ZodType<Input>;
  handle(turn: Turn, input: Input): Promise<VerbReply>;
}

/** Keeps each row's input and handler types tied together while the table holds many. */
export function verb<Input>(input: z.ZodType<Input>, handle: (turn: Turn, input: Input) => Promise<VerbReply>): Verb<unknown> {
  return { input, handle } as Verb<unknown>;
}

export const refusal = (title: string, message: string): Refusal => ({ kind: 'refusal', title, message });
