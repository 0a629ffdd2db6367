/**
 * Votes through /api/messages, as Teams sends them, against Concord with its embedded lowdb store
 * and a fake Bot Connector: 200 representatives each record a position, five rounds over (each
 * round changes every position).
 *
 * - `vote.http.*`: the 200 votes arrive within one second (open loop, one every 5 ms): a board of
 *   200 members pressing their buttons in the same moment of a meeting.
 * - `vote.http.burst.*`: all 200 requests are sent at the same instant, the worst case; the last
 *   one waits for the 199 before it, so this measures throughput more than latency.
 * - `vote.lone.*`: each vote sent when the previous one is answered, so every vote is a durable
 *   write (group commit) of its own. Its CPU per vote is what a vote costs with nothing to share
 *   a batch with, and unlike the spread figure it does not fall when a loaded machine makes votes
 *   queue up into larger batches (`vote.votes_per_batch` says how many shared one in the spread case).
 *
 * Measured on an empty register and on one holding 20,000 outcomes and 200,000 audit events. Also
 * counts lost and doubled votes, and how many times the shared poll card was refreshed for one
 * round of 200 votes.
 *
 * Two baselines are measured in the same run, interleaved round by round with the votes so that
 * both see the same machine: an echo bot on the same server and adapter (echo-bot.ts), sent the
 * same requests in the same pattern, and a bare fsync (a small write and fsync in the same data
 * directory), the least a durable vote can cost. The `_over_echo` and `_over_fsync` ratios are the
 * figures that hold on a shared, noisy machine. The requests come from a separate process
 * (load-client.ts), so the client's own work is neither queued ahead of Concord's turns nor counted
 * in its CPU time.
 */
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startConcord } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { ALEX, cardAction, post, voteAcknowledged } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { FakeConnector } from '../support/fake-connector.js';
import { percentile, round } from './stats.js';
import { seed } from './store.js';
import { startEchoBot } from './echo-bot.js';
import { LoadClient, type Arrival, type Sent } from './load-client.js';

const VOTERS = 200;
const ROUNDS = 5;
/** A first round, not measured, warms the JIT and the file cache as a running service would be. */
const WARM_UP_ROUNDS = 1;
const POSITIONS = ['support', 'object', 'abstain'] as const;

/** Bare fsyncs measured between two rounds. */
const FSYNCS_PER_ROUND = 40;

interface VoteRun {
  latencies: number[];
  /** The echo bot's latencies for the same requests, in rounds interleaved with the votes'. */
  echo: number[];
  fsync: number[];
  /** Size of each vote's invoke reply (the card the voter gets back). */
  replyBytes: number[];
  /**
   * CPU time of the server process (Concord or the echo bot, and the fake connector; the HTTP
   * client runs in a process of its own, load-client.ts) per request, over the measured rounds.
   * Unlike latency it barely moves when other work shares the machine: the difference between a
   * vote and an echo is what Concord itself spends on a vote.
   */
  cpuMsPerVote: number;
  /** The kernel's share of cpuMsPerVote (the store's write, fsync and rename; sockets). */
  sysCpuMsPerVote: number;
  cpuMsPerEcho: number;
  lost: number;
  doubled: number;
  cardUpdatesPerBurst: number;
  /** Votes per durable write (group commit) over the measured rounds: what a vote's share of a batch's fixed costs is. */
  votesPerBatch: number;
}

/** One vote every 5 ms: 200 within a second. */
const SPREAD_INTERVAL_MS = 5;

