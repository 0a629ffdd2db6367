import { CardFactory, type TurnContext } from 'botbuilder';
import type { CardJson } from './render.js';

/** Posts a card as a new message; returns its activity id so it can be updated later. */
export async function sendCard(context: TurnContext, card: CardJson): Promise<string | undefined> {
  const response = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  return response?.id;
}
