/**
 * Concord's user journeys walked as a person walks them: in Microsoft 365 Agents Playground (a
 * local Teams-like client) in Debian's Chromium, against Concord started as `npm start` starts
 * it. The steps share one conversation and run in order; each asserts what is on the screen.
 * How the Playground is driven, and its quirks, are described in support/playground().ts.
 *
 * On a failure the whole page is saved to test-results/<test name>.png.
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MOCK_USERS, Playground, type Activity } from './support/playground.js';
import { AGENDA } from './support/stack.js';
import { useJourney } from './support/journey.js';



const ROTHERHAM = 'The Rotherham NHS Foundation Trust';
const BARNSLEY = 'Barnsley Hospital NHS Foundation Trust';
const VOTING_FOR = /Voting for/;
/** A member's row on the poll card: its name, then its state. */
const row = (member: string, state: string) => new RegExp(`${member}\\s+${state}`);

const journey = useJourney();
const playground = (): Playground => journey.playground;

/** The poll card, open or closed (the newest card about the agenda item). */
const pollCard = (): Locator => playground().card('Agenda item P174/21');

/**
 * Presses a vote button, for `member` under "Voting for" when given, and waits until Concord has
 * answered the press (the card changes to show `expected`). The note for the voter is read by the
 * recorder, because the card's shared refresh may replace it within a fraction of a second (see
 * the "stays on their card" step).
 */
async function vote(position: 'Support' | 'Object' | 'Abstain', expected: RegExp, member?: string): Promise<void> {
  if (member) await playground().chooseAndPress(pollCard(), VOTING_FOR, member, position);
  else await playground().press(pollCard(), position);
  await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toMatch(expected);
}

/**
 * Waits for the shared refresh that follows a recorded vote (Concord's coalesced updateActivity,
 * sent up to CONCORD_CARD_UPDATE_INTERVAL_MS later), so the next step starts from the card as
 * everyone sees it rather than racing the refresh.
 */
const sharedRefresh = () => playground().waitForBotActivityAfterLastInvoke();

