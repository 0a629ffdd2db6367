/**
 * Start-up and memory of Concord as `npm start` runs it (compiled, from build/: `npm run bench`
 * builds first): time from spawning the process to the first answer from /healthz, and resident
 * memory once it has answered guidance questions; both again on an embedded store holding 20,000
 * outcomes and 200,000 audit events. The baseline, measured in the same run, is a bare Node
 * process answering HTTP (`startup.node_ms`): what any service costs to start on this machine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startConcordProcess } from '../../src/cli/processes.js';
import { message, post } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import { freePort } from '../support/ports.js';
import { percentile, round } from './stats.js';
import { seed } from './store.js';
import { spawn } from 'node:child_process';
import { waitForHttp } from '../../src/cli/processes.js';

const STARTS = 5;
const SEEDED_STARTS = 3;
/** Opening 20,000 outcomes reads and validates every file; on a busy shared machine that is slow. */
const SEEDED_TIMEOUT_MS = 180_000;
const QUESTIONS = ['what is a lead provider model?', 'can one trust block a decision', 'how many collaboratives are there', 'locked gateways', 'what is a committee in common'];

async function residentMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kilobytes / 1024;
}

export async function benchStartup(): Promise<Record<string, number>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'concord-bench-startup-'));
  const connector = await new FakeConnector().start();
  const startups: number[] = [];
  const seededStartups: number[] = [];
  const nodeStartups: number[] = [];
  let rss = Number.NaN;
  let seededRss = Number.NaN;
  try {
    const seededDir = path.join(root, 'seeded');
    await seed(seededDir);
    for (let attempt = 0; attempt < STARTS; attempt += 1) {
      nodeStartups.push(await bareNodeStartup());
      const startedAt = performance.now();
      const concord = await startConcordProcess({ PORT: String(await freePort()), CONCORD_DATA_DIR: path.join(root, `store-${attempt}`), CONCORD_LOG_LEVEL: 'warn' }, 'ignore', 'build');
      startups.push(performance.now() - startedAt);
      if (attempt === STARTS - 1) rss = await askAndMeasure(concord.url, connector.url, concord.child.pid!);
      await concord.stop();
      if (attempt < SEEDED_STARTS) {
        const seededAt = performance.now();
        const seeded = await startConcordProcess({ PORT: String(await freePort()), CONCORD_DATA_DIR: seededDir, CONCORD_LOG_LEVEL: 'warn' }, 'ignore', 'build', SEEDED_TIMEOUT_MS);
        seededStartups.push(performance.now() - seededAt);
        if (attempt === SEEDED_STARTS - 1) seededRss = await askAndMeasure(seeded.url, connector.url, seeded.child.pid!);
        await seeded.stop();
      }
    }
    const nodeP50 = percentile(nodeStartups, 50);
    return {
      'startup.node_ms': round(nodeP50, 0),
      startup_ms: round(percentile(startups, 50), 0),
      'startup.max_ms': round(Math.max(...startups), 0),
      'startup.over_node': round(percentile(startups, 50) / nodeP50),
      'startup.20k_ms': round(percentile(seededStartups, 50), 0),
      'startup.20k_over_node': round(percentile(seededStartups, 50) / nodeP50),
      rss_mb: round(rss, 1),
      'rss.20k_mb': round(seededRss, 1),
    };
  } finally {
    await connector.stop();
    // A stopped child may still be releasing its lock directory: retry rather than fail the run.
    await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/** Resident memory once the process has answered 100 guidance questions. */
async function askAndMeasure(url: string, connectorUrl: string, pid: number): Promise<number> {
  for (let repeat = 0; repeat < 20; repeat += 1) {
    for (const question of QUESTIONS) await post(url, message(connectorUrl, question));
  }
  return residentMegabytes(pid);
}

/** Spawn to first HTTP answer of a Node process that does nothing else. */
async function bareNodeStartup(): Promise<number> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 20_000, child);
    return performance.now() - startedAt;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
