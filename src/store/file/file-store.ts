/**
 * The embedded store: JSON files under one data directory (CONCORD_DATA_DIR, default data/store).
 *
 *   concord.json        main file (a lowdb document): { schemaVersion, conversations }. Its
 *                       presence and version mark the directory as a store; checked with zod on
 *                       open and migrated forward from older versions (the previous one is kept as
 *                       concord.v<N>.json).
 *   polls/<id>.json     one file per poll: { poll, votes (one per organisation), outcomes }.
 *                       A vote, a close and its outcome, a reopening: each is one rewrite of this
 *                       one small file, so a write costs the same with 20 or 20,000 polls in the
 *                       register, and closing lands the status and the outcome in a single rename.
 *   agendas/<id>.json   one file per agenda, with its version history (optimistic concurrency).
 *   audit.jsonl         append-only JSON lines, one record a line, fsynced per append:
 *   questions.jsonl     never rewritten, so appending costs the same at 200,000 events.
 *   feedback.jsonl
 *   concord.lock/       proper-lockfile's lock (owner.json inside names the process): one writer.
 *
 * File names are a slug of the id plus a hash of it (store-layout.ts: ids are arbitrary strings).
 *
 * Documents are replaced atomically: temporary file, fsync, rename, fsync of the directory. Logs are
 * appended at their known end and fsynced. All writes pass through one in-process queue, and a
 * method resolves only once its data is on disk; memory is updated after that, so reads never see
 * a write that could still be lost. Open polls are held whole in memory; of every other poll only
 * a summary (poll-summary.ts: id, status, dates, references, search text, delivery state) is held,
 * and its body is read from its file, and validated, when asked for (issue 22: 20,000 closed polls
 * took ~120 MB of heap held whole). `polls.index.json` (poll-index.ts) keeps those summaries with
 * each file's fingerprint, and how far each log was validated, so opening reads one file instead of
 * every poll and checks only the audit lines appended since; it is a cache, checked file by file
 * and rebuilt when missing, stale or invalid. Log reads (readAudit, listQuestions) read the file:
 * readAudit({ subject }) only parses lines that mention the subject.
 *
 * Crash recovery on open: temporary files of interrupted writes are deleted (a rename never
 * happened, so they were never acknowledged); a torn last log line is moved aside (its bytes copied
 * to `<log>.torn-<time>`) and the log truncated to its last complete line; both are logged and
 * reported in `recovery`. A file that does not parse or validate stops the open with a
 * StoreOpenError naming it, and is left untouched; nothing is changed until every file has been read.
 *
 * Backups: Store.backup copies the files from inside the write queue; `npm run store:backup`
 * copies them while Concord runs, without the lock (see copy-store-files.ts for why that is safe).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { lockDataDirectory, type DirectoryLock, type LockTiming } from './directory-lock.js';
import { removeTemporaryFiles, replaceFileAtomically, syncDirectory } from './durable-file.js';
import { FilePersistence } from './file-persistence.js';
import { describe, JsonDocumentFile } from './json-document-file.js';
import { JsonLinesLog, setTornTailAside, type TornTail } from './json-lines-log.js';
import { migrateStoreDirectory } from './migrations.js';
import { readClosedPollSummaries, readStoreDirectory, type StoreDirectoryContents } from './read-store-directory.js';
import type { DeferredSummaries } from '../persistence.js';
import { decodeEntries, readPollIndex, type PollIndexFile } from './poll-index.js';
import { summarisePoll } from '../poll-summary.js';
import { createStoreEngine, type StoreEngine } from '../store-engine.js';
import {
  AUDIT_FILE,
  DOCUMENT_DIRS,
  EMPTY_MAIN_FILE,
  FEEDBACK_FILE,
  LOG_FILES,
  MAIN_FILE,
  MainFile,
  QUESTIONS_FILE,
  serialiseDocument,
} from './store-layout.js';
import { AuditEvent, StoreOpenError, type Store } from '../store.js';
import { Feedback, QuestionLog } from '../../knowledge/question-log.js';

export interface FileStoreOptions {
  dataDir: string;
  logger?: Logger;
  /** Lock timing; the defaults (stale after 10 s, refreshed every 2.5 s) suit production. */
  lock?: LockTiming;
}

/** What opening had to repair after a crash or an upgrade. */
export interface RecoveryReport {
  tornLines: TornTail[];
  removedTemporaryFiles: string[];
  /** The layout version the store was migrated from, when it was older. */
  migratedFrom?: number;
}

export interface FileStore extends Store {
  readonly dataDir: string;
  readonly recovery: RecoveryReport;
}

