import * as fs from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import type { Logger } from 'pino';
import { z } from 'zod';
import { describe, isErrorCode } from './json-document-file.js';
import { LOCK_DIR } from './store-layout.js';
import { StoreOpenError } from '../store.js';

export interface LockTiming {
  /** A lock not refreshed for this long belongs to a dead process and is taken over (proper-lockfile's `stale`, ≥ 2000). */
  staleMs?: number;
  /** How often the holder refreshes it (proper-lockfile's `update`, ≥ 1000 and ≤ staleMs / 2). */
  updateMs?: number;
}

export interface DirectoryLock {
  release(): Promise<void>;
}

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_UPDATE_MS = 2_500;
const OWNER_FILE = 'owner.json';
const PID_NAMESPACE = readPidNamespace();

/** Who holds the lock; written inside the lock directory, so it can never describe an earlier holder. */
const LockOwner = z.object({ pid: z.number().int(), hostname: z.string(), pidNamespace: z.string().optional(), since: z.string() });
type LockOwner = z.infer<typeof LockOwner>;

/** Directories this process has open: a second open in-process is refused at once. */
const openHere = new Set<string>();

/**
 * The fs proper-lockfile uses, adapted to keep owner.json inside the lock directory:
 * - mkdir (how it takes the lock) also writes owner.json, before proper-lockfile records the
 *   directory's mtime: writing it later would change that mtime, and proper-lockfile would take
 *   the change for another process's and declare the lock compromised;
 * - rmdir (release, stale takeover, exit) removes the directory with its contents.
 */
const lockFs = {
  ...fs,
  mkdir: (target: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    fs.mkdir(target, (error) => {
      if (error) return callback(error);
      // The lock is ours whether or not this write succeeds: without an owner, others just wait for staleness.
      fs.writeFile(path.join(target, OWNER_FILE), JSON.stringify(currentOwner()), () => callback(null));
    }),
  rmdir: (target: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.rm(target, { recursive: true }, callback),
  rmdirSync: (target: string) => fs.rmSync(target, { recursive: true, force: true }),
};

/**
 * One writer per data directory. Two processes appending to the same files would interleave
 * their writes and each overwrite the other's documents from its own memory: lost votes.
 *
 * The lock is proper-lockfile's directory `<dataDir>/concord.lock`, kept fresh every `updateMs`.
 * When it is already there:
 * - its owner.json names a process on this host (same pid namespace) that is no longer running
 *   (a crash or SIGKILL): the lock is taken over at once, so a supervisor's restart does not fail;
 * - it names a live process there: refused with that pid;
 * - no owner yet (it is written just after the lock directory), another host or another container:
 *   we watch whether the holder keeps refreshing it; if so refused, otherwise taken over once it
 *   is `staleMs` old (a restarted container waits up to that long).
 *
 * `onLost` is called if the lock is compromised later (someone removed it, or this process was
 * stalled for longer than `staleMs` and another may have taken over). We do not throw, which would
 * crash Concord mid-request; the store stops writing instead (see StoreEngine.fail), so it can
 * never fork the record, while reads, guidance answers and /healthz (503) keep working.
 */
export async function lockDataDirectory(
  dataDir: string,
  options: { timing?: LockTiming; logger?: Logger; onLost: (reason: string) => void },
): Promise<DirectoryLock> {
  const staleMs = Math.max(options.timing?.staleMs ?? DEFAULT_STALE_MS, 2000);
  const updateMs = Math.min(Math.max(options.timing?.updateMs ?? DEFAULT_UPDATE_MS, 1000), staleMs / 2);
  const lockPath = path.join(dataDir, LOCK_DIR);
  if (openHere.has(dataDir)) throw new StoreOpenError(`this process already has the store in ${dataDir} open`);

  const lockOnce = () =>
    lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: staleMs,
      update: updateMs,
      fs: lockFs,
      onCompromised: (error: Error) => {
        options.logger?.error({ err: error, dataDir }, 'lost the lock on the store directory');
        options.onLost(`lock on ${dataDir} compromised: ${error.message}`);
      },
    });

  // A few rounds at most: each failed round either refuses or waits for the holder to go stale.
  for (let round = 0; round < 5; round += 1) {
    try {
      const release = await lockOnce();
      openHere.add(dataDir);
      return {
        release: async () => {
          openHere.delete(dataDir);
          await release().catch((error: unknown) => {
            // Already compromised or removed: nothing left to release.
            options.logger?.warn({ err: error, dataDir }, 'could not release the store lock');
          });
        },
      };
    } catch (error) {
      if (!isErrorCode(error, 'ELOCKED')) throw new StoreOpenError(`cannot lock ${dataDir}: ${describe(error)}`);
    }

    const owner = await readOwner(lockPath);
    if (owner && sharesOurPids(owner)) {
      if (owner.pid !== process.pid && isRunning(owner.pid)) throw refusal(dataDir, owner);
      options.logger?.warn({ dataDir, pid: owner.pid }, 'taking over a store lock left by a process that is no longer running');
      await removeLockOf(lockPath, owner);
      continue;
    }
    // Already stale: proper-lockfile takes it over on the next round.
    if ((await lockAge(lockPath) ?? staleMs) >= staleMs) continue;
    if (await isKeptFresh(lockPath, updateMs * 1.5)) throw refusal(dataDir, owner);
    // Not refreshed: its holder is gone. Wait until it is stale, then take it over.
    const age = await lockAge(lockPath);
    if (age !== undefined && age < staleMs) await delay(staleMs - age + 50);
  }
  throw new StoreOpenError(`could not lock ${dataDir}: the lock at ${lockPath} keeps changing hands`);
}

