/**
 * Several collaboratives in one instance (issue 19): 50 collaboratives of 20 member trusts, each
 * bound to its own team with one open poll, and all 1,000 representatives voting in the same
 * second (one due every millisecond, the teams interleaved, at most 200 in flight), through /api/messages with the
 * embedded store. Beside it, in the same run, one collaborative of 20 voting the same way (one
 * request every 50 ms). Each in its own process, so resident memory is comparable; RSS is read
 * after a garbage collection, in a process that is both client and server.
 *
 * Reported: vote p50/p99 for each, the ratio, RSS for each, and lost/doubled votes (an
 * acknowledged position missing or changed; a vote stored or audited twice).
 *
 * Run alone: `node --expose-gc --import tsx test/bench/collaboratives.ts` (prints JSON).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startConcord } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import type { Collaborative } from '../../src/decisions/collaborative.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { ALEX, cardAction, post } from '../support/activities.js';
import { FakeConnector } from '../support/fake-connector.js';
import { percentile, round } from './stats.js';

const MEMBERS = 20;
const SIZES = [1, 50] as const;
const ROUNDS = 3;
/** A first round, not measured, warms the JIT and the file cache as a running service would be. */
const WARM_UP_ROUNDS = 1;
/** Every representative of every collaborative votes within this window. */
const WINDOW_MS = 1000;
const POSITIONS = ['support', 'object', 'abstain'] as const;
/**
 * At most this many requests in flight, as a sender's connection pool would hold (the single
 * collaborative vote bench sends 200 at once). 1,000 connections opened in one second overflow the
 * server's accept queue on a loaded machine and fail to connect; a press that waits for a free
 * connection counts that wait in its latency, which runs from the moment it was due.
 */
const IN_FLIGHT = 200;

const teamOf = (c: number) => `team-${c}`;
const repOf = (c: number, m: number) => ({ aadObjectId: `rep-c${c}-m${m}`, name: `Representative ${m} of collaborative ${c}` });

function collaborative(c: number): Collaborative {
  return {
    id: `collaborative-${c}`,
    name: `Collaborative ${c}`,
    members: Array.from({ length: MEMBERS }, (_, m) => ({ id: `trust-${m}`, name: `Trust ${m} NHS FT`, representatives: [repOf(c, m).aadObjectId] })),
    chairs: [ALEX.aadObjectId],
    secretariat: [ALEX.aadObjectId],
    defaultRule: { kind: 'majority', basis: 'members' },
  };
}

/** A card press from a team's channel (the team id is how Concord finds the team's collaborative). */
function inTeam(c: number, activity: ReturnType<typeof cardAction>) {
  return { ...activity, conversation: { ...activity.conversation, id: `19:${teamOf(c)}@thread.tacv2` }, channelData: { ...activity.channelData, team: { id: teamOf(c) } } };
}

interface Result {
  p50: number; p99: number; rssMb: number; votes: number; lost: number; doubled: number;
  /** Votes answered per second of a measured round (first due to last answered): throughput. */
  votesPerSecond: number;
  /** CPU time of the process (client and server) per measured vote. */
  cpuMsPerVote: number;
}

