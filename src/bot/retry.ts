export interface RetryOptions {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Whether an error is worth another try (a 429 or a 5xx is; a 400 is not). */
  readonly retryable: (error: unknown) => boolean;
  /** Server-requested wait (Retry-After), in ms, when the error carries one. */
  readonly retryAfterMs?: (error: unknown) => number | undefined;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter, honouring Retry-After when the server sends one. */
export async function withRetry<T>(task: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error;
      const backoff = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delay = options.retryAfterMs?.(error) ?? Math.round(backoff / 2 + Math.random() * (backoff / 2));
      options.onRetry?.(error, attempt, delay);
      await sleep(Math.min(delay, options.maxDelayMs));
    }
  }
}

/** HTTP status carried by botbuilder's connector errors (RestError) or similar. */
export function statusOf(error: unknown): number | undefined {
  if (error && typeof error === 'object') {
    const record = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
    for (const candidate of [record.statusCode, record.status, record.response?.status]) {
      if (typeof candidate === 'number') return candidate;
    }
  }
  return undefined;
}

/**
 * The wait a 429 or 503 asks for, in ms: the Retry-After header (seconds, or an HTTP date) of a
 * connector RestError (`error.response.headers.get`). botbuilder's HTTP pipeline already retries a
 * 429 a few times itself honouring it; this covers the throttling that outlasts those retries.
 */
export function retryAfterMs(error: unknown, nowMs = Date.now()): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const headers = (error as { response?: { headers?: { get?: unknown } } }).response?.headers;
  const value = typeof headers?.get === 'function' ? (headers.get as (name: string) => unknown).call(headers, 'retry-after') : undefined;
  return parseRetryAfter(typeof value === 'string' ? value : undefined, nowMs);
}

/** RFC 9110 §10.2.3: a number of seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An IMF-fixdate starts with the day's name ("Mon, 23 Nov 2026 10:00:05 GMT").
  const date = /^[A-Za-z]{3}, /.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Teams throttling (429), server errors and network failures are transient; the rest are not. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 429 || status >= 500;
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Rejects with a TimeoutError (transient: no status) when `promise` has not settled in `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
