import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A fresh `concord-<name>-*` directory in the temporary folder, removed when the current test
 * finishes, passed or failed. Outside a test (a benchmark, a beforeAll) it is removed when the
 * process exits. test/support/leak-check.ts fails the run if one is left.
 */
export function tempDir(name: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), `concord-${name}-`));
  const remove = () => rmSync(directory, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    process.once('exit', remove);
  }
  return directory;
}
