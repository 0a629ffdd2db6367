import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Low } from 'lowdb';
import type { Logger } from 'pino';
import type { Agenda } from '../../agenda/model.js';
import { copyStoreFiles } from './copy-store-files.js';
import type { DirectoryLock } from './directory-lock.js';
import { isTemporaryFile, replaceFileAtomically } from './durable-file.js';
import type { JsonLinesLog } from './json-lines-log.js';
import type { CollaborativeRecord, StorePersistence } from '../persistence.js';
import { PollRecord } from '../poll-record.js';
import type { PollSummary } from '../poll-summary.js';
import { serialisePollRecord } from './poll-file.js';
import { fingerprintFile, witnessesOf, writePollIndex, type Fingerprint, type LogCheckpoint } from './poll-index.js';
import { describe, isErrorCode, parseDocument } from './json-document-file.js';
import {
  agendaFilePath,
  collaborativeFilePath,
  conversationFilePath,
  AUDIT_FILE,
  CURRENT_SCHEMA_VERSION,
  documentFileName,
  itemStartsFilePath,
  LOG_FILES,
  pollFilePath,
  POLLS_DIR,
  QUESTIONS_FILE,
  serialiseDocument,
  type MainFile,
} from './store-layout.js';
import type { ItemStart } from '../../decisions/item-start.js';
import type { Binding, CollaborativeVersion } from '../../membership/model.js';
import type { AuditEvent, ConversationRecord } from '../store.js';
import type { Feedback, QuestionLog } from '../../knowledge/question-log.js';

/** The lowdb store's persistence: one atomic file per poll and per agenda, a lowdb main file, and JSON-lines logs. */
export class FilePersistence implements StorePersistence {
  constructor(
    private readonly dataDir: string,
    private readonly main: Low<MainFile>,
    readonly audit: JsonLinesLog<AuditEvent>,
    readonly questions: JsonLinesLog<QuestionLog>,
    readonly feedback: JsonLinesLog<Feedback>,
    private readonly lock: DirectoryLock,
    private readonly logger?: Logger,
  ) {}

  savePoll(record: PollRecord): Promise<void> {
    return replaceFileAtomically(pollFilePath(this.dataDir, record.poll.id), serialisePollRecord(record));
  }

  /** Read and validated on every call: only the store's own writes replace a poll file, and each is durable before the engine installs it. */
  async readPoll(id: string): Promise<PollRecord | undefined> {
    const file = pollFilePath(this.dataDir, id);
    let text: string;
    try {
      // Synchronous: one small file, ~5× faster than a round trip through libuv's thread pool.
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return undefined;
      throw error;
    }
    const record = parseDocument(file, text, PollRecord);
    if (record.poll.id !== id) throw new Error(`${file} holds poll ${record.poll.id}, not ${id}`);
    return record;
  }

  saveAgenda(agenda: Agenda): Promise<void> {
    return replaceFileAtomically(agendaFilePath(this.dataDir, agenda.id), serialiseDocument(agenda));
  }

  saveItemStarts(starts: readonly ItemStart[]): Promise<void> {
    const id = starts[0]?.agendaId;
    if (id === undefined) throw new Error('an item-starts file needs at least one move');
    return replaceFileAtomically(itemStartsFilePath(this.dataDir, id), serialiseDocument(starts));
  }

  saveConversation(record: ConversationRecord): Promise<void> {
    return replaceFileAtomically(conversationFilePath(this.dataDir, record.conversationId), serialiseDocument(record));
  }

  saveCollaborative(record: CollaborativeRecord): Promise<void> {
    const id = record.versions[0]?.collaborativeId;
    if (id === undefined) throw new Error('a collaborative file needs at least one version');
    return replaceFileAtomically(collaborativeFilePath(this.dataDir, id), serialiseDocument({ versions: record.versions, events: record.events ?? [] }));
  }

  async saveBindings(bindings: readonly Binding[]): Promise<void> {
    this.main.data = { ...this.main.data, schemaVersion: CURRENT_SCHEMA_VERSION, bindings: [...bindings] };
    await this.main.write();
  }

  backup(directory: string): Promise<string[]> {
    return copyStoreFiles(this.dataDir, directory);
  }

  /**
   * The index of `summaries` (see poll-index.ts) and of how far each log has been checked. Files
   * are stat'ed now (from the write queue, or after it drained): holding 20,000 fingerprints for
   * the whole run cost more memory than the stats cost time. `known`: fingerprints just taken at
   * open, with the index's witnesses as they were before; otherwise the witnesses are taken first,
   * so any write after them shows as a changed folder at the next open.
   */
  async writeIndex(summaries: readonly PollSummary[], known?: { files: ReadonlyMap<string, Fingerprint>; witnesses: Fingerprint[] | undefined }): Promise<void> {
    const witnesses = known ? known.witnesses : witnessesOf(this.dataDir);
    const polls = [];
    for (const summary of summaries) {
      const file = documentFileName(summary.id);
      const fingerprint = known?.files.get(file) ?? fingerprintFile(pollFilePath(this.dataDir, summary.id));
      if (fingerprint) polls.push({ file, fingerprint, summary });
    }
    const indexed = new Set(polls.map((entry) => entry.file));
    // The open polls' files: an open whose witnesses are unchanged reads just these (and no listing).
    const unindexed = (await readdir(path.join(this.dataDir, POLLS_DIR))).filter((name) => name.endsWith('.json') && !isTemporaryFile(name) && !indexed.has(name)).sort();
    const logs: Record<string, LogCheckpoint> = {};
    for (const [file, log] of LOG_FILES.map((name) => [name, this.logOf(name)] as const)) {
      const checkpoint = await log.checkpoint();
      if (checkpoint) logs[file] = checkpoint;
    }
    await writePollIndex(this.dataDir, { polls, logs, unindexed, ...(witnesses ? { witnesses } : {}) });
  }

  async close(summaries?: readonly PollSummary[]): Promise<void> {
    try {
      if (summaries) {
        // A cache only: if it cannot be written, the next open reads every file instead.
        await this.writeIndex(summaries).catch((error: unknown) => this.logger?.warn({ reason: describe(error) }, 'poll index not written; the next start will read every poll file'));
      }
      await Promise.all([this.audit.close(), this.questions.close(), this.feedback.close()]);
    } finally {
      await this.lock.release();
    }
  }

  private logOf(file: (typeof LOG_FILES)[number]): JsonLinesLog<unknown> {
    return file === AUDIT_FILE ? this.audit : file === QUESTIONS_FILE ? this.questions : this.feedback;
  }
}