describe('Concord in the Agents Playground', () => {
  it('a. "help" shows the help card', async () => {
    const card = await playground().ask('help', 'Concord: aligned decisions for provider collaboratives');
    const text = await card.innerText();
    for (const command of ['help', 'agenda', 'poll', 'decisions', 'any question']) expect(text).toContain(command);
    expect(text).toContain('Try asking');
    await expect.poll(() => card.getByRole('button', { name: 'What is a lead provider model?' }).isVisible()).toBe(true);
  });

  it('b. a guidance question is answered with its source (document and section)', async () => {
    const card = await playground().ask('what is a lead provider model?', 'Source');
    const text = await card.innerText();
    expect(text).toMatch(/contractually responsible|lead provider/i);
    expect(text).toMatch(/Source\s+NHS England guidance on provider collaboratives \(Aug 2021\): Provider collaborative models/);
    expect(text).toContain('Helpful?');
  });

  it('c. an out-of-scope question gets an honest refusal with suggestions and no source', async () => {
    const card = await playground().ask('what’s the capital of France?', /outside what I know/i);
    const text = await card.innerText();
    expect(text).toContain('NHS provider collaboratives');
    expect(text).toContain('Did you mean');
    expect(await card.getByRole('button').count()).toBeGreaterThan(0);
    expect(text).not.toContain('Source');
    expect(text).not.toMatch(/Paris/i);
  });

  it('d. a pasted multi-line agenda becomes the agenda card with running times and "For decision"', async () => {
    const card = await playground().ask(AGENDA, 'Provider Leadership Board');
    const text = await card.innerText();
    expect(text).toContain('Tuesday 1 December 2026 · 09:30–10:15 (45 min)');
    expect(text).toMatch(/09:30\s+Chief Executive Report\s+For information\s+P173\/21 · R Jenkins · 15 min/);
    expect(text).toMatch(/09:45\s+Elective recovery hub\s+For decision\s+P174\/21 · S Patel · 30 min/);
    expect(text).toContain('Recommendation: Approve the hub business case');
    expect(await card.getByRole('button', { name: 'Start poll', exact: true }).count()).toBe(1);
  });

  it('e. "Start poll" on the decision item gives a prefilled poll form; "Open the poll" turns it into the poll card', async () => {
    await playground().press(playground().card('Provider Leadership Board'), 'Start poll');
    const form = await playground().newCard('Put a proposal to South Yorkshire Acute Federation (sample)');
    expect(await form.innerText()).toContain('For agenda item P174/21, Provider Leadership Board');
    expect(await form.getByLabel('Title').inputValue()).toBe('Elective recovery hub');
    expect(await form.getByLabel('Proposal').inputValue()).toBe('Approve the hub business case');
    expect(await form.getByRole('combobox', { name: /Decision rule/ }).inputValue()).toBe('Consensus: agreed unless a member objects');

    await playground().press(form, 'Open the poll');
    // The form is replaced in place by the poll card.
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toContain('Open for positions');
    const text = await pollCard().innerText();
    expect(text).toContain('Elective recovery hub');
    expect(text).toContain('Agenda item P174/21 · Provider Leadership Board, Tuesday 1 December 2026');
    expect(text).toContain('Approve the hub business case');
    expect(text).toMatch(/Rule\s+Consensus: agreed unless a member objects/);
    expect(text).toMatch(row(ROTHERHAM, 'Not voted yet'));
    expect(text).toContain('Support 0 · Object 0 · Abstain 0 · Not voted 5');
    for (const button of ['Support', 'Object', 'Abstain', 'Close poll (chair)']) {
      expect(await pollCard().getByRole('button', { name: button, exact: true }).count()).toBe(1);
    }
  });

  it('f. Alex votes for Rotherham: asked which member, recorded as Support, then changed to Object', async () => {
    const notes = await playground().recordCardTexts(/^(Recorded|Changed|You act for)/);

    // "Voting for" starts at "My organisation"; Alex acts for two members, so Concord asks.
    await vote('Support', /You act for more than one member\. Choose which one under .Voting for., then press your position again\./);
    expect(await pollCard().innerText()).toContain('Support 0 · Object 0 · Abstain 0 · Not voted 5');

    await vote('Support', row(ROTHERHAM, 'Supports'), ROTHERHAM);
    await expect.poll(notes).toContain(`Recorded: ${ROTHERHAM} supports. You can change it until the poll closes.`);
    await sharedRefresh();
    await expect.poll(() => pollCard().innerText()).toContain('Support 1 · Object 0 · Abstain 0 · Not voted 4');

    await vote('Object', row(ROTHERHAM, 'Objects'), ROTHERHAM);
    await expect.poll(notes).toContain(`Changed: ${ROTHERHAM} now objects (was supports).`);
    await sharedRefresh();
    await expect.poll(() => pollCard().innerText()).toContain('Support 0 · Object 1 · Abstain 0 · Not voted 4');
  });

  it('f2. Alex, as Barnsley’s deputy, abstains for Barnsley; after the shared refresh his card still shows it on record', async () => {
    const notes = await playground().recordCardTexts(/^(Recorded|Changed)/);
    const confirmation = `Recorded: ${BARNSLEY} abstains. You can change it until the poll closes.`;

    await vote('Abstain', row(BARNSLEY, 'Abstains'), BARNSLEY);
    await expect.poll(notes).toContain(confirmation);

    // Concord then refreshes the shared copy of the card for everyone (coalesced updateActivity),
    // which replaces the voter's one-off note. What he relies on is still there: Barnsley's position
    // in the member list. (In Teams, the card's Universal Actions refresh also gives each listed
    // representative an "On record for you" line; the Playground does not run refreshes, so that
    // part is covered over HTTP in test/bot/polls.test.ts.)
    await sharedRefresh();
    const text = await pollCard().innerText();
    expect(text).toMatch(row(BARNSLEY, 'Abstains'));
    expect(text).toContain('Support 0 · Object 1 · Abstain 1 · Not voted 3');
  });

  it('f3. Megan Bowen, Barnsley’s representative, records Support (sent as her through "Mock an Activity")', async () => {
    // The Playground has one signed-in user. Megan's press is Alex's last vote invoke, as the
    // Log Panel shows it, sent again through Mock an Activity → Custom activity with her as `from`.
    const alexVote = await playground().loggedRequest(/^invoke 200$/);
    expect(alexVote).toMatchObject({ name: 'adaptiveCard/action', value: { action: { verb: 'poll.vote' } } });
    const megansVote: Activity = Playground.asUser(alexVote, MOCK_USERS.megan, (data) => ({ pollId: data.pollId, positionValue: 'support' }));
    await playground().sendCustomActivity(megansVote);

    // Her organisation's position replaces the deputy's; everyone's copy of the card shows it.
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toMatch(row(BARNSLEY, 'Supports'));
    const text = await pollCard().innerText();
    expect(text).toMatch(row(ROTHERHAM, 'Objects'));
    expect(text).toContain('Support 1 · Object 1 · Abstain 0 · Not voted 3');
  });

  it('g. the chair closes the poll: the result shows every member’s position and who closed it', async () => {
    await playground().press(pollCard(), 'Close poll (chair)');
    await expect.poll(() => pollCard().innerText(), { timeout: 15_000 }).toContain('Each member’s position');
    const text = await pollCard().innerText();
    expect(text).toMatch(/Referred to dispute resolution · closed by Alex Wilber on \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
    expect(text).toContain(`1 objection (${ROTHERHAM})`);
    expect(text).toContain('dispute resolution');
    expect(text).toMatch(row(BARNSLEY, /Supports \(recorded by Megan Bowen\)/.source));
    expect(text).toMatch(row('Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust', 'Did not vote'));
    expect(text).toMatch(row(ROTHERHAM, /Objects \(recorded by Alex Wilber\)/.source));
    expect(text).toMatch(row('Sheffield Children\'s NHS Foundation Trust', 'Did not vote'));
    expect(text).toMatch(row('Sheffield Teaching Hospitals NHS Foundation Trust', 'Did not vote'));
    expect(text).toContain('Support 1 · Object 1 · Abstain 0 · Not voted 3');
    for (const gone of ['Support', 'Object', 'Abstain', 'Close poll (chair)']) {
      expect(await pollCard().getByRole('button', { name: gone, exact: true }).count()).toBe(0);
    }
  });

  it('h. "decisions" lists the outcome, and the register tab shows it', async () => {
    const card = await playground().ask('decisions', 'Recent decisions');
    const text = await card.innerText();
    expect(text).toContain('Elective recovery hub');
    expect(text).toMatch(/Referred to dispute resolution · \d{1,2} \w{3} \d{4} · support 1, object 1, abstain 0, not voted 3/);

    // The register tab, as Concord serves it (outside Teams: a plain page, local mode).
    const tab = await journey.context.newPage();
    await tab.goto(`${journey.stack.concordUrl}/tab/register`);
    const rows = tab.locator('#outcomes tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    const listed = await rows.first().innerText();
    expect(listed).toContain('P174/21');
    expect(listed).toContain('Elective recovery hub');
    expect(listed).toContain('Referred to dispute resolution');

    await tab.getByRole('button', { name: /Elective recovery hub/ }).click();
    await tab.locator('#detail').waitFor({ state: 'visible' });
    expect(await tab.locator('#detail-proposal').innerText()).toBe('Approve the hub business case');
    const positions = await tab.locator('#detail-positions li').allInnerTexts();
    expect(positions).toHaveLength(5);
    expect(positions).toContainEqual(expect.stringMatching(new RegExp(`^${BARNSLEY}: Supports \\(recorded by Megan Bowen`)));
    expect(positions).toContainEqual(expect.stringMatching(new RegExp(`^${ROTHERHAM}: Objects \\(recorded by Alex Wilber`)));

    // And the store behind it, through the tab's API (answered on loopback in local mode).
    const response = await fetch(`${journey.stack.concordUrl}/api/register/outcomes`);
    expect(response.status).toBe(200);
    const body = await response.json() as { outcomes: Record<string, unknown>[] };
    expect(body.outcomes).toHaveLength(1);
    expect(body.outcomes[0]).toMatchObject({
      reference: 'P174/21',
      status: 'referred-to-dispute-resolution',
      counts: { support: 1, object: 1, abstain: 0, notVoted: 3 },
      closedBy: { aadObjectId: MOCK_USERS.alex.aadObjectId },
    });
    expect(body.outcomes[0]!.positions).toEqual(expect.arrayContaining([
      expect.objectContaining({ organisationId: 'barnsley', position: 'support', castBy: expect.objectContaining({ aadObjectId: MOCK_USERS.megan.aadObjectId }) }),
      expect.objectContaining({ organisationId: 'rotherham', position: 'object', castBy: expect.objectContaining({ aadObjectId: MOCK_USERS.alex.aadObjectId }) }),
    ]));
  });

  it('i. a majority poll agreed by votes cast but not by a majority of trusts: the card says why', async () => {
    // The guidance's "majority of trusts": 2 of 5 trusts supporting is not a majority, though
    // both votes cast support. The sample's default is consensus, so the form offers member trusts.
    const form = await playground().ask('poll Shared pathology LIMS for the five trusts', 'Put a proposal to South Yorkshire Acute Federation (sample)');
    await playground().fillInput(form, 'Title', 'Shared pathology LIMS');
    await playground().chooseOption(form, /Decision rule/, 'Simple majority: more than half (choose of what below)');
    const formText = await form.innerText();
    expect(formText).toContain('What a majority counts (majority and qualified majority only)');
    expect(formText).toMatch(/default rule: Consensus.*A majority, simple or qualified, is counted of member trusts in scope/s);
    expect(await form.getByRole('radio', { name: /Member trusts in scope/ }).isChecked()).toBe(true);
    expect(await form.getByRole('radio', { name: /Votes cast/ }).isChecked()).toBe(false);

    await playground().press(form, 'Open the poll');
    const card = (): Locator => playground().card('Shared pathology LIMS');
    await expect.poll(() => card().innerText(), { timeout: 15_000 }).toContain('Open for positions');
    expect(await card().innerText()).toMatch(/Rule\s+Majority of trusts: agreed if more than half of the member trusts in scope support/);

    for (const member of [ROTHERHAM, BARNSLEY]) {
      await playground().chooseOption(card(), VOTING_FOR, member);
      await playground().press(card(), 'Support');
      await expect.poll(() => card().innerText(), { timeout: 15_000 }).toMatch(row(member, 'Supports'));
    }
    await expect.poll(() => card().innerText(), { timeout: 15_000 })
      .toContain('Support 2 · Object 0 · Abstain 0 · Not voted 3: so far 2 of 5 member trusts support; a majority of trusts needs 3');

    await playground().press(card(), 'Close poll (chair)');
    await expect.poll(() => card().innerText(), { timeout: 15_000 }).toContain('Each member’s position');
    const text = await card().innerText();
    expect(text).toMatch(/Not agreed · closed by Alex Wilber/);
    expect(text).toContain('2 of 5 member trusts support: not agreed, as a majority of trusts needs 3; 3 have not voted; no objections.');
    expect(text).toContain('Counting votes cast alone it would pass (2 of 2 votes cast support), but this rule counts every member trust in scope, so a member that abstains or does not vote counts as not supporting.');
    expect(text).not.toContain('dispute resolution');
  });
});
