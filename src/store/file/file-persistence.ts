import type { Low } from 'lowdb';
import type { Agenda } from '../../agenda/model.js';
import { copyStoreFiles } from './copy-store-files.js';
import type { DirectoryLock } from './directory-lock.js';
import { replaceFileAtomically } from './durable-file.js';
import type { JsonLinesLog } from './json-lines-log.js';
import type { CollaborativeRecord, StorePersistence } from '../persistence.js';
import type { PollRecord } from '../poll-record.js';
import { serialisePollRecord } from './poll-file.js';
import { agendaFilePath, collaborativeFilePath, conversationFilePath, CURRENT_SCHEMA_VERSION, itemStartsFilePath, pollFilePath, serialiseDocument, type MainFile } from './store-layout.js';
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
  ) {}

  savePoll(record: PollRecord): Promise<void> {
    return replaceFileAtomically(pollFilePath(this.dataDir, record.poll.id), serialisePollRecord(record));
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

  async close(): Promise<void> {
    try {
      await Promise.all([this.audit.close(), this.questions.close(), this.feedback.close()]);
    } finally {
      await this.lock.release();
    }
  }
}
