import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { Agenda } from '../agenda/model.js';
import { decisionReference, parseDecisionReference, Poll, Vote, type PollStatus } from '../decisions/model.js';
import { Declaration, ItemDeclaration } from '../decisions/declaration.js';
import { ItemStart } from '../decisions/item-start.js';
import { Outcome } from '../decisions/outcome.js';
import { admit, copyOut, shareFrozen } from './copy.js';
import { checkQuery, newestFirst, queryWords, searchableText } from './outcome-query.js';
import type { CollaborativeRecord, DeferredSummaries, StoreContents, StorePersistence } from './persistence.js';
import { compareText, latestOutcome, withEvents, withVotes, type PollRecord } from './poll-record.js';
import { keyText, summarisePoll, withDerivedReference, type PollSummary } from './poll-summary.js';
import {
  AuditEvent,
  ConflictError,
  ConversationRecord,
  StoreUnavailableError,
  type OutcomeQuery,
  type PollFilter,
  type Store,
  type StoreState,
  type VoteAudit,
} from './store.js';
import { Feedback, QuestionLog } from '../knowledge/question-log.js';
import { Binding, CollaborativeVersion, DEFAULT_BINDING } from '../membership/model.js';
import { inScope } from '../membership/scope.js';


type PollChange = Parameters<Store['updatePoll']>[1];
/** An open poll (or any poll, when the persistence cannot read bodies back) is held whole; others as a summary. */
type PollSlot = PollRecord | PollSummary;
const isRecord = (slot: PollSlot): slot is PollRecord => 'poll' in slot;
const statusOf = (slot: PollSlot): PollStatus => (isRecord(slot) ? slot.poll.status : slot.status);
const collaborativeOf = (slot: PollSlot): string | undefined => (isRecord(slot) ? slot.poll.collaborativeId : slot.collaborativeId);
const agendaOf = (slot: PollSlot): string | undefined => (isRecord(slot) ? slot.poll.agenda?.agendaId : slot.agendaId);
/** An outcome the register search selected, before its body is read. */
interface Selected { id: string; closedAt: string; pollId: string; outcome?: Outcome }
/**
 * A legacy summary with its derived reference, built as a literal of the summary's own shape: a
 * spread copy with one key added was about 300 bytes bigger, 6 MB across 20,000 legacy polls.
 */
const summaryWithReference = (summary: PollSummary, reference: string): PollSummary => {
  const { id, status, openedAt, legacy, collaborativeId, agendaId, outcomes, eventSubjects } = summary;
  const derived: PollSummary = { id, status, openedAt, reference, legacy, outcomes, eventSubjects };
  if (collaborativeId !== undefined) derived.collaborativeId = collaborativeId;
  if (agendaId !== undefined) derived.agendaId = agendaId;
  return derived;
};
/** Deferred summaries taken per turn of the event loop (about 5 ms on a quiet machine). */
const SUMMARIES_PER_STEP = 500;
const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** Bodies read from disk between yields to the event loop, when a read walks every poll. */
const READS_PER_YIELD = 200;
type TransitionChange = Parameters<Store['transitionPoll']>[3];

/** A Store that can also be told it may no longer write (its lock was lost). */
export interface StoreEngine extends Store {
  fail(reason: string): void;
  finishOpening(): void;
}

/**
 * The store's rules, shared by every embedded implementation: state lives in memory, each write
 * runs in one queue, computes the next record, hands it to `persistence` and only then installs
 * it. So reads see only durable data, a failed write changes nothing, and two writers never both
 * act on the same version. The memory and lowdb stores differ only in their persistence.
 */
export function createStoreEngine(contents: StoreContents, persistence: StorePersistence, logger?: Logger): StoreEngine {
  return new Engine(contents, persistence, logger);
}

/** Methods are async throughout, so invalid input rejects the returned promise rather than throwing. */
class Engine implements StoreEngine {
  private readonly queue = new WriteQueue();
  private readonly polls = new Map<string, PollSlot>();
  /** outcome id → poll id */
  private readonly outcomePolls = new Map<string, string>();
  /** Polls whose file is being replaced: settles once the write is acknowledged (or failed). */
  private readonly savingPolls = new Map<string, Promise<void>>();
  private readonly agendas = new Map<string, Agenda>();
  /** agenda id → its "Now" moves, oldest first */
  private readonly itemStartsByAgenda = new Map<string, ItemStart[]>();
  private readonly conversations = new Map<string, ConversationRecord>();
  /** year → the highest decision reference number in use (D-2026-014 → 14). */
  private readonly lastReference = new Map<string, number>();
  /** collaborative id → its versions, oldest first, and the events written with them */
  private readonly collaboratives = new Map<string, Required<CollaborativeRecord>>();
  private readonly bindings = new Map<string, Binding>();
  /**
   * Leases live in memory only. An embedded store belongs to one process (the lowdb store holds its
   * data directory's lock), so its leases only ever arbitrate between tasks of that one process,
   * and a restart, which ends every holder, may forget them all.
   */
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();
  private status: StoreState = 'ready';
  private closing?: Promise<void>;
  /** Summaries not yet taken (see DeferredSummaries); undefined once every poll is held. */
  private deferred?: DeferredSummaries;
  private takingSummaries?: Promise<void>;

