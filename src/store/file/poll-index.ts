import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { replaceFileAtomically } from './durable-file.js';
import { describe, parseDocument, readTextIfPresent } from './json-document-file.js';
import { PollSummary } from '../poll-summary.js';
import { StoreOpenError } from '../store.js';

/**
 * The embedded store's index (issue 22): a summary of every poll that is not open, and how far
 * each log was last checked, so that opening 20,000 outcomes reads one file instead of 20,000 and
 * does not re-validate 200,000 audit lines. It is a cache of what the files say, never a record:
 *
 * - Each entry carries its poll file's fingerprint (inode, size, mtime, ctime). Every write
 *   replaces a poll file by rename, so a new inode; an entry whose fingerprint does not match its
 *   file (a crash after a write and before the index was next written, a restore, a hand edit)
 *   is ignored and that file read and validated in full. A poll file without an entry likewise.
 * - A log checkpoint is used only while the log has the same inode (a prune rewrites it) and is at
 *   least that long; only the lines after it are validated.
 * - An index that is missing, unreadable or invalid is ignored with a log line; the store then
 *   reads every file, as before the index existed, and writes a new index.
 *
 * It is written (atomically, not fsynced: losing it costs one slow open) when opening found it
 * stale, and at close. Writes in between do not touch it, so a vote or a close costs no more.
 */
export const POLL_INDEX_FILE = 'polls.index.json';

export const Fingerprint = z.object({ ino: z.number(), size: z.number(), mtimeMs: z.number(), ctimeMs: z.number() });
export type Fingerprint = z.infer<typeof Fingerprint>;

export const LogCheckpoint = z.object({ ino: z.number(), bytes: z.number().int().min(0), lines: z.number().int().min(0) });
export type LogCheckpoint = z.infer<typeof LogCheckpoint>;

const IndexEntry = z.object({ file: z.string(), fingerprint: Fingerprint, summary: PollSummary });
export type IndexEntry = z.infer<typeof IndexEntry>;

export const PollIndexFile = z.object({
  version: z.literal(1),
  polls: z.array(IndexEntry),
  logs: z.record(z.string(), LogCheckpoint),
});
export type PollIndexFile = z.infer<typeof PollIndexFile>;

export function fingerprintOf(stats: Stats): Fingerprint {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** The file's fingerprint, or undefined when it is gone. */
export function fingerprintFile(file: string): Fingerprint | undefined {
  try {
    return fingerprintOf(statSync(file));
  } catch {
    return undefined;
  }
}

/** The index, or undefined when there is none or it cannot be trusted (logged: the open reads every file instead). */
export async function readPollIndex(dataDir: string, logger?: Logger): Promise<PollIndexFile | undefined> {
  const file = path.join(dataDir, POLL_INDEX_FILE);
  try {
    const text = await readTextIfPresent(file);
    if (text === undefined) return undefined;
    return parseDocument(file, text, PollIndexFile);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    logger?.warn({ file, reason: describe(error) }, 'poll index ignored: it is not valid; reading every poll file and writing a new index');
    return undefined;
  }
}

export async function writePollIndex(dataDir: string, index: PollIndexFile): Promise<void> {
  await replaceFileAtomically(path.join(dataDir, POLL_INDEX_FILE), `${JSON.stringify(index)}\n`, { durable: false });
}
