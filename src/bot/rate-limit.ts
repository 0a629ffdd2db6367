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

  /** True when the person may go ahead; records the attempt. */
  allow(key: string, nowMs: number): boolean {
    const since = nowMs - this.windowMs;
    const times = (this.recent.get(key) ?? []).filter((time) => time > since);
    const allowed = times.length < this.limit;
    if (allowed) times.push(nowMs);
    this.recent.set(key, times);
    if (this.recent.size > 10_000) this.prune(since);
    return allowed;
  }

  private prune(since: number): void {
    for (const [key, times] of this.recent) {
      if (times.every((time) => time <= since)) this.recent.delete(key);
    }
  }
}
