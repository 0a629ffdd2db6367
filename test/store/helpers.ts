import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(REPO, 'test/store/fixtures');

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Lines printed to stdout so far. */
  lines: string[];
  stderr: () => string;
  /** Resolves with the first stdout line that satisfies `predicate`; rejects if the child exits first. */
  waitFor(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/** Child processes for one test file: every one still running is SIGKILLed after each test. */
export function useChildren(): (script: string, args: string[]) => Child {
  const running: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return (script, args) => {
    const child = startChild(script, args);
    running.push(child.process);
    return child;
  };
}

/** Runs a TypeScript file with tsx: a fixture by name, or any repo-relative path. */
function startChild(script: string, args: string[]): Child {
  const file = script.includes('/') ? path.join(REPO, script) : path.join(FIXTURES, script);
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // A deadline, not a wait: it resolves as soon as the line is printed. A tsx child with a cold
  // compile cache on two busy cores has taken over 10 s to start.
  const waitFor = (predicate: (line: string) => boolean, timeoutMs = 60_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found !== undefined) finish(() => resolve(found));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`child ${script} did not print the line in time; stderr:\n${stderr}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      void exited.then((code) => finish(() => reject(new Error(`child ${script} exited (${code}) first; stderr:\n${stderr}`))));
      check();
    });
  return { process: child, lines, stderr: () => stderr, waitFor, exited };
}
