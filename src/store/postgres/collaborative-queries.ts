/**
 * Collaboratives and their bindings in PostgreSQL (issue 19), with the embedded store's rules: a
 * version is inserted only as the current version + 1, and lands in the same transaction as its
 * audit event.
 */
import type { Pool } from 'pg';
import { admit } from '../copy.js';
import { collaborativeBound, collaborativeChanged } from '../store-engine.js';
import { ConflictError } from '../store.js';
import { Binding, CollaborativeVersion, DEFAULT_BINDING } from '../../membership/model.js';
import { appendAudit } from './record-queries.js';
import { inTransaction, isUniqueViolation, json, parseDocs, parseRow, type DocRow, type Queryable } from './sql.js';

export async function saveCollaborativeVersion(pool: Pool, version: CollaborativeVersion): Promise<void> {
  const admitted = admit(CollaborativeVersion, version);
  try {
    await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ current: number | null }>(
        'SELECT max(version) AS current FROM collaborative_versions WHERE collaborative_id = $1', [admitted.collaborativeId]);
      const current = rows[0]?.current ?? 0;
      if (admitted.version !== current + 1) throw conflict(admitted, current);
      // Two writers that both read N race to insert N + 1: the primary key lets one in.
      await client.query('INSERT INTO collaborative_versions (collaborative_id, version, doc) VALUES ($1, $2, $3::jsonb)',
        [admitted.collaborativeId, admitted.version, json(admitted)]);
      await appendAudit(client, [collaborativeChanged(admitted)]);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(admitted, admitted.version);
    throw error;
  }
}

const conflict = (version: CollaborativeVersion, current: number): ConflictError =>
  new ConflictError(`collaborative ${version.collaborativeId} is at version ${current}, so version ${version.version} cannot follow it: someone changed it first`);

export async function getCollaborative(db: Queryable, collaborativeId: string): Promise<CollaborativeVersion | undefined> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM collaborative_versions WHERE collaborative_id = $1 ORDER BY version DESC LIMIT 1', [collaborativeId]);
  return rows[0] && parseRow(CollaborativeVersion, rows[0].doc, `collaborative_versions row ${collaborativeId}`);
}

export async function collaborativeHistory(db: Queryable, collaborativeId: string): Promise<CollaborativeVersion[]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM collaborative_versions WHERE collaborative_id = $1 ORDER BY version', [collaborativeId]);
  return parseDocs(CollaborativeVersion, rows, 'collaborative_versions row');
}

export async function listCollaboratives(db: Queryable): Promise<CollaborativeVersion[]> {
  const { rows } = await db.query<DocRow>(
    `SELECT doc FROM (SELECT DISTINCT ON (collaborative_id) collaborative_id, doc FROM collaborative_versions ORDER BY collaborative_id, version DESC) AS current
     ORDER BY collaborative_id COLLATE "C"`);
  return parseDocs(CollaborativeVersion, rows, 'collaborative_versions row');
}

export async function bindConversation(pool: Pool, binding: Binding): Promise<void> {
  const admitted = admit(Binding, binding);
  await inTransaction(pool, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM collaborative_versions WHERE collaborative_id = $1 LIMIT 1', [admitted.collaborativeId]);
    if (rowCount === 0) throw new Error(`cannot bind ${admitted.conversationId}: there is no collaborative ${admitted.collaborativeId}`);
    await client.query(
      `INSERT INTO collaborative_bindings (conversation_id, collaborative_id, doc) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (conversation_id) DO UPDATE SET collaborative_id = EXCLUDED.collaborative_id, doc = EXCLUDED.doc`,
      [admitted.conversationId, admitted.collaborativeId, json(admitted)]);
    await appendAudit(client, [collaborativeBound(admitted)]);
  });
}

export async function collaborativeFor(db: Queryable, conversationId: string): Promise<CollaborativeVersion | undefined> {
  // The conversation's own binding sorts before the default ('*' only when it has none).
  const { rows } = await db.query<{ collaborative_id: string }>(
    `SELECT collaborative_id FROM collaborative_bindings WHERE conversation_id IN ($1, $2)
     ORDER BY (conversation_id = $2) LIMIT 1`, [conversationId, DEFAULT_BINDING]);
  return rows[0] && getCollaborative(db, rows[0].collaborative_id);
}

export async function listBindings(db: Queryable): Promise<Binding[]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM collaborative_bindings ORDER BY conversation_id COLLATE "C"');
  return parseDocs(Binding, rows, 'collaborative_bindings row');
}
