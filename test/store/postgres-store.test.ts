import path from 'node:path';
import { Client, Pool } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { migrate, readMigrations } from '../../src/store/postgres/migrate.js';
import { describeDatabase, openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { StoreOpenError } from '../../src/store/store.js';
import { findPostgresBinaries, usePostgres } from '../support/postgres.js';
import { aFeedback, anAgenda, anAuditEvent, anOutcome, aPoll, aQuestion, aVote, CHAIR } from './builders.js';
import { storeContract } from './contract.js';
import { tempDir } from '../support/temp-dir.js';

const newDatabase = usePostgres();

// Every contract test gets a database of its own (CREATE DATABASE ... TEMPLATE template0: ~40 ms).
storeContract('postgres', async () => openPostgresStore({ connectionString: await newDatabase() }), {
  newPlace: newDatabase,
  open: (connectionString) => openPostgresStore({ connectionString }),
});

/** Stores opened by a test, closed after it (the contract's factory stores are closed by the contract). */
const opened: PostgresStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
async function open(connectionString: string): Promise<PostgresStore> {
  const store = await openPostgresStore({ connectionString });
  opened.push(store);
  return store;
}

async function sql<T extends Record<string, unknown>>(connectionString: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('the PostgreSQL test server', () => {
  it('without PostgreSQL installed, these tests fail and say how to install it (they are never skipped)', () => {
    expect(() => findPostgresBinaries('/nonexistent/postgresql')).toThrow('run `bash test/support/install-postgres.sh`');
    expect(findPostgresBinaries()).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
  });
});

describe('PostgreSQL store: migrations', () => {
  it('two instances starting at once: one migrates, the other finds the schema ready', async () => {
    const url = await newDatabase();
    const [first, second] = await Promise.all([open(url), open(url)]);
    expect(first.schemaVersion).toBe(second.schemaVersion);
    const applied = await sql<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((row) => row.version)).toEqual((await readMigrations()).map((migration) => migration.version));
  });

  it('refuses a database migrated by a newer Concord, and says so', async () => {
    const url = await newDatabase();
    await (await open(url)).close();
    await sql(url, "INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')");
    await expect(openPostgresStore({ connectionString: url })).rejects.toThrow(/schema version 999, newer than this Concord knows/);
  });

  it('a failing migration changes nothing: the database stays at the version it was', async () => {
    const url = await newDatabase();
    const store = await open(url);
    const pool = new Pool({ connectionString: url, max: 1 });
    const broken = [...(await readMigrations()), { version: 900, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' }];
    await expect(migrate(pool, undefined, broken)).rejects.toThrow(/no_such_function/);
    await pool.end();
    expect(await sql(url, "SELECT to_regclass('half_done') AS present")).toEqual([{ present: null }]);
    expect(await sql(url, 'SELECT version FROM schema_migrations WHERE version = 900')).toEqual([]);
    expect(store.state()).toBe('ready');
  });

  it('migration 003 gives polls from before decision references theirs, and their outcomes too (issue 15)', async () => {
    const url = await newDatabase();
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await migrate(pool, undefined, (await readMigrations()).filter((migration) => migration.version < 3));
      for (const [id, openedAt] of [['old-b', '2025-06-01T10:00:00.000Z'], ['old-a', '2025-03-01T10:00:00.000Z']] as const) {
        const poll = aPoll({ id, openedAt, status: 'closed' });
        await pool.query('INSERT INTO polls (id, status, opened_at, doc) VALUES ($1, $2, $3, $4::jsonb)', [id, 'closed', openedAt, JSON.stringify(poll)]);
        const outcome = anOutcome(id, { id: `outcome-${id}`, reference: id });
        await pool.query('INSERT INTO outcomes (id, poll_id, closed_at, search_text, doc) VALUES ($1, $2, $3, $4, $5::jsonb)', [outcome.id, id, outcome.closedAt, id, JSON.stringify(outcome)]);
      }
    } finally {
      await pool.end();
    }
    const store = await open(url);
    expect(Object.fromEntries((await store.listOutcomes()).map((outcome) => [outcome.pollId, outcome.reference]))).toEqual({ 'old-a': 'D-2025-001', 'old-b': 'D-2025-002' });
    expect((await store.listOutcomes({ text: 'd-2025-002' })).map((outcome) => outcome.pollId)).toEqual(['old-b']);
    await store.createPoll(aPoll({ id: 'new', openedAt: '2025-07-01T10:00:00.000Z' }));
    expect((await store.getPoll('new'))?.reference).toBe('D-2025-003');
  });

  it('a database it cannot reach stops the start with a StoreOpenError that hides the password', async () => {
    const attempt = openPostgresStore({ connectionString: 'postgres://concord:secret@127.0.0.1:1/concord' });
    await expect(attempt).rejects.toBeInstanceOf(StoreOpenError);
    await expect(attempt).rejects.not.toThrow(/secret/);
    expect(describeDatabase('postgres://concord:secret@db.example:5432/concord')).toBe('postgres://concord@db.example:5432/concord');
  });
});

describe('PostgreSQL store: several instances on one database', () => {
  it('votes from two instances at once, with retries, and a close racing them: every acknowledged vote is in, none after the close', async () => {
    const url = await newDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    await a.createPoll(aPoll({ membersInScope: ['org-a'] }));
    const organisations = Array.from({ length: 120 }, (_, index) => `org-${String(index).padStart(3, '0')}`);
    const batches = organisations.map((organisation, index) => {
      const vote = aVote('poll-1', organisation, index % 2 ? 'support' : 'object');
      // The same vote to both instances (a duplicate), and to one of them twice (a retry).
      return Promise.all([a.recordVotes('poll-1', [vote]), b.recordVotes('poll-1', [vote]), b.recordVotes('poll-1', [vote])]);
    });
    const closes = [
      a.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome('poll-1', { id: 'by-a' })),
      b.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome('poll-1', { id: 'by-b' })),
    ];
    const results = await Promise.all(batches);
    const closed = await Promise.all(closes);
    expect(closed.filter((poll) => poll !== undefined)).toHaveLength(1);
    const acknowledged = organisations.filter((_, index) => results[index]!.some((result) => result.recorded));
    const stored = (await a.votes('poll-1')).map((vote) => vote.organisationId);
    expect(stored).toEqual(acknowledged);
    expect(await sql(url, 'SELECT count(*)::int AS outcomes FROM outcomes')).toEqual([{ outcomes: 1 }]);
  });

  it('a lease held through one instance is refused to another until it expires', async () => {
    const url = await newDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    const now = new Date('2025-03-01T10:00:00.000Z');
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => a.acquireLease('deadline-closer', 'instance-a', 15_000, now)),
      ...Array.from({ length: 5 }, () => b.acquireLease('deadline-closer', 'instance-b', 15_000, now)),
    ]);
    const winners = new Set(results.map((granted, index) => (granted ? (index < 5 ? 'a' : 'b') : undefined)).filter(Boolean));
    expect(winners.size).toBe(1);
    const loser = winners.has('a') ? b : a;
    const loserId = winners.has('a') ? 'instance-b' : 'instance-a';
    expect(await loser.acquireLease('deadline-closer', loserId, 15_000, new Date(now.getTime() + 14_999))).toBe(false);
    expect(await loser.acquireLease('deadline-closer', loserId, 15_000, new Date(now.getTime() + 15_000))).toBe(true);
  });

  it('the audit trail cannot be changed, even with direct SQL', async () => {
    const url = await newDatabase();
    const store = await open(url);
    await store.appendAudit(anAuditEvent('poll-1'));
    await expect(sql(url, "UPDATE audit_events SET subject = 'other'")).rejects.toThrow(/append-only/);
    await expect(sql(url, 'DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    expect(await store.readAudit()).toEqual([anAuditEvent('poll-1')]);
  });

  it('refuses a row that does not match its schema, naming it', async () => {
    const url = await newDatabase();
    const store = await open(url);
    await store.createPoll(aPoll());
    await sql(url, `UPDATE polls SET doc = doc - 'title'`);
    await expect(store.getPoll('poll-1')).rejects.toThrow(/polls row poll-1 does not match its schema/);
  });
});

