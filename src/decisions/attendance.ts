import { z } from 'zod';
import type { DecisionRule } from './model.js';

/**
 * Who was in the meeting when a decision item started: the guidance's board practice records
 * attendance and quorum beside every decision (DESIGN.md, "The domain"). Teams says, person by
 * person, whether a representative is in the meeting (the meeting participant API); a lookup that
 * failed is `unknown`, never silently "absent".
 */
export const LOOKUPS = ['in-meeting', 'not-in-meeting', 'unknown'] as const;
export type Lookup = (typeof LOOKUPS)[number];

export const ATTENDANCE_STATES = ['present', 'absent', 'unknown'] as const;
export const AttendanceState = z.enum(ATTENDANCE_STATES);
export type AttendanceState = z.infer<typeof AttendanceState>;

export const MemberAttendance = z.object({
  organisationId: z.string(),
  state: AttendanceState,
});
export type MemberAttendance = z.infer<typeof MemberAttendance>;

export const Attendance = z.object({
  /** The Teams meeting the poll was opened in. */
  meetingId: z.string().min(1).max(500),
  takenAt: z.string(),
  members: z.array(MemberAttendance),
});
export type Attendance = z.infer<typeof Attendance>;

/**
 * An organisation is present when any of its representatives (or its deputy) is in the meeting;
 * absent only when every one of them was looked up and none is; otherwise unknown.
 */
export function takeAttendance(args: {
  meetingId: string;
  takenAt: string;
  members: readonly { id: string; people: readonly string[] }[];
  lookup: (aadObjectId: string) => Lookup;
}): Attendance {
  return {
    meetingId: args.meetingId,
    takenAt: args.takenAt,
    members: args.members.map(({ id, people }) => {
      const found = people.map(args.lookup);
      const state: AttendanceState = found.includes('in-meeting') ? 'present' : found.includes('unknown') ? 'unknown' : 'absent';
      return { organisationId: id, state };
    }),
  };
}

export interface Quoracy {
  /** Members in scope the rule needs. */
  readonly required: number;
  /** Members in scope known to be present. */
  readonly present: number;
  /** Members in scope whose attendance could not be checked. */
  readonly unknown: number;
  /** 'not-known' when the quorum turns on members whose attendance could not be checked. */
  readonly quorate: 'quorate' | 'not-quorate' | 'not-known';
}

/**
 * Whether the meeting is quorate before the vote, for a rule with a quorum (else undefined).
 * The rule's quorum counts members in scope recording a position (model.ts); before the vote the
 * best evidence is who is in the room, so this is the meeting's quorum, not the poll's result.
 */
export function quoracy(rule: DecisionRule, membersInScope: readonly string[], attendance: Attendance): Quoracy | undefined {
  if (rule.quorum === undefined) return undefined;
  const inScope = attendance.members.filter((member) => membersInScope.includes(member.organisationId));
  const present = inScope.filter((member) => member.state === 'present').length;
  const unknown = inScope.filter((member) => member.state === 'unknown').length;
  const quorate = present >= rule.quorum ? 'quorate' : present + unknown >= rule.quorum ? 'not-known' : 'not-quorate';
  return { required: rule.quorum, present, unknown, quorate };
}

export const ATTENDANCE_WORDS: Record<AttendanceState, string> = { present: 'Present', absent: 'Absent', unknown: 'Attendance not known' };

export function quoracyText(q: Quoracy): string {
  const base = `${q.present} of the ${q.required} members needed for a quorum are in the meeting`;
  switch (q.quorate) {
    case 'quorate': return `Quorate: ${base}.`;
    case 'not-quorate': return `Not quorate: ${base}.`;
    case 'not-known': return `Quorum not known: ${base}, and ${q.unknown} could not be checked.`;
  }
}
