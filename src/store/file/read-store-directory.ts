import { readFileSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { Agenda } from '../../agenda/model.js';
import { isTemporaryFile } from './durable-file.js';
import { describe, isErrorCode, JsonDocumentFile, parseDocument } from './json-document-file.js';
import { inspectLog, yieldToEventLoop, type LogInspection } from './json-lines-log.js';
import type { StoreContents } from '../persistence.js';
import { PollRecord } from '../poll-record.js';
import { summarisePoll, type PollSummary } from '../poll-summary.js';
import {
  BadIndex, decodeEntries, fingerprintFile, POLL_INDEX_FILE, fingerprintOf, sameFingerprint, sameWitnesses, witnessesOf, type Fingerprint, type IndexEntry, type PollIndexFile,
} from './poll-index.js';
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
  /** Poll file name → its fingerprint as read (from the index or the file itself). */
  pollFingerprints: Map<string, Fingerprint>;
  /** How the index was checked against the poll files (logged at open). */
  indexCheck: IndexCheck;
  /** The index's witnesses (poll-index.ts), taken before anything was read (for a new index). */
  witnesses: Fingerprint[] | undefined;
  /** The index was missing, or did not describe every poll file that is not open: write a new one. */
  indexStale: boolean;
  /** Poll files read and validated in full (the others were taken from the index). */
  pollFilesRead: number;
  /**
   * With `deferIndexed`, and the folder as the index last saw it: the index, whose entries (every
   * poll that is not open) are still to be decoded. `contents` then holds the open polls only.
   */
  deferred?: PollIndexFile;
}

/**
 * Reads and validates everything in a (current-version) store directory without changing a byte:
 * any file that does not parse or validate stops the open with a StoreOpenError naming it.
 * Also used to check a backup.
 */
export async function readStoreDirectory(
  dataDir: string,
  index?: PollIndexFile,
  options: { summariseClosed?: boolean; deferIndexed?: boolean; logger?: Logger } = {},
): Promise<StoreDirectoryContents> {
  // Taken before anything is read: a change after it makes the next open check every file, never the reverse.
  const witnesses = witnessesOf(dataDir);
  const unchanged = sameWitnesses(index?.witnesses, witnesses);
  const main = (await new JsonDocumentFile(path.join(dataDir, MAIN_FILE), MainFile).read()) ?? undefined;
  const pollsDir = path.join(dataDir, POLLS_DIR);
  const deferrable = options.deferIndexed && unchanged && index?.unindexed !== undefined ? await readUnindexedPolls(pollsDir, index.unindexed) : undefined;
  let entries: IndexEntry[] | undefined;
  if (index && !deferrable) {
    try {
      entries = decodeEntries(index);
    } catch (error) {
      if (!(error instanceof BadIndex)) throw error;
      options.logger?.warn({ file: path.join(dataDir, POLL_INDEX_FILE), reason: error.message }, 'poll index ignored: it is not valid; reading every poll file and writing a new index');
    }
  }
  const { polls, pollSummaries, pollFingerprints, indexStale, pollFilesRead } = deferrable
    ?? await readPolls(pollsDir, entries, unchanged, options.summariseClosed ?? false);
  const agendas = await readDocuments(path.join(dataDir, AGENDAS_DIR), Agenda, (agenda) => agenda.id);
  const conversationFiles = await readDocuments(path.join(dataDir, CONVERSATIONS_DIR), ConversationRecord, (record) => record.conversationId);
  // Older stores kept references in concord.json; a per-conversation file saved since replaces its entry.
  const conversations = [...new Map([...(main?.conversations ?? []), ...conversationFiles].map((record) => [record.conversationId, record])).values()];
  const collaboratives = await readDocuments(path.join(dataDir, COLLABORATIVES_DIR), CollaborativeFile, (record) => record.versions[0]?.collaborativeId ?? '');
  const itemStarts = await readDocuments(path.join(dataDir, ITEM_STARTS_DIR), ItemStartsFile, (starts) => starts[0]?.agendaId ?? '');
  const logs = {
    [AUDIT_FILE]: await inspectLog(path.join(dataDir, AUDIT_FILE), AuditEvent, index?.logs[AUDIT_FILE]),
    [QUESTIONS_FILE]: await inspectLog(path.join(dataDir, QUESTIONS_FILE), QuestionLog, index?.logs[QUESTIONS_FILE]),
    [FEEDBACK_FILE]: await inspectLog(path.join(dataDir, FEEDBACK_FILE), Feedback, index?.logs[FEEDBACK_FILE]),
  };
  const documents = polls.length + pollSummaries.length + agendas.length + conversationFiles.length + collaboratives.length + itemStarts.length;
  if (!main) refuseOrphanedFiles(dataDir, documents, logs);
  checkOutcomeIdsAreUnique([...polls.map(summarisePoll), ...pollSummaries]);
  return {
    main,
    contents: { polls, pollSummaries, agendas, itemStarts, conversations, collaboratives, bindings: main?.bindings ?? [] },
    logs,
    pollFingerprints,
    witnesses,
    indexStale,
    indexCheck: deferrable ? 'deferred' : entries === undefined ? 'no index' : unchanged ? 'folder unchanged' : 'per file',
    ...(deferrable ? { deferred: index } : {}),
    pollFilesRead,
  };
}

