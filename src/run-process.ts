import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, startupProblems } from './config/config.js';
import { createLogger } from './shared/logger.js';
import { startConcord, type Concord } from './app.js';
import { startBanner } from './server/start-banner.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Concord as a process: `npm start` (through build/main.cjs) and `tsx src/main.ts`. A setting,
 * file or lock problem ends the process with one line that says what to fix, and a non-zero
 * exit: people starting Concord need the cause, not a stack trace.
 *
 * Exported rather than run on import: the start-up code cache is made by loading the bundle
 * without starting it (src/cli/build.mjs).
 */
export async function runConcordProcess(): Promise<void> {
  process.on('unhandledRejection', (reason) => {
    // A bug, not an expected refusal: record it and keep serving other conversations.
    process.stderr.write(`${JSON.stringify({ level: 50, msg: 'unhandled rejection', reason: String(reason) })}\n`);
  });
  let config;
  try {
    config = loadConfig(packageJson.version);
    const problems = startupProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Concord cannot start: ${error.problems.join('; ')}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let concord: Concord;
  try {
    concord = await startConcord({ config, logger });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.fatal({ reason: message }, 'Concord cannot start');
    process.stderr.write(`Concord cannot start: ${message}\n`);
    process.exit(1);
  }
  // A person at a terminal gets where it is and what to do next; machines keep the JSON log.
  if (process.stdout.isTTY) process.stdout.write(`${startBanner(concord.summary)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    concord.close().then(
      () => { logger.info('stopped cleanly'); process.exit(0); },
      (error: unknown) => { logger.error({ err: error }, 'shutdown failed'); process.exit(1); },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
