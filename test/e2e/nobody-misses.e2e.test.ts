/**
 * Issue 20, "Nobody misses a decision", walked in Microsoft 365 Agents Playground as Alex Wilber
 * (chair; Rotherham's representative; Barnsley's deputy): a declaration of interest on an agenda
 * item that stops his vote for Rotherham on the item's poll, a position recorded on a member's
 * behalf, the chair's reminder, and `pending`. The steps share one conversation and run in order.
 *
 * CONCORD_SAVE_SCREENSHOTS=1 saves the README's screenshots of these into cards/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Playground } from './support/playground.js';
import { AGENDA } from './support/stack.js';
import { useJourney } from './support/journey.js';

const SCREENSHOTS = process.env.CONCORD_SAVE_SCREENSHOTS === '1' ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cards/screenshots') : undefined;

const ROTHERHAM = 'The Rotherham NHS Foundation Trust';
const BARNSLEY = 'Barnsley Hospital NHS Foundation Trust';
const SHEFFIELD_TEACHING = 'Sheffield Teaching Hospitals NHS Foundation Trust';
const INTEREST = 'Non-executive director of the hub’s preferred provider';
const row = (member: string, state: string) => new RegExp(`${member}\\s+${state}`);

// Tall, so the longest card is on screen whole for its screenshot.
const journey = useJourney({ context: { viewport: { width: 1280, height: 2400 }, deviceScaleFactor: 1 } });
const playground = (): Playground => journey.playground;

/** Saves the message frame around `target` (a card, or a plain message) for the README. */
async function shoot(target: Locator, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await playground().dismissNotes();
  const frame = playground().frameOf(target);
  await frame.scrollIntoViewIfNeeded();
  await frame.screenshot({ path: path.join(SCREENSHOTS, name), animations: 'disabled', caret: 'hide' });
}

const agendaCard = (): Locator => playground().card('Provider Leadership Board');
const pollCard = (): Locator => playground().card('Agenda item P174/21');

describe('Nobody misses a decision, in the Agents Playground', () => {
  it('a. Alex declares an interest in the decision item for Rotherham; as chair he records that he may not take part', async () => {
    await playground().ask(AGENDA, 'Provider Leadership Board');
    await playground().press(agendaCard(), 'Declare an interest');
    await playground().chooseOption(agendaCard(), 'Item', 'P174/21 Elective recovery hub');
    await playground().chooseOption(agendaCard(), /^For/, ROTHERHAM);
    await playground().fillInput(agendaCard(), 'Your interest (goes on the record)', INTEREST);
    await playground().press(agendaCard(), 'Declare');
    await expect.poll(() => agendaCard().innerText(), { timeout: 15_000 }).toContain(`Alex Wilber (${ROTHERHAM}): ${INTEREST}: awaiting the chair’s decision`);

    await playground().press(agendaCard(), 'Handle a declaration (chair)');
    await playground().chooseOption(agendaCard(), 'Declaration', `P174/21: Alex Wilber (${ROTHERHAM})`);
    await agendaCard().getByRole('radio', { name: 'May not take part in the decision' }).check();
    await playground().press(agendaCard(), 'Record handling');
    await expect.poll(() => agendaCard().innerText(), { timeout: 15_000 })
      .toContain(`Alex Wilber (${ROTHERHAM}): ${INTEREST}: may not take part in the decision (decided by Alex Wilber)`);
    await shoot(agendaCard(), 'agenda-declaration.png');
  });

  it('b. the poll started from the item carries the declaration: Alex’s position for Rotherham is refused', async () => {
    await playground().press(agendaCard(), 'Start poll');
    const form = await playground().newCard('Put a proposal to');
    await playground().press(form, 'Open the poll');
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toContain('Open for positions');
    expect(await pollCard().innerText()).toContain(`${INTEREST}: may not take part in the decision (decided by Alex Wilber)`);

    const notes = await playground().recordCardTexts(/declaration of interest/);
    await playground().chooseAndPress(pollCard(), /Voting for/, ROTHERHAM, 'Object');
    await expect.poll(notes, { timeout: 15_000 }).toContainEqual(expect.stringContaining('you cannot record'));
    await shoot(pollCard(), 'declaration-stops-vote.png');
    // Alex is Rotherham's only representative, so no one may give its position: shown as conflicted.
    expect(await pollCard().innerText()).toMatch(row(ROTHERHAM, 'Conflicted'));
  });

  it('c. "pending" lists Barnsley (Alex is its deputy) but not Rotherham; a position pressed there is recorded on the poll card', async () => {
    const card = await playground().ask('pending', 'Awaiting your position');
    const text = await card.innerText();
    expect(text).toContain('Elective recovery hub');
    expect(text).toContain('For Barnsley');
    expect(text).not.toContain('For The Rotherham');
    await shoot(card, 'pending.png');

    await playground().press(card, 'Support');
    await expect.poll(() => playground().card('Awaiting your position').innerText(), { timeout: 15_000 }).toContain('Nothing is waiting for you');
    // The poll's own card is refreshed for everyone through the coalescing updater.
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toMatch(row(BARNSLEY, 'Supports'));
  });

  it('d. the chair records Sheffield Teaching’s position on its behalf, with how it came in', async () => {
    await playground().waitForBotActivityAfterLastInvoke();
    await playground().press(pollCard(), 'On a member\'s behalf (chair or secretariat)');
    // The form is a card of its own in place of the poll card (it lists every member); recording
    // brings the poll card back.
    const form = (): Locator => playground().card('On a member’s behalf:');
    await form().waitFor({ timeout: 15_000 });
    await playground().chooseOption(form(), /^Member$/, SHEFFIELD_TEACHING);
    await form().getByRole('radio', { name: 'Support' }).check();
    await playground().fillInput(form(), 'How it came in (goes on the record)', 'By e-mail from the chief executive, 1 Dec 09:40');
    await playground().press(form(), 'Record on its behalf');
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toMatch(row(SHEFFIELD_TEACHING, 'Supports \\(recorded on behalf by Alex Wilber'));
    expect(await pollCard().innerText()).toContain('By e-mail from the chief executive, 1 Dec 09:40');
    await shoot(pollCard(), 'on-behalf.png');
  });

  it('e. the chair chases those not yet on record: one message @mentioning them, and a note on his card', async () => {
    await playground().waitForBotActivityAfterLastInvoke();
    const notes = await playground().recordCardTexts(/^Reminder posted here/);
    await playground().press(pollCard(), 'Remind those not yet on record (chair)');
    // Doncaster and Sheffield Children's; not Rotherham, whose only representative may not take part.
    await expect.poll(notes, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Reminder posted here for 2 members not yet on record \(2 people mentioned\)/));
    const reminder = playground().page.getByText(/^Reminder:/).last();
    await reminder.waitFor({ timeout: 15_000 });
    expect(await reminder.innerText()).toContain('“Elective recovery hub” is waiting for a position from these 2 members');
    // A plain message sits in the same kind of frame as a card.
    await shoot(reminder, 'reminder.png');
  });
});
