/**
 * The meeting side panel, the in-meeting bubble and the stage view in a real browser (Debian's
 * chromium, playwright-core), with the Teams host simulated as in register-tab.e2e.test.ts: TeamsJS
 * answers as a Teams meeting client would (a meeting chat in the context, an SSO token, and
 * shareAppContentToStage recording what the chair shared). Concord runs in local mode, so `?as=`
 * names the person.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mammoth from 'mammoth';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALEX, cardAction, installed, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { saveAgenda } from '../register/drive.js';

const CHROMIUM = '/usr/bin/chromium';
/** CONCORD_SAVE_SCREENSHOTS=1 saves the README's meeting screenshots into cards/screenshots/ as the journey runs. */
const SCREENSHOTS = process.env.CONCORD_SAVE_SCREENSHOTS === '1' ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cards/screenshots') : undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/e2e/install-browser.sh, then rerun`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const FAKE_TEAMS_JS = `
window.microsoftTeams = {
  app: {
    initialize: () => Promise.resolve(),
    getContext: () => Promise.resolve({ app: { theme: 'default' }, chat: { id: 'conversation-1' }, meeting: { id: 'meeting-1' } }),
    registerOnThemeChangeHandler: () => {},
    notifySuccess: () => {},
  },
  authentication: { getAuthToken: () => Promise.resolve('sso-token-from-teams') },
  meeting: { shareAppContentToStage: (callback, url) => { window.sharedToStage = url; callback(null, true); } },
};
`;

describe('Concord in a Teams meeting, in a browser', () => {
  it('side panel: agenda, Now marker, poll status and Show on stage; bubble: a position recorded; stage: the positions', { timeout: 120_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    // Concord added to the Teams meeting: its chat is the meeting's, so moving "Now" can ask who is in the call.
    const added = installed(running.connector.url);
    await post(running.url, { ...added, conversation: { ...added.conversation, conversationType: 'groupChat', isGroup: true }, channelData: { ...added.channelData, meeting: { id: 'meeting-1' } } });
    running.connector.participants.set(representative(1).aadObjectId, true);
    running.connector.participants.set(representative(2).aadObjectId, true);
    const agendaId = await saveAgenda(running, {
      title: 'Provider Leadership Board', date: '2026-11-23',
      items: ['P173/21 | Joint waiting list | Dr Khan | decision | 15 | Approve | ', 'P174/21 | Finance <b>report</b> | CFO | information | 10 |  | '],
    });
    await post(running.url, cardAction(running.connector.url, 'poll.open', { agendaId, itemRefValue: 'P173/21', title: 'Joint waiting list', proposal: 'Approve the list', category: '1', rule: 'majority' }));
    const poll = (await running.store.listPolls())[0]!;

    const context = await browser!.newContext({ viewport: { width: 420, height: 640 } });
    const shoot = async (name: string) => { if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true }); };
    const page = await context.newPage();
    await page.route('**/tab/teams-js.js', (route) => route.fulfill({ contentType: 'text/javascript', body: FAKE_TEAMS_JS }));
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => { if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text()); });
    const authorizations = new Set<string | undefined>();
    page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/api/meeting/')) authorizations.add(request.headers().authorization); });
    try {
      await page.goto(`${running.url}/tab/meeting?as=${ALEX.aadObjectId}`);
      const items = page.locator('#items li');
      await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(2);
      expect(await items.nth(0).innerText()).toMatch(/09:30–09:45 P173\/21 Joint waiting list[\s\S]*For decision[\s\S]*Poll open: 0 of 3 members/);
      expect(await items.nth(1).innerText()).toContain('Finance <b>report</b>');

      await items.nth(1).getByRole('button', { name: 'Now' }).click();
      await expect.poll(() => page.locator('#now').innerText()).toBe('Now: P174/21');
      await expect.poll(() => items.nth(1).locator('.attendance').innerText()).toBe('At the start: Present: Trust 1 NHS FT, Trust 2 NHS FT · Absent: Trust 3 NHS FT');
      await shoot('meeting-side-panel');

      await items.nth(0).getByRole('button', { name: 'Show on stage' }).click();
      await expect.poll(() => page.evaluate(() => (window as unknown as { sharedToStage?: string }).sharedToStage)).toBe(`${running.url}/tab/stage?poll=${poll.id}`);

      await page.goto(`${running.url}/tab/bubble?poll=${poll.id}&as=${representative(1).aadObjectId}`);
      await page.getByRole('button', { name: 'Object' }).click();
      await expect.poll(() => page.locator('#status').innerText()).toBe('Recorded: Trust 1 NHS FT objects. You can change it until the poll closes.');
      expect(await running.store.votes(poll.id)).toMatchObject([{ organisationId: 'trust-1', position: 'object' }]);
      await shoot('meeting-bubble');

      await page.goto(`${running.url}/tab/stage?poll=${poll.id}&as=${ALEX.aadObjectId}`);
      await expect.poll(() => page.locator('#positions li').allInnerTexts()).toEqual(['Trust 1 NHS FT: Objects', 'Trust 2 NHS FT: Not voted yet', 'Trust 3 NHS FT: Not voted yet']);

      await shoot('meeting-stage');
      expect([...authorizations]).toEqual(['Bearer sso-token-from-teams']);
      expect(problems).toEqual([]);
      if (SCREENSHOTS) {
        // The Word minutes as Word's text would read, for the README.
        const docx = Buffer.from(await (await fetch(`${running.url}/api/register/minutes/${agendaId}?format=docx`)).arrayBuffer());
        const { value: html } = await mammoth.convertToHtml({ buffer: docx });
        await page.setViewportSize({ width: 760, height: 600 });
        await page.setContent(`<body style="font-family: sans-serif; margin: 24px">${html}</body>`);
        await shoot('meeting-minutes');
      }
    } finally {
      await context.close();
    }
  });
});
