import { pad2 } from './fields.js';

/**
 * Running times for an agenda: each item starts when the one before it ends. Times are wall-clock
 * "HH:MM" on the meeting's own date; an evening meeting that runs past midnight carries a day
 * offset rather than wrapping silently to a time that looks earlier than the start.
 */
export interface ClockTime {
  /** "HH:MM", 24-hour. */
  readonly time: string;
  /** Whole days after the meeting date: 0 the same day, 1 the next. */
  readonly dayOffset: number;
}

export interface ItemSlot {
  readonly start: ClockTime;
  readonly end: ClockTime;
  readonly minutes: number;
}

export interface MeetingSchedule {
  readonly start: ClockTime;
  readonly slots: readonly ItemSlot[];
  readonly totalMinutes: number;
  readonly end: ClockTime;
}

const MINUTES_PER_DAY = 24 * 60;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight for a 24-hour "HH:MM", or undefined when it is not one. */
export function minutesOfDay(time: string): number | undefined {
  const match = HH_MM.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

function clockTime(minutesFromMidnight: number): ClockTime {
  const dayOffset = Math.floor(minutesFromMidnight / MINUTES_PER_DAY);
  const within = minutesFromMidnight - dayOffset * MINUTES_PER_DAY;
  return { time: `${pad2(Math.floor(within / 60))}:${pad2(within % 60)}`, dayOffset };
}

/** The model guarantees a valid start time, so a bad one here is a bug and throws. */
export function scheduleAgenda(startTime: string, minutes: readonly number[]): MeetingSchedule {
  const startMinute = minutesOfDay(startTime);
  if (startMinute === undefined) throw new Error(`scheduleAgenda: start time ${startTime} is not HH:MM`);
  let cursor = startMinute;
  const slots = minutes.map((length) => {
    const slot = { start: clockTime(cursor), end: clockTime(cursor + length), minutes: length };
    cursor += length;
    return slot;
  });
  return { start: clockTime(startMinute), slots, totalMinutes: cursor - startMinute, end: clockTime(cursor) };
}

/** "00:15 (+1)": short enough for an item's time column, still unambiguous after midnight. */
export function formatItemTime(time: ClockTime): string {
  return time.dayOffset === 0 ? time.time : `${time.time} (+${time.dayOffset})`;
}

/** "00:45 next day" / "01:00 +2 days", for the meeting's end in the card header. */
export function formatEndTime(time: ClockTime): string {
  if (time.dayOffset === 0) return time.time;
  return time.dayOffset === 1 ? `${time.time} next day` : `${time.time} +${time.dayOffset} days`;
}

/** "45 min", "1 hr", "2 hr 15 min". */
export function formatDuration(totalMinutes: number): string {
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} hr` : `${hours} hr ${minutes} min`;
}