async function child(count: number): Promise<Result> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'concord-bench-collaboratives-'));
  const connector = await new FakeConnector().start();
  try {
    const store = await openFileStore({ dataDir });
    const at = new Date().toISOString();
    for (let c = 0; c < count; c += 1) {
      await store.saveCollaborativeVersion({ collaborativeId: `collaborative-${c}`, version: 1, collaborative: collaborative(c), change: { kind: 'import', source: 'bench' }, by: ALEX, at });
      await store.bindConversation({ conversationId: teamOf(c), collaborativeId: `collaborative-${c}`, by: ALEX, at });
    }
    const config = parseConfig({
      HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_DATA_DIR: dataDir,
      CONCORD_COLLABORATIVE_FILE: 'none', CONCORD_RATE_LIMIT_PER_MINUTE: '10000',
    }, 'bench');
    const concord = await startConcord({ config, logger: pino({ level: 'silent' }), store });
    try {
      const pollIds: string[] = [];
      for (let c = 0; c < count; c += 1) {
        const response = await post(concord.url, inTeam(c, cardAction(connector.url, 'poll.open', { title: `Bench poll ${c}`, proposal: 'P', category: '1', rule: 'majority' }, { from: ALEX, replyToId: `card-${c}` })));
        const poll = (await store.listPolls({ status: 'open' })).find((candidate) => candidate.title === `Bench poll ${c}`);
        if (response.status !== 200 || !poll) throw new Error(`poll ${c} did not open (${response.status})`);
        if (poll.collaborativeId !== `collaborative-${c}`) throw new Error(`poll ${c} belongs to ${poll.collaborativeId}`);
        pollIds.push(poll.id);
      }

      const voters = count * MEMBERS;
      const interval = WINDOW_MS / voters;
      const latencies: number[] = [];
      const acknowledged = new Map<string, string>();
      const slots = new Slots(IN_FLIGHT);
      let measuredMs = 0;
      let cpuMicros = 0;
      for (let roundIndex = 0; roundIndex < WARM_UP_ROUNDS + ROUNDS; roundIndex += 1) {
        const cpu = process.cpuUsage();
        const start = performance.now();
        const results = await Promise.all(Array.from({ length: voters }, async (_, index) => {
          // Interleaved: member m of every collaborative, then member m + 1, so every team votes throughout the second.
          const c = index % count;
          const m = Math.floor(index / count);
          const position = POSITIONS[(c + m + roundIndex) % POSITIONS.length]!;
          const due = start + index * interval;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          const response = await slots.run(() => post(concord.url, inTeam(c, cardAction(connector.url, 'poll.vote', { pollId: pollIds[c]!, positionValue: position }, { from: repOf(c, m), replyToId: `card-${c}` }))));
          return { key: `${pollIds[c]}/trust-${m}`, position, ok: response.status === 200, ms: performance.now() - due };
        }));
        for (const result of results) if (result.ok) acknowledged.set(result.key, result.position);
        if (roundIndex >= WARM_UP_ROUNDS) {
          latencies.push(...results.map((result) => result.ms));
          measuredMs += performance.now() - start;
          const spent = process.cpuUsage(cpu);
          cpuMicros += spent.user + spent.system;
        }
      }

      let lost = 0;
      let doubled = 0;
      for (const pollId of pollIds) {
        const votes = await store.votes(pollId);
        for (const [key, position] of acknowledged) {
          if (key.startsWith(`${pollId}/`) && votes.find((vote) => `${pollId}/${vote.organisationId}` === key)?.position !== position) lost += 1;
        }
        doubled += votes.length - new Set(votes.map((vote) => vote.organisationId)).size;
        const casts = (await store.readAudit({ subject: pollId })).filter((event) => event.action === 'vote.cast').map((event) => String(event.detail.organisationId));
        doubled += casts.length - new Set(casts).size;
      }
      (globalThis as { gc?: () => void }).gc?.();
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rssMb: process.memoryUsage().rss / 2 ** 20, votes: latencies.length, lost, doubled,
        votesPerSecond: latencies.length / (measuredMs / 1000), cpuMsPerVote: cpuMicros / 1000 / latencies.length };
    } finally {
      await concord.close();
    }
  } finally {
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A counting semaphore: at most `size` tasks run at once, the rest wait in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) { this.free = size; }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export async function benchCollaboratives(): Promise<Record<string, number>> {
  const results = new Map<number, Result>();
  for (const count of SIZES) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(count)], { encoding: 'utf8', timeout: 600_000 });
    if (run.status !== 0) throw new Error(`collaboratives bench (${count}) failed: ${run.stderr}`);
    results.set(count, JSON.parse(run.stdout.trim().split('\n').pop()!) as Result);
  }
  const one = results.get(SIZES[0])!;
  const fifty = results.get(SIZES[1])!;
  return {
    'collaboratives.1x20.vote.p50_ms': round(one.p50),
    'collaboratives.1x20.vote.p99_ms': round(one.p99),
    'collaboratives.1x20.rss_mb': round(one.rssMb, 1),
    'collaboratives.50x20.vote.p50_ms': round(fifty.p50),
    'collaboratives.50x20.vote.p99_ms': round(fifty.p99),
    'collaboratives.50x20.rss_mb': round(fifty.rssMb, 1),
    'collaboratives.50x20.votes_measured': fifty.votes,
    'collaboratives.1x20.votes_per_s': round(one.votesPerSecond, 1),
    'collaboratives.50x20.votes_per_s': round(fifty.votesPerSecond, 1),
    'collaboratives.1x20.cpu_ms_per_vote': round(one.cpuMsPerVote),
    'collaboratives.50x20.cpu_ms_per_vote': round(fifty.cpuMsPerVote),
    'collaboratives.p99_ratio_50_over_1': round(fifty.p99 / one.p99),
    'collaboratives.rss_ratio_50_over_1': round(fifty.rssMb / one.rssMb),
    'collaboratives.lost': one.lost + fifty.lost,
    'collaboratives.doubled': one.doubled + fifty.doubled,
  };
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  process.stdout.write(`${JSON.stringify(await child(Number(process.argv[childIndex + 1])))}\n`);
  process.exit(0);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchCollaboratives())}\n`);
}
