import type { z } from 'zod';

/**
 * Takes a value into the store: validates it with its schema (so a bug upstream fails the write
 * that caused it, instead of leaving a record the store would refuse to load at the next start),
 * then a JSON round trip, so the store holds exactly what its files can hold and the caller keeps
 * no reference into stored state.
 */
export function admit<T>(schema: z.ZodType<T>, value: unknown): T {
  return JSON.parse(JSON.stringify(schema.parse(value))) as T;
}

/** Hands stored state out: a deep copy, so no caller can change the record behind the store's back. */
export function copyOut<T>(value: T): T {
  return structuredClone(value);
}
