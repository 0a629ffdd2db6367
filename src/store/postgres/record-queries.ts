/**
 * Agendas, conversation references, the append-only logs and leases in PostgreSQL: each a short
 * statement or a short transaction, with the same rules as the embedded store.
 */
import type { Pool } from 'pg';
import { Agenda } from '../../agenda/model.js';
import { admit } from '../copy.js';
import { checkLease, withDeclaration } from '../store-engine.js';
import { ItemDeclaration } from '../../agenda/interest.js';
import { isDeepStrictEqual } from 'node:util';
import { AuditEvent, ConflictError, ConversationRecord } from '../store.js';
import { Feedback, QuestionLog } from '../../knowledge/question-log.js';
import { inTransaction, json, parseDocs, parseRow, type DocRow, type Queryable } from './sql.js';

// ---- agendas: optimistic concurrency on `version` ----

export async function putAgenda(pool: Pool, agenda: Agenda, expectedVersion?: number): Promise<void> {
  const admitted = admit(Agenda, agenda);
  const values = [admitted.id, admitted.current.version, admitted.conversationId, json(admitted)];
  // Declarations are written only by recordAgendaDeclaration: a save keeps the row's own.
  const keepDeclarations = (doc: string) =>
    `CASE WHEN agendas.doc ? 'declarations' THEN ${doc} || jsonb_build_object('declarations', agendas.doc->'declarations') ELSE ${doc} END`;
  if (expectedVersion === undefined) {
    await pool.query(
      `INSERT INTO agendas (id, version, conversation_id, doc) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, conversation_id = EXCLUDED.conversation_id, doc = ${keepDeclarations('EXCLUDED.doc')}`,
      values,
    );
    return;
  }
  // The conditional update: of two editors saving from the same version, the second finds it
  // changed once the first commits (PostgreSQL re-checks the WHERE on the row it waited for).
  const updated = await pool.query(
    `UPDATE agendas SET version = $2, conversation_id = $3, doc = ${keepDeclarations('$4::jsonb')} WHERE id = $1 AND version = $5 RETURNING id`,
    [...values, expectedVersion],
  );
  if (updated.rowCount === 1) return;
  const existing = await getAgenda(pool, admitted.id);
  const actual = existing ? `version ${existing.current.version}` : 'not saved';
  throw new ConflictError(`agenda ${admitted.id} is ${actual}, not version ${expectedVersion}: someone saved first`);
}

/** Under the row's lock (SELECT … FOR UPDATE), so two instances cannot lose each other's declaration. */
export async function recordAgendaDeclaration(pool: Pool, agendaId: string, declaration: ItemDeclaration): Promise<Agenda | undefined> {
  const admitted = admit(ItemDeclaration, declaration);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<DocRow>('SELECT doc FROM agendas WHERE id = $1 FOR UPDATE', [agendaId]);
    if (!rows[0]) return undefined;
    const existing = parseRow(Agenda, rows[0].doc, `agendas row ${agendaId}`);
    const agenda = admit(Agenda, { ...existing, declarations: withDeclaration(existing.declarations, admitted) });
    if (!isDeepStrictEqual(agenda, existing)) await client.query('UPDATE agendas SET doc = $2::jsonb WHERE id = $1', [agendaId, json(agenda)]);
    return agenda;
  });
}

export async function getAgenda(db: Queryable, id: string): Promise<Agenda | undefined> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM agendas WHERE id = $1', [id]);
  return rows[0] && parseRow(Agenda, rows[0].doc, `agendas row ${id}`);
}

export async function listAgendas(db: Queryable, conversationId: string | undefined): Promise<Agenda[]> {
  // Ordered as the file store orders them (store.ts): by when the first version was posted, then id.
  const { rows } = await db.query<DocRow>(
    `SELECT doc FROM agendas WHERE ($1::text IS NULL OR conversation_id = $1)
     ORDER BY COALESCE(doc->'history'->0->>'at', doc->'current'->>'at') COLLATE "C", id`,
    [conversationId ?? null],
  );
  return rows.map((row, index) => parseRow(Agenda, row.doc, `agendas row ${index}`));
}

// ---- conversations ----

