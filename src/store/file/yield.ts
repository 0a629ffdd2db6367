/** Lets timers and I/O run during a long synchronous job (opening a large store), e.g. the lock's refresh. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
