/**
 * A per-person sliding window: enough to stop one runaway client (or a stuck key) from
 * flooding a board channel, without a shared cache. Each instance limits its own traffic.
 */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  private readonly told = new Map<string, number>();

  /**
   * 'allowed' records the attempt. A refusal is 'refused-first' once per window, so the person is
   * told to slow down once, and 'refused' after that, so a flood is not answered with a flood.
   */
  check(key: string, nowMs: number): 'allowed' | 'refused-first' | 'refused' {
    const since = nowMs - this.windowMs;
    const times = (this.recent.get(key) ?? []).filter((time) => time > since);
    const allowed = times.length < this.limit;
    if (allowed) times.push(nowMs);
    this.recent.set(key, times);
    if (this.recent.size > 10_000) this.prune(since);
    if (allowed) return 'allowed';
    if ((this.told.get(key) ?? 0) > since) return 'refused';
    this.told.set(key, nowMs);
    return 'refused-first';
  }

  private prune(since: number): void {
    for (const [key, times] of this.recent) {
      if (times.every((time) => time <= since)) this.recent.delete(key);
    }
    for (const [key, at] of this.told) if (at <= since) this.told.delete(key);
  }
}
