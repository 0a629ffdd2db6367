import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished, type TestContext } from 'vitest';

/**
 * A fresh `concord-<name>-*` directory in the temporary folder, removed when the current test
 * finishes, passed or failed. Outside a test (a benchmark, a beforeAll) it is removed when the
 * process exits. test/support/leak-check.ts fails the run if one is left. A concurrent test passes
 * its context: vitest ties the global onTestFinished to one test only when tests run one at a time.
 */
export function tempDir(name: string, test: Pick<TestContext, 'onTestFinished'> = { onTestFinished }): string {
  const directory = mkdtempSync(path.join(tmpdir(), `concord-${name}-`));
  const remove = () => rmSync(directory, { recursive: true, force: true });
  try {
    test.onTestFinished(remove);
  } catch {
    process.once('exit', remove);
  }
  return directory;
}
