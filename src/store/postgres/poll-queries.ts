/**
 * Polls and votes in PostgreSQL. Every write that depends on a poll's status first locks the poll's
 * row (SELECT ... FOR UPDATE), so on one poll the votes, the close and a reopening are applied one
 * after another across every instance, as the embedded store's write queue does within one process:
 * a vote lands before a close or not at all, and of two closers exactly one finds the poll open.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Pool, PoolClient } from 'pg';
import { decisionReference, Poll, Vote, type PollStatus } from '../../decisions/model.js';
import { Outcome } from '../../decisions/outcome.js';
import { admit } from '../copy.js';
import { pickKeys, withDeclaration } from '../store-engine.js';
import { Declaration } from '../../decisions/declaration.js';
import { AuditEvent, ConflictError, type PollFilter, type Store, type VoteAudit } from '../store.js';
import { insertOutcome } from './outcome-queries.js';
import { appendAudit } from './record-queries.js';
import { inTransaction, isUniqueViolation, json, parseDocs, parseRow, type DocRow, type Queryable } from './sql.js';

type PollChange = Parameters<Store['updatePoll']>[1];
type TransitionChange = Parameters<Store['transitionPoll']>[3];
type RecordVotesResult = Awaited<ReturnType<Store['recordVotes']>>;

interface PollRow extends DocRow {
  status: PollStatus;
}

interface VoteRow extends DocRow {
  organisation_id: string;
}

export async function createPoll(pool: Pool, poll: Poll, audit: readonly AuditEvent[] = []): Promise<void> {
  const admitted = admit(Poll, poll);
  const events = audit.map((event) => admit(AuditEvent, event));
  // The poll and its poll.opened event commit together, or neither does.
  const created = await inTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO polls (id, status, opened_at, doc) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [admitted.id, admitted.status, admitted.openedAt, json(admitted)],
    );
    if (inserted.rowCount !== 1) return false;
    if (admitted.agenda === undefined && admitted.reference === undefined) {
      // The next number for the year, in this transaction: the counter row's lock orders instances.
      const year = admitted.openedAt.slice(0, 4);
      const { rows } = await client.query<{ last: number }>(
        `INSERT INTO decision_references (year, last) VALUES ($1, 1)
         ON CONFLICT (year) DO UPDATE SET last = decision_references.last + 1 RETURNING last`,
        [year],
      );
      const poll = { ...admitted, reference: decisionReference(year, rows[0]!.last) };
      await client.query('UPDATE polls SET doc = $2::jsonb WHERE id = $1', [admitted.id, json(poll)]);
    }
    await appendAudit(client, events);
    return true;
  });
  if (created) return;
  // A retried "open poll" is the same poll again (less the reference given it): nothing to do.
  // Anything else would overwrite a record.
  const existing = await getPoll(pool, admitted.id);
  const { reference: _given, ...rest } = existing ?? {};
  if (existing && isDeepStrictEqual(admitted.reference === undefined ? rest : existing, admitted)) return;
  throw new ConflictError(`a different poll already has id ${admitted.id}`);
}

export async function getPoll(db: Queryable, id: string): Promise<Poll | undefined> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM polls WHERE id = $1', [id]);
  return rows[0] && parseRow(Poll, rows[0].doc, `polls row ${id}`);
}

export async function listPolls(pool: Pool, filter: PollFilter): Promise<Poll[]> {
  const { rows } = await pool.query<DocRow>(
    `SELECT doc FROM polls WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR doc->'agenda'->>'agendaId' = $2)
       AND ($3::text IS NULL OR left(opened_at, 10) = $3)
     ORDER BY opened_at, id`,
    [filter.status ?? null, filter.agendaId ?? null, filter.openedOn ?? null],
  );
  return parseDocs(Poll, rows, 'polls row');
}

export async function updatePoll(pool: Pool, id: string, change: PollChange): Promise<Poll | undefined> {
  const allowed = pickKeys(change, ['activityId', 'closesAt']);
  return inTransaction(pool, async (client) => {
    const current = await lockPoll(client, id);
    if (!current) return undefined;
    const poll = admit(Poll, { ...current.poll, ...allowed });
    if (!isDeepStrictEqual(poll, current.poll)) await client.query('UPDATE polls SET doc = $2::jsonb WHERE id = $1', [id, json(poll)]);
    return poll;
  });
}

export async function recordDeclaration(pool: Pool, pollId: string, declaration: Declaration): Promise<Poll | undefined> {
  const admitted = admit(Declaration, declaration);
  return inTransaction(pool, async (client) => {
    const current = await lockPoll(client, pollId);
    if (!current || current.status !== 'open') return undefined;
    const poll = admit(Poll, { ...current.poll, declarations: withDeclaration(current.poll.declarations, admitted) });
    if (!isDeepStrictEqual(poll, current.poll)) await client.query('UPDATE polls SET doc = $2::jsonb WHERE id = $1', [pollId, json(poll)]);
    return poll;
  });
}

export async function transitionPoll(
  pool: Pool,
  id: string,
  from: PollStatus,
  to: PollStatus,
  change: TransitionChange,
  outcome?: Outcome,
  audit: readonly AuditEvent[] = [],
): Promise<Poll | undefined> {
  const allowed = pickKeys(change, ['closedBy', 'closedAt', 'reopenings']);
  const admittedOutcome = outcome && admit(Outcome, outcome);
  const events = audit.map((event) => admit(AuditEvent, event));
  // Caller bugs are refused before anything is sent.
  if (admittedOutcome && to !== 'closed') throw new Error(`an outcome can only be recorded when closing poll ${id}`);
  if (admittedOutcome && admittedOutcome.pollId !== id) {
    throw new Error(`outcome ${admittedOutcome.id} is for poll ${admittedOutcome.pollId}, not ${id}`);
  }
  return inTransaction(pool, async (client) => {
    const current = await lockPoll(client, id);
    // The conditional write (STYLE §4): whoever finds the poll still in `from` moves it; everyone else gets undefined.
    if (!current || current.status !== from) return undefined;
    const poll = admit(Poll, { ...current.poll, ...allowed, status: to });
    const updated = await client.query(
      'UPDATE polls SET status = $3, doc = $4::jsonb WHERE id = $1 AND status = $2 RETURNING id',
      [id, from, to, json(poll)],
    );
    if (updated.rowCount !== 1) return undefined;
    if (admittedOutcome) {
      try {
        // Same transaction: a closed poll always has its outcome, and a refused outcome leaves the poll open.
        await insertOutcome(client, admittedOutcome);
      } catch (error) {
        if (isUniqueViolation(error, 'outcomes_pkey')) throw new ConflictError(`outcome id ${admittedOutcome.id} is already in the register`);
        throw error;
      }
    }
    // Same transaction again: the close (or reopening) and its audit events commit together.
    await appendAudit(client, events);
    return poll;
  });
}

/** Group-committed votes on one poll, only while it is open: the status check and the write share one lock. */
export async function recordVotes(pool: Pool, pollId: string, votes: readonly Vote[], audit?: VoteAudit): Promise<RecordVotesResult> {
  const admitted = votes.map((vote) => admit(Vote, vote));
  const stray = admitted.find((vote) => vote.pollId !== pollId);
  if (stray) throw new Error(`vote for ${stray.organisationId} names poll ${stray.pollId}, not ${pollId}`);
  return inTransaction(pool, async (client) => {
    const current = await lockPoll(client, pollId);
    if (!current) throw new Error(`cannot record votes: there is no poll ${pollId}`);
    // Conditional, like the close: a vote is only ever recorded on a poll that is still open.
    if (current.status !== 'open') return { recorded: false, status: current.status };
    const previous = await writeVotes(client, pollId, admitted);
    // In the votes' transaction: a vote on record always has its event.
    await appendAudit(client, audit?.(previous) ?? []);
    return { recorded: true, previous };
  });
}

