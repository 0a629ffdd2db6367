import type { Agenda } from '../agenda/model.js';
import type { ItemStart } from '../decisions/item-start.js';
import type { PollRecord } from './poll-record.js';
import type { PollSummary } from './poll-summary.js';
import type { AuditEvent, ConversationRecord } from './store.js';
import type { Binding, CollaborativeVersion } from '../membership/model.js';
import type { Feedback, QuestionLog } from '../knowledge/question-log.js';

/**
 * A collaborative's versions, oldest first, with the audit events of the changes that made them:
 * written as one file in one atomic step, like a poll's record, so a crash cannot leave a version
 * without its `collaborative.changed` event or the reverse (issue 19). `events` is absent or empty
 * for versions written before that, whose events are in the audit log.
 */
export interface CollaborativeRecord {
  versions: CollaborativeVersion[];
  events?: AuditEvent[];
}

/** What a store holds in memory and answers reads from. */
export interface StoreContents {
  polls: PollRecord[];
  /** Polls known only by their summary (their bodies stay on disk): the embedded store's index. */
  pollSummaries?: PollSummary[];
  /** More summaries, to be taken a step at a time once the store is open (the file store's fast open). */
  deferredSummaries?: DeferredSummaries;
  agendas: Agenda[];
  /** Each agenda's "Now" moves, oldest first. Absent in stores written before them. */
  itemStarts?: ItemStart[][];
  conversations: ConversationRecord[];
  /** Each collaborative's record. Absent in stores written before issue 19. */
  collaboratives?: CollaborativeRecord[];
  bindings?: Binding[];
}

/**
 * The summaries of every poll that is not open, handed over a step at a time, so that opening
 * 20,000 outcomes does not hold up the port's opening: the engine takes them after the open (in
 * steps between other work), and any read or write that needs them waits until all are taken.
 */
export interface DeferredSummaries {
  readonly remaining: number;
  /** The next `count`; throws when the index turns out not to be valid after all. */
  take(count: number): PollSummary[];
  /** Every poll's summary read from its own file (and validated): when `take` threw. */
  readAll(): Promise<PollSummary[]>;
}

/** Everything, including the append-only logs: what a backup or a migration writes. */
export interface StoreSnapshot extends StoreContents {
  audit: AuditEvent[];
  questions: QuestionLog[];
  feedback: Feedback[];
}

/**
 * Cheap pre-filter for log reads: only records whose serialised line contains `text` can match,
 * so a file-backed log parses a handful of lines instead of all of them. `keep` decides.
 */
export interface LogFilter<T> {
  text: string;
  keep: (record: T) => boolean;
}

/** An append-only sequence of records, read back in the order written. */
export interface RecordLog<T> {
  /** Appends records in order; resolves once all are durable (one sync for the lot). */
  append(...records: T[]): Promise<void>;
  readAll(filter?: LogFilter<T>): Promise<T[]>;
  /** Keeps only the records `keep` accepts, replacing the log in one durable step; returns how many went. */
  retain(keep: (record: T) => boolean): Promise<number>;
}

/**
 * How a store engine makes its writes durable. The engine decides what to write and calls these
 * one at a time from its write queue; each resolves only once the data would survive a crash.
 */
export interface StorePersistence {
  savePoll(record: PollRecord): Promise<void>;
  /**
   * A poll's record as last saved, validated; undefined when there is none. A persistence that
   * has it lets the engine keep only a summary of each poll that is not open (issue 22).
   */
  readPoll?(id: string): Promise<PollRecord | undefined>;
  saveAgenda(agenda: Agenda): Promise<void>;
  /** Every "Now" move on one agenda, oldest first (one atomic write). */
  saveItemStarts(starts: readonly ItemStart[]): Promise<void>;
  saveConversation(record: ConversationRecord): Promise<void>;
  /** Every version of one collaborative and the events written with them (one atomic write). */
  saveCollaborative(record: CollaborativeRecord): Promise<void>;
  saveBindings(bindings: readonly Binding[]): Promise<void>;
  readonly audit: RecordLog<AuditEvent>;
  readonly questions: RecordLog<QuestionLog>;
  readonly feedback: RecordLog<Feedback>;
  /** Called from the write queue, so no write is half done; `contents` reads the engine's state at that point. */
  backup(directory: string, contents: () => Promise<StoreContents>): Promise<string[]>;
  /** `summaries`: the engine's summarised polls, for a persistence that keeps an index of them. */
  close(summaries?: readonly PollSummary[]): Promise<void>;
}
