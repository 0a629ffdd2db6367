/**
 * Conversation references (issue 14, item 8): Concord holding 10 conversations and holding 10,000,
 * each in its own process so resident memory is comparable. In each, 300 installations into new
 * conversations arrive through /api/messages one after another (each saves a reference and
 * greets), then resident set size is read after a garbage collection.
 *
 * The goal: request p99 and RSS at 10,000 within 1.2× of those at 10.
 *
 * Run alone: `node --expose-gc --import tsx test/bench/conversations.ts` (prints JSON).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startConcord } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { CONVERSATIONS_DIR, CURRENT_SCHEMA_VERSION, documentFileName, MAIN_FILE, serialiseDocument } from '../../src/store/file/store-layout.js';
import { installed, post } from '../support/activities.js';
import { writeCollaborative } from '../support/collaborative.js';
import { FakeConnector } from '../support/fake-connector.js';
import { percentile, round } from './stats.js';

const MEASURED = 300;
const WARM_UP = 30;
const SIZES = [10, 10_000] as const;

/** Seeds `count` references as Concord writes them (one file each), without fsync: setup, not measurement. */
function seed(dataDir: string, count: number): void {
  mkdirSync(path.join(dataDir, CONVERSATIONS_DIR), { recursive: true });
  writeFileSync(path.join(dataDir, MAIN_FILE), serialiseDocument({ schemaVersion: CURRENT_SCHEMA_VERSION, conversations: [] }));
  for (let index = 0; index < count; index += 1) {
    const conversationId = `19:seeded-${index}@thread.tacv2`;
    const reference = {
      activityId: `activity-${index}`,
      user: { id: '29:user', name: 'Sam Patel', aadObjectId: '00000000-0000-0000-0000-000000000001' },
      bot: { id: '28:concord', name: 'Concord' },
      conversation: { id: conversationId, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
      channelId: 'msteams',
      locale: 'en-GB',
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
    };
    writeFileSync(path.join(dataDir, CONVERSATIONS_DIR, documentFileName(conversationId)), serialiseDocument({ conversationId, reference, savedAt: '2026-01-01T09:00:00.000Z' }));
  }
}

async function child(count: number): Promise<{ p50: number; p99: number; rssMb: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'concord-bench-conversations-'));
  const connector = await new FakeConnector().start();
  try {
    seed(dataDir, count);
    const config = parseConfig({
      HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_DATA_DIR: dataDir,
      CONCORD_COLLABORATIVE_FILE: writeCollaborative(12), CONCORD_RATE_LIMIT_PER_MINUTE: '10000',
    }, 'bench');
    const concord = await startConcord({ config, logger: pino({ level: 'silent' }), store: await openFileStore({ dataDir }) });
    try {
      const latencies: number[] = [];
      for (let index = 0; index < WARM_UP + MEASURED; index += 1) {
        const started = performance.now();
        const response = await post(concord.url, installed(connector.url, { conversationId: `19:new-${index}@thread.tacv2` }));
        if (response.status !== 200) throw new Error(`installation ${index} answered ${response.status}`);
        if (index >= WARM_UP) latencies.push(performance.now() - started);
      }
      (globalThis as { gc?: () => void }).gc?.();
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rssMb: process.memoryUsage().rss / 2 ** 20 };
    } finally {
      await concord.close();
    }
  } finally {
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchConversations(): Promise<Record<string, number>> {
  const results = new Map<number, { p50: number; p99: number; rssMb: number }>();
  for (const count of SIZES) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(count)], { encoding: 'utf8', timeout: 600_000 });
    if (run.status !== 0) throw new Error(`conversations bench (${count}) failed: ${run.stderr}`);
    results.set(count, JSON.parse(run.stdout.trim().split('\n').pop()!) as { p50: number; p99: number; rssMb: number });
  }
  const small = results.get(SIZES[0])!;
  const large = results.get(SIZES[1])!;
  return {
    'conversations.10.install.p50_ms': round(small.p50),
    'conversations.10.install.p99_ms': round(small.p99),
    'conversations.10.rss_mb': round(small.rssMb, 1),
    'conversations.10k.install.p50_ms': round(large.p50),
    'conversations.10k.install.p99_ms': round(large.p99),
    'conversations.10k.rss_mb': round(large.rssMb, 1),
    'conversations.p99_ratio_10k': round(large.p99 / small.p99),
    'conversations.rss_ratio_10k': round(large.rssMb / small.rssMb),
  };
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  process.stdout.write(`${JSON.stringify(await child(Number(process.argv[childIndex + 1])))}\n`);
  process.exit(0);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchConversations())}\n`);
}