export async function listVotes(db: Queryable, pollId: string): Promise<Vote[]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM votes WHERE poll_id = $1 ORDER BY organisation_id', [pollId]);
  return parseDocs(Vote, rows, `votes row of poll ${pollId}`);
}

/** Locks the poll's row for the rest of the transaction; undefined when there is no such poll. */
async function lockPoll(client: PoolClient, id: string): Promise<{ status: PollStatus; poll: Poll } | undefined> {
  const { rows } = await client.query<PollRow>('SELECT status, doc FROM polls WHERE id = $1 FOR UPDATE', [id]);
  const row = rows[0];
  return row && { status: row.status, poll: parseRow(Poll, row.doc, `polls row ${id}`) };
}

/**
 * Writes each organisation's last vote in the list, with the poll's row locked by the caller, and
 * returns for each vote in order the record it replaced (a vote earlier in the same list counts).
 * One statement: the CTE `old` reads the rows as they were before the upsert (all parts of a
 * statement share one snapshot), and `written` runs to completion though nothing reads it. A row
 * identical to the vote is left untouched, so a retried invoke writes nothing.
 */
async function writeVotes(client: PoolClient, pollId: string, votes: readonly Vote[]): Promise<(Vote | undefined)[]> {
  const last = new Map<string, Vote>();
  for (const vote of votes) last.set(vote.organisationId, vote);
  const finals = [...last.values()].sort((a, b) => (a.organisationId < b.organisationId ? -1 : 1));
  const { rows } = await client.query<VoteRow>(
    `WITH incoming AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS t(organisation_id, position, doc)
     ), old AS (
       SELECT v.organisation_id, v.doc FROM votes v JOIN incoming i USING (organisation_id) WHERE v.poll_id = $1
     ), written AS (
       INSERT INTO votes (poll_id, organisation_id, position, doc)
       SELECT $1, organisation_id, position, doc FROM incoming ORDER BY organisation_id
       ON CONFLICT (poll_id, organisation_id) DO UPDATE SET position = EXCLUDED.position, doc = EXCLUDED.doc
         WHERE votes.doc IS DISTINCT FROM EXCLUDED.doc
       RETURNING organisation_id
     )
     SELECT organisation_id, doc FROM old`,
    [pollId, finals.map((vote) => vote.organisationId), finals.map((vote) => vote.position), finals.map(json)],
  );
  const current = new Map(rows.map((row) => [row.organisation_id, parseRow(Vote, row.doc, `votes row ${pollId}/${row.organisation_id}`)]));
  return votes.map((vote) => {
    const previous = current.get(vote.organisationId);
    current.set(vote.organisationId, vote);
    return previous;
  });
}
