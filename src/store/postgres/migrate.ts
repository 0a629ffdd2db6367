/**
 * Schema migrations: plain SQL files in ./migrations named `NNN_description.sql`, applied in
 * order, each once, recorded in `schema_migrations`. Every instance runs this on start; all of it
 * happens in one transaction that first takes a transaction-level advisory lock, so when several
 * instances start at once one migrates and the others wait, then find nothing left to do. A
 * failed migration rolls back whole: the database is left at the version it was.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { StoreOpenError } from '../store.js';
import { inTransaction } from './sql.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d+)_([a-z0-9_]+)\.sql$/;
/** Any fixed 64-bit number: the advisory lock's key for "Concord is migrating this database". */
const MIGRATION_LOCK_KEY = '7260436021573189';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function readMigrations(directory: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(directory)).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: await readFile(new URL(file, directory), 'utf8') });
  }
  const versions = migrations.map((migration) => migration.version);
  if (new Set(versions).size !== versions.length) throw new Error(`two migrations share a version number in ${directory.pathname}`);
  return migrations.sort((a, b) => a.version - b.version);
}

/** Brings the database up to the newest schema; returns the versions it applied (none when already there). */
export async function migrate(pool: Pool, logger?: Logger, migrations?: Migration[]): Promise<{ applied: number[]; version: number }> {
  const known = migrations ?? (await readMigrations());
  const newest = known.at(-1)?.version ?? 0;
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     integer PRIMARY KEY,
      name        text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    const ahead = [...done].filter((version) => version > newest);
    if (ahead.length > 0) {
      // A newer Concord has migrated this database; this one does not know those tables' rules.
      throw new StoreOpenError(`the database has schema version ${Math.max(...ahead)}, newer than this Concord knows (${newest}): run the newer Concord`);
    }
    const applied: number[] = [];
    for (const migration of known) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
      logger?.info({ version: migration.version, name: migration.name }, 'applied database migration');
    }
    return { applied, version: newest };
  });
}
