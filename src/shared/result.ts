/**
 * Errors as values in the core: expected refusals (poll closed, not a representative) are
 * returned, not thrown, so the shell maps each kind to a polite card in one exhaustive switch.
 * Throw only for bugs.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
