import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

/** Polls a URL until it answers (any status), or fails after the timeout. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      await fetch(url);
      return;
    } catch {
      // Polled often: the start-up benchmark measures to this answer against a 1 s target.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Node's DEP0111 warning ("Access to process.binding('http_parser') is deprecated") comes from a
 * restify dependency at load time; people starting Concord read it as a fault. Only that code is
 * silenced: every other warning still prints. (`--disable-warning` is in Node 20.11 and later;
 * package.json's engines ask for 20.12.)
 */
export const NODE_FLAGS = ['--disable-warning=DEP0111'] as const;

/**
 * How `npm start` runs Concord: compiled JavaScript (no TypeScript loader in the running process),
 * with a small young generation, which keeps resident memory near 130 MB. Keep in step with the
 * `start` script in package.json (test/server/foundation.test.ts checks).
 */
export const START_COMMAND = ['--max-semi-space-size=4', ...NODE_FLAGS, 'build/main.cjs'] as const;

/**
 * Concord in a child process: from the TypeScript sources (always current, for tests), or as
 * `npm start` runs it from build/ (for the start-up benchmark; run `npm run build` first).
 */
export async function startConcordProcess(
  env: Record<string, string>,
  output: 'inherit' | 'ignore' | 'pipe' = 'inherit',
  entry: 'source' | 'build' = 'source',
  timeoutMs = STARTUP_TIMEOUT_MS,
): Promise<Started & { url: string }> {
  const port = env.PORT ?? '3978';
  const args = entry === 'build' ? [...START_COMMAND] : [...NODE_FLAGS, '--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: port },
    stdio: ['ignore', output, output],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child);
  await waitForHttp(`${url}/healthz`, timeoutMs, child).catch(stopAndRethrow(stop));
  return { child, url, stop };
}

/**
 * How long a child may take to answer. A deadline, not a wait: the poll returns as soon as it
 * answers. From the TypeScript sources on two busy cores (tsx compiles on the fly) a start has
 * taken over 20 s.
 */
const STARTUP_TIMEOUT_MS = 60_000;

/** A child that never answered is stopped before the error goes up: a failed start leaves nothing running. */
function stopAndRethrow(stop: () => Promise<void>): (error: unknown) => Promise<never> {
  return async (error) => {
    await stop();
    throw error;
  };
}

/**
 * Microsoft 365 Agents Playground pointed at Concord, bound to 127.0.0.1 (see loopback-only.cjs),
 * offline: no browser opened, no telemetry.
 */
export async function startPlaygroundProcess(options: { appEndpoint: string; port: number; output?: 'inherit' | 'ignore' }): Promise<Started & { url: string }> {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, [
    '--require', path.join(REPO_ROOT, 'src/cli/loopback-only.cjs'),
    cli,
    '--app-endpoint', options.appEndpoint,
    '--channel-id', 'msteams',
    '--port', String(options.port),
    '--service-url', `${url}/_connector`,
    '--disable-telemetry',
  ], {
    cwd: REPO_ROOT,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', BROWSER: 'none' },
    stdio: ['ignore', options.output ?? 'inherit', options.output ?? 'inherit'],
  });
  const stop = stopper(child);
  await waitForHttp(url, STARTUP_TIMEOUT_MS, child).catch(stopAndRethrow(stop));
  return { child, url, stop };
}
