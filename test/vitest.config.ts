import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Unit and HTTP-level tests; the browser journeys run separately (test/e2e/vitest.config.ts). */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    // Fails the run if a test leaves a process or a concord-* temp directory behind.
    globalSetup: ['test/support/leak-check.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
