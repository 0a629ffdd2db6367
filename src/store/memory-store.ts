import type { Logger } from 'pino';
import { copyOut } from './copy.js';
import type { LogFilter, RecordLog, StorePersistence } from './persistence.js';
import { createStoreEngine } from './store-engine.js';
import type { AuditEvent, Store } from './store.js';
import type { Feedback, QuestionLog } from '../knowledge/question-log.js';
import { writeStoreDirectory } from './file/write-store-directory.js';

/**
 * The store for tests: the same engine (and so the same rules) as the lowdb store, with nothing
 * on disk. Values are copied in and out, so a test cannot change stored state by mutating an
 * object it passed in or got back. `backup` writes the lowdb layout, which openFileStore can open.
 */
export function createMemoryStore(options: { logger?: Logger } = {}): Store {
  const audit = new MemoryLog<AuditEvent>();
  const questions = new MemoryLog<QuestionLog>();
  const feedback = new MemoryLog<Feedback>();
  const persistence: StorePersistence = {
    savePoll: async () => undefined,
    saveAgenda: async () => undefined,
    saveItemStarts: async () => undefined,
    saveConversation: async () => undefined,
    saveCollaborative: async () => undefined,
    saveBindings: async () => undefined,
    audit,
    questions,
    feedback,
    backup: async (directory, contents) =>
      writeStoreDirectory(directory, { ...(await contents()), audit: audit.records, questions: questions.records, feedback: feedback.records }),
    close: async () => undefined,
  };
  return createStoreEngine({ polls: [], agendas: [], conversations: [] }, persistence, options.logger);
}

class MemoryLog<T> implements RecordLog<T> {
  readonly records: T[] = [];

  async append(...records: T[]): Promise<void> {
    this.records.push(...copyOut(records));
  }

  async readAll(filter?: LogFilter<T>): Promise<T[]> {
    return copyOut(filter ? this.records.filter(filter.keep) : this.records);
  }

  async retain(keep: (record: T) => boolean): Promise<number> {
    const kept = this.records.filter(keep);
    const removed = this.records.length - kept.length;
    this.records.splice(0, this.records.length, ...kept);
    return removed;
  }
}