export async function openFileStore(options: FileStoreOptions): Promise<FileStore> {
  const dataDir = path.resolve(options.dataDir);
  const { logger } = options;
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new StoreOpenError(`cannot create ${dataDir}: ${describe(error)}`);
  }

  let engine: StoreEngine | undefined;
  let lostDuringOpen: string | undefined;
  const stopWriting = (reason: string): void => {
    if (engine) engine.fail(reason);
    else lostDuringOpen = reason;
  };
  const lock = await lockDataDirectory(dataDir, { timing: options.lock, logger, onLost: stopWriting });
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const migratedFrom = await migrateStoreDirectory(dataDir, logger);
    const found = await readStoreDirectory(dataDir, await readPollIndex(dataDir, logger), { summariseClosed: true, deferIndexed: true, logger });
    // Every file has been read and validated; only from here on is anything changed.
    const recovery: RecoveryReport = { ...(await repairAfterCrash(dataDir, found, logger)), ...(migratedFrom ? { migratedFrom } : {}) };
    await ensureLayout(dataDir, found.main === undefined);

    const main = new Low<MainFile>(new JsonDocumentFile(path.join(dataDir, MAIN_FILE), MainFile), found.main ?? EMPTY_MAIN_FILE);
    // Not `found` itself: closures here share one scope with stopWriting, which the lock keeps for
    // the whole run, and `found` holds every record read at open.
    const inspected = found.logs;
    const openLog = async <T>(file: (typeof LOG_FILES)[number], schema: z.ZodType<T>) => {
      const { completeBytes: size, completeLines: lines } = inspected[file];
      const log = await JsonLinesLog.open(path.join(dataDir, file), schema, { size, lines, onBroken: stopWriting });
      opened.push(log);
      return log;
    };
    const persistence = new FilePersistence(
      dataDir,
      main,
      await openLog(AUDIT_FILE, AuditEvent),
      await openLog(QUESTIONS_FILE, QuestionLog),
      await openLog(FEEDBACK_FILE, Feedback),
      lock,
      logger,
    );
    if (lostDuringOpen) throw new StoreOpenError(lostDuringOpen);
    if (found.indexStale) await writeFreshIndex(persistence, found, logger);
    const deferredSummaries = found.deferred && deferIndexEntries(found.deferred, dataDir);
    engine = createStoreEngine({ ...found.contents, ...(deferredSummaries ? { deferredSummaries } : {}) }, persistence, logger);
    const polls = found.contents.polls.length + (found.contents.pollSummaries?.length ?? 0) + (found.deferred?.entryLines.length ?? 0);
    logger?.info({ dataDir, polls, pollsRead: found.pollFilesRead, pollIndex: found.indexCheck, ...recovery }, 'store open');
    return Object.assign(engine, { dataDir, recovery });
  } catch (error) {
    await closeQuietly(opened, lock);
    throw error;
  }
}

/**
 * The index's entries, decoded a step at a time by the engine once the port is open (an open that
 * found the folder as the index last saw it has read only the open polls' files). Each line is
 * dropped once decoded, so the file's text does not outlive the step that used it.
 */
function deferIndexEntries(index: PollIndexFile, dataDir: string): DeferredSummaries {
  let next = 0;
  return {
    get remaining() {
      return index.entryLines.length - next;
    },
    take(count) {
      const to = Math.min(next + count, index.entryLines.length);
      const entries = decodeEntries(index, next, to);
      index.entryLines.fill('', next, to);
      next = to;
      return entries.map((entry) => entry.summary);
    },
    readAll: () => readClosedPollSummaries(dataDir),
  };
}

/**
 * After a first open, an upgrade or a crash: the index as the files now are, so the next open
 * reads one file. Written before the engine starts, so it describes exactly what was read.
 */
async function writeFreshIndex(persistence: FilePersistence, found: StoreDirectoryContents, logger?: Logger): Promise<void> {
  const summaries = [...(found.contents.pollSummaries ?? []), ...found.contents.polls.filter((record) => record.poll.status !== 'open').map(summarisePoll)];
  try {
    await persistence.writeIndex(summaries, { files: found.pollFingerprints, witnesses: found.witnesses });
    logger?.info({ polls: summaries.length }, 'poll index written');
  } catch (error) {
    logger?.warn({ reason: describe(error) }, 'poll index not written; the next start will read every poll file');
  }
}

async function repairAfterCrash(dataDir: string, found: StoreDirectoryContents, logger?: Logger): Promise<RecoveryReport> {
  const removedTemporaryFiles = [
    ...(await removeTemporaryFiles(dataDir)),
    ...(await Promise.all(DOCUMENT_DIRS.map((directory) => removeTemporaryFiles(path.join(dataDir, directory))))).flat(),
  ];
  if (removedTemporaryFiles.length > 0) {
    logger?.info({ files: removedTemporaryFiles }, 'removed temporary files of writes interrupted before they were acknowledged');
  }
  const tornLines: TornTail[] = [];
  for (const file of LOG_FILES) {
    const inspection = found.logs[file];
    if (inspection.tornBytes === 0) continue;
    const torn = await setTornTailAside(inspection);
    logger?.warn(torn, `torn last line in ${torn.file} at line ${torn.line} (an append cut short by a crash, never acknowledged); moved aside to ${torn.movedTo}`);
    tornLines.push(torn);
  }
  return { tornLines, removedTemporaryFiles };
}

/** Directories first, then (for a new store) the main file last: its presence is what marks a store. */
async function ensureLayout(dataDir: string, isNew: boolean): Promise<void> {
  for (const directory of DOCUMENT_DIRS) await mkdir(path.join(dataDir, directory), { recursive: true });
  await syncDirectory(dataDir);
  if (isNew) await replaceFileAtomically(path.join(dataDir, MAIN_FILE), serialiseDocument(EMPTY_MAIN_FILE));
}

async function closeQuietly(logs: Array<{ close(): Promise<void> }>, lock: DirectoryLock): Promise<void> {
  await Promise.allSettled(logs.map((log) => log.close()));
  await lock.release();
}
