/**
 * Draft minutes of one board meeting, built from the record alone: the agenda posted in the
 * meeting's chat, the polls opened from it, their outcomes and the attendance taken when each poll
 * opened. Secretariats finish minutes by hand; this draft gives them every decision with its rule,
 * outcome and every member's position, so nothing has to be copied from cards (issue 21).
 *
 * Pure: plain data in, plain data out. The Markdown and Word renderings are in bot/minutes-document.ts.
 */
import type { Agenda, Purpose } from '../agenda/model.js';
import { formatItemTime, scheduleAgenda } from '../agenda/schedule.js';
import { ATTENDANCE_WORDS, quoracy, quoracyText, type AttendanceState } from '../decisions/attendance.js';
import { attendanceAtStart, attendanceLine, type ItemStart } from '../decisions/item-start.js';
import type { Attendance } from '../decisions/attendance.js';
import { HANDLING_WORDS, type Declaration as RecordedDeclaration } from '../decisions/declaration.js';
import type { Poll } from '../decisions/model.js';
import type { Outcome } from '../decisions/outcome.js';
import { describeRule } from '../decisions/rules.js';
import { displayName } from '../people/model.js';
import { ukDateTime } from '../shared/format.js';
import { basisText, categoryText, positionText, STATUS_WORDS } from './outcome-view.js';

/**
 * A declaration of interest as the record may hold it (issue 20 adds them to the record). Minutes
 * list whatever is given; an empty list says so rather than implying none were declared.
 */
export interface Declaration {
  readonly person: string;
  readonly organisationName?: string;
  readonly itemRef?: string;
  readonly interest: string;
  /** What the chair decided, e.g. "left the meeting for the item". */
  readonly action?: string;
}

/**
 * The meeting's declarations of interest as the minutes list them: those made on its agenda items,
 * then those made on its polls only (a poll started from an item carries the item's, with the same
 * id, so each is listed once), with the chair's handling or that it awaits one.
 */
export function declarationsForMinutes(agenda: Agenda, polls: readonly Poll[], members: readonly { id: string; name: string }[]): Declaration[] {
  const names = new Map(members.map((member) => [member.id, member.name]));
  const seen = new Set<string>();
  const listed: Declaration[] = [];
  const add = (declaration: RecordedDeclaration, itemRef: string | undefined) => {
    if (seen.has(declaration.id)) return;
    seen.add(declaration.id);
    listed.push({
      person: displayName(declaration.declaredBy),
      organisationName: names.get(declaration.organisationId),
      itemRef,
      interest: declaration.description,
      action: declaration.handling
        ? `${HANDLING_WORDS[declaration.handling.kind]} (decided by ${displayName(declaration.handling.by)})`
        : 'awaiting the chair’s decision',
    });
  };
  for (const declaration of agenda.declarations ?? []) add(declaration, declaration.itemRef);
  for (const poll of polls) for (const declaration of poll.declarations ?? []) add(declaration, poll.agenda?.itemRef);
  return listed;
}

export interface MinutesInput {
  readonly agenda: Agenda;
  /** Polls opened from this agenda or in the meeting's chat, oldest first. */
  readonly polls: readonly Poll[];
  /** Each poll's latest outcome, where it has closed. */
  readonly outcomes: readonly Outcome[];
  /** Every member organisation, in the collaborative's order. */
  readonly members: readonly { id: string; name: string }[];
  /** Undefined when the record has no declarations (before issue 20); [] when it has none. */
  readonly declarations?: readonly Declaration[];
  /** When Teams said the meeting ended. */
  readonly endedAt?: string;
  /** The chair's "Now" moves, oldest first, with who was in the meeting at each (issue 21). */
  readonly itemStarts?: readonly ItemStart[];
}

