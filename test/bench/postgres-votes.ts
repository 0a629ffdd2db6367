/**
 * Votes through /api/messages on Concord scaled out: two processes (as `npm start` runs them) on one
 * PostgreSQL database, a fake Bot Connector, 200 representatives voting with the arrivals of
 * votes.ts's 'spread' mode (one every 5 ms, 200 within a second), alternating between the two
 * instances as a round-robin load balancer would; three measured rounds after a warm-up, each
 * changing every position. The server is a throwaway local cluster with durable commits (fsync on),
 * as in production.
 *
 * - `vote.pg.2x.p50_ms`, `vote.pg.2x.p99_ms`: latency of one vote, request to acknowledged reply.
 * - `vote.pg.lost`: acknowledged positions not in the database at the end.
 * - `vote.pg.doubled`: extra rows or extra `vote.cast` audit events for one organisation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startConcordProcess, type Started } from '../../src/cli/processes.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { ALEX, cardAction, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { FakeConnector, textOf } from '../support/fake-connector.js';
import { freePort } from '../support/ports.js';
import { startPostgres } from '../support/postgres.js';
import { percentile, round } from './stats.js';

const VOTERS = 200;
const ROUNDS = 3;
const WARM_UP_ROUNDS = 1;
const SPREAD_INTERVAL_MS = 5;
const POSITIONS = ['support', 'object', 'abstain'] as const;

export async function benchPostgresVotes(): Promise<Record<string, number>> {
  const cluster = await startPostgres({ durable: true });
  const root = await mkdtemp(path.join(os.tmpdir(), 'concord-bench-pg-'));
  const connector = await new FakeConnector().start();
  const instances: (Started & { url: string })[] = [];
  try {
    const databaseUrl = await cluster.createDatabase();
    const env = {
      DATABASE_URL: databaseUrl,
      CONCORD_COLLABORATIVE_FILE: writeCollaborative(VOTERS),
      CONCORD_DATA_DIR: path.join(root, 'unused'),
      CONCORD_LOG_LEVEL: 'warn',
      CONCORD_RATE_LIMIT_PER_MINUTE: '10000',
    };
    for (const started of await Promise.all([0, 1].map(async () => startConcordProcess({ ...env, PORT: String(await freePort()) }, 'ignore')))) {
      instances.push(started);
    }
    const [a] = instances;
    await post(a!.url, cardAction(connector.url, 'poll.open', { title: 'Bench poll', proposal: 'P', category: '1', rule: 'majority' }, { from: ALEX, replyToId: 'bench-card' }));

    const reader = await openPostgresStore({ connectionString: databaseUrl, poolSize: 2 });
    try {
      const poll = (await reader.listPolls({ status: 'open' })).find((candidate) => candidate.title === 'Bench poll');
      if (!poll) throw new Error('bench poll did not open');

      const latencies: number[] = [];
      const acknowledged = new Map<string, string>();
      for (let roundIndex = 0; roundIndex < WARM_UP_ROUNDS + ROUNDS; roundIndex += 1) {
        const measured = roundIndex >= WARM_UP_ROUNDS;
        const roundStart = performance.now();
        await Promise.all(Array.from({ length: VOTERS }, async (_, index) => {
          const due = roundStart + index * SPREAD_INTERVAL_MS;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          const position = POSITIONS[(index + roundIndex) % POSITIONS.length]!;
          const body = cardAction(connector.url, 'poll.vote', { pollId: poll.id, positionValue: position }, { from: representative(index + 1), replyToId: 'bench-card' });
          const startedAt = performance.now();
          const response = await post(instances[index % instances.length]!.url, body);
          if (measured) latencies.push(performance.now() - startedAt);
          const note = textOf((response.body as { value?: unknown } | undefined)?.value);
          if (response.status === 200 && /^(Recorded|Changed):/m.test(note)) acknowledged.set(`trust-${index + 1}`, position);
        }));
      }

      const votes = await reader.votes(poll.id);
      const lost = VOTERS - [...acknowledged].filter(([organisationId, position]) => votes.find((vote) => vote.organisationId === organisationId)?.position === position).length;
      const castsPerMember = new Map<string, number>();
      for (const event of await reader.readAudit({ subject: poll.id })) {
        if (event.action !== 'vote.cast') continue;
        const organisationId = String(event.detail.organisationId);
        castsPerMember.set(organisationId, (castsPerMember.get(organisationId) ?? 0) + 1);
      }
      const doubled = (votes.length - new Set(votes.map((vote) => vote.organisationId)).size)
        + [...castsPerMember.values()].reduce((extra, count) => extra + Math.max(0, count - 1), 0);
      return {
        'vote.pg.2x.p50_ms': round(percentile(latencies, 50)),
        'vote.pg.2x.p99_ms': round(percentile(latencies, 99)),
        'vote.pg.lost': lost,
        'vote.pg.doubled': doubled,
      };
    } finally {
      await reader.close();
    }
  } finally {
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    await connector.stop();
    await cluster.stop();
    await rm(root, { recursive: true, force: true });
  }
}
