import { describe, expect, it } from 'vitest';
import { CardRenderer } from '../../src/bot/render.js';
import { renderPollCard } from '../../src/bot/polls.js';
import { renderOutcomeCard } from '../../src/bot/register.js';
import { closePoll } from '../../src/decisions/close.js';
import { parseCollaborative, type Collaborative } from '../../src/decisions/collaborative.js';
import { toOnBehalfFormData } from '../../src/decisions/poll-card.js';
import type { Position, Vote } from '../../src/decisions/model.js';
import { alex, poll, vote } from '../decisions/fixtures.js';
import { expectValidCard, TEAMS_CARD_BUDGET } from '../support/cards.js';
import { textOf } from '../support/fake-connector.js';

const renderer = new CardRenderer();
const MEMBERS = 200;
const POSITIONS: Position[] = ['support', 'object', 'abstain'];
const WORDS: Record<Position, string> = { support: 'Supports', object: 'Objects', abstain: 'Abstains' };

/**
 * The largest poll card Concord sends: 200 members with names as long as the longest English NHS
 * trusts' (about 55 characters), five declarations of interest of the longest allowed, the chair acting for two of them (so the "Voting for" choice shows), and every
 * position recorded on a member's behalf with a note of the most characters allowed.
 */
function largeCollaborative(): Collaborative {
  const parsed = parseCollaborative({
    id: 'large', name: 'A large regional collaborative',
    members: Array.from({ length: MEMBERS }, (_, index) => ({
      id: `trust-${index + 1}`,
      name: `Sheffield Health & Social Care NHS Foundation Trust ${index + 1}`,
      representatives: [index < 2 ? alex.aadObjectId : `0000000${index}-0000-0000-0000-000000000000`.slice(-36)],
    })),
    chairs: [alex.aadObjectId], secretariat: [alex.aadObjectId], defaultRule: { kind: 'majority' },
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

const collaborative = largeCollaborative();
const ids = collaborative.members.map((member) => member.id);
const NOTE = `By e-mail from the chief executive, 3 Dec 10:02: ${'we support the hub subject to the capital case and workforce plan; '.repeat(8)}`.slice(0, 500);
const votes: Vote[] = ids.map((id, index) => vote(id, POSITIONS[index % 3]!, {
  castBy: alex,
  onBehalf: { note: NOTE },
}));
const declarations = Array.from({ length: 5 }, (_, index) => ({
  id: `d-${index}`, organisationId: ids[index]!, declaredBy: alex, declaredAt: '2025-03-04T10:00:00.000Z',
  description: 'Non-executive director of a provider bidding for the hub, and a governor of another. '.repeat(4).slice(0, 300),
}));

/** A member's state as the card shows it: its row, or the group line that names it. */
function positionShown(card: object, name: string): string | undefined {
  const lines = textOf(card).split('\n');
  // (The "Voting for" choices read "name: trust-1" too.)
  const row = lines.find((line) => line.startsWith(`${name}: `) && !/: trust-\d+$/.test(line));
  if (row) return row.slice(name.length + 2);
  const group = lines.find((line) => line.split(/: | · /).includes(name));
  return group?.slice(0, group.indexOf(': '));
}

describe('a 200-member poll card fits in a Teams message and shows every member’s position', () => {
  it.each([
    ['open', poll({ membersInScope: ids, declarations })],
    ['open, positions hidden', poll({ membersInScope: ids, hidePositions: true, declarations })],
    ['closed', poll({ membersInScope: ids, status: 'closed', closedBy: alex, closedAt: '2025-03-04T11:00:00.000Z', declarations })],
  ])('%s: under 28 KB with a viewer note, every member listed with its position', (_, shown) => {
    const card = renderPollCard(renderer, shown, votes, collaborative);
    const withNote = { ...card, body: [renderer.render('viewer-note', { text: `Recorded: ${collaborative.members[0]!.name} supports. You can change it until the poll closes.`, tone: 'good' }), ...(card.body as unknown[])] };
    expectValidCard(withNote);
    expect(Buffer.byteLength(JSON.stringify(withNote))).toBeLessThan(TEAMS_CARD_BUDGET);
    collaborative.members.forEach((member, index) => {
      const shownAs = shown.hidePositions ? 'Voted' : WORDS[POSITIONS[index % 3]!];
      expect(positionShown(card, member.name)).toMatch(new RegExp(`^${shownAs}`));
    });
  });

  it('a card of ordinary size keeps every detail: who recorded a position and the note', () => {
    const small = poll({ membersInScope: ids.slice(0, 5) });
    const text = textOf(renderPollCard(renderer, small, votes.slice(0, 5), collaborative));
    expect(text).toContain(`Supports (recorded on behalf by Alex Wilber: ${NOTE.slice(0, 40)}`);
    expect(text).not.toContain('Too many members');
  });

  it('a large card leaves out the notes first, and says where they are', () => {
    const text = textOf(renderPollCard(renderer, poll({ membersInScope: ids }), votes, collaborative));
    expect(text).not.toContain(NOTE.slice(0, 40));
    expect(text).toMatch(/Too many members .* the register/);
  });

  it('the "Voting for" choice lists only members whose representative acts for several', () => {
    const card = JSON.stringify(renderPollCard(renderer, poll({ membersInScope: ids }), [], collaborative));
    expect(card).toContain('"value":"trust-1"');
    expect(card).toContain('"value":"trust-2"');
    expect(card).not.toContain('"value":"trust-3"');
  });

  it('the on-behalf form lists every member, on a card of its own under 28 KB', () => {
    const form = renderer.render('on-behalf-form', toOnBehalfFormData(poll({ membersInScope: ids }), collaborative));
    expectValidCard(form);
    const json = JSON.stringify(form);
    for (const id of ids) expect(json).toContain(`"value":"${id}"`);
  });

  it.each([
    ['category 1', poll({ membersInScope: ids, declarations })],
    ['category 2, 150 of the 200 bound', poll({ membersInScope: ids.slice(0, 150), category: 2, declarations })],
  ])('the outcome card the secretariat gets, %s: under 28 KB, every member listed with its position', (_, open) => {
    const closed = closePoll({ poll: open, votes, collaborative, by: alex, now: new Date('2025-03-04T11:00:00Z'), newOutcomeId: () => 'outcome-1' });
    if (!closed.ok) throw new Error(closed.error.kind);
    const card = renderOutcomeCard(renderer, closed.value.outcome, { registerUrl: 'https://concord.example/tab' });
    expectValidCard(card);
    collaborative.members.forEach((member, index) => {
      expect(positionShown(card, member.name)).toMatch(new RegExp(`^${WORDS[POSITIONS[index % 3]!]}`));
    });
    // 67 objections under consensus: the first reasons show, the rest are counted.
    expect(textOf(card)).toMatch(/and \d+ more reasons, in the register/);
  });
});
