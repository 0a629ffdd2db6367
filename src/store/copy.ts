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

/**
 * Hands a stored record out without copying it: frozen, deeply, so no caller can change it behind
 * the store's back either (a change throws). For the reads on a vote's path, each of which copied a
 * 200-member collaborative or a poll's 200 votes (structuredClone, 7% of a lone vote's CPU). Only
 * for records the store replaces rather than changes in place; freezing is done once per object.
 */
export function shareFrozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) shareFrozen(child);
  }
  return value;
}
