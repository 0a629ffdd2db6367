/**
 * The shared store: PostgreSQL, for several Concord instances behind one load balancer
 * (DATABASE_URL). Same Store contract as the embedded store (test/store/contract.ts runs against
 * both); what the embedded store gets from its single in-process write queue, this one gets from
 * the database: a poll's row lock orders its votes and its close, conditional updates decide
 * races (`WHERE status = $from`, `WHERE version = $expected`), upserts keyed (poll, organisation)
 * make retries harmless, and a write resolves once its transaction has committed.
 *
 * Opening applies the schema migrations (migrate.ts). A lost connection fails only the queries on
 * it (the pool opens another); the store never enters `failed`, as the database, not this process,
 * keeps the record. Text containing U+0000 cannot be stored (PostgreSQL refuses that character);
 * nothing Teams sends contains it.
 */
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Agenda } from '../../agenda/model.js';
import type { Poll, PollStatus, Vote } from '../../decisions/model.js';
import type { Declaration, ItemDeclaration } from '../../decisions/declaration.js';
import type { ItemStart } from '../../decisions/item-start.js';
import type { Outcome } from '../../decisions/outcome.js';
import type { Feedback, QuestionLog } from '../../knowledge/question-log.js';
import type { Binding, CollaborativeVersion } from '../../membership/model.js';
import {
  StoreOpenError,
  StoreUnavailableError,
  type AuditEvent,
  type ConversationRecord,
  type OutcomeQuery,
  type PollFilter,
  type Store,
  type StoreState,
  type VoteAudit,
} from '../store.js';
import { backupDatabase } from './backup.js';
import { migrate } from './migrate.js';
import * as collaboratives from './collaborative-queries.js';
import * as itemStarts from './item-start-queries.js';
import * as outcomes from './outcome-queries.js';
import * as polls from './poll-queries.js';
import * as records from './record-queries.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  connectionString: string;
  logger?: Logger;
  /** Connections per instance; the default 10 serves a 200-member burst of votes (they are batched per poll). */
  poolSize?: number;
}

export interface PostgresStore extends Store {
  /** The applied schema version. */
  readonly schemaVersion: number;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const { logger } = options;
  const database = describeDatabase(options.connectionString);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    application_name: 'concord',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle connection dropped by the server must not crash the process: the pool replaces it.
  pool.on('error', (error) => logger?.warn({ err: error, database }, 'idle PostgreSQL connection lost; the pool will open another'));
  try {
    const { applied, version } = await migrate(pool, logger);
    logger?.info({ database, schemaVersion: version, applied }, 'store open');
    return new Postgres(pool, version, logger);
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof StoreOpenError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreOpenError(`cannot open the PostgreSQL store at ${database}: ${reason}`);
  }
}

/** The URL without its password, for logs and errors. */
export function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    return url.toString();
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

