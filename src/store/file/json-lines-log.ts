import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describe, isErrorCode } from './json-document-file.js';
import type { LogFilter, RecordLog } from '../persistence.js';
import { replaceFileAtomically, syncDirectory } from './durable-file.js';
import { serialiseLogLine } from './store-layout.js';
import { StoreOpenError } from '../store.js';
import type { LogCheckpoint } from './poll-index.js';

const NEWLINE = 0x0a;

/** What opening found in a log file; nothing has been changed yet. */
export interface LogInspection {
  file: string;
  /** Bytes up to and including the last newline: every acknowledged record. */
  completeBytes: number;
  completeLines: number;
  /** Bytes after the last newline: an append a crash cut short. It was never acknowledged. */
  tornBytes: number;
}

/** A torn last line that opening set aside. */
export interface TornTail {
  file: string;
  /** 1-based line number the torn record would have had. */
  line: number;
  bytes: number;
  /** Where its bytes were kept before the log was truncated to its last complete line. */
  movedTo: string;
}

/**
 * Reads a JSON-lines log and checks every complete line against `schema`. A bad line before the
 * last newline is not a torn append (appends are fsynced one at a time, so only the last line can
 * be cut short): it is damage, and the store refuses to open rather than drop part of the record.
 */
export async function inspectLog<T>(file: string, schema: z.ZodType<T>, checkpoint?: LogCheckpoint): Promise<LogInspection> {
  // Lines up to a checkpoint that still holds were validated by an earlier open (see poll-index.ts).
  const from = checkpoint && (await checkpointHolds(file, checkpoint)) ? checkpoint : { bytes: 0, lines: 0 };
  const bytes = await readBytes(file, undefined, from.bytes);
  const complete = bytes.lastIndexOf(NEWLINE) + 1;
  const text = bytes.subarray(0, complete).toString('utf8');
  let completeLines = from.lines;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    completeLines += 1;
    parseLine(file, completeLines, text.slice(start, end), schema);
    start = end + 1;
    // 200,000 lines take about a second: let the lock's refresh timer run meanwhile.
    if (completeLines % 10_000 === 0) await yieldToEventLoop();
  }
  return { file, completeBytes: from.bytes + complete, completeLines, tornBytes: bytes.length - complete };
}

/** The log is the file the checkpoint was taken of (same inode: a prune rewrites it), and at least as long, with a line ending there. */
async function checkpointHolds(file: string, checkpoint: LogCheckpoint): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const stats = await handle.stat();
    if (stats.ino !== checkpoint.ino || stats.size < checkpoint.bytes) return false;
    if (checkpoint.bytes === 0) return checkpoint.lines === 0;
    const last = Buffer.alloc(1);
    await readFully(handle, last, checkpoint.bytes - 1);
    return last[0] === NEWLINE;
  } finally {
    await handle.close();
  }
}

/**
 * Moves a torn last line aside: its bytes are copied (durably) to `<log>.torn-<time>` beside the
 * log, then the log is truncated to its last complete line, so the next append starts a clean
 * line. Nothing is destroyed: an operator can inspect the torn bytes.
 */
export async function setTornTailAside(inspection: LogInspection): Promise<TornTail> {
  const { file, completeBytes, tornBytes } = inspection;
  const handle = await open(file, 'r+');
  try {
    const tail = Buffer.alloc(tornBytes);
    await readFully(handle, tail, completeBytes);
    const movedTo = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
    await replaceFileAtomically(movedTo, tail);
    await handle.truncate(completeBytes);
    await handle.sync();
    return { file, line: inspection.completeLines + 1, bytes: tornBytes, movedTo };
  } finally {
    await handle.close();
  }
}

/**
 * An append-only JSON-lines file. Each append writes one whole line at the known end, fsyncs, and
 * only then counts it; if the write fails part way the file is cut back to the last good line so a
 * half line can never sit in the middle of the log. Reads see only counted (acknowledged) lines.
 * Appends are not concurrent-safe on their own: the store engine's write queue serialises them.
 */
export class JsonLinesLog<T> implements RecordLog<T> {
  private broken = false;

