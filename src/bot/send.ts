import { ActivityTypes, CardFactory, type TurnContext } from 'botbuilder';
import type { CardJson, CardRenderer } from './render.js';
import type { Refusal } from './verb.js';

/** Posts a card as a new message; returns its activity id so it can be updated later. */
export async function sendCard(context: TurnContext, card: CardJson): Promise<string | undefined> {
  const response = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  return response?.id;
}

/** Replaces the card in an existing message, for everyone in the conversation. */
export async function updateCard(context: TurnContext, activityId: string, card: CardJson): Promise<void> {
  await context.updateActivity({ id: activityId, type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
}

/** An expected "no" (not the chair, poll closed) as a polite card. */
export function refusalCard(renderer: CardRenderer, refusal: Refusal): CardJson {
  return renderer.render('message', { title: refusal.title, message: refusal.message, hint: '', tone: 'warning' });
}