export async function saveConversation(pool: Pool, record: ConversationRecord): Promise<void> {
  const admitted = admit(ConversationRecord, record);
  await pool.query(
    `INSERT INTO conversations (conversation_id, saved_at, doc) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (conversation_id) DO UPDATE SET saved_at = EXCLUDED.saved_at, doc = EXCLUDED.doc`,
    [admitted.conversationId, admitted.savedAt, json(admitted)],
  );
}

export async function getConversation(pool: Pool, conversationId: string): Promise<ConversationRecord | undefined> {
  const { rows } = await pool.query<DocRow>('SELECT doc FROM conversations WHERE conversation_id = $1', [conversationId]);
  return rows[0] && parseRow(ConversationRecord, rows[0].doc, `conversations row ${conversationId}`);
}

// ---- append-only logs ----

/** Several events in one statement: one commit for the lot, `seq` in the order given. */
export async function appendAudit(db: Queryable, events: readonly AuditEvent[]): Promise<void> {
  const admitted = events.map((event) => admit(AuditEvent, event));
  if (admitted.length === 0) return;
  await db.query(
    `INSERT INTO audit_events (subject, action, at, doc)
     SELECT subject, action, at, doc FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS t(subject, action, at, doc, n)
     ORDER BY n`,
    [admitted.map((event) => event.subject), admitted.map((event) => event.action), admitted.map((event) => event.at), admitted.map(json)],
  );
}

export async function readAudit(pool: Pool, subject: string | undefined): Promise<AuditEvent[]> {
  const { rows } = await pool.query<DocRow>('SELECT doc FROM audit_events WHERE $1::text IS NULL OR subject = $1 ORDER BY seq', [subject ?? null]);
  return parseDocs(AuditEvent, rows, 'audit_events row');
}

export async function logQuestion(pool: Pool, entry: QuestionLog): Promise<void> {
  const admitted = admit(QuestionLog, entry);
  await pool.query('INSERT INTO questions (id, doc) VALUES ($1, $2::jsonb)', [admitted.id, json(admitted)]);
}

export async function listQuestions(db: Queryable): Promise<QuestionLog[]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM questions ORDER BY seq');
  return parseDocs(QuestionLog, rows, 'questions row');
}

export async function getQuestion(db: Queryable, id: string): Promise<QuestionLog | undefined> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM questions WHERE id = $1 ORDER BY seq LIMIT 1', [id]);
  return parseDocs(QuestionLog, rows, 'questions row')[0];
}

/** Retention: one transaction, so feedback never outlives the question it was about. */
export async function pruneQuestions(pool: Pool, before: string): Promise<{ questions: number; feedback: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const questions = await client.query<{ id: string }>("DELETE FROM questions WHERE doc->>'at' < $1 RETURNING id", [before]);
    const feedback = await client.query(
      "DELETE FROM feedback WHERE doc->>'at' < $1 OR question_id = ANY($2::text[])",
      [before, questions.rows.map((row) => row.id)],
    );
    await client.query('COMMIT');
    return { questions: questions.rowCount ?? 0, feedback: feedback.rowCount ?? 0 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function recordFeedback(pool: Pool, feedback: Feedback): Promise<void> {
  const admitted = admit(Feedback, feedback);
  await pool.query('INSERT INTO feedback (question_id, doc) VALUES ($1, $2::jsonb)', [admitted.questionId, json(admitted)]);
}

export async function listFeedback(db: Queryable): Promise<Feedback[]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM feedback ORDER BY seq');
  return parseDocs(Feedback, rows, 'feedback row');
}

// ---- leases ----

/**
 * One atomic statement: insert the lease, or take over the row when it has expired or is already
 * ours. Of several instances asking at once, the row lock lets one in; the others re-check the
 * WHERE against its new expiry and get no row back.
 */
export async function acquireLease(pool: Pool, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  checkLease(name, holder, ttlMs, now);
  const { rowCount } = await pool.query(
    `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $4::timestamptz)
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE leases.expires_at <= $3::timestamptz OR leases.holder = EXCLUDED.holder
     RETURNING holder`,
    [name, holder, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString()],
  );
  return rowCount === 1;
}

export async function releaseLease(pool: Pool, name: string, holder: string): Promise<void> {
  await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
}