class Postgres implements PostgresStore {
  private status: StoreState = 'ready';
  /** Everything started and not yet settled: close waits for all of it before ending the pool. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing?: Promise<void>;

  constructor(private readonly pool: Pool, readonly schemaVersion: number, private readonly logger?: Logger) {}

  createPoll(poll: Poll, audit: readonly AuditEvent[] = []): Promise<void> {
    return this.write(() => polls.createPoll(this.pool, poll, audit));
  }

  getPoll(id: string): Promise<Poll | undefined> {
    return this.read(() => polls.getPoll(this.pool, id));
  }

  listPolls(filter: PollFilter = {}): Promise<Poll[]> {
    return this.read(() => polls.listPolls(this.pool, filter));
  }

  updatePoll(id: string, change: Parameters<Store['updatePoll']>[1]): Promise<Poll | undefined> {
    return this.write(() => polls.updatePoll(this.pool, id, change));
  }

  recordDeclaration(pollId: string, declaration: Declaration): Promise<Poll | undefined> {
    return this.write(() => polls.recordDeclaration(this.pool, pollId, declaration));
  }

  transitionPoll(
    id: string, from: PollStatus, to: PollStatus, change: Parameters<Store['transitionPoll']>[3], outcome?: Outcome, audit: readonly AuditEvent[] = [],
  ): Promise<Poll | undefined> {
    return this.write(() => polls.transitionPoll(this.pool, id, from, to, change, outcome, audit));
  }

  recordVotes(pollId: string, votes: readonly Vote[], audit?: VoteAudit): ReturnType<Store['recordVotes']> {
    return this.write(() => polls.recordVotes(this.pool, pollId, votes, audit));
  }

  votes(pollId: string): Promise<Vote[]> {
    return this.read(() => polls.listVotes(this.pool, pollId));
  }

  putAgenda(agenda: Agenda, expectedVersion?: number): Promise<void> {
    return this.write(() => records.putAgenda(this.pool, agenda, expectedVersion));
  }

  recordAgendaDeclaration(agendaId: string, declaration: ItemDeclaration): Promise<Agenda | undefined> {
    return this.write(() => records.recordAgendaDeclaration(this.pool, agendaId, declaration));
  }

  getAgenda(id: string): Promise<Agenda | undefined> {
    return this.read(() => records.getAgenda(this.pool, id));
  }

  listAgendas(filter: { conversationId?: string } = {}): Promise<Agenda[]> {
    return this.read(() => records.listAgendas(this.pool, filter.conversationId));
  }

  recordItemStart(start: ItemStart): Promise<void> {
    return this.write(() => itemStarts.recordItemStart(this.pool, start));
  }

  itemStarts(agendaId: string): Promise<ItemStart[]> {
    return this.read(() => itemStarts.itemStarts(this.pool, agendaId));
  }

  getOutcome(id: string): Promise<Outcome | undefined> {
    return this.read(() => outcomes.getOutcome(this.pool, id));
  }

  getOutcomeByPoll(pollId: string): Promise<Outcome | undefined> {
    return this.read(() => outcomes.getOutcomeByPoll(this.pool, pollId));
  }

  listOutcomes(query?: OutcomeQuery): Promise<Outcome[]> {
    return this.read(() => outcomes.listOutcomes(this.pool, query));
  }

  countOutcomes(query?: Omit<OutcomeQuery, 'limit'>): Promise<number> {
    return this.read(() => outcomes.countOutcomes(this.pool, query));
  }

  updateOutcome(id: string, update: (outcome: Outcome) => Outcome): Promise<Outcome | undefined> {
    return this.write(() => outcomes.updateOutcome(this.pool, id, update));
  }

  logQuestion(entry: QuestionLog): Promise<void> {
    return this.write(() => records.logQuestion(this.pool, entry));
  }

  recordFeedback(feedback: Feedback): Promise<void> {
    return this.write(() => records.recordFeedback(this.pool, feedback));
  }

  getQuestion(id: string): Promise<QuestionLog | undefined> {
    return this.read(() => records.getQuestion(this.pool, id));
  }

  listQuestions(): Promise<QuestionLog[]> {
    return this.read(() => records.listQuestions(this.pool));
  }

  pruneQuestions(before: string): Promise<{ questions: number; feedback: number }> {
    return this.write(() => records.pruneQuestions(this.pool, before));
  }

  listFeedback(): Promise<Feedback[]> {
    return this.read(() => records.listFeedback(this.pool));
  }

  saveCollaborativeVersion(version: CollaborativeVersion): Promise<void> {
    return this.write(() => collaboratives.saveCollaborativeVersion(this.pool, version));
  }

  getCollaborative(collaborativeId: string): Promise<CollaborativeVersion | undefined> {
    return this.read(() => collaboratives.getCollaborative(this.pool, collaborativeId));
  }

  collaborativeHistory(collaborativeId: string): Promise<CollaborativeVersion[]> {
    return this.read(() => collaboratives.collaborativeHistory(this.pool, collaborativeId));
  }

  listCollaboratives(): Promise<CollaborativeVersion[]> {
    return this.read(() => collaboratives.listCollaboratives(this.pool));
  }

  bindConversation(binding: Binding): Promise<void> {
    return this.write(() => collaboratives.bindConversation(this.pool, binding));
  }

  collaborativeFor(conversationId: string): Promise<CollaborativeVersion | undefined> {
    return this.read(() => collaboratives.collaborativeFor(this.pool, conversationId));
  }

  listBindings(): Promise<Binding[]> {
    return this.read(() => collaboratives.listBindings(this.pool));
  }

  saveConversation(record: ConversationRecord): Promise<void> {
    return this.write(() => records.saveConversation(this.pool, record));
  }

  getConversation(conversationId: string): Promise<ConversationRecord | undefined> {
    return this.read(() => records.getConversation(this.pool, conversationId));
  }

  appendAudit(...events: AuditEvent[]): Promise<void> {
    return this.write(() => records.appendAudit(this.pool, events));
  }

  readAudit(filter: { subject?: string } = {}): Promise<AuditEvent[]> {
    return this.read(() => records.readAudit(this.pool, filter.subject));
  }

  acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.write(() => records.acquireLease(this.pool, name, holder, ttlMs, now));
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return this.write(() => records.releaseLease(this.pool, name, holder));
  }

  backup(directory: string): Promise<string[]> {
    return this.read(() => backupDatabase(this.pool, directory));
  }

  state(): StoreState {
    return this.status;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.status = 'closing';
    try {
      // Reads may still start while closing; wait until nothing is left in flight.
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    } finally {
      await this.pool.end();
      this.status = 'closed';
      this.logger?.info('store closed');
    }
  }

  /** A write starts only while the store is ready; once close() is called, new writes are refused at once. */
  private write<T>(operation: () => Promise<T>): Promise<T> {
    if (this.status !== 'ready') return Promise.reject(new StoreUnavailableError(`the store is ${this.status}; nothing was written`));
    return this.track(operation);
  }

  /** Reads go on while closing (close waits for them), and are refused once the pool has ended. */
  private read<T>(operation: () => Promise<T>): Promise<T> {
    if (this.status === 'closed') return Promise.reject(new StoreUnavailableError('the store is closed'));
    return this.track(operation);
  }

  private track<T>(operation: () => Promise<T>): Promise<T> {
    const running = operation();
    this.inFlight.add(running);
    void running.then(
      () => this.inFlight.delete(running),
      () => this.inFlight.delete(running),
    );
    return running;
  }
}
