import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { POLL_STATUSES, type PollStatus } from '../../decisions/model.js';
import { DELIVERY_STATES } from '../../decisions/outcome.js';
import { replaceFileAtomically } from './durable-file.js';
import { MAIN_FILE, POLLS_DIR } from './store-layout.js';
import { describe, readTextIfPresent } from './json-document-file.js';
import type { OutcomeKey, PollSummary } from '../poll-summary.js';

type DeliveryState = (typeof DELIVERY_STATES)[number];

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
 * - The index also records two witnesses, taken before its entries: the polls folder's own
 *   fingerprint and the main file's. Every store write renames a file into that folder (and a
 *   crash's leftovers, a new or removed file change it too); a backup copied back over the store
 *   rewrites the main file. While both are unchanged, no poll file has been replaced and the
 *   20,000 per-file stats are skipped. What this cannot see is a poll file overwritten in place by
 *   hand, alone, while Concord was stopped: delete the index after such an edit (README, store layout).
 *
 * It is written (atomically, not fsynced: losing it costs one slow open) when opening found it
 * stale, and at close. Writes in between do not touch it, so a vote or a close costs no more.
 */
export const POLL_INDEX_FILE = 'polls.index.json';

export interface Fingerprint { ino: number; size: number; mtimeMs: number; ctimeMs: number }
export interface LogCheckpoint { ino: number; bytes: number; lines: number }
export interface IndexEntry { file: string; fingerprint: Fingerprint; summary: PollSummary }
/** What writing an index takes. */
export interface PollIndexContents {
  polls: IndexEntry[];
  logs: Partial<Record<string, LogCheckpoint>>;
  /** The polls folder's and the main file's fingerprints when the entries were taken (see above). */
  witnesses?: Fingerprint[];
  /** The poll files in the folder that have no entry (open polls), when the witnesses were taken. */
  unindexed?: string[];
}

/**
 * A read index: its header decoded, its entries still as lines, decoded by `decodeEntries` when
 * wanted (all at once, or a step at a time after the port is open: see the file store).
 */
export interface PollIndexFile extends Omit<PollIndexContents, 'polls'> {
  version: typeof INDEX_VERSION;
  entryLines: string[];
}

/** Bump when the encoding changes: an index of another version is ignored (and rebuilt). */
export const INDEX_VERSION = 4;

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
  const text = await readTextIfPresent(file);
  if (text === undefined) return undefined;
  try {
    return decodeIndex(text);
  } catch (error) {
    logger?.warn({ file, reason: describe(error) }, 'poll index ignored: it is not valid; reading every poll file and writing a new index');
    return undefined;
  }
}

export async function writePollIndex(dataDir: string, index: PollIndexContents): Promise<void> {
  await replaceFileAtomically(path.join(dataDir, POLL_INDEX_FILE), encodeIndex(index), { durable: false });
}

/*
 * On disk each entry is a flat array, not an object: at 20,000 polls that halves the file and its
 * parse, and the check below is a hand-written type guard rather than zod, which took longer than
 * the parse itself (about 0.9 s on the loaded bench machine). Whatever fails the check makes the
 * whole index ignored: it is a cache, and the files are still there to read.
 */
type EncodedOutcome = [id: string, closedAt: string, reference: string, text: string, delivery: string, gateway: 0 | 1];
type EncodedEntry = [
  file: string, ino: number, size: number, mtimeMs: number, ctimeMs: number,
  id: string, status: string, openedAt: string, reference: string | null, legacy: 0 | 1, eventSubjects: string[], outcomes: EncodedOutcome[],
  collaborativeId: string | null, agendaId: string | null,
];

