import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyStoreFiles } from './copy-store-files.js';
import { openFileStore } from './file-store.js';
import type { Store } from '../store.js';

/**
 * Reads a store that a running Concord holds the lock on: takes a consistent copy (see
 * copy-store-files.ts), opens the copy as a store of its own, runs `read`, then removes the copy.
 * The live store is never opened or locked, so reports and exports never disturb a meeting.
 */
export async function readStoreSnapshot<T>(dataDir: string, read: (store: Store) => Promise<T>): Promise<T> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'concord-snapshot-'));
  try {
    const copy = path.join(root, 'store');
    await copyStoreFiles(dataDir, copy);
    const store = await openFileStore({ dataDir: copy });
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
