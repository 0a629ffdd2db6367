import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Journeys in headless Chromium against Concord and the Agents Playground, one file at a time. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.test.ts'],
    // Fails the run if a test leaves a process or a concord-* temp directory behind.
    globalSetup: ['test/support/leak-check.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