/** The summary of every poll that is not open, each read from its own file and validated (no index). */
export async function readClosedPollSummaries(dataDir: string): Promise<PollSummary[]> {
  return (await readPolls(path.join(dataDir, POLLS_DIR), undefined, false, true)).pollSummaries;
}

type IndexCheck = 'no index' | 'folder unchanged' | 'per file' | 'deferred';

/**
 * The open polls the index lists as having no entry, read and validated; undefined when the open
 * cannot be deferred after all (a file gone or no longer open, or a legacy poll, whose derived
 * reference depends on every other poll's): the caller then decodes every entry now.
 */
async function readUnindexedPolls(directory: string, names: readonly string[]): Promise<Awaited<ReturnType<typeof readPolls>> | undefined> {
  const polls: PollRecord[] = [];
  const pollFingerprints = new Map<string, Fingerprint>();
  for (const name of names) {
    const file = path.join(directory, name);
    const fingerprint = fingerprintFile(file);
    if (!fingerprint) return undefined;
    const record = readDocument(file, name, PollRecord, (document) => document.poll.id);
    if (record.poll.status !== 'open' || (record.poll.agenda === undefined && record.poll.reference === undefined)) return undefined;
    polls.push(record);
    pollFingerprints.set(name, fingerprint);
  }
  return { polls, pollSummaries: [], pollFingerprints, indexStale: false, pollFilesRead: polls.length };
}

/**
 * Each poll file whose fingerprint matches its index entry is taken as the entry's summary without
 * being read; every other file is read and validated in full (and an open poll is always read:
 * the index holds none). One stat per file instead of a read, a parse and a validation; none at
 * all while the store folder is as the index last saw it (`unchanged`: its witnesses, poll-index.ts).
 */
async function readPolls(directory: string, index: readonly IndexEntry[] | undefined, unchanged: boolean, summariseClosed: boolean): Promise<{
  polls: PollRecord[];
  pollSummaries: PollSummary[];
  pollFingerprints: Map<string, Fingerprint>;
  indexStale: boolean;
  pollFilesRead: number;
}> {
  const indexed = new Map((index ?? []).map((entry) => [entry.file, entry]));
  const names = (await listDirectory(directory)).filter((name) => name.endsWith('.json') && !isTemporaryFile(name)).sort();
  const polls: PollRecord[] = [];
  const pollSummaries: PollSummary[] = [];
  const pollFingerprints = new Map<string, Fingerprint>();
  let indexStale = index === undefined;
  let pollFilesRead = 0;
  for (const [position, name] of names.entries()) {
    if (position % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
    const file = path.join(directory, name);
    const entry = indexed.get(name);
    indexed.delete(name);
    if (entry && unchanged) {
      pollFingerprints.set(name, entry.fingerprint);
      pollSummaries.push(entry.summary);
      continue;
    }
    const fingerprint = fingerprintOf(statFileSync(file));
    pollFingerprints.set(name, fingerprint);
    if (entry && sameFingerprint(entry.fingerprint, fingerprint)) {
      pollSummaries.push(entry.summary);
      continue;
    }
    const record = readDocument(file, name, PollRecord, (document) => document.poll.id);
    pollFilesRead += 1;
    if (record.poll.status !== 'open') indexStale = true;
    // The store keeps only a summary of a closed poll: dropping its body now keeps a first open
    // (no index yet) from holding every record at once.
    if (summariseClosed && record.poll.status !== 'open') pollSummaries.push(summarisePoll(record));
    else polls.push(record);
  }
  // Entries whose file is gone describe nothing: a new index leaves them out.
  if (indexed.size > 0) indexStale = true;
  return { polls, pollSummaries, pollFingerprints, indexStale, pollFilesRead };
}

function statFileSync(file: string) {
  try {
    return statSync(file);
  } catch (error) {
    throw new StoreOpenError(`cannot read ${file}: ${describe(error)}`);
  }
}

/** Without the main file we cannot know the layout's version, so records without it are not guessed at. */
function refuseOrphanedFiles(dataDir: string, documents: number, logs: Record<LogFile, LogInspection>): void {
  const logBytes = LOG_FILES.reduce((total, file) => total + logs[file].completeBytes + logs[file].tornBytes, 0);
  if (documents > 0 || logBytes > 0) {
    throw new StoreOpenError(`${path.join(dataDir, MAIN_FILE)} is missing but ${dataDir} holds store records; restore it from a backup`);
  }
}

function checkOutcomeIdsAreUnique(polls: readonly Pick<PollSummary, 'id' | 'outcomes'>[]): void {
  const owners = new Map<string, string>();
  for (const { id, outcomes } of polls) {
    for (const outcome of outcomes) {
      const other = owners.get(outcome.id);
      if (other !== undefined) throw new StoreOpenError(`outcome ${outcome.id} is recorded on both poll ${other} and poll ${id}`);
      owners.set(outcome.id, id);
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
    documents.push(readDocument(path.join(directory, name), name, schema, idOf));
  }
  return documents;
}

/** One document, validated, and checked to be under its id's file name. */
export function readDocument<T>(file: string, name: string, schema: z.ZodType<T>, idOf: (document: T) => string): T {
  const document = parseDocument(file, readTextSync(file), schema);
  // A file under the wrong name would be shadowed or duplicated by the next write to its id.
  const expected = documentFileName(idOf(document));
  if (name !== expected) throw new StoreOpenError(`${file} holds ${idOf(document)}, whose file should be ${expected}`);
  return document;
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
