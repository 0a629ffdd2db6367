import { open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

let temporaryCounter = 0;

/** Leftovers of writes that never reached their rename; never authoritative, safe to delete. */
const TEMPORARY_NAME = /\.\d+-\d+\.tmp$/;

export function isTemporaryFile(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/**
 * Replaces `file` so that after a crash it holds either the old or the new contents, never a mix:
 * write a temporary file beside it, fsync it, rename it over the target (atomic on POSIX), then
 * fsync the directory so the rename itself is on disk before we report success.
 * `durable: false` skips the fsyncs; only for seeding test and bench data.
 */
export async function replaceFileAtomically(file: string, contents: string | Uint8Array, options: { durable?: boolean } = {}): Promise<void> {
  const durable = options.durable ?? true;
  temporaryCounter += 1;
  const temporary = `${file}.${process.pid}-${temporaryCounter}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(contents);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  if (durable) await syncDirectory(path.dirname(file));
}

/** Makes a directory's entries (new files, renames) durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Deletes temporary files left by writes a crash interrupted; returns their paths. */
export async function removeTemporaryFiles(directory: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(directory).catch(() => [])) {
    if (!isTemporaryFile(name)) continue;
    const file = path.join(directory, name);
    await unlink(file);
    removed.push(file);
  }
  return removed;
}