export async function runVotes(dataDir: string, arrival: Arrival): Promise<VoteRun> {
  const connector = await new FakeConnector().start();
  const config = parseConfig({
    HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_DATA_DIR: dataDir,
    CONCORD_COLLABORATIVE_FILE: writeCollaborative(VOTERS), CONCORD_RATE_LIMIT_PER_MINUTE: '10000',
  }, 'bench');
  const store = await openFileStore({ dataDir });
  // Counts group commits: CPU per vote depends on how many votes share one (see votesPerBatch).
  let batches = 0;
  const recordVotes = store.recordVotes.bind(store);
  store.recordVotes = (...args) => {
    batches += 1;
    return recordVotes(...args);
  };
  const concord = await startConcord({ config, logger: pino({ level: 'silent' }), store });
  const echoBot = await startEchoBot(config);
  const client = LoadClient.start();
  try {
    await post(concord.url, cardAction(connector.url, 'poll.open', { title: 'Bench poll', proposal: 'P', category: '1', rule: 'majority' }, { from: ALEX, replyToId: 'bench-card' }));
    const poll = (await store.listPolls({ status: 'open' })).find((candidate) => candidate.title === 'Bench poll');
    if (!poll) throw new Error('bench poll did not open');

    const latencies: number[] = [];
    const echo: number[] = [];
    const fsync: number[] = [];
    const replyBytes: number[] = [];
    const acknowledged = new Map<string, string>();
    let cardUpdatesPerBurst = 0;
    let voteCpuMicros = 0;
    let voteSysMicros = 0;
    let echoCpuMicros = 0;
    let measuredBatches = 0;
    const bodyFor = (index: number, roundIndex: number) => cardAction(connector.url, 'poll.vote', { pollId: poll.id, positionValue: POSITIONS[(index + roundIndex) % POSITIONS.length]! }, { from: representative(index + 1), replyToId: 'bench-card' });
    for (let roundIndex = 0; roundIndex < WARM_UP_ROUNDS + ROUNDS; roundIndex += 1) {
      const measured = roundIndex >= WARM_UP_ROUNDS;
      const echoCpu = process.cpuUsage();
      const echoed = await sendRound(client, echoBot.url, arrival, (index) => bodyFor(index, roundIndex));
      const echoSpent = process.cpuUsage(echoCpu);
      const synced = await bareFsyncs(dataDir, FSYNCS_PER_ROUND);
      const updatesBefore = connector.updates().length;
      const voteCpu = process.cpuUsage();
      const batchesBefore = batches;
      const voted = await sendRound(client, concord.url, arrival, (index) => bodyFor(index, roundIndex));
      const voteSpent = process.cpuUsage(voteCpu);
      if (measured) {
        measuredBatches += batches - batchesBefore;
        echoCpuMicros += echoSpent.user + echoSpent.system;
        voteCpuMicros += voteSpent.user + voteSpent.system;
        voteSysMicros += voteSpent.system;
      }
      voted.forEach((sent, index) => {
        const { bytes } = sent;
        if (voteAcknowledged(sent)) acknowledged.set(`trust-${index + 1}`, POSITIONS[(index + roundIndex) % POSITIONS.length]!);
        if (measured) replyBytes.push(bytes);
      });
      if (measured) {
        latencies.push(...voted.map(({ ms }) => ms));
        echo.push(...echoed.map(({ ms }) => ms));
        fsync.push(...synced);
      }
      // Let the coalesced refresh for this burst go out before counting it.
      await new Promise((resolve) => setTimeout(resolve, config.cardUpdateIntervalMs * 2 + 200));
      if (roundIndex === WARM_UP_ROUNDS) cardUpdatesPerBurst = connector.updates().length - updatesBefore;
    }

    const votes = await store.votes(poll.id);
    const lost = [...acknowledged].filter(([organisationId, position]) => votes.find((vote) => vote.organisationId === organisationId)?.position !== position).length;
    const casts = (await store.readAudit({ subject: poll.id })).filter((event) => event.action === 'vote.cast');
    const castsPerMember = new Map<string, number>();
    for (const event of casts) {
      const organisationId = String(event.detail.organisationId);
      castsPerMember.set(organisationId, (castsPerMember.get(organisationId) ?? 0) + 1);
    }
    const doubled = (votes.length - new Set(votes.map((vote) => vote.organisationId)).size)
      + [...castsPerMember.values()].reduce((extra, count) => extra + Math.max(0, count - 1), 0);
    const cpuMsPerVote = voteCpuMicros / 1000 / latencies.length;
    const sysCpuMsPerVote = voteSysMicros / 1000 / latencies.length;
    const cpuMsPerEcho = echoCpuMicros / 1000 / echo.length;
    const votesPerBatch = latencies.length / Math.max(1, measuredBatches);
    return { latencies, echo, fsync, replyBytes, cpuMsPerVote, sysCpuMsPerVote, cpuMsPerEcho, lost, doubled, cardUpdatesPerBurst, votesPerBatch };
  } finally {
    await client.close();
    await echoBot.close();
    await concord.close();
    await connector.stop();
  }
}

/** One round of 200 requests to a server, spread over a second or all at once, sent by the load-client process. */
function sendRound(client: LoadClient, url: string, arrival: Arrival, bodyFor: (index: number) => unknown): Promise<Sent[]> {
  return client.round({ url, arrival, intervalMs: SPREAD_INTERVAL_MS, bodies: Array.from({ length: VOTERS }, (_, index) => bodyFor(index)) });
}

