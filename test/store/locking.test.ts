import { mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { StoreOpenError, StoreUnavailableError } from '../../src/store/store.js';
import { aPoll } from './builders.js';
import { tempDir } from '../support/temp-dir.js';
import { useChildren } from './helpers.js';

const startChild = useChildren();

/** Short lock timings so the stale paths finish in a couple of seconds (proper-lockfile's minimums). */
const FAST_LOCK = { staleMs: 2000, updateMs: 1000 };

/** A lock directory as another machine's Concord would leave it, last refreshed `ageMs` ago. */
async function foreignLock(dataDir: string, ageMs: number): Promise<string> {
  const lockDir = path.join(dataDir, 'concord.lock');
  await mkdir(lockDir, { recursive: true });
  await writeFile(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: 4242, hostname: 'another-host', since: '2025-03-01T09:00:00.000Z' }));
  const then = new Date(Date.now() - ageMs);
  await utimes(lockDir, then, then);
  return lockDir;
}

describe('one writer per data directory', () => {
  it('refuses a second process, naming the one holding the store', async () => {
    const dataDir = tempDir('store');
    const holder = startChild('holder.ts', [dataDir]);
    await holder.waitFor((line) => line === 'ready');
    const attempt = openFileStore({ dataDir });
    await expect(attempt).rejects.toBeInstanceOf(StoreOpenError);
    await expect(attempt).rejects.toThrow(`another Concord process is using ${dataDir} (pid ${holder.process.pid} `);
  });

  it('refuses a second open in the same process', async () => {
    const dataDir = tempDir('store');
    const store = await openFileStore({ dataDir });
    try {
      await expect(openFileStore({ dataDir })).rejects.toThrow(/already has the store in .* open/);
    } finally {
      await store.close();
    }
  });

  it('takes over at once the lock of a process that was killed', async () => {
    const dataDir = tempDir('store');
    const holder = startChild('holder.ts', [dataDir]);
    await holder.waitFor((line) => line === 'ready');
    holder.process.kill('SIGKILL');
    await holder.exited;
    const startedAt = Date.now();
    const store = await openFileStore({ dataDir });
    expect(Date.now() - startedAt).toBeLessThan(1000);
    await store.close();
  });

  it('takes over a lock nobody has refreshed for longer than staleMs (owner on another host)', async () => {
    const dataDir = tempDir('store');
    await foreignLock(dataDir, 5000);
    const store = await openFileStore({ dataDir, lock: FAST_LOCK });
    await store.createPoll(aPoll());
    await store.close();
  });

  it('waits for a lock that has stopped being refreshed to go stale, then takes it', async () => {
    const dataDir = tempDir('store');
    await foreignLock(dataDir, 500);
    const startedAt = Date.now();
    const store = await openFileStore({ dataDir, lock: FAST_LOCK });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1400);
    await store.close();
  });

  it('refuses a lock another host keeps refreshing', async () => {
    const dataDir = tempDir('store');
    const lockDir = await foreignLock(dataDir, 0);
    const refresher = setInterval(() => {
      const now = new Date();
      void utimes(lockDir, now, now).catch(() => undefined);
    }, 200);
    try {
      await expect(openFileStore({ dataDir, lock: FAST_LOCK })).rejects.toThrow(/another Concord process is using .*pid 4242 on another-host/);
    } finally {
      clearInterval(refresher);
    }
  });

  it('keeps its own lock fresh: still ready and writing after several refreshes', async () => {
    const dataDir = tempDir('store');
    const store = await openFileStore({ dataDir, lock: FAST_LOCK });
    try {
      const lockDir = path.join(dataDir, 'concord.lock');
      const before = (await stat(lockDir)).mtimeMs;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(store.state()).toBe('ready');
      expect((await stat(lockDir)).mtimeMs).toBeGreaterThan(before);
      await store.createPoll(aPoll());
    } finally {
      await store.close();
    }
  });

  it('if the lock is lost while running, stops writing (state failed) but keeps answering reads', async () => {
    const dataDir = tempDir('store');
    const store = await openFileStore({ dataDir, lock: FAST_LOCK });
    try {
      await store.createPoll(aPoll());
      await rm(path.join(dataDir, 'concord.lock'), { recursive: true });
      await expect.poll(() => store.state(), { timeout: 4000, interval: 100 }).toBe('failed');
      await expect(store.createPoll(aPoll({ id: 'poll-2' }))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.getPoll('poll-1')).toEqual({ ...aPoll(), reference: 'D-2025-001' });
    } finally {
      await store.close();
    }
    expect(store.state()).toBe('closed');
  });
});
