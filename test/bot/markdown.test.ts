import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/bot/markdown.js';

describe('escapeMarkdown', () => {
  it.each([
    ['- a list item', '\\- a list item'],
    ['  # heading', '  \\# heading'],
    ['line\n> quote', 'line\n\\> quote'],
    ['line\n\n   12. item', 'line\n\n   12\\. item'],
    ['\t+ tabbed', '\t+ tabbed'.replace('+', '\\+')],
    ['a - b stays', 'a - b stays'],
    ['*bold* [link]', '\\*bold\\* \\[link\\]'],
  ])('%j → %j', (input, want) => expect(escapeMarkdown(input)).toBe(want));

  // Item 14.10: the line-start pattern must not run across line breaks (it was quadratic).
  it.each([
    ['newlines', '\n'.repeat(100_000)],
    ['CRLF', '\r\n'.repeat(100_000)],
    ['line separators', '\u2028'.repeat(100_000)],
    ['spaces then newlines', ' \n'.repeat(100_000)],
    ['digits without a dot', `${'1'.repeat(100_000)}\n`],
  ])('100,000 %s escape in under 50 ms', (_name, input) => {
    escapeMarkdown('warm up');
    const started = performance.now();
    escapeMarkdown(input);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