  constructor(contents: StoreContents, private readonly persistence: StorePersistence, private readonly logger?: Logger) {
    for (const record of contents.polls) this.installPoll(record);
    for (const summary of contents.pollSummaries ?? []) this.installPoll(summary);
    if (contents.deferredSummaries && contents.deferredSummaries.remaining > 0) this.deferred = contents.deferredSummaries;
    // With summaries still to take, a legacy poll's reference cannot be derived yet (it depends on
    // every poll's); the file store defers only when no open poll is legacy, and derives after.
    else this.deriveLegacyReferences();
    for (const agenda of contents.agendas) this.agendas.set(agenda.id, agenda);
    for (const starts of contents.itemStarts ?? []) if (starts[0]) this.itemStartsByAgenda.set(starts[0].agendaId, starts);
    for (const record of contents.conversations) this.conversations.set(record.conversationId, record);
    for (const { versions, events = [] } of contents.collaboratives ?? []) if (versions[0]) this.collaboratives.set(versions[0].collaborativeId, { versions, events });
    for (const binding of contents.bindings ?? []) this.bindings.set(binding.conversationId, binding);
  }

  // ---- collaboratives and their bindings ----

  async saveCollaborativeVersion(version: CollaborativeVersion): Promise<void> {
    const admitted = admit(CollaborativeVersion, version);
    return this.write(async () => {
      const record = this.collaboratives.get(admitted.collaborativeId) ?? { versions: [], events: [] };
      const current = record.versions.at(-1)?.version ?? 0;
      if (admitted.version !== current + 1) {
        throw new ConflictError(`collaborative ${admitted.collaborativeId} is at version ${current}, so version ${admitted.version} cannot follow it: someone changed it first`);
      }
      // The version and its audit event land in one write (like a vote and its event): a crash
      // between two writes could leave a membership change on record that the audit never shows.
      const next = { versions: [...record.versions, admitted], events: [...record.events, collaborativeChanged(admitted)] };
      await this.persistence.saveCollaborative(next);
      this.collaboratives.set(admitted.collaborativeId, next);
    });
  }

  async getCollaborative(collaborativeId: string): Promise<CollaborativeVersion | undefined> {
    const current = this.collaboratives.get(collaborativeId)?.versions.at(-1);
    // Read for every vote and every card: shared frozen, not copied (and the same object until
    // the next version, so per-collaborative lookups computed from it are reused).
    return current && shareFrozen(current);
  }

  async collaborativeHistory(collaborativeId: string): Promise<CollaborativeVersion[]> {
    return copyOut(this.collaboratives.get(collaborativeId)?.versions ?? []);
  }

  async listCollaboratives(): Promise<CollaborativeVersion[]> {
    const current = [...this.collaboratives.values()].flatMap(({ versions }) => versions.slice(-1));
    return copyOut(current.sort((a, b) => compareText(a.collaborativeId, b.collaborativeId)));
  }

  async bindConversation(binding: Binding): Promise<void> {
    const admitted = admit(Binding, binding);
    return this.write(async () => {
      if (!this.collaboratives.has(admitted.collaborativeId)) throw new Error(`cannot bind ${admitted.conversationId}: there is no collaborative ${admitted.collaborativeId}`);
      const next = new Map(this.bindings).set(admitted.conversationId, admitted);
      await this.persistence.saveBindings([...next.values()].sort((a, b) => compareText(a.conversationId, b.conversationId)));
      this.bindings.set(admitted.conversationId, admitted);
      await this.persistence.audit.append(collaborativeBound(admitted));
    });
  }

  async collaborativeFor(conversationId: string): Promise<CollaborativeVersion | undefined> {
    const binding = this.bindings.get(conversationId) ?? this.bindings.get(DEFAULT_BINDING);
    return binding && this.getCollaborative(binding.collaborativeId);
  }

  async listBindings(): Promise<Binding[]> {
    return copyOut([...this.bindings.values()].sort((a, b) => compareText(a.conversationId, b.conversationId)));
  }

  // ---- polls and votes ----

