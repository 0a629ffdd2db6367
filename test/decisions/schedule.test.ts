import { describe, expect, it } from 'vitest';
import { openPoll } from '../../src/decisions/poll.js';
import { dueReminders, reminderSchedule, type SentReminder } from '../../src/decisions/schedule.js';
import type { Poll } from '../../src/decisions/model.js';
import { alex, minutesAfter, NOW, poll, sample } from './fixtures.js';

// A poll closing 48 hours after NOW with the default reminders (24 h and 1 h before).
const CLOSES = minutesAfter(NOW, 48 * 60);
const scheduled = (overrides: Partial<Poll> = {}): Poll =>
  poll({ id: 'p1', closesAt: CLOSES.toISOString(), reminders: [1440, 60], ...overrides });
const at = (minutesBeforeClose: number): Date => minutesAfter(CLOSES, -minutesBeforeClose);

describe('dueReminders', () => {
  it.each<[string, Partial<Poll>, Date, SentReminder[], { offset: number; settles: number[] }[]]>([
    ['nothing due before the first reminder time', {}, at(1441), [], []],
    ['the 24-hour reminder at its time', {}, at(1440), [], [{ offset: 1440, settles: [1440] }]],
    ['the 24-hour reminder a little late', {}, at(1000), [], [{ offset: 1440, settles: [1440] }]],
    ['not again once sent', {}, at(1000), [{ pollId: 'p1', offset: 1440 }], []],
    ['the 1-hour reminder once the 24-hour one is sent', {}, at(60), [{ pollId: 'p1', offset: 1440 }], [{ offset: 60, settles: [60] }]],
    ['after downtime, one message settles both', {}, at(30), [], [{ offset: 60, settles: [1440, 60] }]],
    ['nothing once both are sent', {}, at(5), [{ pollId: 'p1', offset: 1440 }, { pollId: 'p1', offset: 60 }], []],
    ['a sent reminder of another poll does not count', {}, at(60), [{ pollId: 'p2', offset: 60 }, { pollId: 'p1', offset: 1440 }], [{ offset: 60, settles: [60] }]],
    ['never at the closing time', {}, at(0), [], []],
    ['never after the closing time, even before the closer runs', {}, at(-5), [], []],
    ['never for a closed poll', { status: 'closed' }, at(30), [], []],
    ['none for a poll with no closing time', { closesAt: undefined }, at(30), [], []],
    ['none for a poll from before reminders', { reminders: undefined }, at(30), [], []],
    ['none when the chair chose none', { reminders: [] }, at(30), [], []],
  ])('%s', (_, overrides, now, sent, want) => {
    expect(dueReminders([scheduled(overrides)], sent, now)).toStrictEqual(want.map((due) => ({ pollId: 'p1', ...due })));
  });
});

describe('reminderSchedule', () => {
  it.each<[string, number[], number, number[]]>([
    ['keeps both defaults for a poll closing in two days', [60, 1440], 48 * 60, [1440, 60]],
    ['drops a reminder whose time has already passed at opening', [1440, 60], 120, [60]],
    ['drops both for a poll closing within the hour', [1440, 60], 45, []],
    ['drops duplicates', [60, 60], 120, [60]],
  ])('%s', (_, offsets, closesInMinutes, want) => {
    expect(reminderSchedule(offsets, minutesAfter(NOW, closesInMinutes).toISOString(), NOW)).toStrictEqual(want);
  });
});

describe('the poll form offers reminders', () => {
  const open = (input: Record<string, unknown>) => {
    const result = openPoll({ input: { title: 'Hub', proposal: 'Run a hub.', category: 1, ...input }, collaborative: sample(), by: alex, now: NOW, newId: () => 'p1', conversationId: 'c1', gatewayHistory: [] });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.value.reminders;
  };
  it.each<[string, Record<string, unknown>, number[] | undefined]>([
    ['24 hours and 1 hour before by default', { closesInMinutes: 2880 }, [1440, 60]],
    ['the form\'s multi-select as text', { closesInMinutes: 2880, reminders: '60' }, [60]],
    ['none when the chair unticks both', { closesInMinutes: 2880, reminders: '' }, undefined],
    ['none without a closing time', {}, undefined],
    ['none without a closing time even when ticked', { reminders: '1440,60' }, undefined],
  ])('%s', (_, input, want) => expect(open(input)).toStrictEqual(want));
});
