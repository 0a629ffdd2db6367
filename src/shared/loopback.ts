/**
 * Names and addresses that mean "this computer". Local mode authenticates nothing, so it may only
 * listen on, and reply to, these.
 */
const LOOPBACK_HOST_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** A host name or IP literal on loopback: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (LOOPBACK_HOST_NAMES.has(name)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** An http(s) URL whose host is loopback; anything unparsable is not. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}
