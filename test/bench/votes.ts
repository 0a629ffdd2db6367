/**
 * Votes through /api/messages, as Teams sends them, against Concord with its embedded lowdb store
 * and a fake Bot Connector: 200 representatives each record a position, five rounds over (each
 * round changes every position).
 *
 * - `vote.http.*`: the 200 votes arrive within one second (open loop, one every 5 ms): a board of
 *   200 members pressing their buttons in the same moment of a meeting.
 * - `vote.http.burst.*`: all 200 requests are sent at the same instant, the worst case; the last
 *   one waits for the 199 before it, so this measures throughput more than latency.
 *
 * Measured on an empty register and on one holding 20,000 outcomes and 200,000 audit events. Also
 * counts lost and doubled votes, and how many times the shared poll card was refreshed for one
 * round of 200 votes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startConcord } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { FakeConnector } from '../support/fake-connector.js';
import { percentile, round } from './stats.js';
import { seed } from './store.js';

const VOTERS = 200;
const ROUNDS = 5;
/** A first round, not measured, warms the JIT and the file cache as a running service would be. */
const WARM_UP_ROUNDS = 1;
const POSITIONS = ['support', 'object', 'abstain'] as const;

interface VoteRun {
  latencies: number[];
  lost: number;
  doubled: number;
  cardUpdatesPerBurst: number;
}

type Arrival = 'spread' | 'burst';
/** One vote every 5 ms: 200 within a second. */
const SPREAD_INTERVAL_MS = 5;

export async function runVotes(dataDir: string, arrival: Arrival): Promise<VoteRun> {
  const connector = await new FakeConnector().start();
  const config = parseConfig({
    HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_DATA_DIR: dataDir,
    CONCORD_COLLABORATIVE_FILE: writeCollaborative(VOTERS), CONCORD_RATE_LIMIT_PER_MINUTE: '10000',
  }, 'bench');
  const store = await openFileStore({ dataDir });
  const concord = await startConcord({ config, logger: pino({ level: 'silent' }), store });
  try {
    await post(concord.url, cardAction(connector.url, 'poll.open', { title: 'Bench poll', proposal: 'P', category: '1', rule: 'majority' }, { from: ALEX, replyToId: 'bench-card' }));
    const poll = (await store.listPolls({ status: 'open' })).find((candidate) => candidate.title === 'Bench poll');
    if (!poll) throw new Error('bench poll did not open');

    const latencies: number[] = [];
    const acknowledged = new Map<string, string>();
    let cardUpdatesPerBurst = 0;
    for (let roundIndex = 0; roundIndex < WARM_UP_ROUNDS + ROUNDS; roundIndex += 1) {
      const measured = roundIndex >= WARM_UP_ROUNDS;
      const updatesBefore = connector.updates().length;
      const roundStart = performance.now();
      await Promise.all(Array.from({ length: VOTERS }, async (_, index) => {
        if (arrival === 'spread') {
          const due = roundStart + index * SPREAD_INTERVAL_MS;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        }
        const position = POSITIONS[(index + roundIndex) % POSITIONS.length]!;
        const body = cardAction(connector.url, 'poll.vote', { pollId: poll.id, positionValue: position }, { from: representative(index + 1), replyToId: 'bench-card' });
        const startedAt = performance.now();
        const response = await post(concord.url, body);
        if (measured) latencies.push(performance.now() - startedAt);
        if (response.status === 200) acknowledged.set(`trust-${index + 1}`, position);
      }));
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
    return { latencies, lost, doubled, cardUpdatesPerBurst };
  } finally {
    await concord.close();
    await connector.stop();
  }
}

export async function benchVotes(): Promise<Record<string, number>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'concord-bench-votes-'));
  try {
    const seededDir = path.join(root, 'seeded');
    await seed(seededDir);
    const empty = await runVotes(path.join(root, 'empty'), 'spread');
    const seeded = await runVotes(seededDir, 'spread');
    const burst = await runVotes(path.join(root, 'burst'), 'burst');
    return {
      'vote.http.p50_ms': round(percentile(empty.latencies, 50)),
      'vote.http.p99_ms': round(percentile(empty.latencies, 99)),
      'vote.http.20k.p50_ms': round(percentile(seeded.latencies, 50)),
      'vote.http.20k.p99_ms': round(percentile(seeded.latencies, 99)),
      'vote.http.p99_ratio_20k_outcomes': round(percentile(seeded.latencies, 99) / percentile(empty.latencies, 99)),
      'vote.http.burst.p50_ms': round(percentile(burst.latencies, 50)),
      'vote.http.burst.p99_ms': round(percentile(burst.latencies, 99)),
      'vote.lost': empty.lost + seeded.lost + burst.lost,
      'vote.doubled': empty.doubled + seeded.doubled + burst.doubled,
      'card.updates_per_200_votes': empty.cardUpdatesPerBurst,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