  async createPoll(poll: Poll, audit: readonly AuditEvent[] = []): Promise<void> {
    const admitted = admit(Poll, poll);
    const events = audit.map((event) => admit(AuditEvent, event));
    if (this.deferred) await this.allPolls();
    return this.write(async () => {
      const existing = await this.record(admitted.id);
      if (existing) {
        // A retried "open poll" is the same poll again (less the reference the store gave it): nothing to do.
        // Anything else would overwrite a record.
        const stored = admitted.reference === undefined ? { ...existing.poll, reference: undefined } : existing.poll;
        if (isDeepStrictEqual(stripUndefined(stored), admitted)) return;
        throw new ConflictError(`a different poll already has id ${admitted.id}`);
      }
      // Allocated inside the write queue, so two polls opened at once never share a number.
      const poll = admitted.agenda === undefined && admitted.reference === undefined
        ? { ...admitted, reference: this.nextReference(admitted.openedAt.slice(0, 4)) }
        : admitted;
      await this.commitPoll(withEvents({ poll, votes: [], outcomes: [] }, events));
    });
  }

  async getPoll(id: string): Promise<Poll | undefined> {
    const record = await this.record(id);
    return record && copyOut(record.poll);
  }

  async listPolls(filter: PollFilter = {}): Promise<Poll[]> {
    // Every open poll is held from the start: only a list that may include others waits for them.
    if (this.deferred && filter.status !== 'open') await this.allPolls();
    const wanted = [...this.polls.values()].filter((slot) =>
      (filter.status === undefined || statusOf(slot) === filter.status) && (filter.agendaId === undefined || agendaOf(slot) === filter.agendaId)
      && (filter.openedOn === undefined || openedAtOf(slot).startsWith(filter.openedOn)));
    const polls = (await this.records(wanted)).map(({ poll }) => poll);
    polls.sort((a, b) => compareText(a.openedAt, b.openedAt) || compareText(a.id, b.id));
    return copyOut(polls);
  }

  async updatePoll(id: string, change: PollChange): Promise<Poll | undefined> {
    const allowed = pickKeys(change, ['activityId', 'closesAt']);
    return this.write(async () => {
      const record = await this.record(id);
      if (!record) return undefined;
      const poll = admit(Poll, { ...record.poll, ...allowed });
      if (!isDeepStrictEqual(poll, record.poll)) await this.commitPoll({ ...record, poll });
      return copyOut(poll);
    });
  }

  async recordDeclaration(pollId: string, declaration: Declaration): Promise<Poll | undefined> {
    const admitted = admit(Declaration, declaration);
    return this.write(async () => {
      const slot = this.polls.get(pollId);
      if (!slot || statusOf(slot) !== 'open') return undefined;
      const record = await this.record(pollId);
      if (!record) return undefined;
      const poll = admit(Poll, { ...record.poll, declarations: withDeclaration(record.poll.declarations, admitted) });
      if (!isDeepStrictEqual(poll, record.poll)) await this.commitPoll({ ...record, poll });
      return copyOut(poll);
    });
  }

  async transitionPoll(
    id: string, from: PollStatus, to: PollStatus, change: TransitionChange, outcome?: Outcome, audit: readonly AuditEvent[] = [],
  ): Promise<Poll | undefined> {
    const allowed = pickKeys(change, ['closedBy', 'closedAt', 'reopenings']);
    const admittedOutcome = outcome && admit(Outcome, outcome);
    const events = audit.map((event) => admit(AuditEvent, event));
    // Caller bugs are refused before anything is queued.
    if (admittedOutcome && to !== 'closed') throw new Error(`an outcome can only be recorded when closing poll ${id}`);
    if (admittedOutcome && admittedOutcome.pollId !== id) {
      throw new Error(`outcome ${admittedOutcome.id} is for poll ${admittedOutcome.pollId}, not ${id}`);
    }
    // A new outcome's id is checked against every other poll's.
    if (this.deferred) await this.allPolls();
    return this.write(async () => {
      const slot = this.polls.get(id);
      // The conditional write (STYLE §4): whoever finds the poll still in `from` moves it; everyone else gets undefined.
      if (!slot || statusOf(slot) !== from) return undefined;
      const record = await this.record(id);
      if (!record) return undefined;
      if (admittedOutcome && this.outcomePolls.has(admittedOutcome.id)) {
        throw new ConflictError(`outcome id ${admittedOutcome.id} is already in the register`);
      }
      const poll = admit(Poll, { ...record.poll, ...allowed, status: to });
      const outcomes = admittedOutcome ? [...record.outcomes, admittedOutcome] : record.outcomes;
      await this.commitPoll(withEvents({ ...record, poll, outcomes }, events));
      return copyOut(poll);
    });
  }