export interface MinutesDecision {
  readonly pollId: string;
  readonly title: string;
  readonly proposal: string;
  readonly rule: string;
  readonly basis: string;
  readonly category: string;
  /** "Agreed", "Not agreed", …, or "Poll still open". */
  readonly outcome: string;
  readonly explanation: string;
  readonly quorum: string;
  readonly positions: readonly { readonly member: string; readonly position: string; readonly attendance: string }[];
  readonly reasons: readonly string[];
}

export interface MinutesItem {
  readonly ref: string;
  readonly title: string;
  readonly time: string;
  readonly purpose: string;
  readonly lead: string;
  readonly recommendation: string;
  /** "Taken at 10:05. Present: … · Absent: …" from the chair's first "Now" on the item; empty if it was never marked. */
  readonly attendanceAtStart: string;
  readonly decisions: readonly MinutesDecision[];
}

export interface Minutes {
  readonly agendaId: string;
  readonly title: string;
  readonly date: string;
  readonly facts: readonly { readonly label: string; readonly text: string }[];
  /** Per member: present at any decision item, else absent or not known. */
  readonly attendance: readonly { readonly member: string; readonly state: string }[];
  readonly attendanceNote: string;
  readonly declarations: readonly string[];
  readonly declarationsNote: string;
  readonly items: readonly MinutesItem[];
  readonly actions: readonly { readonly ref: string; readonly who: string; readonly what: string; readonly when: string }[];
}

const PURPOSE_WORDS: Record<Purpose, string> = { decision: 'For decision', assurance: 'For assurance', information: 'For information' };

/** Over a meeting, a member is present if present at any item; absent only if absent at every item checked. */
function meetingAttendance(taken: readonly Attendance[], organisationId: string): AttendanceState | undefined {
  const states = taken.flatMap((attendance) => attendance.members.filter((member) => member.organisationId === organisationId).map((member) => member.state));
  if (states.length === 0) return undefined;
  return states.includes('present') ? 'present' : states.includes('unknown') ? 'unknown' : 'absent';
}

function decisionOf(poll: Poll, outcome: Outcome | undefined, names: ReadonlyMap<string, string>): MinutesDecision {
  const attendanceOf = (organisationId: string): string => {
    const state = poll.attendance?.members.find((member) => member.organisationId === organisationId)?.state;
    return state ? ATTENDANCE_WORDS[state] : '';
  };
  const quorum = poll.attendance && quoracy(poll.rule, poll.membersInScope, poll.attendance);
  if (!outcome) {
    return {
      pollId: poll.id, title: poll.title, proposal: poll.proposal, rule: describeRule(poll.rule), basis: '',
      category: poll.category === 1 ? 'Category 1: binds every member' : `Category 2: binds only ${poll.membersInScope.map((id) => names.get(id) ?? id).join(', ')}`,
      outcome: 'Poll still open', explanation: 'The poll had not closed when these minutes were drafted.',
      quorum: quorum ? quoracyText(quorum) : '',
      positions: [], reasons: [],
    };
  }
  return {
    pollId: poll.id,
    title: outcome.title,
    proposal: outcome.proposal,
    rule: describeRule(outcome.rule),
    basis: basisText(outcome),
    category: categoryText(outcome),
    outcome: STATUS_WORDS[outcome.status],
    explanation: outcome.explanation,
    quorum: quorum ? quoracyText(quorum) : '',
    positions: outcome.positions.map((position) => ({ member: position.organisationName, position: positionText(position), attendance: attendanceOf(position.organisationId) })),
    reasons: outcome.reasons,
  };
}

/** When the item was taken up and who was there; the time is the meeting's (UK) clock. */
function startText(start: ItemStart | undefined, names: ReadonlyMap<string, string>): string {
  if (!start) return '';
  const line = attendanceLine(start.attendance, names);
  return `Taken up ${ukDateTime(start.startedAt)}.${line ? ` ${line}.` : ' Attendance was not checked.'}`;
}

