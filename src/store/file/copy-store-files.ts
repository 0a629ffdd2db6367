import { mkdir, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isTemporaryFile, syncDirectory } from './durable-file.js';
import { describe, isErrorCode } from './json-document-file.js';
import { completeLines, readBytes } from './json-lines-log.js';
import { DOCUMENT_DIRS, LOG_FILES, MAIN_FILE } from './store-layout.js';

const COPY_CONCURRENCY = 32;

/**
 * Copies a store directory into `targetDir` (which must be empty or absent) and returns the paths
 * written, each fsynced. Two callers:
 * - Store.backup, from inside the write queue: nothing changes underneath, so the copy is exact.
 * - The store:backup CLI, while Concord runs and holds the lock. It is still safe because of how
 *   the store writes: documents (the main file, polls/, agendas/) are only ever replaced by atomic
 *   rename, so each one read (once, through one open) is a whole version of itself; the logs only
 *   grow, so the bytes up to the last newline are whole acknowledged records (a line being appended
 *   at that instant is left out). Every store write touches exactly one document, so no record is
 *   split across files. Files may be from instants a moment apart (a vote landing mid-copy may or
 *   may not be included) but each is internally consistent, and a vote and its poll, or a closed
 *   poll and its outcome, are never separated.
 */
export async function copyStoreFiles(sourceDir: string, targetDir: string): Promise<string[]> {
  await prepareEmptyDirectory(targetDir);
  const written: string[] = [];
  const put = async (relative: string, bytes: Buffer): Promise<void> => {
    const target = path.join(targetDir, relative);
    const handle = await open(target, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    written.push(target);
  };

  const main = await readBytes(path.join(sourceDir, MAIN_FILE));
  if (main.length === 0) throw new Error(`${sourceDir} holds no Concord store (no ${MAIN_FILE})`);
  await put(MAIN_FILE, main);

  for (const directory of DOCUMENT_DIRS) {
    await mkdir(path.join(targetDir, directory));
    const names = (await listIfPresent(path.join(sourceDir, directory))).filter((name) => name.endsWith('.json') && !isTemporaryFile(name));
    await inParallel(names, async (name) => put(path.join(directory, name), await readBytes(path.join(sourceDir, directory, name))));
    await syncDirectory(path.join(targetDir, directory));
  }

  for (const log of LOG_FILES) await put(log, completeLines(await readBytes(path.join(sourceDir, log))));
  await syncDirectory(targetDir);
  return written;
}

async function prepareEmptyDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  const existing = await readdir(directory);
  if (existing.length > 0) throw new Error(`backup target ${directory} is not empty`);
  await syncDirectory(path.dirname(path.resolve(directory)));
}

async function listIfPresent(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    throw new Error(`cannot list ${directory}: ${describe(error)}`);
  }
}

async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(COPY_CONCURRENCY, items.length) }, worker));
}