  async recordVotes(pollId: string, votes: readonly Vote[], audit?: VoteAudit): ReturnType<Store['recordVotes']> {
    const admitted = votes.map((vote) => admit(Vote, vote));
    const stray = admitted.find((vote) => vote.pollId !== pollId);
    if (stray) throw new Error(`vote for ${stray.organisationId} names poll ${stray.pollId}, not ${pollId}`);
    // An open poll is held from the start; only a vote on one that is not (closed, or unknown) waits, to say which.
    if (this.deferred && !this.polls.has(pollId)) await this.allPolls();
    return this.write(async () => {
      const slot = this.polls.get(pollId);
      if (!slot) throw new Error(`cannot record votes: there is no poll ${pollId}`);
      // Conditional, like the close: a vote is only ever recorded on a poll that is still open.
      // An open poll is always held whole, so the hot path never reads a file.
      if (!isRecord(slot) || slot.poll.status !== 'open') return { recorded: false, status: statusOf(slot) };
      const record = slot;
      const { record: withNewVotes, previous } = withVotes(record, admitted);
      const events = (audit?.(previous) ?? []).map((event) => admit(AuditEvent, event));
      const next = withEvents(withNewVotes, events);
      // Retried invokes carry the same votes (and so no events): when nothing changed, nothing is written.
      if (!isDeepStrictEqual(next, record)) await this.commitPoll(next);
      return { recorded: true, previous: copyOut(previous) };
    });
  }

  async votes(pollId: string): Promise<Vote[]> {
    // A new array of the stored votes, each frozen rather than copied: read for every card. A
    // closed poll's votes are read from its file (record()), so they are fresh objects anyway.
    return ((await this.record(pollId))?.votes ?? []).map(shareFrozen);
  }

  // ---- agendas ----

  async putAgenda(agenda: Agenda, expectedVersion?: number): Promise<void> {
    const given = admit(Agenda, agenda);
    return this.write(async () => {
      const existing = this.agendas.get(given.id);
      // Declarations are written only by recordAgendaDeclaration: an edit read before one was made keeps it.
      const admitted = existing?.declarations ? { ...given, declarations: existing.declarations } : given;
      if (expectedVersion !== undefined && existing?.current.version !== expectedVersion) {
        const actual = existing ? `version ${existing.current.version}` : 'not saved';
        throw new ConflictError(`agenda ${admitted.id} is ${actual}, not version ${expectedVersion}: someone saved first`);
      }
      if (existing && isDeepStrictEqual(existing, admitted)) return;
      await this.persistence.saveAgenda(admitted);
      this.agendas.set(admitted.id, admitted);
    });
  }

  async recordAgendaDeclaration(agendaId: string, declaration: ItemDeclaration): Promise<Agenda | undefined> {
    const admitted = admit(ItemDeclaration, declaration);
    return this.write(async () => {
      const existing = this.agendas.get(agendaId);
      if (!existing) return undefined;
      const agenda = admit(Agenda, { ...existing, declarations: withDeclaration(existing.declarations, admitted) });
      if (!isDeepStrictEqual(agenda, existing)) {
        await this.persistence.saveAgenda(agenda);
        this.agendas.set(agenda.id, agenda);
      }
      return copyOut(agenda);
    });
  }

  async getAgenda(id: string): Promise<Agenda | undefined> {
    const agenda = this.agendas.get(id);
    return agenda && copyOut(agenda);
  }

  async listAgendas(filter: { conversationId?: string } = {}): Promise<Agenda[]> {
    return copyOut([...this.agendas.values()].filter((agenda) => filter.conversationId === undefined || agenda.conversationId === filter.conversationId).sort(byFirstPosted));
  }

  // ---- the "Now" marker ----

  async recordItemStart(start: ItemStart): Promise<void> {
    const admitted = admit(ItemStart, start);
    return this.write(async () => {
      const next = [...(this.itemStartsByAgenda.get(admitted.agendaId) ?? []), admitted];
      await this.persistence.saveItemStarts(next);
      this.itemStartsByAgenda.set(admitted.agendaId, next);
    });
  }

  async itemStarts(agendaId: string): Promise<ItemStart[]> {
    return copyOut(this.itemStartsByAgenda.get(agendaId) ?? []);
  }

  // ---- outcomes ----

  async getOutcome(id: string): Promise<Outcome | undefined> {
    const found = await this.findOutcome(id);
    return found && copyOut(found.outcome);
  }

  async getOutcomeByPoll(pollId: string): Promise<Outcome | undefined> {
    const record = await this.record(pollId);
    const outcome = record && latestOutcome(record);
    return outcome && copyOut(outcome);
  }

  /**
   * The register search of outcome-query.ts, run on what is in memory (a held poll's outcomes, a
   * summarised poll's keys): only the outcomes selected, after the limit, are read from disk.
   */
  async listOutcomes(query: OutcomeQuery = {}): Promise<Outcome[]> {
    if (this.deferred) await this.allPolls();
    const selected = this.selectOutcomes(query);
    const kept = query.limit === undefined ? selected : selected.slice(0, query.limit);
    const bodies = new Map<string, PollRecord>();
    const toRead = [...new Set(kept.filter((entry) => entry.outcome === undefined).map((entry) => entry.pollId))];
    for (const record of await this.records(toRead.flatMap((id) => this.polls.get(id) ?? []))) bodies.set(record.poll.id, record);
    const outcomes: Outcome[] = [];
    for (const entry of kept) {
      const outcome = entry.outcome ?? bodies.get(entry.pollId)?.outcomes.find((candidate) => candidate.id === entry.id);
      if (outcome) outcomes.push(outcome);
    }
    return copyOut(outcomes);
  }

