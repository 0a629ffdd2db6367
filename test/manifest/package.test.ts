import { execFile } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, type TestContext } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { readZip } from './read-zip.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(REPO, 'src/cli/package-app.ts');
/** tsx by absolute URL: the CLI runs from a temp directory, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const APP_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const HOST = 'concord.trust-collaborative.example.net';
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

interface Manifest {
  id: string;
  version: string;
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: { title: string; description?: string }[] }[] }[];
  staticTabs: { entityId: string; contentUrl?: string; scopes: string[] }[];
  configurableTabs?: { configurationUrl: string; context: string[]; meetingSurfaces: string[] }[];
  authorization?: { permissions: { resourceSpecific: { name: string; type: string }[] } };
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
}

/**
 * Runs the CLI as `npm run package` would, with only the given Concord settings: it runs in an
 * empty directory so no developer's .env (read from the working directory) leaks in.
 */
async function packageApp(test: TestContext, args: string[], settings: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('Microsoft') || key.startsWith('CONCORD_')) delete env[key];
  const options = { cwd: tempDir('package', test), env: { ...env, ...settings }, encoding: 'utf8' as const, timeout: 30_000 };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', TSX, CLI, ...args], options);
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { status: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const SETTINGS = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', CONCORD_PUBLIC_URL: `https://${HOST}` };

describe.concurrent('npm run package', () => {
  it('writes a zip with the filled manifest and both icons at its root', async (test) => {
    const out = path.join(tempDir('package', test), 'concord.zip');
    const { status, stdout, stderr } = await packageApp(test, ['--out', out], SETTINGS);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain(out);
    expect(stderr).not.toMatch(/validation only/);

    const files = readZip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(files.get('color.png')).toEqual(readFileSync(path.join(REPO, 'manifest/color.png')));
    expect(files.get('outline.png')).toEqual(readFileSync(path.join(REPO, 'manifest/outline.png')));

    const text = files.get('manifest.json')?.toString('utf8') ?? '';
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text) as Manifest;
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.version).toBe(VERSION);
    const [bot] = manifest.bots;
    expect(bot?.botId).toBe(APP_ID);
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const scope of ['personal', 'team', 'groupChat']) {
      const list = bot?.commandLists.find((candidate) => candidate.scopes.includes(scope));
      expect(list?.commands.map((command) => command.title), scope).toEqual(['help', 'agenda', 'poll', 'decisions']);
      for (const command of list?.commands ?? []) expect(command.description, `${scope} ${command.title}`).toBeTruthy();
    }
    expect(manifest.staticTabs).toContainEqual(expect.objectContaining({ entityId: 'register', contentUrl: `https://${HOST}/tab/register`, scopes: ['personal'] }));
    // The meeting side panel and stage (issue 21), and the consent the participant API and the targeted meeting notification need.
    expect(manifest.configurableTabs).toEqual([expect.objectContaining({
      configurationUrl: `https://${HOST}/tab/meeting-config`,
      context: ['meetingSidePanel', 'meetingStage', 'meetingChatTab'],
      meetingSurfaces: ['sidePanel', 'stage'],
    })]);
    expect(manifest.authorization?.permissions.resourceSpecific.map((permission) => permission.name)).toEqual(['OnlineMeeting.ReadBasic.Chat', 'OnlineMeetingParticipant.Read.Chat', 'OnlineMeetingNotification.Send.Chat']);
    expect(manifest.validDomains).toEqual([HOST]);
    expect(manifest.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://${HOST}/${APP_ID}` });
  });

  it('still builds a package to validate without an app id or public URL, and says it cannot be installed', async (test) => {
    const out = path.join(tempDir('package', test), 'concord.zip');
    const { status, stderr } = await packageApp(test, ['--out', out], {});
    expect(status, stderr).toBe(0);
    expect(stderr).toMatch(/^warning: MicrosoftAppId is not set.*validation only/m);
    expect(stderr).toMatch(/^warning: CONCORD_PUBLIC_URL is not set.*validation only/m);
    const manifest = JSON.parse(readZip(readFileSync(out)).get('manifest.json')?.toString('utf8') ?? '') as Manifest;
    expect(manifest.validDomains).toEqual(['concord.example.org']);
  });

  it('refuses a template that breaks the Teams schema or an icon Teams would reject, listing each, and writes nothing', async (test) => {
    const manifestDir = path.join(tempDir('package', test), 'manifest');
    cpSync(path.join(REPO, 'manifest'), manifestDir, { recursive: true });
    const file = path.join(manifestDir, 'manifest.json');
    const template = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...template, accentColor: 'NHS blue' }));
    cpSync(path.join(REPO, 'manifest/color.png'), path.join(manifestDir, 'outline.png'));
    const out = path.join(tempDir('package', test), 'concord.zip');

    const { status, stderr } = await packageApp(test, ['--manifest-dir', manifestDir, '--out', out], SETTINGS);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ {2}\/accentColor: must match pattern/m);
    expect(stderr).toMatch(/^ {2}\/icons\/outline: outline\.png is 192×192; Teams requires 32×32$/m);
    expect(stderr).not.toMatch(/^\s+at /m); // a list of things to fix, not a stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown option naming it, what is accepted, and its usage', async (test) => {
    const { status, stderr } = await packageApp(test, ['--output', 'x.zip'], SETTINGS);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^package: unknown option --output; package accepts --out FILE, --manifest-dir DIR\. usage: npm run package/);
  });
});
