/**
 * Issue 19 as a secretariat walks it in the Agents Playground: a chat with no collaborative (the
 * deployment has none configured), `setup` makes one with a first member whose representative is
 * chosen from the conversation's roster (the Playground has no people picker, so the roster is
 * what the people list offers), `members` adds a second member with its representative from the
 * roster, and a poll runs to a recorded outcome. No file is edited. The Playground's personal chat
 * has Alex alone on its roster, so he represents both members.
 *
 * The steps share one conversation and run in order. On a failure the page is saved to
 * test-results/<test name>.png.
 *
 * The Playground renders a people list that carries the picker's Data.Query as a typeahead and,
 * for a multi-select, never sends its value; each people field therefore also has the chat's
 * roster as a plain multi-select list (checkboxes in the Playground), which this journey uses.
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MOCK_USERS, Playground } from './support/playground.js';
import { useJourney } from './support/journey.js';

const COLLABORATIVE = 'Community Services Collaborative';
const FIRST = 'Riverside Community Health NHS Trust';
const SECOND = 'Hillside Healthcare NHS Trust';
const row = (member: string, state: string) => new RegExp(`${member}\\s+${state}`);

// No collaborative file: the chat starts with none, as a new team does.
const journey = useJourney({ stack: { concordEnv: { CONCORD_COLLABORATIVE_FILE: 'none' } } });
const playground = (): Playground => journey.playground;

/**
 * Chooses a person in the roster list beside the people picker: a multi-select ChoiceSet without
 * a Data.Query, which the Playground renders as checkboxes labelled by display name. Only the list
 * on screen counts (the members card's forms are in show-cards).
 */
async function choosePerson(card: Locator, person: string): Promise<void> {
  // Each checkbox carries the display name as its aria-label (its accessible name also has the
  // list's label, through aria-labelledby).
  await card.locator(`input[type="checkbox"][aria-label="${person}"]`).first().check();
}

const pollCard = (): Locator => playground().card('Shared community nursing rota');

describe('a collaborative set up in Teams, from an empty chat to a recorded decision', () => {
  it('a. in a chat with no collaborative, "setup" offers the form; Alex sets one up with a representative from the roster', async () => {
    const form = await playground().ask('setup', 'Set up a collaborative for this team');
    await playground().fillInput(form, 'Collaborative', COLLABORATIVE);
    await playground().fillInput(form, 'First member organisation', FIRST);
    await choosePerson(form, MOCK_USERS.alex.name);
    await playground().press(form, 'Set up');
    // The members card replaces the form in place (the invoke's reply).
    const members = (): Locator => playground().card(`${COLLABORATIVE} is set up for this team`);
    await members().waitFor({ timeout: 20_000 });
    const text = await members().innerText();
    expect(text).toContain(FIRST);
    // People by display name, never by id.
    expect(text).toContain(MOCK_USERS.alex.name);
    expect(text).not.toContain(MOCK_USERS.alex.aadObjectId);
  });

  it('b. "members": Alex, now its secretariat, adds a second member and assigns himself from the roster as its representative', async () => {
    // A personal chat's roster in the Playground is Alex alone (its group chat only passes messages
    // that @mention the app), so the second member is his too: he then acts for both.
    const card = await playground().ask('members', COLLABORATIVE);
    await playground().press(card, 'Add a member');
    await playground().fillInput(card, 'Organisation', SECOND);
    await choosePerson(card, MOCK_USERS.alex.name);
    await playground().press(card, 'Add');
    await expect.poll(() => playground().card('Saved as version 2').innerText(), { timeout: 15_000 }).toContain(SECOND);
  });

  it('c. a poll opened in the chat is put to the new collaborative, with both members in scope', async () => {
    const form = await playground().ask('poll Shared community nursing rota', `Put a proposal to ${COLLABORATIVE}`);
    await playground().fillInput(form, 'Title', 'Shared community nursing rota');
    await playground().press(form, 'Open the poll');
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toContain('Open for positions');
    const text = await pollCard().innerText();
    expect(text).toMatch(row(FIRST, 'Not voted yet'));
    expect(text).toMatch(row(SECOND, 'Not voted yet'));
  });

  it('d. Alex records both members\' positions, choosing each under "Voting for"; the chair closes it: agreed, on the register', async () => {
    for (const member of [FIRST, SECOND]) {
      await playground().chooseAndPress(pollCard(), /Voting for/, member, 'Support');
      await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toMatch(row(member, 'Supports'));
    }

    await playground().press(pollCard(), 'Close poll (chair)');
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toContain('Each member’s position');
    expect(await pollCard().innerText()).toMatch(/Agreed · closed by Alex Wilber/);

    // The record behind it, through the register tab's API (answered on loopback in local mode).
    const response = await fetch(`${journey.stack.concordUrl}/api/register/outcomes`);
    const body = await response.json() as { outcomes: Record<string, unknown>[] };
    expect(body.outcomes).toHaveLength(1);
    expect(body.outcomes[0]).toMatchObject({ title: 'Shared community nursing rota', counts: { support: 2, object: 0, abstain: 0, notVoted: 0 } });
  });
});