  async countOutcomes(query: Omit<OutcomeQuery, 'limit'> = {}): Promise<number> {
    if (this.deferred) await this.allPolls();
    return this.selectOutcomes(query).length;
  }

  /** Newest first; reads no file. */
  private selectOutcomes(query: OutcomeQuery): Selected[] {
    checkQuery(query);
    const words = queryWords(query);
    const scope = query.collaboratives;
    const matches = (closedAt: string, delivery: Outcome['delivery']['state'], gateway: boolean, text: () => string): boolean => {
      const day = closedAt.slice(0, 10);
      if (query.from !== undefined && day < query.from) return false;
      if (query.to !== undefined && day > query.to) return false;
      if (query.delivery !== undefined && delivery !== query.delivery) return false;
      if (query.gateway && !gateway) return false;
      if (words.length === 0) return true;
      const haystack = text();
      return words.every((word) => haystack.includes(word));
    };
    const selected: Selected[] = [];
    for (const slot of this.polls.values()) {
      if (scope && !inScope(scope, { collaborativeId: collaborativeOf(slot) })) continue;
      if (isRecord(slot)) {
        for (const outcome of slot.outcomes) {
          if (matches(outcome.closedAt, outcome.delivery.state, outcome.gateway !== undefined, () => searchableText(outcome))) selected.push({ id: outcome.id, closedAt: outcome.closedAt, pollId: slot.poll.id, outcome });
        }
        continue;
      }
      for (const key of slot.outcomes) {
        const reference = slot.legacy && slot.reference !== undefined && key.reference === slot.id ? slot.reference : key.reference;
        if (matches(key.closedAt, key.delivery, key.gateway, () => keyText(key, reference))) selected.push({ id: key.id, closedAt: key.closedAt, pollId: slot.id });
      }
    }
    return selected.sort(newestFirst);
  }

  async updateOutcome(id: string, update: (outcome: Outcome) => Outcome): Promise<Outcome | undefined> {
    return this.write(async () => {
      const found = await this.findOutcome(id);
      if (!found) return undefined;
      const { record, outcome } = found;
      const updated = admit(Outcome, update(copyOut(outcome)));
      if (updated.id !== outcome.id || updated.pollId !== outcome.pollId) {
        throw new Error(`updating outcome ${id} may not change its id or poll`);
      }
      if (!isDeepStrictEqual(updated, outcome)) {
        const outcomes = record.outcomes.map((existing) => (existing.id === id ? updated : existing));
        await this.commitPoll({ ...record, outcomes });
      }
      return copyOut(updated);
    });
  }

  // ---- questions, feedback, conversations, audit ----

  async logQuestion(entry: QuestionLog): Promise<void> {
    const admitted = admit(QuestionLog, entry);
    return this.write(() => this.persistence.questions.append(admitted));
  }

  async recordFeedback(feedback: Feedback): Promise<void> {
    const admitted = admit(Feedback, feedback);
    return this.write(() => this.persistence.feedback.append(admitted));
  }

  async getQuestion(id: string): Promise<QuestionLog | undefined> {
    // A matching line contains the id exactly as JSON.stringify wrote it: only those are parsed.
    const [found] = await this.persistence.questions.readAll({ text: JSON.stringify(id), keep: (question) => question.id === id });
    return found;
  }

  listQuestions(): Promise<QuestionLog[]> {
    return this.persistence.questions.readAll();
  }

  listFeedback(): Promise<Feedback[]> {
    return this.persistence.feedback.readAll();
  }

  async pruneQuestions(before: string): Promise<{ questions: number; feedback: number }> {
    return this.write(async () => {
      const pruned = new Set<string>();
      const questions = await this.persistence.questions.retain((question) => {
        if (question.at >= before) return true;
        pruned.add(question.id);
        return false;
      });
      const feedback = await this.persistence.feedback.retain((item) => item.at >= before && !pruned.has(item.questionId));
      return { questions, feedback };
    });
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    const admitted = admit(ConversationRecord, record);
    return this.write(async () => {
      await this.persistence.saveConversation(admitted);
      this.conversations.set(admitted.conversationId, admitted);
    });
  }

  async getConversation(conversationId: string): Promise<ConversationRecord | undefined> {
    const record = this.conversations.get(conversationId);
    return record && copyOut(record);
  }

  async appendAudit(...events: AuditEvent[]): Promise<void> {
    const admitted = events.map((event) => admit(AuditEvent, event));
    if (admitted.length === 0) return;
    return this.write(() => this.persistence.audit.append(...admitted));
  }