  private constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
    private handle: FileHandle,
    private size: number,
    private lines: number,
    private readonly onBroken: (reason: string) => void,
  ) {}

  /** Opens (creating if missing) a log whose first `size` bytes are known complete lines. */
  static async open<T>(file: string, schema: z.ZodType<T>, options: { size: number; lines: number; onBroken: (reason: string) => void }): Promise<JsonLinesLog<T>> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r+');
    } catch (error) {
      if (!isErrorCode(error, 'ENOENT')) throw error;
      handle = await open(file, 'wx+');
      await syncDirectory(path.dirname(file));
    }
    return new JsonLinesLog(file, schema, handle, options.size, options.lines, options.onBroken);
  }

  async append(...records: T[]): Promise<void> {
    if (this.broken) throw new Error(`${this.file} could not be repaired after a failed append; restart Concord`);
    if (records.length === 0) return;
    // Several records go in one write and one sync: a crash can tear only the last line written.
    const line = Buffer.from(records.map((record) => serialiseLogLine(record)).join(''), 'utf8');
    try {
      await writeFully(this.handle, line, this.size);
      await this.handle.sync();
    } catch (error) {
      await this.cutBackToLastGoodLine(error);
      throw error;
    }
    this.size += line.length;
    this.lines += records.length;
  }

  /** Where the acknowledged lines end, for the next open's checkpoint; undefined when the file is not as this log left it. */
  async checkpoint(): Promise<LogCheckpoint | undefined> {
    if (this.broken) return undefined;
    const stats = await this.handle.stat();
    return stats.size === this.size ? { ino: stats.ino, bytes: this.size, lines: this.lines } : undefined;
  }

  async readAll(filter?: LogFilter<T>): Promise<T[]> {
    const bytes = await readBytes(this.file, this.size);
    const records: T[] = [];
    let lineNumber = 0;
    forEachLine(bytes, (line) => {
      lineNumber += 1;
      if (filter && !line.includes(filter.text)) return;
      const record = parseLine(this.file, lineNumber, line, this.schema);
      if (!filter || filter.keep(record)) records.push(record);
    });
    return records;
  }

  /**
   * Rewrites the log without the records `keep` refuses: the kept lines go to a temporary file,
   * fsynced, renamed over the log and the directory fsynced (replaceFileAtomically), so a crash
   * leaves either the old log or the new one. Called from the write queue, like append.
   */
  async retain(keep: (record: T) => boolean): Promise<number> {
    if (this.broken) throw new Error(`${this.file} could not be repaired after a failed append; restart Concord`);
    const records = await this.readAll();
    const kept = records.filter(keep);
    if (kept.length === records.length) return 0;
    const bytes = Buffer.from(kept.map((record) => serialiseLogLine(record)).join(''), 'utf8');
    await replaceFileAtomically(this.file, bytes);
    const previous = this.handle;
    this.handle = await open(this.file, 'r+');
    this.size = bytes.length;
    this.lines = kept.length;
    await previous.close();
    return records.length - kept.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async cutBackToLastGoodLine(cause: unknown): Promise<void> {
    try {
      await this.handle.truncate(this.size);
      await this.handle.sync();
    } catch (error) {
      this.broken = true;
      this.onBroken(`${this.file}: append failed (${describe(cause)}) and the partial line could not be removed (${describe(error)})`);
    }
  }
}

/** Reads a whole file (or its first `limit` bytes); a missing file is empty. */
export async function readBytes(file: string, limit?: number, from = 0): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return Buffer.alloc(0);
    throw new StoreOpenError(`cannot read ${file}: ${describe(error)}`);
  }
  try {
    const size = limit ?? Math.max(0, (await handle.stat()).size - from);
    const buffer = Buffer.alloc(size);
    const read = await readFully(handle, buffer, from);
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** The complete lines of a log's bytes, without a torn tail: what a lock-free reader may copy. */
export function completeLines(bytes: Buffer): Buffer {
  return bytes.subarray(0, bytes.lastIndexOf(NEWLINE) + 1);
}

function forEachLine(bytes: Buffer, visit: (line: string) => void): void {
  const text = bytes.toString('utf8');
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) throw new Error('forEachLine expects complete lines');
    visit(text.slice(start, end));
    start = end + 1;
  }
}

function parseLine<T>(file: string, lineNumber: number, line: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new StoreOpenError(`${file} line ${lineNumber} is not valid JSON (${describe(error)})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new StoreOpenError(`${file} line ${lineNumber} does not match the expected shape:\n${z.prettifyError(result.error)}`);
  return result.data;
}

async function writeFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written, position + written);
    written += bytesWritten;
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<number> {
  let read = 0;
  while (read < buffer.length) {
    const { bytesRead } = await handle.read(buffer, read, buffer.length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return read;
}

/** Lets timers and I/O run during a long synchronous job (opening a large store), e.g. the lock's refresh. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