/** A header line (version, log checkpoints, witnesses), then one line per poll. */
function encodeIndex(index: PollIndexContents): string {
  const polls = index.polls.map(({ file, fingerprint: f, summary: s }): EncodedEntry => [
    file, f.ino, f.size, f.mtimeMs, f.ctimeMs,
    s.id, s.status, s.openedAt, s.reference ?? null, s.legacy ? 1 : 0, s.eventSubjects,
    s.outcomes.map((o): EncodedOutcome => [o.id, o.closedAt, o.reference, o.text, o.delivery, o.gateway ? 1 : 0]),
    s.collaborativeId ?? null, s.agendaId ?? null,
  ]);
  const header = { version: INDEX_VERSION, logs: index.logs, ...(index.witnesses ? { witnesses: index.witnesses } : {}), ...(index.unindexed ? { unindexed: index.unindexed } : {}) };
  return [header, ...polls].map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** The index cannot be trusted: the store reads the poll files instead. */
export class BadIndex extends Error {}
const fail = (what: string): never => {
  throw new BadIndex(`poll index: ${what}`);
};
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isFlag = (value: unknown): value is 0 | 1 => value === 0 || value === 1;

/** The header only; the entries are decoded by decodeEntries. */
function decodeIndex(text: string): PollIndexFile {
  if (!text.endsWith('\n')) return fail('cut short');
  const lines = text.split('\n');
  lines.pop();
  const header: unknown = JSON.parse(lines[0] ?? '');
  if (typeof header !== 'object' || header === null) return fail('no header');
  const { version, logs, witnesses, unindexed } = header as Record<string, unknown>;
  if (version !== INDEX_VERSION) return fail(`version ${String(version)}, not ${INDEX_VERSION}`);
  if (typeof logs !== 'object' || logs === null) return fail('no log checkpoints');
  const checkpoints: Record<string, LogCheckpoint> = {};
  for (const [name, checkpoint] of Object.entries(logs)) {
    const { ino, bytes, lines } = (checkpoint ?? {}) as Record<string, unknown>;
    if (!isNumber(ino) || !isNumber(bytes) || !isNumber(lines) || bytes < 0 || lines < 0) return fail(`checkpoint of ${name}`);
    checkpoints[name] = { ino, bytes, lines };
  }
  if (!(witnesses === undefined || Array.isArray(witnesses))) return fail('witnesses');
  const witnessed = witnesses?.map(decodeFingerprint);
  if (!(unindexed === undefined || (Array.isArray(unindexed) && unindexed.every(isString)))) return fail('unindexed files');
  return {
    version: INDEX_VERSION, logs: checkpoints, entryLines: lines.slice(1),
    ...(witnessed ? { witnesses: witnessed } : {}), ...(unindexed ? { unindexed } : {}),
  };
}

/**
 * Entries `from` to `to` (exclusive) of the index. Line by line rather than one JSON.parse of the
 * whole file: each line's arrays die young, so the open's peak heap (and the resident memory it
 * leaves behind) is the summaries, not twice them. A BadIndex when any is not valid.
 */
export function decodeEntries(index: PollIndexFile, from = 0, to = index.entryLines.length): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (let line = from; line < to; line += 1) {
    let value: unknown;
    try {
      value = JSON.parse(index.entryLines[line]!);
    } catch {
      return fail(`entry ${line + 1} is not JSON`);
    }
    entries.push(decodeEntry(value, line + 1));
  }
  return entries;
}

function decodeFingerprint(value: unknown): Fingerprint {
  const { ino, size, mtimeMs, ctimeMs } = (value ?? {}) as Record<string, unknown>;
  if (!isNumber(ino) || !isNumber(size) || !isNumber(mtimeMs) || !isNumber(ctimeMs)) return fail('witness fingerprint');
  return { ino, size, mtimeMs, ctimeMs };
}

function decodeEntry(value: unknown, position: number): IndexEntry {
  if (!Array.isArray(value) || value.length !== 14) return fail(`entry ${position}`);
  const [file, ino, size, mtimeMs, ctimeMs, id, status, openedAt, reference, legacy, eventSubjects, outcomes, collaborativeId, agendaId] = value as unknown[];
  if (!isString(file) || !isNumber(ino) || !isNumber(size) || !isNumber(mtimeMs) || !isNumber(ctimeMs)) return fail(`entry ${position}: file`);
  if (!isString(id) || !POLL_STATUSES.includes(status as PollStatus) || !isString(openedAt) || !(reference === null || isString(reference)) || !isFlag(legacy)) {
    return fail(`entry ${position}: poll`);
  }
  if (!Array.isArray(eventSubjects) || !eventSubjects.every(isString) || !Array.isArray(outcomes)) return fail(`entry ${position}: events or outcomes`);
  if (!(collaborativeId === null || isString(collaborativeId)) || !(agendaId === null || isString(agendaId))) return fail(`entry ${position}: collaborative or agenda`);
  const keys = outcomes.map((outcome: unknown): OutcomeKey => {
    if (!Array.isArray(outcome) || outcome.length !== 6) return fail(`entry ${position}: outcome`);
    const [key, closedAt, outcomeReference, text, delivery, gateway] = outcome as unknown[];
    if (!isString(key) || !isString(closedAt) || !isString(outcomeReference) || !isString(text) || !DELIVERY_STATES.includes(delivery as DeliveryState) || !isFlag(gateway)) {
      return fail(`entry ${position}: outcome`);
    }
    return { id: key, closedAt, reference: outcomeReference, text, delivery: delivery as DeliveryState, gateway: gateway === 1 };
  });
  return {
    file,
    fingerprint: { ino, size, mtimeMs, ctimeMs },
    summary: {
      id, status: status as PollStatus, openedAt, ...(reference === null ? {} : { reference }), legacy: legacy === 1,
      ...(collaborativeId === null ? {} : { collaborativeId }), ...(agendaId === null ? {} : { agendaId }),
      outcomes: keys, eventSubjects,
    },
  };
}

/** The index's witnesses of a store folder, now (undefined when either is missing). */
export function witnessesOf(dataDir: string): Fingerprint[] | undefined {
  const found = [fingerprintFile(path.join(dataDir, POLLS_DIR)), fingerprintFile(path.join(dataDir, MAIN_FILE))];
  return found.every((fingerprint) => fingerprint !== undefined) ? found as Fingerprint[] : undefined;
}

export function sameWitnesses(a: readonly Fingerprint[] | undefined, b: readonly Fingerprint[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((fingerprint, index) => sameFingerprint(fingerprint, b[index]!));
}
