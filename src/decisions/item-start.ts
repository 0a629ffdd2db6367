import { z } from 'zod';
import type { Agenda } from '../agenda/model.js';
import { Person } from '../people/model.js';
import { err, ok, type Result } from '../shared/result.js';
import { Attendance, ATTENDANCE_WORDS } from './attendance.js';
import { rolesOf, type Collaborative } from './collaborative.js';

/**
 * The chair moving the "Now" marker to an agenda item during a Teams meeting (issue 21). Each
 * move is one insert-only record, so every instance and a restart see the same marker (the latest
 * record) and the minutes can say who was in the meeting when each item was taken (board practice
 * records attendance item by item: DESIGN.md, "The domain").
 */
export const ItemStart = z.object({
  agendaId: z.string().min(1).max(100),
  itemRef: z.string().min(1).max(30),
  startedAt: z.string(),
  by: Person,
  /** Who of each member's people was in the meeting as the item started; absent outside a meeting or when Teams could not be asked. */
  attendance: Attendance.optional(),
});
export type ItemStart = z.infer<typeof ItemStart>;

export type ItemStartError =
  | { kind: 'not-on-agenda'; itemRef: string }
  | { kind: 'not-chair-or-secretariat' };

/** Only the chair or the secretariat moves the marker, and only to an item on the agenda's current version. */
export function startItem(args: {
  agenda: Agenda;
  itemRef: string;
  by: Person;
  collaborative: Collaborative;
  now: Date;
}): Result<Omit<ItemStart, 'attendance'>, ItemStartError> {
  const roles = rolesOf(args.collaborative, args.by.aadObjectId);
  if (!roles.isChair && !roles.isSecretariat) return err({ kind: 'not-chair-or-secretariat' });
  if (!args.agenda.current.items.some((item) => item.ref === args.itemRef)) return err({ kind: 'not-on-agenda', itemRef: args.itemRef });
  return ok({ agendaId: args.agenda.id, itemRef: args.itemRef, startedAt: args.now.toISOString(), by: args.by });
}

/** The item under discussion: the latest move wins. */
export const nowMarker = (starts: readonly ItemStart[]): string | null => starts.at(-1)?.itemRef ?? null;

/**
 * The attendance taken when an item was first started: revisiting an item later does not rewrite
 * who was there when it was taken (a later start with attendance is used only if the first had none).
 */
export function attendanceAtStart(starts: readonly ItemStart[], itemRef: string): ItemStart | undefined {
  const ofItem = starts.filter((start) => start.itemRef === itemRef);
  return ofItem.find((start) => start.attendance !== undefined) ?? ofItem[0];
}

/** "Present: Trust 1, Trust 2 · Absent: Trust 3" in member order; empty when no attendance was taken. */
export function attendanceLine(attendance: Attendance | undefined, names: ReadonlyMap<string, string>): string {
  if (!attendance) return '';
  const groups = (['present', 'absent', 'unknown'] as const)
    .map((state) => ({ state, names: attendance.members.filter((member) => member.state === state).map((member) => names.get(member.organisationId) ?? member.organisationId) }))
    .filter((group) => group.names.length > 0);
  return groups.map((group) => `${ATTENDANCE_WORDS[group.state]}: ${group.names.join(', ')}`).join(' · ');
}
