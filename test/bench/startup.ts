/**
 * Start-up and memory of Concord as `npm start` runs it (compiled, from build/: `npm run bench`
 * builds first): time from spawning the process to the first answer from /healthz, and resident
 * memory once it has answered guidance questions.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startConcordProcess } from '../../src/cli/processes.js';
import { message, post } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import { freePort } from '../support/ports.js';
import { percentile, round } from './stats.js';

const STARTS = 5;
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
  let rss = Number.NaN;
  try {
    for (let attempt = 0; attempt < STARTS; attempt += 1) {
      const startedAt = performance.now();
      const concord = await startConcordProcess({ PORT: String(await freePort()), CONCORD_DATA_DIR: path.join(root, `store-${attempt}`), CONCORD_LOG_LEVEL: 'warn' }, 'ignore', 'build');
      startups.push(performance.now() - startedAt);
      if (attempt === STARTS - 1) {
        for (let repeat = 0; repeat < 20; repeat += 1) {
          for (const question of QUESTIONS) await post(concord.url, message(connector.url, question));
        }
        rss = await residentMegabytes(concord.child.pid!);
      }
      await concord.stop();
    }
    return { startup_ms: round(percentile(startups, 50), 0), 'startup.max_ms': round(Math.max(...startups), 0), rss_mb: round(rss, 1) };
  } finally {
    await connector.stop();
    await rm(root, { recursive: true, force: true });
  }
}