  async readAudit(filter: { subject?: string } = {}): Promise<AuditEvent[]> {
    if (this.deferred) await this.allPolls();
    const { subject } = filter;
    const logged = subject === undefined
      ? await this.persistence.audit.readAll()
      // A matching line contains the subject exactly as JSON.stringify wrote it.
      : await this.persistence.audit.readAll({ text: JSON.stringify(subject), keep: (event) => event.subject === subject });
    const wanted = (event: AuditEvent) => subject === undefined || event.subject === subject;
    const ofCollaboratives: AuditEvent[] = [];
    for (const record of this.collaboratives.values()) ofCollaboratives.push(...record.events.filter(wanted));
    const ofPolls: AuditEvent[] = [];
    // A summarised poll's file is read only when it holds events about the subject.
    const withEventsWanted = [...this.polls.values()].filter((slot) =>
      isRecord(slot) || (subject === undefined ? slot.eventSubjects.length > 0 : slot.eventSubjects.includes(subject)));
    for (const record of await this.records(withEventsWanted)) ofPolls.push(...(record.events ?? []).filter(wanted));
    if (ofPolls.length === 0 && ofCollaboratives.length === 0) return logged;
    // Poll and membership events live with their record (one atomic write with the vote, close or
    // change); the stream is their merge by time. Array.prototype.sort is stable, so same-instant
    // events keep this order: a membership change first (`setup` saves the collaborative, then
    // binds the team, at one instant), then the log, then polls' own events.
    return copyOut([...ofCollaboratives, ...logged, ...ofPolls].sort((a, b) => compareText(a.at, b.at)));
  }

  // ---- leases ----

  async acquireLease(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
    checkLease(name, holder, ttlMs, now);
    if (this.status !== 'ready') throw this.unavailable();
    // No await between the check and the set: nothing else runs in between, so the grant is atomic.
    const current = this.leases.get(name);
    if (current && current.holder !== holder && current.expiresAt > now.getTime()) return false;
    this.leases.set(name, { holder, expiresAt: now.getTime() + ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.status !== 'ready') throw this.unavailable();
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }

  // ---- lifecycle ----

  async backup(directory: string): Promise<string[]> {
    // Inside the queue: no write is half done while the copy is taken (nor is one queued after it included).
    return this.write(async () => {
      if (this.deferred) await this.allPolls();
      return this.persistence.backup(directory, () => this.contents());
    });
  }

  state(): StoreState {
    return this.status;
  }

  fail(reason: string): void {
    if (this.status === 'closed') return;
    this.status = 'failed';
    this.logger?.error({ reason }, 'store refuses further writes until Concord restarts');
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.status === 'ready') this.status = 'closing';
    try {
      await this.queue.drain();
      // The index is written from every summary; if they could not all be taken, it is not written.
      await this.allPolls()?.catch(() => undefined);
    } finally {
      // A store that lost its lock writes nothing more, not even the index (a cache).
      await this.persistence.close(this.status === 'failed' || this.deferred ? undefined : this.summaries());
      this.status = 'closed';
    }
  }

  /** Starts taking the deferred summaries in steps, between other work (after the port is open). */
  finishOpening(): void {
    this.allPolls()?.catch(() => undefined);
  }

  // ---- internals ----

  /**
   * Resolves once every poll's summary is held (at once, unless some were deferred); starts taking
   * them, a step per turn of the event loop, if nothing has asked before. Rejects, and the store
   * refuses writes, when neither the index nor the poll files can give them.
   */
  private allPolls(): Promise<void> | undefined {
    const deferred = this.deferred;
    if (!deferred) return undefined;
    this.takingSummaries ??= this.takeSummaries(deferred);
    return this.takingSummaries;
  }

  private async takeSummaries(deferred: DeferredSummaries): Promise<void> {
    try {
      try {
        while (deferred.remaining > 0) {
          for (const summary of deferred.take(SUMMARIES_PER_STEP)) this.installSummary(summary);
          if (deferred.remaining > 0) await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        this.logger?.warn({ reason: describeError(error) }, 'poll index not valid after all: reading every poll file instead');
        for (const summary of await deferred.readAll()) this.installSummary(summary);
      }
    } catch (error) {
      this.fail(`the polls that are not open could not be read: ${describeError(error)}`);
      throw error;
    }
    this.deferred = undefined;
    this.deriveLegacyReferences();
  }

  /** A deferred summary; an open poll, held whole from the start, is never replaced by one. */
  private installSummary(summary: PollSummary): void {
    const held = this.polls.get(summary.id);
    if (held && isRecord(held)) return;
    for (const outcome of summary.outcomes) {
      const other = this.outcomePolls.get(outcome.id);
      if (other !== undefined && other !== summary.id) throw new Error(`outcome ${outcome.id} is recorded on both poll ${other} and poll ${summary.id}`);
    }
    this.installPoll(summary);
  }

  private write<T>(task: () => Promise<T>): Promise<T> {
    if (this.status !== 'ready') return Promise.reject(this.unavailable());
    return this.queue.run(() => {
      // Writes queued before a close still run (close waits for them); after a failure nothing more is written.
      if (this.status === 'failed') throw this.unavailable();
      return task();
    });
  }

  private unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(`the store is ${this.status}; nothing was written`);
  }