function currentOwner(): LockOwner {
  return { pid: process.pid, hostname: os.hostname(), pidNamespace: PID_NAMESPACE, since: new Date().toISOString() };
}

/**
 * Whether the owner's pid means the same process here. Two containers sharing a volume may share
 * a hostname yet number their processes separately; on Linux the pid namespace tells them apart
 * (elsewhere both are undefined and the hostname decides).
 */
function sharesOurPids(owner: LockOwner): boolean {
  return owner.hostname === os.hostname() && owner.pidNamespace === PID_NAMESPACE;
}

function readPidNamespace(): string | undefined {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return undefined;
  }
}

function refusal(dataDir: string, owner: LockOwner | undefined): StoreOpenError {
  const who = owner ? `pid ${owner.pid} on ${owner.hostname}, since ${owner.since}` : 'pid unknown';
  return new StoreOpenError(`another Concord process is using ${dataDir} (${who}); stop it first, or point CONCORD_DATA_DIR elsewhere`);
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const parsed = LockOwner.safeParse(JSON.parse(await readFile(path.join(lockPath, OWNER_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Missing (the holder has not written it yet) or half written: treat the owner as unknown.
    return undefined;
  }
}

/** Removes a dead holder's lock, unless it has meanwhile been replaced by someone else's. */
async function removeLockOf(lockPath: string, owner: LockOwner): Promise<void> {
  const current = await readOwner(lockPath);
  if (current && current.pid === owner.pid && current.since === owner.since) {
    await rm(lockPath, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return isErrorCode(error, 'EPERM');
  }
  return !isZombie(pid);
}

/**
 * A killed process whose parent has not reaped it (common when Concord is PID 1's child in a
 * container) still answers kill(pid, 0) but holds nothing. Linux only; elsewhere assume it runs.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may itself contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Whether the lock's mtime moves within `windowMs`: a live holder refreshes it every updateMs. */
async function isKeptFresh(lockPath: string, windowMs: number): Promise<boolean> {
  const before = await lockMtime(lockPath);
  if (before === undefined) return false;
  const deadline = Date.now() + windowMs;
  while (Date.now() < deadline) {
    await delay(100);
    const now = await lockMtime(lockPath);
    if (now === undefined) return false;
    if (now !== before) return true;
  }
  return false;
}

async function lockMtime(lockPath: string): Promise<number | undefined> {
  try {
    return (await stat(lockPath)).mtimeMs;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function lockAge(lockPath: string): Promise<number | undefined> {
  const mtime = await lockMtime(lockPath);
  return mtime === undefined ? undefined : Date.now() - mtime;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
