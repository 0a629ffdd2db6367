/**
 * Scale-out: two Concord processes, as `npm start` runs them, share one PostgreSQL database
 * (DATABASE_URL) behind an imaginary load balancer that sends each request to either. 200 member
 * trusts vote at once, spread across both, with duplicates (the same vote sent to both) and retries
 * (the same invoke twice); then the chair's Close is pressed on both at the same moment.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startConcordProcess, type Started } from '../../src/cli/processes.js';
import { ALEX, cardAction, installed, invokeText, post, voteAcknowledged } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { cardOf, FakeConnector, textOf } from '../support/fake-connector.js';
import { freePort } from '../support/ports.js';
import { usePostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';

const newDatabase = usePostgres();
const MEMBERS = 200;
const SECRETARIAT = 'secretariat-chat';
const POSITIONS = ['support', 'object', 'abstain'] as const;
type Position = (typeof POSITIONS)[number];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Instance extends Started {
  url: string;
  /** What the process printed, for the failure message. */
  output: () => string;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const started = await startConcordProcess({ ...env, PORT: String(await freePort()) }, 'pipe');
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  started.child.stdout?.on('data', keep);
  started.child.stderr?.on('data', keep);
  cleanups.push(() => started.stop());
  return { ...started, output: () => output };
}

async function query<T extends Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}


