/**
 * The decision register in PostgreSQL. Outcomes are inserted only by transitionPoll (with the close)
 * and changed only by updateOutcome, which locks the row for its read-modify-write so concurrent
 * updates from several instances never lose one another's actions or delivery state.
 */
import type { Pool, PoolClient } from 'pg';
import { Outcome } from '../../decisions/outcome.js';
import { admit } from '../copy.js';
import { checkQuery, queryWords, searchableText } from '../outcome-query.js';
import type { OutcomeQuery } from '../store.js';
import { inTransaction, json, parseDocs, parseRow, type DocRow, type Queryable } from './sql.js';

export async function insertOutcome(client: PoolClient, outcome: Outcome): Promise<void> {
  await client.query(
    'INSERT INTO outcomes (id, poll_id, closed_at, search_text, doc) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [outcome.id, outcome.pollId, outcome.closedAt, searchableText(outcome), json(outcome)],
  );
}

export async function getOutcome(db: Queryable, id: string): Promise<Outcome | undefined> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM outcomes WHERE id = $1', [id]);
  return rows[0] && parseRow(Outcome, rows[0].doc, `outcomes row ${id}`);
}

/** The latest outcome recorded for the poll (a reopened and re-closed poll has several). */
export async function getOutcomeByPoll(pool: Pool, pollId: string): Promise<Outcome | undefined> {
  const { rows } = await pool.query<DocRow>('SELECT doc FROM outcomes WHERE poll_id = $1 ORDER BY seq DESC LIMIT 1', [pollId]);
  return rows[0] && parseRow(Outcome, rows[0].doc, `outcomes row of poll ${pollId}`);
}

/**
 * The same search as the embedded store (outcome-query.ts), done by the database: inclusive dates
 * on closedAt's calendar day, every word somewhere in the lowercased reference, title, proposal or
 * meeting (a LIKE on `search_text`, which holds exactly the text the embedded search looks in; a
 * sequential scan is a few milliseconds at 20,000 outcomes, and a pg_trgm index would serve a
 * register far larger), newest first, at most `limit`.
 */
export async function listOutcomes(pool: Pool, query: OutcomeQuery = {}): Promise<Outcome[]> {
  const { where, parameters } = outcomeFilter(query);
  const { rows } = await pool.query<DocRow>(
    `SELECT o.doc FROM outcomes o ${where} ORDER BY o.closed_at DESC, o.id DESC LIMIT $${parameters.length + 1}`,
    [...parameters, query.limit ?? null],
  );
  return parseDocs(Outcome, rows, 'outcomes row');
}

export async function countOutcomes(pool: Pool, query: Omit<OutcomeQuery, 'limit'> = {}): Promise<number> {
  const { where, parameters } = outcomeFilter(query);
  const { rows } = await pool.query<{ total: string }>(`SELECT count(*) AS total FROM outcomes o ${where}`, parameters);
  return Number(rows[0]?.total ?? 0);
}

/** The register search's WHERE clause; a collaborative scope joins the poll, whose document names its collaborative. */
function outcomeFilter(query: OutcomeQuery): { where: string; parameters: unknown[] } {
  checkQuery(query);
  const patterns = queryWords(query).map((word) => `%${word.replace(/[\\%_]/g, (special) => `\\${special}`)}%`);
  const scope = query.collaboratives;
  return {
    where: `${scope ? 'JOIN polls p ON p.id = o.poll_id' : ''}
     WHERE ($1::text IS NULL OR left(o.closed_at, 10) >= $1)
       AND ($2::text IS NULL OR left(o.closed_at, 10) <= $2)
       AND o.search_text LIKE ALL ($3::text[])
       AND ($4::text IS NULL OR o.doc->'delivery'->>'state' = $4)
       AND (NOT $5::boolean OR o.doc ? 'gateway')
       ${scope ? 'AND coalesce(p.doc->>\'collaborativeId\', $7::text) = ANY ($6::text[])' : ''}`,
    parameters: [
      query.from ?? null, query.to ?? null, patterns, query.delivery ?? null, query.gateway === true,
      ...(scope ? [[...scope.ids], scope.defaultId ?? null] : []),
    ],
  };
}

export async function updateOutcome(pool: Pool, id: string, update: (outcome: Outcome) => Outcome): Promise<Outcome | undefined> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<DocRow>('SELECT doc FROM outcomes WHERE id = $1 FOR UPDATE', [id]);
    if (!rows[0]) return undefined;
    const outcome = parseRow(Outcome, rows[0].doc, `outcomes row ${id}`);
    const updated = admit(Outcome, update(outcome));
    if (updated.id !== outcome.id || updated.pollId !== outcome.pollId) throw new Error(`updating outcome ${id} may not change its id or poll`);
    await client.query(
      'UPDATE outcomes SET closed_at = $2, search_text = $3, doc = $4::jsonb WHERE id = $1 AND doc IS DISTINCT FROM $4::jsonb',
      [id, updated.closedAt, searchableText(updated), json(updated)],
    );
    return updated;
  });
}

/** Every outcome of the given polls, oldest first per poll: for a backup's poll records. */
export async function outcomesByPoll(client: PoolClient): Promise<Map<string, Outcome[]>> {
  const { rows } = await client.query<DocRow>('SELECT doc FROM outcomes ORDER BY poll_id, seq');
  const byPoll = new Map<string, Outcome[]>();
  for (const outcome of parseDocs(Outcome, rows, 'outcomes row')) {
    byPoll.set(outcome.pollId, [...(byPoll.get(outcome.pollId) ?? []), outcome]);
  }
  return byPoll;
}
