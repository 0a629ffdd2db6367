import type { Collaborative, Poll, Vote } from '../decisions/index.js';
import { BoundedMap } from '../shared/bounded-map.js';
import { prepareJson } from '../shared/prepared-json.js';
import type { CardJson } from './render.js';

/** Open polls being voted on at once in one process; an evicted poll's card is just rendered again. */
const POLLS_KEPT = 200;

interface Rendered {
  poll: string;
  votes: readonly Vote[];
  collaborative: Collaborative;
  card: CardJson;
}

/**
 * The shared part of a poll's card (everything but the viewer's note), rendered once per version of
 * what it shows and reused: by the card refresh after a batch of votes, and by each of the up to 60
 * listed representatives' Teams clients asking for their copy (Universal Actions refresh), instead of
 * rendering a 200-member card for each. The key is what the card is made from, read from the store
 * for every use: the poll (as JSON), the very vote objects and the collaborative version the store
 * handed out (the embedded store shares them, frozen, until they change), so a card is only reused
 * when nothing it shows can differ. A store that copies on every read simply never reuses one.
 */
export class SharedPollCards {
  private readonly rendered = new BoundedMap<string, Rendered>(POLLS_KEPT);

  card(poll: Poll, votes: readonly Vote[], collaborative: Collaborative, render: () => CardJson): CardJson {
    const pollJson = JSON.stringify(poll);
    const last = this.rendered.get(poll.id);
    if (last && last.poll === pollJson && last.collaborative === collaborative && sameObjects(last.votes, votes)) return last.card;
    const card = render();
    // Every voter's reply and card refresh carries these same parts until the next version: their
    // JSON is made once (and the parts frozen), and each reply adds only the voter's note.
    for (const part of Object.values(card)) if (typeof part === 'object' && part !== null) prepareJson(part);
    if (Array.isArray(card.body)) for (const item of card.body) if (typeof item === 'object' && item !== null) prepareJson(item);
    this.rendered.set(poll.id, { poll: pollJson, votes: [...votes], collaborative, card });
    return card;
  }
}

function sameObjects(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
