/**
 * Vitest globalSetup: the run fails if a test leaves a process running or a `concord-*` temporary
 * directory behind, whether the test passed or failed.
 *
 * - Temporary directories: the run gets its own temporary folder (TMPDIR, which `os.tmpdir()`
 *   and every child process read), so what is left in it at the end is this run's, never another
 *   run's on the same machine.
 * - Processes: every process the run starts inherits CONCORD_TEST_RUN=<id>, and keeps it even
 *   when its parent dies (it is then re-parented, so a process tree cannot find it). At the end
 *   any live process still carrying the id, other than vitest itself, is a leak. This reads
 *   /proc, so it checks on Linux (CI) and is skipped elsewhere.
 *
 * A leak is reported with what it was, then stopped or removed, so one bad test cannot pile up
 * processes and directories on a shared machine.
 */
import { mkdtempSync, readdirSync, readFileSync, chmodSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MARKER = 'CONCORD_TEST_RUN';

interface Leak {
  readonly pid: number;
  readonly command: string;
}

/**
 * Live processes whose environment carries this run's id, except this one, its ancestors, and its
 * own helpers: the test workers (vitest closes its pool only after this check) and esbuild.
 */
export function processesOfRun(runId: string, procDir = '/proc'): Leak[] {
  if (!existsSync(procDir)) return [];
  const wanted = `${MARKER}=${runId}`;
  const ancestors = ancestorsOf(process.pid, procDir);
  const leaks: Leak[] = [];
  for (const entry of readdirSync(procDir)) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || ancestors.has(pid)) continue;
    try {
      const environment = readFileSync(path.join(procDir, entry, 'environ'), 'latin1').split('\0');
      if (!environment.includes(wanted)) continue;
      const status = readFileSync(path.join(procDir, entry, 'status'), 'latin1');
      // A zombie has already exited; its parent just has not collected it yet.
      if (/^State:\s+Z/m.test(status)) continue;
      const command = readFileSync(path.join(procDir, entry, 'cmdline'), 'latin1').split('\0').filter(Boolean).join(' ');
      const parent = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      if (parent === process.pid && /vitest|esbuild/.test(command)) continue;
      leaks.push({ pid, command });
    } catch {
      // Gone since the listing, or another user's process: not ours.
    }
  }
  return leaks;
}

function ancestorsOf(pid: number, procDir: string): Set<number> {
  const chain = new Set<number>();
  for (let current = pid; current > 1 && !chain.has(current);) {
    chain.add(current);
    try {
      const status = readFileSync(path.join(procDir, String(current), 'status'), 'latin1');
      current = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      break;
    }
  }
  return chain;
}

/** `concord-*` entries left in the run's temporary folder. */
export function leftoverTempDirectories(runTmp: string): string[] {
  if (!existsSync(runTmp)) return [];
  return readdirSync(runTmp).filter((name) => name.startsWith('concord-')).sort();
}

export default function setup(): () => void {
  const runTmp = mkdtempSync(path.join(tmpdir(), 'concord-test-run-'));
  // The PostgreSQL tests hand their directory to the `postgres` user, who must be able to reach it.
  chmodSync(runTmp, 0o755);
  const runId = path.basename(runTmp);
  process.env.TMPDIR = runTmp;
  process.env[MARKER] = runId;

  return () => {
    const processes = processesOfRun(runId);
    const directories = leftoverTempDirectories(runTmp);
    for (const { pid } of processes) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    rmSync(runTmp, { recursive: true, force: true });
    const problems = [
      ...processes.map(({ pid, command }) => `process ${pid} still running: ${command.slice(0, 200)}`),
      ...directories.map((name) => `temporary directory left: ${name}`),
    ];
    if (problems.length > 0) {
      // Vitest prints an error thrown here but keeps the exit status; set it so CI fails.
      process.exitCode = 1;
      throw new Error(`The tests left ${problems.length} thing(s) behind (now stopped or removed); every test must clean up what it starts, even when it fails:\n  ${problems.join('\n  ')}`);
    }
  };
}
