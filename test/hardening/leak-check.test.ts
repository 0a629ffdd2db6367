import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { leftoverTempDirectories, processesOfRun } from '../support/leak-check.js';
import { tempDir } from '../support/temp-dir.js';

describe('the end-of-run leak check (test/support/leak-check.ts)', () => {
  it.skipIf(process.platform !== 'linux')('finds a process carrying the run id, and only that one', async () => {
    const runId = `leak-check-test-${process.pid}`;
    const child = spawn('sleep', ['60'], { env: { ...process.env, CONCORD_TEST_RUN: runId }, stdio: 'ignore', detached: true });
    onTestFinished(() => { child.kill('SIGKILL'); });
    await new Promise((resolve) => child.once('spawn', resolve));
    expect(processesOfRun(runId).map((leak) => leak.pid)).toEqual([child.pid]);
    expect(processesOfRun(`${runId}-other`)).toEqual([]);
  });

  it('lists concord-* directories left in the run\'s temporary folder, and nothing else', () => {
    const runTmp = tempDir('leak-check');
    for (const name of ['concord-collab-abc', 'concord-e2e-def', 'playwright_profile', 'other']) mkdirSync(path.join(runTmp, name));
    expect(leftoverTempDirectories(runTmp)).toEqual(['concord-collab-abc', 'concord-e2e-def']);
  });
});
