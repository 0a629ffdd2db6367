import { describe, expect, it } from 'vitest';
import { nextSendAt, recordSend, TEAMS_PER_APP, TEAMS_PER_CONVERSATION, type RateWindow } from '../../src/shared/pacing.js';

const burst = (count: number, from = 0, gap = 0) => Array.from({ length: count }, (_, index) => from + index * gap);

describe('nextSendAt: when the next message to a conversation fits Teams limits', () => {
  it.each<[string, number[], number, number]>([
    ['nothing sent yet: now', [], 5_000, 5_000],
    ['6 sent this second: now (7 a second allowed)', burst(6, 1_000), 1_000, 1_000],
    ['7 sent at t=1000: waits until the first leaves the 1 s window', burst(7, 1_000), 1_000, 2_000],
    ['7 sent long ago: now', burst(7, 0), 40_000, 40_000],
    ['8 in the last 2 s (6 in the last second is fine, a 9th in 2 s is not): waits for the 2 s window', [0, 100, 1_200, 1_300, 1_400, 1_500, 1_600, 1_700], 1_800, 2_000],
    ['8 in 2 s starting at 500: waits until 2500', [500, 600, 1_700, 1_750, 1_800, 1_850, 1_900, 1_950], 2_000, 2_500],
    ['7 in the last second and 8 in 2 s: the later of the two', [0, 1_100, 1_200, 1_300, 1_400, 1_500, 1_600, 1_700], 1_800, 2_100],
    ['60 sent in 30 s, 2 a second: waits until the first is 30 s old', burst(60, 0, 500), 29_600, 30_000],
    ['60 sent over 40 s: now', burst(60, 0, 700), 41_400, 41_400],
  ])('%s', (_name, sent, now, want) => {
    expect(nextSendAt(sent, now, TEAMS_PER_CONVERSATION)).toBe(want);
  });

  it('the app-wide limit is 50 a second', () => {
    expect(nextSendAt(burst(49, 0, 10), 500, TEAMS_PER_APP)).toBe(500);
    expect(nextSendAt(burst(50, 0, 10), 500, TEAMS_PER_APP)).toBe(1_000);
  });

  it('recordSend keeps only what a window can still count', () => {
    expect(recordSend(burst(100, 0, 10), 1_000, [{ count: 7, ms: 1_000 }])).toEqual([940, 950, 960, 970, 980, 990, 1_000]);
    expect(recordSend([0, 10], 5_000, [{ count: 7, ms: 1_000 }])).toEqual([5_000]);
  });

  /** Sends `messages` as fast as the rule allows and returns their times. */
  const sendAsFastAsAllowed = (messages: number, windows: readonly RateWindow[]) => {
    let log: number[] = [];
    const times: number[] = [];
    for (let index = 0; index < messages; index += 1) {
      const at = nextSendAt(log, times.at(-1) ?? 0, windows);
      times.push(at);
      log = recordSend(log, at, windows);
    }
    return times;
  };
  const mostInAnyWindow = (times: number[], ms: number) =>
    Math.max(...times.map((start) => times.filter((time) => time >= start && time < start + ms).length));

  it('300 messages sent as fast as allowed never exceed a window, and go as fast as the tightest one lets them', () => {
    const times = sendAsFastAsAllowed(300, TEAMS_PER_CONVERSATION);
    for (const window of TEAMS_PER_CONVERSATION) expect(mostInAnyWindow(times, window.ms)).toBe(window.count);
    // 60 per 30 s bounds a long run: the 241st message cannot go before four full windows have
    // passed, and pacing never idles a whole window, so the 300th goes within the fifth.
    expect(times[240]).toBeGreaterThanOrEqual(4 * 30_000);
    expect(times.at(-1)).toBeLessThan(5 * 30_000);
  });
});
