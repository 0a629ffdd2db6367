import { pino, type Logger } from 'pino';
import { onTestFinished } from 'vitest';
import { parseConfig, type Config } from '../../src/config/config.js';
import { startConcord, type Concord } from '../../src/app.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import type { Clock } from '../../src/shared/clock.js';
import { FakeConnector } from './fake-connector.js';

export interface TestConcord {
  readonly concord: Concord;
  readonly connector: FakeConnector;
  readonly url: string;
  readonly config: Config;
  readonly store: Store;
  stop(): Promise<void>;
}

/** Concord on 127.0.0.1 with an ephemeral port, a memory store unless given one, and a fake connector. */
export async function startTestConcord(
  environment: Record<string, string> = {},
  options: { store?: Store; clock?: Clock; logger?: Logger } = {},
): Promise<TestConcord> {
  const connector = await new FakeConnector().start();
  const config = parseConfig({ HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_CARD_UPDATE_INTERVAL_MS: '50', CONCORD_RATE_LIMIT_PER_MINUTE: '10000', ...environment }, '0.0.0-test');
  const store = options.store ?? createMemoryStore();
  let concord: Concord;
  let stopping: Promise<void> | undefined;
  try {
    concord = await startConcord({ config, logger: options.logger ?? pino({ level: 'silent' }), store, clock: options.clock });
  } catch (error) {
    await connector.stop();
    throw error;
  }
  return {
    concord,
    connector,
    url: concord.url,
    config,
    store,
    // Once only: a test may stop it early (to reopen its store) before the cleanup stops it again.
    stop: () => (stopping ??= (async () => {
      await concord.close();
      await connector.stop();
    })()),
  };
}

/**
 * The test Concord for one test: started as startTestConcord starts it, and stopped when the test
 * finishes, passed or failed (vitest's onTestFinished), so no test file repeats that cleanup.
 * Call it inside a test or a beforeEach; a beforeAll starts its own with startTestConcord.
 */
export async function useTestConcord(
  environment: Record<string, string> = {},
  options: { store?: Store; clock?: Clock; logger?: Logger } = {},
): Promise<TestConcord> {
  let running: TestConcord | undefined;
  // Registered first: outside a test this throws before anything is started.
  onTestFinished(() => running?.stop());
  running = await startTestConcord(environment, options);
  return running;
}