/** A small write and fsync, awaited one at a time: the floor under any durable vote on this disk. */
async function bareFsyncs(dataDir: string, count: number): Promise<number[]> {
  await mkdir(dataDir, { recursive: true });
  const handle = await open(`${dataDir}/bench-fsync.bin`, 'w');
  const record = Buffer.alloc(256, 1);
  const samples: number[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const startedAt = performance.now();
      await handle.write(record, 0, record.length, index * record.length);
      await handle.sync();
      samples.push(performance.now() - startedAt);
    }
  } finally {
    await handle.close();
    await rm(`${dataDir}/bench-fsync.bin`, { force: true });
  }
  return samples;
}

export async function benchVotes(): Promise<Record<string, number>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'concord-bench-votes-'));
  try {
    const seededDir = path.join(root, 'seeded');
    await seed(seededDir);
    const empty = await runVotes(path.join(root, 'empty'), 'spread');
    const seeded = await runVotes(seededDir, 'spread');
    const burst = await runVotes(path.join(root, 'burst'), 'burst');
    const lone = await runVotes(path.join(root, 'lone'), 'one-by-one');
    const p = (samples: number[], at: number) => percentile(samples, at);
    const fsyncP50 = p([...empty.fsync, ...seeded.fsync, ...burst.fsync], 50);
    return {
      'fsync.p50_ms': round(fsyncP50),
      'fsync.p99_ms': round(p([...empty.fsync, ...seeded.fsync, ...burst.fsync], 99)),
      'echo.http.p50_ms': round(p(empty.echo, 50)),
      'echo.http.p99_ms': round(p(empty.echo, 99)),
      'vote.http.p50_ms': round(p(empty.latencies, 50)),
      'vote.http.p99_ms': round(p(empty.latencies, 99)),
      'vote.http.p50_over_echo': round(p(empty.latencies, 50) / p(empty.echo, 50)),
      'vote.http.p99_over_echo': round(p(empty.latencies, 99) / p(empty.echo, 99)),
      'vote.http.p50_over_fsync': round(p(empty.latencies, 50) / fsyncP50),
      'vote.http.p99_over_fsync': round(p(empty.latencies, 99) / fsyncP50),
      'vote.http.20k.p50_ms': round(p(seeded.latencies, 50)),
      'vote.http.20k.p99_ms': round(p(seeded.latencies, 99)),
      'vote.http.20k.p99_over_echo': round(p(seeded.latencies, 99) / p(seeded.echo, 99)),
      'vote.http.p99_ratio_20k_outcomes': round(p(seeded.latencies, 99) / p(empty.latencies, 99)),
      'echo.http.burst.p50_ms': round(p(burst.echo, 50)),
      'echo.http.burst.p99_ms': round(p(burst.echo, 99)),
      'vote.http.burst.p50_ms': round(p(burst.latencies, 50)),
      'vote.http.burst.p99_ms': round(p(burst.latencies, 99)),
      'vote.http.burst.p99_over_echo': round(p(burst.latencies, 99) / p(burst.echo, 99)),
      'vote.http.burst.p99_over_fsync': round(p(burst.latencies, 99) / fsyncP50),
      'echo.cpu_ms_per_request': round(empty.cpuMsPerEcho),
      'vote.cpu_ms_per_vote': round(empty.cpuMsPerVote),
      'vote.cpu_sys_ms_per_vote': round(empty.sysCpuMsPerVote),
      'vote.cpu_over_echo': round(empty.cpuMsPerVote / empty.cpuMsPerEcho),
      'vote.votes_per_batch': round(empty.votesPerBatch),
      // Each vote sent when the previous one is answered: every vote pays a batch's fixed costs alone,
      // so this figure barely moves with the machine's load, unlike the spread one above.
      'vote.lone.cpu_ms_per_vote': round(lone.cpuMsPerVote),
      'vote.lone.cpu_over_echo': round(lone.cpuMsPerVote / lone.cpuMsPerEcho),
      'vote.lone.p50_ms': round(p(lone.latencies, 50)),
      'vote.lone.p99_ms': round(p(lone.latencies, 99)),
      'vote.burst.cpu_ms_per_vote': round(burst.cpuMsPerVote),
      'vote.burst.cpu_over_echo': round(burst.cpuMsPerVote / burst.cpuMsPerEcho),
      'vote.reply_bytes': round(p([...empty.replyBytes, ...seeded.replyBytes, ...burst.replyBytes], 50), 0),
      'vote.lost': empty.lost + seeded.lost + burst.lost + lone.lost,
      'vote.doubled': empty.doubled + seeded.doubled + burst.doubled + lone.doubled,
      'card.updates_per_200_votes': empty.cardUpdatesPerBurst,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
