/**
 * What the journeys run against: Concord as `npm start` runs it (compiled, from build/),
 * Microsoft 365 Agents Playground pointed at it, and Debian's Chromium, every server on 127.0.0.1, each on a free port, with
 * Concord's store in a fresh temporary directory. `stop()` ends all three and removes the
 * directory, whatever was started before a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { REPO_ROOT, startConcordProcess, startPlaygroundProcess, type Started } from '../../../src/cli/processes.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps calling out to Google's services. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A port nothing is listening on just now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/e2e/install-browser.sh (installs Debian's chromium), then rerun`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A browser context that only talks to this machine: the Playground's page asks a Microsoft CDN
 * for fonts and an animation worklet, which this network cannot reach (and need not).
 */
export async function loopbackContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  // A UK browser, as the collaboratives' staff use. (Date inputs still read mm/dd/yyyy: Debian's
  // chromium ships only the en-US locale pack.)
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/London', ...options });
  await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])[a-z]+:\/\//i, (route) => route.abort('blockedbyclient'));
  return context;
}

export interface Stack {
  readonly concordUrl: string;
  readonly playgroundUrl: string;
  readonly browser: Browser;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * `npm start`'s first step: compiles src/ into build/ if a source changed since the last build.
 * The journeys then run the compiled tree as `npm start` does, which also starts in a fraction
 * of the time tsx needs to compile the sources on the fly (over 60 s seen on two busy cores).
 */
function buildIfStale(): void {
  const build = spawnSync(process.execPath, ['src/cli/build-if-stale.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`building Concord failed (exit ${build.status}); run npm run build to see why`);
}

export async function startStack(options: { concordEnv?: Record<string, string>; output?: 'inherit' | 'ignore' } = {}): Promise<Stack> {
  buildIfStale();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-e2e-'));
  const started: Started[] = [];
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    // Playground first (it holds a connection to Concord), then Concord.
    for (const child of started.reverse()) await child.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const output = options.output ?? 'inherit';
    const concord = await startConcordProcess({
      PORT: String(await freePort()),
      CONCORD_DATA_DIR: dataDir,
      CONCORD_LOG_LEVEL: 'warn',
      ...options.concordEnv,
    }, output, 'build');
    started.push(concord);
    const playground = await startPlaygroundProcess({ appEndpoint: `${concord.url}/api/messages`, port: await freePort(), output: 'ignore' });
    started.push(playground);
    browser = await launchChromium();
    return { concordUrl: concord.url, playgroundUrl: playground.url, browser, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The agenda both the journeys and the screenshots paste: one item for information, one for decision. */
export const AGENDA = [
  'agenda',
  'Meeting: Provider Leadership Board',
  'Date: 2026-12-01',
  'Start: 09:30',
  'P173/21 | Chief Executive Report | R Jenkins | information | 15',
  'P174/21 | Elective recovery hub | S Patel | decision | 30 | Approve the hub business case',
].join('\n');
