/**
 * A real, throwaway PostgreSQL server for tests: Debian's binaries (test/support/install-postgres.sh
 * installs them), a cluster created with initdb in a temporary directory, listening on 127.0.0.1
 * only with its socket inside that directory, and removed again by whoever started it.
 *
 * initdb and postgres refuse to run as root, so as root (CI containers) both run as the `postgres`
 * system user that Debian's package creates, through runuser, with the directory handed to it.
 *
 *   const newDatabase = usePostgres();           // one cluster per test file (beforeAll/afterAll)
 *   const url = await newDatabase();             // a fresh, empty database: CREATE DATABASE ... TEMPLATE template0
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './ports.js';

const run = promisify(execFile);
const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'concord';
const INSTALL_HINT = 'run `bash test/support/install-postgres.sh` (npm test does it first)';

export interface PostgresCluster {
  readonly port: number;
  /** A URL for the cluster's `postgres` database, for administration. */
  readonly adminUrl: string;
  /** Creates a new, empty database and returns its postgres:// URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * Whether commits are flushed to disk (fsync, synchronous_commit). Off by default: a throwaway
   * test cluster needs no crash safety, and tests run faster. Benchmarks turn it on, to measure
   * what a production server does.
   */
  durable?: boolean;
}

/** Debian's newest installed server version's bin directory, or an error saying how to install it. */
export function findPostgresBinaries(root = DEBIAN_ROOT): string {
  const versions = existsSync(root)
    ? readdirSync(root).filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
    : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(`PostgreSQL server binaries not found (looked for ${root}/*/bin/initdb): ${INSTALL_HINT}`);
  }
  return path.join(root, newest, 'bin');
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Runs a PostgreSQL program, as the postgres system user when we are root. */
async function runPostgresProgram(program: string, args: string[]): Promise<void> {
  const [command, commandArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  try {
    await run(command, commandArgs, { timeout: 60_000 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`${path.basename(program)} failed: ${detail}`);
  }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBinaries();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'concord-pg-'));
  const dataDir = path.join(directory, 'data');
  const logFile = path.join(directory, 'server.log');
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(directory, uid, gid);
  }
  try {
    // --no-sync: a throwaway cluster need not be flushed to disk when it is created.
    await runPostgresProgram(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', SUPERUSER, '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await startServer(bin, dataDir, directory, logFile, options.durable ?? false);
    return cluster(bin, directory, dataDir, port);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Starts the server on a free port; another process may take the port first, so it tries a few. */
async function startServer(bin: string, dataDir: string, socketDir: string, logFile: string, durable: boolean): Promise<number> {
  const flush = durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const serverOptions = ['-c listen_addresses=127.0.0.1', `-p ${port}`, `-k ${socketDir}`, ...flush].join(' ');
    try {
      await runPostgresProgram(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', serverOptions, 'start']);
      return port;
    } catch (error) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      lastError = new Error(`${error instanceof Error ? error.message : String(error)}\n${log.split('\n').slice(-10).join('\n')}`);
    }
  }
  throw lastError;
}

function cluster(bin: string, directory: string, dataDir: string, port: number): PostgresCluster {
  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  const pgCtl = path.join(bin, 'pg_ctl');
  // If the test process exits without afterAll (a crash), stop the server anyway: never leave one behind.
  const stopOnExit = () => {
    const args = ['-D', dataDir, '-m', 'immediate', 'stop'];
    try {
      if (isRoot()) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
      else execFileSync(pgCtl, args, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
    rmSync(directory, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  let databases = 0;
  let stopped = false;
  return {
    port,
    adminUrl,
    async createDatabase() {
      databases += 1;
      const name = `t_${process.pid}_${databases}`;
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
      } finally {
        await admin.end();
      }
      return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      try {
        await runPostgresProgram(pgCtl, ['-D', dataDir, '-w', '-m', 'fast', 'stop']);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/**
 * One cluster for the calling test file: started before its first test, stopped and removed after
 * its last. Returns a function that creates a fresh database for a test. When PostgreSQL is not
 * installed the file's tests fail, saying how to install it; they are never skipped silently.
 */
export function usePostgres(options: PostgresOptions = {}): () => Promise<string> {
  let running: PostgresCluster | undefined;
  beforeAll(async () => {
    running = await startPostgres(options);
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    running = undefined;
  }, 60_000);
  return () => {
    if (!running) throw new Error(`no PostgreSQL test cluster is running: ${INSTALL_HINT}`);
    return running.createDatabase();
  };
}
