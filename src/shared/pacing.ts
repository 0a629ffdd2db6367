/**
 * Pacing sends inside Teams' rate limits. Teams counts a bot's messages per conversation ("per bot
 * per thread": 7 in 1 s, 8 in 2 s, 60 in 30 s) and per app per tenant (50 a second); over a limit
 * it answers 429 (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 *
 * The limits are sliding windows, so the rule keeps each key's recent send times and computes when
 * the next send fits. (A token bucket refilled at 60 per 30 s would still allow a burst of 60 on top
 * of the refill, about 119 in one 30 s window; the send log never does.) Pure: times in, time out.
 */

/** At most `count` sends in any `ms` milliseconds. */
export interface RateWindow {
  readonly count: number;
  readonly ms: number;
}

export const TEAMS_PER_CONVERSATION: readonly RateWindow[] = [
  { count: 7, ms: 1_000 },
  { count: 8, ms: 2_000 },
  { count: 60, ms: 30_000 },
];
export const TEAMS_PER_APP: readonly RateWindow[] = [{ count: 50, ms: 1_000 }];

/**
 * The earliest time at or after `nowMs` when one more send keeps inside every window, given the
 * earlier send times `sent` (ascending). A send at `t` fits a window when the `count`-th most recent
 * send is at least `ms` before `t`.
 */
export function nextSendAt(sent: readonly number[], nowMs: number, windows: readonly RateWindow[]): number {
  let at = nowMs;
  for (const window of windows) {
    const nth = sent[sent.length - window.count];
    if (nth !== undefined) at = Math.max(at, nth + window.ms);
  }
  return at;
}

/** The send log after a send at `atMs`, keeping only what any window can still count. */
export function recordSend(sent: readonly number[], atMs: number, windows: readonly RateWindow[]): number[] {
  const keep = Math.max(0, ...windows.map((window) => window.count));
  const longest = Math.max(0, ...windows.map((window) => window.ms));
  return [...sent, atMs].filter((time) => time > atMs - longest).slice(-keep);
}
