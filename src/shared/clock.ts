/** Injected so the core and its tests never read the wall clock or sleep. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export type NewId = () => string;
