import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { Agenda } from '../../agenda/model.js';
import { isTemporaryFile } from './durable-file.js';
import { describe, isErrorCode, JsonDocumentFile, parseDocument } from './json-document-file.js';
import { inspectLog, yieldToEventLoop, type LogInspection } from './json-lines-log.js';
import type { StoreContents } from '../persistence.js';
import { PollRecord } from '../poll-record.js';
import {
  AGENDAS_DIR,
  AUDIT_FILE,
  CONVERSATIONS_DIR,
  CollaborativeFile,
  COLLABORATIVES_DIR,
  documentFileName,
  FEEDBACK_FILE,
  ITEM_STARTS_DIR,
  ItemStartsFile,
  LOG_FILES,
  MAIN_FILE,
  MainFile,
  POLLS_DIR,
  QUESTIONS_FILE,
  type LogFile,
} from './store-layout.js';
import { AuditEvent, ConversationRecord, StoreOpenError } from '../store.js';
import { Feedback, QuestionLog } from '../../knowledge/question-log.js';

const YIELD_EVERY = 200;

export interface StoreDirectoryContents {
  /** undefined for a directory that has never held a store. */
  main: MainFile | undefined;
  contents: StoreContents;
  logs: Record<LogFile, LogInspection>;
}

/**
 * Reads and validates everything in a (current-version) store directory without changing a byte:
 * any file that does not parse or validate stops the open with a StoreOpenError naming it.
 * Also used to check a backup.
 */
export async function readStoreDirectory(dataDir: string): Promise<StoreDirectoryContents> {
  const main = (await new JsonDocumentFile(path.join(dataDir, MAIN_FILE), MainFile).read()) ?? undefined;
  const polls = await readDocuments(path.join(dataDir, POLLS_DIR), PollRecord, (record) => record.poll.id);
  const agendas = await readDocuments(path.join(dataDir, AGENDAS_DIR), Agenda, (agenda) => agenda.id);
  const conversationFiles = await readDocuments(path.join(dataDir, CONVERSATIONS_DIR), ConversationRecord, (record) => record.conversationId);
  // Older stores kept references in concord.json; a per-conversation file saved since replaces its entry.
  const conversations = [...new Map([...(main?.conversations ?? []), ...conversationFiles].map((record) => [record.conversationId, record])).values()];
  const collaboratives = await readDocuments(path.join(dataDir, COLLABORATIVES_DIR), CollaborativeFile, (record) => record.versions[0]?.collaborativeId ?? '');
  const itemStarts = await readDocuments(path.join(dataDir, ITEM_STARTS_DIR), ItemStartsFile, (starts) => starts[0]?.agendaId ?? '');
  const logs = {
    [AUDIT_FILE]: await inspectLog(path.join(dataDir, AUDIT_FILE), AuditEvent),
    [QUESTIONS_FILE]: await inspectLog(path.join(dataDir, QUESTIONS_FILE), QuestionLog),
    [FEEDBACK_FILE]: await inspectLog(path.join(dataDir, FEEDBACK_FILE), Feedback),
  };
  if (!main) refuseOrphanedFiles(dataDir, polls.length + agendas.length + conversationFiles.length + collaboratives.length + itemStarts.length, logs);
  checkOutcomeIdsAreUnique(polls);
  return { main, contents: { polls, agendas, itemStarts, conversations, collaboratives, bindings: main?.bindings ?? [] }, logs };
}

/** Without the main file we cannot know the layout's version, so records without it are not guessed at. */
function refuseOrphanedFiles(dataDir: string, documents: number, logs: Record<LogFile, LogInspection>): void {
  const logBytes = LOG_FILES.reduce((total, file) => total + logs[file].completeBytes + logs[file].tornBytes, 0);
  if (documents > 0 || logBytes > 0) {
    throw new StoreOpenError(`${path.join(dataDir, MAIN_FILE)} is missing but ${dataDir} holds store records; restore it from a backup`);
  }
}

function checkOutcomeIdsAreUnique(polls: PollRecord[]): void {
  const owners = new Map<string, string>();
  for (const { poll, outcomes } of polls) {
    for (const outcome of outcomes) {
      const other = owners.get(outcome.id);
      if (other !== undefined) throw new StoreOpenError(`outcome ${outcome.id} is recorded on both poll ${other} and poll ${poll.id}`);
      owners.set(outcome.id, poll.id);
    }
  }
}

/**
 * Reads with readFileSync in slices, yielding between them: for thousands of small files a
 * synchronous read is ~5× faster than going through libuv's thread pool, and yielding keeps the
 * event loop (and so the lock's refresh timer) running while a large store opens.
 */
async function readDocuments<T>(directory: string, schema: z.ZodType<T>, idOf: (document: T) => string): Promise<T[]> {
  const names = (await listDirectory(directory)).filter((name) => name.endsWith('.json') && !isTemporaryFile(name)).sort();
  const documents: T[] = [];
  for (const [index, name] of names.entries()) {
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    const file = path.join(directory, name);
    const document = parseDocument(file, readTextSync(file), schema);
    // A file under the wrong name would be shadowed or duplicated by the next write to its id.
    const expected = documentFileName(idOf(document));
    if (name !== expected) throw new StoreOpenError(`${file} holds ${idOf(document)}, whose file should be ${expected}`);
    documents.push(document);
  }
  return documents;
}

function readTextSync(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new StoreOpenError(`cannot read ${file}: ${describe(error)}`);
  }
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    if (!(await stat(directory)).isDirectory()) throw new StoreOpenError(`${directory} is not a directory`);
    return await readdir(directory);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`cannot list ${directory}: ${describe(error)}`);
  }
}
