import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryAfterMs, withRetry } from '../../src/bot/retry.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('Retry-After', () => {
  it.each<[string, string | undefined, number | undefined]>([
    ['seconds', '3', 3_000],
    ['zero seconds', '0', 0],
    ['an HTTP date 5 s ahead', 'Mon, 23 Nov 2026 10:00:05 GMT', 5_000],
    ['an HTTP date already past: no wait', 'Mon, 23 Nov 2026 09:59:00 GMT', 0],
    ['absent', undefined, undefined],
    ['garbage', 'soon', undefined],
    ['a negative number is not seconds', '-4', undefined],
  ])('%s (%s) → %s ms', (_name, header, want) => {
    expect(parseRetryAfter(header, NOW)).toBe(want);
  });

  it('is read from a connector RestError’s response headers', () => {
    const error = Object.assign(new Error('throttled'), { statusCode: 429, response: { headers: new Map([['retry-after', '2']]) } });
    expect(retryAfterMs(error, NOW)).toBe(2_000);
    expect(retryAfterMs(new Error('no response'), NOW)).toBeUndefined();
  });

  it('withRetry waits what Retry-After asks rather than its own backoff', async () => {
    const waits: number[] = [];
    let calls = 0;
    const throttled = Object.assign(new Error('throttled'), { statusCode: 429, response: { headers: new Map([['retry-after', '7']]) } });
    const result = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw throttled;
      return 'sent';
    }, { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, retryable: () => true, retryAfterMs: (error) => retryAfterMs(error, NOW), sleep: async (ms) => { waits.push(ms); } });
    expect(result).toBe('sent');
    expect(waits).toEqual([7_000, 7_000]);
  });
});