describe('PostgreSQL store: backup', () => {
  it('writes the embedded layout: the backup opens as a lowdb store holding everything', async () => {
    const store = await open(await newDatabase());
    await store.createPoll(aPoll());
    await store.createPoll(aPoll({ id: 'poll-2', openedAt: '2025-03-02T10:00:00.000Z' }));
    await store.recordVotes('poll-1', [aVote('poll-1', 'org-b'), aVote('poll-1', 'org-a', 'object')]);
    await store.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome('poll-1'));
    await store.putAgenda(anAgenda('agenda-1', 1));
    await store.saveConversation({ conversationId: 'c1', reference: { serviceUrl: 'https://smba' }, savedAt: '2025-03-01T09:00:00.000Z' });
    await store.appendAudit(anAuditEvent('poll-1'), anAuditEvent('poll-2'));
    await store.logQuestion(aQuestion('q1'));
    await store.recordFeedback(aFeedback('q1'));
    const directory = path.join(tempDir('store'), 'backup');
    const files = await store.backup(directory);
    expect(files).toContain(path.join(directory, 'concord.json'));
    await expect(store.backup(directory)).rejects.toThrow(/not empty/);

    const restored = await openFileStore({ dataDir: directory });
    try {
      expect(await restored.listPolls()).toEqual(await store.listPolls());
      expect(await restored.votes('poll-1')).toEqual(await store.votes('poll-1'));
      expect(await restored.getOutcomeByPoll('poll-1')).toEqual(anOutcome('poll-1'));
      expect(await restored.getAgenda('agenda-1')).toEqual(anAgenda('agenda-1', 1));
      expect(await restored.getConversation('c1')).toEqual(await store.getConversation('c1'));
      expect(await restored.readAudit()).toEqual([anAuditEvent('poll-1'), anAuditEvent('poll-2')]);
      expect(await restored.listQuestions()).toEqual([aQuestion('q1')]);
      expect(await restored.listFeedback()).toEqual([aFeedback('q1')]);
    } finally {
      await restored.close();
    }
  });
});