  private async commitPoll(record: PollRecord): Promise<void> {
    const id = record.poll.id;
    const saving = this.persistence.savePoll(record);
    const settled = saving.then(() => undefined, () => undefined);
    this.savingPolls.set(id, settled);
    try {
      await saving;
      this.installPoll(record);
    } finally {
      if (this.savingPolls.get(id) === settled) this.savingPolls.delete(id);
    }
  }

  private nextReference(year: string): string {
    return decisionReference(year, (this.lastReference.get(year) ?? 0) + 1);
  }

  /**
   * Polls opened before decision references existed (no agenda item, no reference) get one derived
   * at read, and so do their outcomes, which quoted the internal poll id. Each takes the smallest
   * number not in use for its year, in the order the polls were opened: a number once stored (any
   * write of the poll keeps it) is never given to another, so the derivation gives the same answer
   * on every open. New polls take numbers above every one in use.
   */
  private deriveLegacyReferences(): void {
    const legacy = [...this.polls.values()]
      .filter((slot) => (isRecord(slot) ? slot.poll.agenda === undefined && slot.poll.reference === undefined : slot.legacy && slot.reference === undefined))
      .sort((a, b) => compareText(openedAtOf(a), openedAtOf(b)) || compareText(idOf(a), idOf(b)));
    if (legacy.length === 0) return;
    const used = new Map<string, Set<number>>();
    for (const slot of this.polls.values()) {
      const stored = isRecord(slot) ? slot.poll.reference : slot.reference;
      const parsed = stored === undefined ? undefined : parseDecisionReference(stored);
      if (parsed) used.set(parsed.year, (used.get(parsed.year) ?? new Set()).add(parsed.n));
    }
    // Each year's search resumes where the last one stopped: every number below it is taken, and
    // starting from 1 each time was quadratic (2.5 s for 20,000 legacy polls).
    const searchFrom = new Map<string, number>();
    for (const record of legacy) {
      const year = openedAtOf(record).slice(0, 4);
      const taken = used.get(year) ?? new Set<number>();
      let n = searchFrom.get(year) ?? 1;
      while (taken.has(n)) n += 1;
      used.set(year, taken.add(n));
      searchFrom.set(year, n + 1);
      const reference = decisionReference(year, n);
      if (!isRecord(record)) {
        // The body on disk stays as it is; withDerivedReference applies this number whenever it is read.
        this.installPoll(summaryWithReference(record, reference));
        continue;
      }
      const outcomes = record.outcomes.map((outcome) => (outcome.reference === record.poll.id ? { ...outcome, reference } : outcome));
      this.installPoll({ ...record, poll: { ...record.poll, reference }, outcomes });
    }
  }

  /**
   * Holds an open poll whole (votes land on it) and keeps only the summary of any other, when the
   * persistence can read its body back. A record reaches here either from its file (at open) or
   * after it was written, so its summary always describes the file on disk.
   */
  private installPoll(slot: PollSlot): void {
    const reference = isRecord(slot) ? slot.poll.reference : slot.reference;
    const parsed = reference === undefined ? undefined : parseDecisionReference(reference);
    if (parsed && parsed.n > (this.lastReference.get(parsed.year) ?? 0)) this.lastReference.set(parsed.year, parsed.n);
    const held = isRecord(slot) && slot.poll.status !== 'open' && this.persistence.readPoll !== undefined ? summarisePoll(slot) : slot;
    this.polls.set(idOf(held), held);
    for (const outcome of held.outcomes) this.outcomePolls.set(outcome.id, idOf(held));
  }

  /** The poll's whole record: held in memory, or read (and validated) from its file. */
  private async record(id: string): Promise<PollRecord | undefined> {
    // A poll file being replaced is renamed before its directory is fsynced: a read waits for the
    // write to be acknowledged, so it never returns a body that a crash could still take back.
    const saving = this.savingPolls.get(id);
    if (saving) await saving;
    if (this.deferred && !this.polls.has(id)) await this.allPolls();
    const slot = this.polls.get(id);
    if (slot === undefined || isRecord(slot)) return slot;
    return this.readBody(slot);
  }

  private async readBody(summary: PollSummary): Promise<PollRecord> {
    const read = await this.persistence.readPoll?.(summary.id);
    if (!read) throw new Error(`poll ${summary.id} is in the store's index but its record cannot be read`);
    return withDerivedReference(read, summary);
  }

