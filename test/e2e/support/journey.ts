/**
 * The setup every Playground journey file shares: Concord and the Playground started once for the
 * file (beforeAll), stopped after it (afterAll), and the page saved to
 * test-results/<test name>.png when a step fails.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { REPO_ROOT } from '../../../src/cli/processes.js';
import { Playground } from './playground.js';
import { loopbackContext, startStack, type Stack } from './stack.js';

const RESULTS = path.join(REPO_ROOT, 'test-results');

export interface Journey {
  readonly stack: Stack;
  readonly context: BrowserContext;
  readonly playground: Playground;
}

/** Registers the file's hooks; the returned pieces can be read once beforeAll has run (inside a test). */
export function useJourney(options: {
  stack?: Parameters<typeof startStack>[0];
  context?: Parameters<typeof loopbackContext>[1];
} = {}): Journey {
  let stack: Stack | undefined;
  let context: BrowserContext | undefined;
  let playground: Playground | undefined;

  beforeAll(async () => {
    stack = await startStack(options.stack);
    context = await loopbackContext(stack.browser, options.context);
    playground = await Playground.open(context, stack.playgroundUrl);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const page = context?.pages().at(-1);
      if (!page) return;
      mkdirSync(RESULTS, { recursive: true });
      const name = task.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120);
      await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true }).catch(() => undefined);
    });
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the journey has not started: read it inside a test');
    return value;
  };
  return {
    get stack() { return started(stack); },
    get context() { return started(context); },
    get playground() { return started(playground); },
  };
}
