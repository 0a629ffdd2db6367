/**
 * Screenshots for the README: walks the same journey as journeys.e2e.test.ts in Microsoft 365
 * Agents Playground and saves each card, cropped to its message frame, as it renders there, into
 * cards/screenshots/ (plus the register tab page).
 *
 *   npx tsx test/e2e/screenshots.ts
 *
 * Starts its own Concord (temporary store) and Playground on free 127.0.0.1 ports, and stops them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { REPO_ROOT } from '../../src/cli/processes.js';
import { MOCK_USERS, Playground } from './support/playground.js';
import { AGENDA, loopbackContext, startStack, type Stack } from './support/stack.js';

const OUT = path.join(REPO_ROOT, 'cards/screenshots');
const ROTHERHAM = 'The Rotherham NHS Foundation Trust';


async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let stack: Stack | undefined;
try {
  mkdirSync(OUT, { recursive: true });
  stack = await startStack({ output: 'ignore' });
  // Tall enough that the longest card (the poll form) fits without scrolling.
  const context = await loopbackContext(stack.browser, { viewport: { width: 1280, height: 2400 }, deviceScaleFactor: 1 });
  const playground = await Playground.open(context, stack.playgroundUrl);

  const shoot = async (card: Locator, name: string) => {
    await playground.dismissNotes();
    const frame = playground.frameOf(card);
    await frame.scrollIntoViewIfNeeded();
    await frame.screenshot({ path: path.join(OUT, name), animations: 'disabled', caret: 'hide' });
    process.stdout.write(`cards/screenshots/${name}\n`);
  };
  const text = (card: Locator) => card.innerText();

  await shoot(await playground.ask('help', 'Concord: aligned decisions for provider collaboratives'), 'help.png');
  await shoot(await playground.ask('what is a lead provider model?', 'Source'), 'answer.png');
  await shoot(await playground.ask('what’s the capital of France?', /outside what I know/i), 'refusal.png');

  const agenda = await playground.ask(AGENDA, 'Provider Leadership Board');
  await shoot(agenda, 'agenda.png');

  await playground.press(agenda, 'Start poll');
  const form = await playground.newCard('Put a proposal to');
  await shoot(form, 'poll-form.png');

  await playground.press(form, 'Open the poll');
  const poll = playground.card('Agenda item P174/21');
  await until(async () => (await text(poll)).includes('Open for positions'), 'the poll card');
  // Alex first presses Support as "My organisation" (Concord asks which member), then chooses.
  await playground.press(poll, 'Support');
  await until(async () => (await text(poll)).includes('You act for more than one member'), 'the "choose a member" note');
  await playground.chooseAndPress(poll, /Voting for/, ROTHERHAM, 'Support');
  await until(async () => /Rotherham NHS\s+Foundation Trust\s+Supports/.test(await text(poll)), 'Rotherham’s position');
  // Megan Bowen (Barnsley) through Mock an Activity → Custom activity.
  const alexVote = await playground.loggedRequest(/^invoke 200$/);
  await playground.sendCustomActivity(Playground.asUser(alexVote, MOCK_USERS.megan, (data) => ({ pollId: data.pollId, positionValue: 'support' })));
  await until(async () => (await text(poll)).includes('Support 2 · Object 0 · Abstain 0 · Not voted 3'), 'Barnsley’s position');
  await until(async () => !/^(Recorded|Changed)/m.test(await text(poll)), 'the shared copy of the poll card');
  await shoot(poll, 'poll.png');

  await playground.press(poll, 'Close poll (chair)');
  await until(async () => (await text(poll)).includes('Each member’s position'), 'the result card');
  await shoot(poll, 'result.png');

  await shoot(await playground.ask('decisions', 'Recent decisions'), 'decisions.png');

  const tab = await context.newPage();
  await tab.setViewportSize({ width: 1100, height: 900 });
  await tab.goto(`${stack.concordUrl}/tab/register`);
  await tab.getByRole('button', { name: /Elective recovery hub/ }).click();
  await tab.locator('#detail').waitFor({ state: 'visible' });
  await tab.screenshot({ path: path.join(OUT, 'register-tab.png'), fullPage: true, animations: 'disabled', caret: 'hide' });
  process.stdout.write('cards/screenshots/register-tab.png\n');
  await context.close();
} catch (error) {
  process.exitCode = 1;
  process.stderr.write(`screenshots failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
} finally {
  await stack?.stop();
}
