import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { CardJson } from '../../src/bot/render.js';

// The package's lib/ entry does not resolve under Node ESM; the dist bundle is CommonJS.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Teams refuses bot messages over about 28 KB. */
export const TEAMS_CARD_BUDGET = 28 * 1024;

/** Parses with the Adaptive Cards library itself: no parse errors or warnings, no invalid properties. */
export function expectParsesCleanly(card: CardJson): void {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, index) => context.getEventAt(index).message);
  expect(events).toEqual([]);
  expect(parsed.validateProperties().validationEvents.map((event) => event.message)).toEqual([]);
}

/** Parses cleanly, has no template binding left, and fits in a Teams message. */
export function expectValidCard(card: CardJson, userText?: string): void {
  expectParsesCleanly(card);
  // No binding is left unexpanded; a `${` typed by a user (and shown literally) is not a binding.
  const json = JSON.stringify(card);
  expect(userText === undefined ? json : json.split(JSON.stringify(userText).slice(1, -1)).join('')).not.toContain('${');
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(TEAMS_CARD_BUDGET);
}

/**
 * Every Action.Execute a person can press carries an Action.Submit fallback with the same verb.
 * (The card's `refresh` action is invoked by Teams itself and is never shown, so it has none.)
 */
export function expectSubmitFallbacks(card: CardJson): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const { refresh: _refresh, ...record } = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') {
      const fallback = record.fallback as { type?: string; data?: { verb?: string } } | undefined;
      expect(fallback?.type).toBe('Action.Submit');
      expect(fallback?.data?.verb).toBe(record.verb);
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
}

/** Undoes the Markdown escapes Concord adds, to compare shown text with what a person typed. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_~[\]#>+\-.])/g, '$1');
}

/** The hostile strings every card must show literally. */
export const HOSTILE = [
  '**bold** _x_ [link](http://evil.example)',
  '${1+1} and ${$root.title}',
  '<script>alert(1)</script>',
  '- not a list\n1. not numbered\n# not a heading',
  '=HYPERLINK("http://evil","x")',
];
