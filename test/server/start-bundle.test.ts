import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { NODE_FLAGS, REPO_ROOT, START_COMMAND, waitForHttp } from '../../src/cli/processes.js';
import { freePort } from '../support/ports.js';
import { tempDir } from '../support/temp-dir.js';

const CACHE_MISMATCH = /start-up code cache in build\/ does not fit this Node/;

/** `npm start`'s own steps: build if stale, then the launcher with the given Node flags; its stderr is collected. */
async function startBuilt(nodeFlags: readonly string[]): Promise<{ url: string; stderr: () => string }> {
  const build = spawnSync(process.execPath, ['src/cli/build-if-stale.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  expect(build.status).toBe(0);
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, 'build/main.cjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), CONCORD_DATA_DIR: path.join(tempDir('start-bundle'), 'store'), CONCORD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000, child);
  return { url, stderr: () => stderr };
}

describe('npm start runs the bundle with its start-up code cache', () => {
  it('starts from the cache the build made, with no warning', async () => {
    const started = await startBuilt(START_COMMAND.slice(0, -1));
    expect(existsSync(path.join(REPO_ROOT, 'build', 'concord.cjs.cache'))).toBe(true);
    const health = await fetch(`${started.url}/healthz`);
    expect(health.status).toBe(200);
    expect(started.stderr()).not.toMatch(CACHE_MISMATCH);
  }, 180_000);

  it('with a cache that does not fit (other V8 flags), says so in one line and still starts', async () => {
    const started = await startBuilt(['--max-semi-space-size=8', ...NODE_FLAGS]);
    const health = await fetch(`${started.url}/healthz`);
    expect(health.status).toBe(200);
    expect(started.stderr()).toMatch(CACHE_MISMATCH);
    expect(started.stderr()).not.toMatch(/\n\s+at /);
  }, 180_000);
});