  /** The records of `slots`, in order; summarised ones read from disk, yielding now and then so a long walk does not hold up votes. */
  private async records(slots: readonly PollSlot[]): Promise<PollRecord[]> {
    const records: PollRecord[] = [];
    let reads = 0;
    for (const slot of slots) {
      if (isRecord(slot)) {
        records.push(slot);
        continue;
      }
      reads += 1;
      if (reads % READS_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
      const record = await this.record(slot.id);
      if (record) records.push(record);
    }
    return records;
  }

  private async findOutcome(id: string): Promise<{ record: PollRecord; outcome: Outcome } | undefined> {
    if (this.deferred) await this.allPolls();
    const pollId = this.outcomePolls.get(id);
    const record = pollId === undefined ? undefined : await this.record(pollId);
    const outcome = record?.outcomes.find((candidate) => candidate.id === id);
    return record && outcome && { record, outcome };
  }

  /** Summaries of the polls not held whole, as the index keeps them (a derived reference is derived again at the next open). */
  private summaries(): PollSummary[] {
    const summaries: PollSummary[] = [];
    for (const slot of this.polls.values()) {
      if (isRecord(slot)) continue;
      if (!slot.legacy) summaries.push(slot);
      else {
        const { reference: _derived, ...stored } = slot;
        summaries.push(stored);
      }
    }
    return summaries;
  }

  private async contents(): Promise<StoreContents> {
    return {
      polls: await this.records([...this.polls.values()]),
      agendas: [...this.agendas.values()],
      itemStarts: [...this.itemStartsByAgenda.values()],
      conversations: [...this.conversations.values()],
      collaboratives: [...this.collaboratives.values()],
      bindings: [...this.bindings.values()],
    };
  }
}

/** The audit events of a membership change and a binding: every backend writes the same ones. */
export function collaborativeChanged(version: CollaborativeVersion): AuditEvent {
  return {
    at: version.at,
    action: 'collaborative.changed',
    by: version.by,
    subject: version.collaborativeId,
    detail: { version: version.version, change: version.change, before: version.before ?? null, after: version.collaborative },
  };
}

export function collaborativeBound(binding: Binding): AuditEvent {
  return { at: binding.at, action: 'collaborative.bound', by: binding.by, subject: binding.collaborativeId, detail: { conversationId: binding.conversationId } };
}

/**
 * Only the named keys, and only those the caller actually passed: a change of `{ closedAt: undefined }`
 * clears closedAt (as a reopening needs), while a key that is absent is left as it was.
 */
export function pickKeys<T extends object, K extends keyof T>(change: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (Object.hasOwn(change, key)) picked[key] = change[key];
  return picked;
}

/** A lease request that could never be right is a caller bug: fail loudly. */
export function checkLease(name: string, holder: string, ttlMs: number, now: Date): void {
  if (name === '' || holder === '') throw new Error('a lease needs a name and a holder');
  if (!(Number.isInteger(ttlMs) && ttlMs > 0)) throw new Error(`lease ${name}: ttlMs must be a whole number > 0, got ${ttlMs}`);
  if (Number.isNaN(now.getTime())) throw new Error(`lease ${name}: now is not a valid date`);
}

/**
 * Runs tasks one at a time, in the order they were queued.
 *
 * Every store write reads the current state, computes the next one and commits it; running them
 * one after another is what stops two concurrent handlers from both reading version N and one of
 * them silently overwriting the other (a lost vote). A failed task rejects only its own caller.
 */
class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => this.settle(),
      () => this.settle(),
    );
    return result;
  }

  /** Resolves once every task queued so far has finished, whether it succeeded or not. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  private settle(): void {
    this.pending -= 1;
  }
}

/** The object without keys whose value is undefined, as a zod parse leaves an absent optional field. */
function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** A poll's declarations with `declaration` added, or put in place of the one with its id. */
export const withDeclaration = <D extends Declaration>(declarations: readonly D[] | undefined, declaration: D): D[] => {
  const list = [...(declarations ?? [])];
  const index = list.findIndex((candidate) => candidate.id === declaration.id);
  if (index === -1) list.push(declaration);
  else list[index] = declaration;
  return list;
};
const idOf = (slot: PollSlot): string => (isRecord(slot) ? slot.poll.id : slot.id);
const openedAtOf = (slot: PollSlot): string => (isRecord(slot) ? slot.poll.openedAt : slot.openedAt);
/** When an agenda was first posted: its oldest version's time (history holds earlier versions). */
const firstPostedAt = (agenda: Agenda): string => agenda.history[0]?.at ?? agenda.current.at;
const byFirstPosted = (a: Agenda, b: Agenda): number => firstPostedAt(a).localeCompare(firstPostedAt(b)) || a.id.localeCompare(b.id);
