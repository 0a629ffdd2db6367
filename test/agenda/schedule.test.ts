import { describe, expect, it } from 'vitest';
import { formatDuration, formatEndTime, formatItemTime, minutesOfDay, scheduleAgenda } from '../../src/agenda/schedule.js';

const starts = (startTime: string, minutes: number[]): string[] =>
  scheduleAgenda(startTime, minutes).slots.map((slot) => formatItemTime(slot.start));

describe('scheduleAgenda', () => {
  it.each([
    ['09:30', [15, 30, 10], ['09:30', '09:45', '10:15'], '10:25', 55],
    ['09:30', [], [], '09:30', 0],
    ['13:00', [0, 20, 0, 5], ['13:00', '13:00', '13:20', '13:20'], '13:25', 25],
    ['23:30', [20, 20, 30], ['23:30', '23:50', '00:10 (+1)'], '00:40 next day', 70],
    ['23:00', [60], ['23:00'], '00:00 next day', 60],
    ['18:00', [480, 480, 480], ['18:00', '02:00 (+1)', '10:00 (+1)'], '18:00 next day', 1440],
    ['20:00', [480, 480, 480, 480], ['20:00', '04:00 (+1)', '12:00 (+1)', '20:00 (+1)'], '04:00 +2 days', 1920],
  ])('%s with %o → starts %o, ends %s after %i min', (start, minutes, wantStarts, wantEnd, wantTotal) => {
    const schedule = scheduleAgenda(start, minutes);
    expect(starts(start, minutes)).toEqual(wantStarts);
    expect(formatEndTime(schedule.end)).toBe(wantEnd);
    expect(schedule.totalMinutes).toBe(wantTotal);
  });

  it('gives each slot its own end, the next slot\'s start', () => {
    const { slots } = scheduleAgenda('10:00', [15, 45]);
    expect(slots[0]!.end).toEqual(slots[1]!.start);
    expect(slots[1]!.end).toEqual({ time: '11:00', dayOffset: 0 });
  });

  it('throws on a start time the model would never hold', () => {
    expect(() => scheduleAgenda('9:30', [10])).toThrow(/HH:MM/);
  });
});

describe('times and durations', () => {
  it.each([
    ['00:00', 0], ['09:30', 570], ['23:59', 1439], ['24:00', undefined], ['9:30', undefined], ['ab:cd', undefined],
  ])('minutesOfDay(%s) → %s', (time, want) => expect(minutesOfDay(time)).toBe(want));

  it.each([
    [0, '0 min'], [45, '45 min'], [60, '1 hr'], [135, '2 hr 15 min'], [600, '10 hr'],
  ])('formatDuration(%i) → %s', (minutes, want) => expect(formatDuration(minutes)).toBe(want));
});
