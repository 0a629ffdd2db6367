import { z } from 'zod';
import { Person } from '../people/model.js';
import { Poll, PollStatus, Vote } from '../decisions/model.js';
import type { Declaration, ItemDeclaration } from '../decisions/declaration.js';
import type { ItemStart } from '../decisions/item-start.js';
import { Agenda } from '../agenda/model.js';
import { Outcome } from '../decisions/outcome.js';
import type { Feedback, QuestionLog } from '../knowledge/question-log.js';
import type { Binding, CollaborativeVersion } from '../membership/model.js';
import type { CollaborativeScope } from '../membership/scope.js';

export type { CollaborativeScope };

/** A saved Bot Framework conversation reference, kept opaque: only the bot shell reads it. */
export const ConversationRecord = z.object({
  conversationId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  savedAt: z.string(),
  /**
   * The Teams meeting whose chat this is (channelData.meeting.id, which a conversation reference
   * does not carry): the participant API needs it when the chair moves "Now" from the side panel.
   */
  meetingId: z.string().min(1).max(1000).optional(),
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

export const AUDIT_ACTIONS = [
  'vote.cast', 'vote.changed', 'poll.opened', 'poll.closed', 'poll.reopened',
  'agenda.created', 'agenda.edited', 'outcome.logged', 'outcome.updated',
  'interest.declared', 'interest.handled', 'poll.reminded',
  'collaborative.changed', 'collaborative.bound',
] as const;
export const AuditEvent = z.object({
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  by: Person,
  /** The record the event is about, e.g. a poll id. */
  subject: z.string(),
  detail: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Builds the audit events of a batch of votes, given the record each vote replaced (in order). */
export type VoteAudit = (previous: readonly (Vote | undefined)[]) => AuditEvent[];

export interface OutcomeQuery {
  /** Inclusive ISO dates (YYYY-MM-DD) on closedAt. */
  from?: string;
  to?: string;
  /** Case-insensitive words that must all appear in reference, title, proposal or meeting. */
  text?: string;
  /** Only outcomes in this delivery state: the publisher's scan at start-up reads just those. */
  delivery?: Outcome['delivery']['state'];
  /** Only decisions at a programme gateway: the history a new gateway poll is checked against. */
  gateway?: true;
  /** Only the register of these collaboratives: the store filters before the limit, so a view reads only what it shows. */
  collaboratives?: CollaborativeScope;
  limit?: number;
}

export interface PollFilter {
  status?: PollStatus;
  /** Only the polls opened from this agenda's items (a meeting's minutes and its Now card). */
  agendaId?: string;
  /** Only the polls opened on this calendar day (YYYY-MM-DD of openedAt): a meeting's polls taken without an agenda. */
  openedOn?: string;
}

/**
 * `failed`: the store can no longer guarantee its record (e.g. the data directory's lock was lost to
 * another process), so it refuses writes; reads still answer. Restart Concord to recover.
 */
export type StoreState = 'ready' | 'closing' | 'closed' | 'failed';

/**
 * Everything Concord keeps. The core speaks only to this interface; lowdb is the embedded
 * implementation and a shared database can implement the same shapes for several instances:
 * one record per (poll, organisation) vote, conditional status changes, an append-only audit.
 *
 * Every write resolves only once it is durable, so a caller may acknowledge it to a user.
 */
export interface Store {
  /**
   * A retry with the identical poll does nothing; a different poll under an existing id is a ConflictError.
   * `audit` (the poll.opened event) is written in the same atomic step as the poll.
   */
  createPoll(poll: Poll, audit?: readonly AuditEvent[]): Promise<void>;
  getPoll(id: string): Promise<Poll | undefined>;
  /** Oldest first (openedAt, then id). */
  listPolls(filter?: PollFilter): Promise<Poll[]>;
  /** Sets the card's activity id (or other non-status fields) on a poll. */
  updatePoll(id: string, change: Partial<Pick<Poll, 'activityId' | 'closesAt'>>): Promise<Poll | undefined>;
  /**
   * Adds a declaration of interest to an open poll, or replaces the one with its id (the chair's
   * handling), in one step under the poll's lock, so two instances cannot lose each other's.
   * Returns the updated poll, or undefined when there is no such poll or it is no longer open.
   */
  recordDeclaration(pollId: string, declaration: Declaration): Promise<Poll | undefined>;
  /**
   * Moves a poll from `from` to `to`, applying `change`, only if it is still in `from`.
   * Returns the updated poll, or undefined when it was not in `from` (someone else got there first).
   * When `outcome` is given it is stored in the same atomic write, so a closed poll always has its outcome.
   * An outcome is only accepted when closing, for this poll, under an id no other outcome has
   * (else ConflictError). A poll that is reopened and closed again keeps every outcome it had.
   * `audit` (poll.closed and outcome.logged, or poll.reopened) is written in the same atomic step,
   * and only when the transition happens: the record and its audit trail never disagree.
   */
  transitionPoll(
    id: string,
    from: PollStatus,
    to: PollStatus,
    change: Partial<Pick<Poll, 'closedBy' | 'closedAt' | 'reopenings'>>,
    outcome?: Outcome,
    audit?: readonly AuditEvent[],
  ): Promise<Poll | undefined>;
  /**
   * Records several positions on one poll in ONE durable write (group commit: a burst of votes
   * costs one fsync, not one each), and only while the poll is open, checked in the same step as
   * the write, so no vote can land after a close. Votes must name `pollId`; for one organisation
   * the last in the list stands. `previous` holds, for each vote in order, the record it replaced.
   * `audit` is given those same `previous` records and returns the votes' audit events, which are
   * written in the SAME durable step as the votes (issue 15: a crash between two writes left votes
   * on record with no event, and Teams' retry then found nothing to write).
   */
  recordVotes(pollId: string, votes: readonly Vote[], audit?: VoteAudit): Promise<{ recorded: true; previous: (Vote | undefined)[] } | { recorded: false; status?: PollStatus }>;
  /** Ordered by organisationId. */
  votes(pollId: string): Promise<Vote[]>;

  /** Stores an agenda; with `expectedVersion`, fails with a ConflictError if someone saved first. */
  putAgenda(agenda: Agenda, expectedVersion?: number): Promise<void>;
  getAgenda(id: string): Promise<Agenda | undefined>;
  /** Agendas, or those posted in one conversation (a meeting's chat); first posted first (first version's time, then id). */
  listAgendas(filter?: { conversationId?: string }): Promise<Agenda[]>;
  /**
   * Adds a declaration of interest on an agenda item, or replaces the one with its id (the chair's
   * handling), in one step under the agenda's lock; the agenda's version is unchanged (a declaration
   * is not an edit). Returns the updated agenda, or undefined when there is no such agenda.
   */
  recordAgendaDeclaration(agendaId: string, declaration: ItemDeclaration): Promise<Agenda | undefined>;

  /**
   * The chair moved an agenda's "Now" marker (issue 21): insert-only, one record per move, so two
   * instances moving it at once both land and the later stands. A retried move adds a record that
   * says the same.
   */
  recordItemStart(start: ItemStart): Promise<void>;
  /** An agenda's moves, oldest first (in the order recorded); the last is the "Now" marker. */
  itemStarts(agendaId: string): Promise<ItemStart[]>;

  getOutcome(id: string): Promise<Outcome | undefined>;
  /** The poll's latest outcome (a reopened and re-closed poll has more than one). */
  getOutcomeByPoll(pollId: string): Promise<Outcome | undefined>;
  /** Newest first. */
  listOutcomes(query?: OutcomeQuery): Promise<Outcome[]>;
  /** How many outcomes `listOutcomes` would return without a limit ("showing 10 of 240"), reading none of them. */
  countOutcomes(query?: Omit<OutcomeQuery, 'limit'>): Promise<number>;
  /** Replaces an outcome (status, actions, delivery); undefined when there is none. `update` may not change id or pollId. */
  updateOutcome(id: string, update: (outcome: Outcome) => Outcome): Promise<Outcome | undefined>;

  logQuestion(entry: QuestionLog): Promise<void>;
  recordFeedback(feedback: Feedback): Promise<void>;
  /** In the order logged. */
  listQuestions(): Promise<QuestionLog[]>;
  /** One logged question (for its Helpful? answer), without reading them all. */
  getQuestion(id: string): Promise<QuestionLog | undefined>;
  /** In the order recorded. */
  listFeedback(): Promise<Feedback[]>;
  /**
   * Retention: deletes questions logged before `before` (ISO time), and feedback given before it or
   * on a deleted question. Durable when it resolves; a crash part way leaves each log whole, either
   * as it was or pruned.
   */
  pruneQuestions(before: string): Promise<{ questions: number; feedback: number }>;

  /**
   * Collaboratives are versioned (issue 19): each change appends the next version, and its audit
   * event (`collaborative.changed`, subject the collaborative id, detail: version, change, before,
   * after) is written by the same call. A ConflictError unless `version.version` is the current
   * version + 1 (1 for a new collaborative): of two secretaries changing version N, one wins.
   */
  saveCollaborativeVersion(version: CollaborativeVersion): Promise<void>;
  /** The current version. */
  getCollaborative(collaborativeId: string): Promise<CollaborativeVersion | undefined>;
  /** Every version, oldest first. */
  collaborativeHistory(collaborativeId: string): Promise<CollaborativeVersion[]>;
  /** Current versions, by id. */
  listCollaboratives(): Promise<CollaborativeVersion[]>;
  /** Binds a conversation (or DEFAULT_BINDING) to a collaborative, replacing any binding it had; audited as `collaborative.bound`. */
  bindConversation(binding: Binding): Promise<void>;
  /** The collaborative a conversation belongs to: its own binding, else the default binding, else none. */
  collaborativeFor(conversationId: string): Promise<CollaborativeVersion | undefined>;
  /** By conversation id. */
  listBindings(): Promise<Binding[]>;

  saveConversation(record: ConversationRecord): Promise<void>;
  getConversation(conversationId: string): Promise<ConversationRecord | undefined>;

  /** Appends events in order; several in one call share one durable write. Events about a poll's record go with its write instead (createPoll, recordVotes, transitionPoll). */
  appendAudit(...events: AuditEvent[]): Promise<void>;
  /**
   * Every event, whichever write carried it, oldest first (by `at`; events at the same instant in
   * the order written).
   */
  readAudit(filter?: { subject?: string }): Promise<AuditEvent[]>;

  /**
   * Leases: work that must happen once however many Concord instances share the store (the deadline
   * closer, posting an outcome, refreshing a shared card). Takes lease `name` for `holder` until
   * `now + ttlMs` when nobody holds it, its lease has expired (expiry <= now), or `holder` already
   * holds it (a renewal, which also moves the expiry to `now + ttlMs`). Returns whether `holder`
   * now holds it; of several asking at once, exactly one gets it. Times are the callers' clocks,
   * so instances sharing a store need clocks that agree to well within the shortest ttl (NTP).
   * A lease guards against duplicate work, not against lost work: a holder that stops simply lets
   * it expire, and the records it guards are still protected by the conditional writes above.
   */
  acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Ends `holder`'s lease on `name` at once, so another may take it; does nothing if someone else holds it. */
  releaseLease(name: string, holder: string): Promise<void>;

  /** Writes a consistent copy of everything to `directory`, for `npm run store:backup`. */
  backup(directory: string): Promise<string[]>;
  state(): StoreState;
  /**
   * Called once the port is open: work the open deferred (the embedded store's closed polls) is
   * done now, in steps between requests. Anything that needs it meanwhile waits for it.
   */
  finishOpening?(): void;
  /** Waits for pending writes, then releases files and locks. */
  close(): Promise<void>;
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** A write was refused because the store is closing, closed or failed; nothing was written. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/** The store's files could not be opened safely; Concord must not start (and must not touch them). */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}
