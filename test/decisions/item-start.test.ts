import { describe, expect, it } from 'vitest';
import type { Attendance } from '../../src/decisions/attendance.js';
import { attendanceAtStart, attendanceLine, nowMarker, startItem, type ItemStart } from '../../src/decisions/item-start.js';
import { buildMinutes } from '../../src/register/minutes.js';
import { minutesInput } from '../register/minutes-fixture.js';
import { anAgenda } from '../store/builders.js';
import { adele, alex, NOW, patti, sample, stranger } from './fixtures.js';

const agenda = anAgenda('agenda-1', 1);
const attendance = (states: Record<string, Attendance['members'][number]['state']>): Attendance => ({
  meetingId: 'meeting-1', takenAt: NOW.toISOString(), members: Object.entries(states).map(([organisationId, state]) => ({ organisationId, state })),
});
const start = (itemRef: string, minute: number, taken?: Attendance): ItemStart => ({
  agendaId: 'agenda-1', itemRef, startedAt: `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`, by: alex, ...(taken ? { attendance: taken } : {}),
});

describe('moving the "Now" marker', () => {
  it.each([
    ['the chair', alex, 'P173/21', 'ok'],
    ['the secretariat (not chair)', patti, 'P173/21', 'ok'],
    ['a representative', adele, 'P173/21', 'not-chair-or-secretariat'],
    ['someone outside the collaborative', stranger, 'P173/21', 'not-chair-or-secretariat'],
    ['the chair, to an item not on the agenda', alex, 'P999/99', 'not-on-agenda'],
  ])('%s → %s', (_name, by, itemRef, want) => {
    const result = startItem({ agenda, itemRef, by, collaborative: sample(), now: NOW });
    expect(result.ok ? 'ok' : result.error.kind).toBe(want);
    if (result.ok) expect(result.value).toEqual({ agendaId: 'agenda-1', itemRef, startedAt: NOW.toISOString(), by });
  });
});

describe('reading the moves', () => {
  const present = attendance({ barnsley: 'present', rotherham: 'absent' });
  const later = attendance({ barnsley: 'absent', rotherham: 'absent' });
  it.each([
    ['no moves', [], null, 'P173/21', undefined],
    ['one move', [start('P173/21', 5, present)], 'P173/21', 'P173/21', present],
    ['revisited: the first start keeps its attendance', [start('P173/21', 5, present), start('P174/21', 9), start('P173/21', 20, later)], 'P173/21', 'P173/21', present],
    ['first start without attendance: a later one with it is used', [start('P173/21', 5), start('P173/21', 6, later)], 'P173/21', 'P173/21', later],
  ] as const)('%s', (_name, starts, now, itemRef, want) => {
    expect(nowMarker(starts)).toBe(now);
    expect(attendanceAtStart(starts, itemRef)?.attendance).toEqual(want);
  });

  it.each([
    [undefined, ''],
    [attendance({ barnsley: 'present', rotherham: 'absent', doncaster: 'unknown', sheffield: 'present' }), 'Present: Barnsley, Sheffield · Absent: Rotherham · Attendance not known: Doncaster'],
    [attendance({ barnsley: 'absent', other: 'absent' }), 'Absent: Barnsley, other'],
  ])('attendance %o → %s', (taken, want) => {
    expect(attendanceLine(taken, new Map([['barnsley', 'Barnsley'], ['rotherham', 'Rotherham'], ['doncaster', 'Doncaster'], ['sheffield', 'Sheffield']]))).toBe(want);
  });
});

describe('the minutes say who was there as each item started', () => {
  it('per item, from the first start; items never marked say nothing; the meeting attendance counts item starts too', () => {
    const minutes = buildMinutes(minutesInput({
      polls: [],
      outcomes: [],
      itemStarts: [start('P174/21', 30, attendance({ 'org-a': 'present', 'org-c': 'absent' })), start('P173/21', 40)],
    }));
    expect(minutes.items.map((item) => item.attendanceAtStart)).toEqual([
      expect.stringMatching(/^Taken up .+\. Attendance was not checked\.$/),
      expect.stringMatching(/^Taken up .+\. Present: Alpha NHS FT · Absent: Gamma Community Trust\.$/),
      '',
    ]);
    expect(minutes.attendance).toEqual([
      { member: 'Alpha NHS FT', state: 'Present' }, { member: expect.any(String), state: 'Not checked' }, { member: 'Gamma Community Trust', state: 'Absent' },
    ]);
  });
});