export function buildMinutes(input: MinutesInput): Minutes {
  const { agenda } = input;
  const version = agenda.current;
  const meeting = version.meeting;
  const names = new Map(input.members.map((member) => [member.id, member.name]));
  const outcomeOf = new Map(input.outcomes.map((outcome) => [outcome.pollId, outcome]));
  const schedule = scheduleAgenda(meeting.startTime, version.items.map((item) => item.minutes));
  const pollsFor = (ref: string | undefined) => input.polls.filter((poll) => (ref === undefined
    ? poll.agenda?.agendaId !== agenda.id || !version.items.some((item) => item.ref === poll.agenda?.itemRef)
    : poll.agenda?.agendaId === agenda.id && poll.agenda.itemRef === ref));

  const items: MinutesItem[] = version.items.map((item, index) => {
    const slot = schedule.slots[index];
    return {
      ref: item.ref,
      title: item.title,
      time: slot ? `${formatItemTime(slot.start)}–${formatItemTime(slot.end)}` : '',
      purpose: PURPOSE_WORDS[item.purpose],
      lead: item.lead,
      recommendation: item.recommendation,
      attendanceAtStart: startText(attendanceAtStart(input.itemStarts ?? [], item.ref), names),
      decisions: pollsFor(item.ref).map((poll) => decisionOf(poll, outcomeOf.get(poll.id), names)),
    };
  });
  const others = pollsFor(undefined);
  if (others.length > 0) {
    items.push({
      ref: 'Other', title: 'Decisions taken in the meeting outside the agenda', time: '', purpose: PURPOSE_WORDS.decision, lead: '', recommendation: '', attendanceAtStart: '',
      decisions: others.map((poll) => decisionOf(poll, outcomeOf.get(poll.id), names)),
    });
  }

  const taken = [
    ...input.polls.flatMap((poll) => (poll.attendance ? [poll.attendance] : [])),
    ...(input.itemStarts ?? []).flatMap((start) => (start.attendance ? [start.attendance] : [])),
  ];
  const checked = input.members.map((member) => ({ member, state: meetingAttendance(taken, member.id) }));
  const anyChecked = checked.some(({ state }) => state !== undefined);
  const refOf = (pollId: string): string => input.polls.find((poll) => poll.id === pollId)?.agenda?.itemRef ?? 'Other';

  return {
    agendaId: agenda.id,
    title: meeting.title,
    date: meeting.date,
    facts: [
      { label: 'Date', text: `${meeting.date}, from ${meeting.startTime}` },
      ...(meeting.place ? [{ label: 'Place', text: meeting.place }] : []),
      ...(meeting.chair ? [{ label: 'Chair', text: meeting.chair }] : []),
      ...(input.endedAt ? [{ label: 'Meeting ended', text: ukDateTime(input.endedAt) }] : []),
      { label: 'Agenda', text: `version ${version.version}, posted by ${displayName(version.by)}` },
    ],
    attendance: anyChecked ? checked.map(({ member, state }) => ({ member: member.name, state: state ? ATTENDANCE_WORDS[state] : 'Not checked' })) : [],
    attendanceNote: anyChecked
      ? 'Members whose representative or deputy was in the Teams meeting when the chair marked an item "Now" or a poll opened.'
      : 'Attendance was not taken: no item was marked "Now" and no poll was opened in the Teams meeting. Record it by hand.',
    declarations: (input.declarations ?? []).map((declaration) => [
      declaration.itemRef ? `${declaration.itemRef}: ` : '',
      declaration.person,
      declaration.organisationName ? ` (${declaration.organisationName})` : '',
      ` declared ${declaration.interest}`,
      declaration.action ? `; ${declaration.action}` : '',
    ].join('')),
    declarationsNote: input.declarations === undefined
      ? 'Declarations of interest are not in the record yet: add any made at the meeting.'
      : input.declarations.length === 0 ? 'No declarations of interest were recorded.' : '',
    items,
    actions: input.outcomes.flatMap((outcome) => outcome.actions.map((action) => ({ ref: refOf(outcome.pollId), who: action.who, what: action.what, when: action.when }))),
  };
}
