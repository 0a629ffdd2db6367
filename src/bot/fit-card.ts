import { MAX_CARD_BYTES } from './agendas.js';
import type { CardJson } from './render.js';

/** Room under MAX_CARD_BYTES for the note a viewer's copy carries (a few hundred bytes). */
export const FITTED_CARD_BYTES = MAX_CARD_BYTES - 1024;

/**
 * Renders a card at each level of detail in turn, most first, and returns the first that fits in a
 * Teams message (or the last level, whatever its size). A card of ordinary size is rendered and
 * measured once; only a very large one (hundreds of members) is rendered again.
 */
export function fitCard<Level>(levels: readonly Level[], render: (level: Level) => CardJson): CardJson {
  let card: CardJson = {};
  for (const level of levels) {
    card = render(level);
    if (Buffer.byteLength(JSON.stringify(card)) <= FITTED_CARD_BYTES) break;
  }
  return card;
}