describe('two instances on one PostgreSQL database', () => {
  it('200 votes spread over both, with duplicates and retries: each stored once; two closes: one outcome, posted once', async () => {
    const databaseUrl = await newDatabase();
    const connector = await new FakeConnector().start();
    cleanups.push(() => connector.stop());
    const dataDir = tempDir('scale');
    const env = {
      DATABASE_URL: databaseUrl,
      CONCORD_SECRETARIAT_CONVERSATION: SECRETARIAT,
      CONCORD_COLLABORATIVE_FILE: writeCollaborative(MEMBERS),
      // Set to show that it is not used: with DATABASE_URL, nothing is written here.
      CONCORD_DATA_DIR: path.join(dataDir, 'unused'),
      CONCORD_LOG_LEVEL: 'warn',
      CONCORD_RATE_LIMIT_PER_MINUTE: '10000',
      CONCORD_CARD_UPDATE_INTERVAL_MS: '50',
      // Longer than the outcome post below is held (until a third instance has started, however
      // slow the machine), so that post is not abandoned and retried.
      CONCORD_CONNECTOR_TIMEOUT_MS: '120000',
    };
    // Both start at once: both run the migrations, and the advisory lock lets one do it.
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    const instances = [a, b] as const;
    const diagnostics = () => `instance a:\n${a.output()}\ninstance b:\n${b.output()}`;

    // Concord is added to the secretariat's conversation: its reference is saved, a welcome is posted.
    expect((await post(a.url, installed(connector.url, { conversationId: SECRETARIAT }))).status).toBe(200);
    await connector.waitFor(() => connector.sent(SECRETARIAT).length === 1);

    const opened = await post(b.url, cardAction(connector.url, 'poll.open', { title: 'Shared elective hub', proposal: 'Agree the hub', category: '1', rule: 'majority' }, { replyToId: 'poll-card' }));
    expect(opened.status, diagnostics()).toBe(200);
    const [poll] = await query<{ id: string }>(databaseUrl, 'SELECT id FROM polls');
    const pollId = poll!.id;

    // Member n votes through instance n % 2. Every 5th also sends the same vote to the other
    // instance at once; every 7th sends the identical invoke twice; every 10th (n % 10 = 1)
    // changes its position afterwards, through the other instance.
    const lastAcknowledged = new Map<string, Position>();
    const refused: string[] = [];
    await Promise.all(Array.from({ length: MEMBERS }, async (_, index) => {
      const n = index + 1;
      const organisationId = `trust-${n}`;
      const home = instances[n % 2]!;
      const other = instances[(n + 1) % 2]!;
      const send = async (instance: Instance, position: Position, times = 1) => {
        const activity = cardAction(connector.url, 'poll.vote', { pollId, positionValue: position }, { from: representative(n), replyToId: 'poll-card' });
        const responses = await Promise.all(Array.from({ length: times }, () => post(instance.url, activity)));
        for (const response of responses) {
          if (voteAcknowledged(response)) lastAcknowledged.set(organisationId, position);
          else refused.push(`${organisationId}: ${response.status} ${invokeText(response)}`);
        }
      };
      const first = POSITIONS[n % 3]!;
      await Promise.all([
        send(home, first, n % 7 === 0 ? 2 : 1),
        ...(n % 5 === 0 ? [send(other, first)] : []),
      ]);
      if (n % 10 === 1) await send(other, POSITIONS[(n + 1) % 3]!);
    }));
    expect(refused, diagnostics()).toEqual([]);
    expect(lastAcknowledged.size).toBe(MEMBERS);
    expect(existsSync(path.join(dataDir, 'unused'))).toBe(false);

    // The tally is exact: one row per member, each holding its last acknowledged position.
    const stored = await query<{ organisation_id: string; position: Position }>(databaseUrl, 'SELECT organisation_id, position FROM votes WHERE poll_id = $1', [pollId]);
    expect(stored).toHaveLength(MEMBERS);
    expect(new Map(stored.map((row) => [row.organisation_id, row.position]))).toEqual(lastAcknowledged);
    // Each vote stored once: one vote.cast per member, one vote.changed per member that changed.
    const audit = await query<{ action: string; organisation: string; events: number }>(
      databaseUrl,
      `SELECT doc->>'action' AS action, doc->'detail'->>'organisationId' AS organisation, count(*)::int AS events
       FROM audit_events WHERE subject = $1 AND doc->>'action' IN ('vote.cast', 'vote.changed') GROUP BY 1, 2`,
      [pollId],
    );
    const casts = audit.filter((row) => row.action === 'vote.cast');
    expect(casts).toHaveLength(MEMBERS);
    expect(casts.every((row) => row.events === 1)).toBe(true);
    const changes = audit.filter((row) => row.action === 'vote.changed');
    expect(changes.map((row) => row.organisation).sort()).toEqual(
      Array.from({ length: MEMBERS }, (_, index) => index + 1).filter((n) => n % 10 === 1).map((n) => `trust-${n}`).sort(),
    );
    expect(changes.every((row) => row.events === 1)).toBe(true);

    // The chair presses Close on both instances at the same moment. Teams is slow to take the
    // outcome card, and meanwhile a third instance starts (a deploy) and finds the outcome pending.
    let release = () => {};
    connector.injectFor(SECRETARIAT, { until: new Promise<void>((resolve) => { release = resolve; }) });
    const closes = await Promise.all(instances.map((instance) => post(instance.url, cardAction(connector.url, 'poll.close', { pollId }, { from: ALEX, replyToId: 'poll-card' }))));
    expect(closes.map((response) => response.status), diagnostics()).toEqual([200, 200]);
    const startedDuringDelivery = await startInstance(env);
    expect(await query(databaseUrl, "SELECT doc->'delivery'->>'state' AS state FROM outcomes")).toEqual([{ state: 'pending' }]);
    release();

    const want = { support: 0, object: 0, abstain: 0 };
    for (const position of lastAcknowledged.values()) want[position] += 1;
    const outcomes = await query<{ id: string; counts: Record<string, number> }>(databaseUrl, "SELECT id, doc->'counts' AS counts FROM outcomes WHERE poll_id = $1", [pollId]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.counts).toEqual({ ...want, notVoted: 0 });
    expect(await query(databaseUrl, 'SELECT status FROM polls WHERE id = $1', [pollId])).toEqual([{ status: 'closed' }]);
    expect(await query(databaseUrl, "SELECT count(*)::int AS closes FROM audit_events WHERE subject = $1 AND action = 'poll.closed'", [pollId])).toEqual([{ closes: 1 }]);

    // Exactly one outcome card reaches the secretariat (after the welcome), and stays one.
    // Counted once the slow post has been accepted, and again after a short settle.
    await expect.poll(async () => (await query<{ state: string }>(databaseUrl, "SELECT doc->'delivery'->>'state' AS state FROM outcomes"))[0]?.state, { timeout: 15_000, interval: 200 }).toBe('posted');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const posted = connector.sent(SECRETARIAT);
    expect(posted, startedDuringDelivery.output()).toHaveLength(2);
    expect(textOf(cardOf(posted[1]))).toContain('Shared elective hub');
  }, 120_000);
});
