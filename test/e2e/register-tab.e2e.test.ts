/**
 * The register tab in a real browser: Debian's chromium driven by playwright-core against Concord
 * in local mode, with outcomes logged through /api/messages. Outside Teams the page must carry on
 * as a plain web page (TeamsJS cannot initialise), list and open outcomes, search, and download
 * exactly the CSV the exports module makes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomesToCsv } from '../../src/register/export.js';
import { positionText } from '../../src/register/outcome-view.js';
import { writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { logOutcome } from '../register/drive.js';

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

let browser: Browser | undefined;

beforeAll(async () => {
  // Fail, never skip: a missing browser would otherwise hide a broken tab.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/e2e/install-browser.sh to install Debian's chromium, then rerun`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Runs the steps; on failure saves a screenshot to test-results/ before the page is closed. */
async function withScreenshotOnFailure(page: Page, name: string, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (error) {
    mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}-${Date.now()}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot: ${file})`, { cause: error });
  }
}

describe('the register tab in a browser', () => {
  it('lists outcomes, shows every member’s position, searches, and downloads the exact CSV', { timeout: 120_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const theatres = await logOutcome(running, {
      title: 'Shared theatre lists',
      proposal: 'Share elective theatre lists across the three trusts',
      rule: 'consensus',
      votes: { 1: 'support', 2: 'object', 3: 'abstain' },
      actions: [{ who: 'Sam Patel', what: 'Convene the dispute resolution panel', when: '30 Nov 2026' }],
    });
    const radiology = await logOutcome(running, { title: 'Radiology network', proposal: 'Join the imaging network', votes: { 1: 'support', 2: 'support' } });

    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });

    try {
      await withScreenshotOnFailure(page, 'register-tab', async () => {
        await page.goto(`${running.url}/tab/register`);
        const rows = page.locator('#outcomes tbody tr');
        await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
        expect(await rows.nth(0).innerText()).toContain('Radiology network'); // newest first
        expect(await rows.nth(1).innerText()).toContain('Shared theatre lists');
        expect(await rows.nth(1).innerText()).toContain('Referred to dispute resolution');

        // Open one: every member's position, in the card's words.
        await page.getByRole('button', { name: 'Shared theatre lists' }).click();
        await page.locator('#detail').waitFor({ state: 'visible' });
        expect(await page.locator('#detail-heading').innerText()).toBe(`${theatres.reference} · Shared theatre lists`);
        expect(await page.locator('#detail-proposal').innerText()).toBe(theatres.proposal);
        expect(await page.locator('#detail-positions li').allInnerTexts()).toEqual(
          theatres.positions.map((position) => `${position.organisationName}: ${positionText(position)}`));
        expect(theatres.positions.map((position) => position.position)).toEqual(['support', 'object', 'abstain']);
        expect(await page.locator('#detail-actions li').allInnerTexts()).toEqual(['Sam Patel: Convene the dispute resolution panel (30 Nov 2026)']);

        // Search narrows the list.
        await page.locator('#q').fill('radiology');
        await page.locator('#search').click();
        await expect.poll(() => rows.count()).toBe(1);
        expect(await rows.nth(0).innerText()).toContain(radiology.reference);

        // The download is the current filter's CSV, byte for byte.
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
        expect(download.suggestedFilename()).toBe('concord-register.csv');
        const downloaded = readFileSync(await download.path());
        const expected = Buffer.from(outcomesToCsv(await running.store.listOutcomes({ text: 'radiology' })), 'utf8');
        expect(downloaded.equals(expected), `downloaded:\n${downloaded.toString('utf8')}\nexpected:\n${expected.toString('utf8')}`).toBe(true);

        expect(problems).toEqual([]);
      });
    } finally {
      await context.close();
    }
  });

  it('inside Teams: follows the Teams theme and sends the SSO token with every API call', { timeout: 120_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    await logOutcome(running, { title: 'Shared theatre lists', proposal: 'Share lists', votes: { 1: 'support' } });
    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    // Stand in for the Teams host: TeamsJS answers as it does inside a Teams client.
    await page.route('**/tab/teams-js.js', (route) => route.fulfill({ contentType: 'text/javascript', body: FAKE_TEAMS_JS }));
    const authorizations: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/register/')) authorizations.push(request.headers().authorization);
    });

    try {
      await withScreenshotOnFailure(page, 'register-tab-in-teams', async () => {
        await page.goto(`${running.url}/tab/register`);
        await expect.poll(() => page.locator('#outcomes tbody tr').count(), { timeout: 15_000 }).toBe(1);
        expect(await page.locator('body').getAttribute('data-theme')).toBe('dark');
        await page.evaluate(() => (window as unknown as { changeTeamsTheme: (theme: string) => void }).changeTeamsTheme('contrast'));
        expect(await page.locator('body').getAttribute('data-theme')).toBe('contrast');

        await page.getByRole('button', { name: 'Shared theatre lists' }).click();
        await page.locator('#detail').waitFor({ state: 'visible' });
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
        await download.path();
        // The list, the meetings for minutes, one outcome and the CSV.
        expect(authorizations).toHaveLength(4);
        expect(new Set(authorizations)).toEqual(new Set(['Bearer sso-token-from-teams']));
      });
    } finally {
      await context.close();
    }
  });
});

/** The parts of TeamsJS the page uses, answering as a Teams client would. */
const FAKE_TEAMS_JS = `
window.microsoftTeams = {
  app: {
    initialize: () => Promise.resolve(),
    getContext: () => Promise.resolve({ app: { theme: 'dark' } }),
    registerOnThemeChangeHandler: (handler) => { window.changeTeamsTheme = handler; },
    notifySuccess: () => {},
  },
  authentication: { getAuthToken: () => Promise.resolve('sso-token-from-teams') },
};
`;
