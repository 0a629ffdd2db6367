import { MAX_AGENDA_ITEMS, type AgendaFormInput } from './agenda.js';
import { DEFAULT_TIME_ZONE, formatInstant, formatMeetingDate } from './dates.js';
import { PURPOSES, type Agenda, type Purpose } from './model.js';
import { readDate, readStartTime, type FieldResult } from './fields.js';
import { formatAgendaText } from './parse.js';
import { formatDuration, formatEndTime, formatItemTime, scheduleAgenda } from './schedule.js';

/**
 * Plain data for cards/agenda.json and cards/agenda-form.json. The renderer escapes every string
 * for Teams Markdown except keys named like ids, URLs and `...Value`s, so fields that travel back
 * in action data (`itemRefValue`) or prefill inputs (`titleValue`) use those names, and nothing a
 * person typed is ever put in a key that is passed through raw except as an input's own value.
 */

/** Decision items stand out: members should see at a glance what they will be asked to decide. */
const PURPOSE_LOOK: Readonly<Record<Purpose, { label: string; color: 'Attention' | 'Accent' | 'Default'; rowStyle: 'emphasis' | 'default' }>> = {
  decision: { label: 'For decision', color: 'Attention', rowStyle: 'emphasis' },
  assurance: { label: 'For assurance', color: 'Accent', rowStyle: 'default' },
  information: { label: 'For information', color: 'Default', rowStyle: 'default' },
};

export interface AgendaCardItem {
  /** The item's reference, unescaped, sent back as `itemRef` by "Start poll". */
  itemRefValue: string;
  /** Running start time, "09:45", or "00:15 (+1)" after midnight. */
  start: string;
  minutesLabel: string;
  ref: string;
  title: string;
  lead: string;
  purposeLabel: string;
  purposeColor: 'Attention' | 'Accent' | 'Default';
  rowStyle: 'emphasis' | 'default';
  isDecision: boolean;
  recommendation: string;
  hasRecommendation: boolean;
  paperUrl: string;
  hasPaper: boolean;
  hasActions: boolean;
  /** Declarations of interest on this item and the chair's handling, as text. */
  declarations: { text: string }[];
}

/** Declarations on the agenda's items, as the decisions core words them (item-interests.ts). */
export interface AgendaInterests {
  /** By item reference. */
  texts: Readonly<Record<string, readonly string[]>>;
  declarationChoices: { title: string; declarationId: string }[];
  organisationChoices: { name: string; organisationId: string }[];
  /** Someone acts for more than one member, so the declare form asks which. */
  showOrganisationChoice: boolean;
}

export interface PurposeCount {
  label: string;
  color: 'Attention' | 'Accent' | 'Default';
}

export interface AgendaCardData {
  agendaId: string;
  title: string;
  /** "Tuesday 14 September 2021 · 09:30–11:45 (2 hr 15 min)" */
  whenLabel: string;
  facts: { name: string; text: string }[];
  hasFacts: boolean;
  meetingUrl: string;
  hasMeetingUrl: boolean;
  counts: Record<Purpose, number>;
  /** "2 for decision", … for each purpose present, in PURPOSES order. */
  countLabels: PurposeCount[];
  items: AgendaCardItem[];
  hasItems: boolean;
  /** True when recommendations exist but were left off to fit the card (see showRecommendations). */
  recommendationsOmitted: boolean;
  version: number;
  isEdited: boolean;
  /** "Version 2, edited by Sam Patel on 14 September 2021 at 10:32"; '' for version 1. */
  editedNote: string;
  editable: boolean;
  /** The declare form's item choice: every item, by reference and title. */
  itemChoices: { title: string; itemRefValue: string }[];
  organisationChoices: { name: string; organisationId: string }[];
  showOrganisationChoice: boolean;
  declarationChoices: { title: string; declarationId: string }[];
  /** A line for the person who pressed a button ("Your declaration is on the record"), or ''. */
  noteText: string;
  noteColor: 'Good' | 'Warning' | 'Default';
}

export interface AgendaCardOptions {
  /** Zone for the "edited at" time. Default Europe/London. */
  timeZone?: string;
  /** Offer the Edit button (default true). Pressing it is still checked against the chair's role. */
  editable?: boolean;
  /**
   * Show each item's recommendation (default true). Teams refuses a message over about 28 KB, and
   * 30 items with long recommendations can pass that; the shell renders again with `false` then,
   * and the card says the recommendations are in the papers.
   */
  showRecommendations?: boolean;
  /** Declarations of interest on the items; none shown when absent. */
  interests?: AgendaInterests;
  note?: { text: string; tone: 'good' | 'warning' };
}

export function toAgendaCardData(agenda: Agenda, options: AgendaCardOptions = {}): AgendaCardData {
  const { meeting, items, version, by, at } = agenda.current;
  const schedule = scheduleAgenda(meeting.startTime, items.map((item) => item.minutes));
  const timeRange = items.length === 0
    ? `from ${meeting.startTime}`
    : `${meeting.startTime}–${formatEndTime(schedule.end)} (${formatDuration(schedule.totalMinutes)})`;

  const showRecommendations = options.showRecommendations ?? true;
  const cardItems = items.map((item, index): AgendaCardItem => {
    const look = PURPOSE_LOOK[item.purpose];
    const slot = schedule.slots[index]!;
    const isDecision = item.purpose === 'decision';
    return {
      itemRefValue: item.ref,
      start: formatItemTime(slot.start),
      minutesLabel: `${item.minutes} min`,
      ref: item.ref,
      title: item.title,
      lead: item.lead,
      purposeLabel: look.label,
      purposeColor: look.color,
      rowStyle: look.rowStyle,
      isDecision,
      recommendation: showRecommendations ? item.recommendation : '',
      hasRecommendation: showRecommendations && item.recommendation !== '',
      paperUrl: item.paperUrl ?? '',
      hasPaper: item.paperUrl !== undefined,
      hasActions: isDecision || item.paperUrl !== undefined,
      declarations: (options.interests?.texts[item.ref] ?? []).map((text) => ({ text })),
    };
  });

  const counts = Object.fromEntries(
    PURPOSES.map((purpose) => [purpose, items.filter((item) => item.purpose === purpose).length]),
  ) as Record<Purpose, number>;
  const facts = [
    ...(meeting.place ? [{ name: 'Place', text: meeting.place }] : []),
    ...(meeting.chair ? [{ name: 'Chair', text: meeting.chair }] : []),
  ];

  return {
    agendaId: agenda.id,
    title: meeting.title,
    whenLabel: `${formatMeetingDate(meeting.date)} · ${timeRange}`,
    facts,
    hasFacts: facts.length > 0,
    meetingUrl: meeting.link ?? '',
    hasMeetingUrl: meeting.link !== undefined,
    counts,
    countLabels: PURPOSES.filter((purpose) => counts[purpose] > 0).map((purpose) => ({
      label: `${counts[purpose]} for ${purpose}`,
      color: PURPOSE_LOOK[purpose].color,
    })),
    items: cardItems,
    hasItems: items.length > 0,
    recommendationsOmitted: !showRecommendations && items.some((item) => item.recommendation !== ''),
    version,
    isEdited: version > 1,
    editedNote: version > 1
      ? `Version ${version}, edited by ${by.name || 'a member'} on ${formatInstant(at, options.timeZone ?? DEFAULT_TIME_ZONE)}`
      : '',
    editable: options.editable ?? true,
    itemChoices: items.map((item) => ({ title: `${item.ref} ${item.title}`, itemRefValue: item.ref })),
    organisationChoices: options.interests?.organisationChoices ?? [],
    showOrganisationChoice: options.interests?.showOrganisationChoice ?? false,
    declarationChoices: options.interests?.declarationChoices ?? [],
    noteText: options.note?.text ?? '',
    noteColor: options.note ? (options.note.tone === 'good' ? 'Good' : 'Warning') : 'Default',
  };
}

export interface AgendaFormData {
  heading: string;
  isEdit: boolean;
  /** '' for a new agenda. */
  agendaId: string;
  /** The version being edited; 0 for a new agenda. */
  expectedVersion: number;
  titleValue: string;
  dateValue: string;
  startTimeValue: string;
  placeValue: string;
  linkValue: string;
  chairValue: string;
  itemsValue: string;
  maxItems: number;
  problems: { text: string }[];
  hasProblems: boolean;
  submitTitle: string;
}

/** What the chair typed and what was wrong with it, to show the form again without losing it. */
export interface AgendaFormRetry {
  input: AgendaFormInput;
  problems: readonly string[];
}

/**
 * The form: empty for a new agenda, prefilled from the current version for an edit, or refilled
 * with the chair's own input when a save was refused.
 */
export function toAgendaFormData(agenda?: Agenda, retry?: AgendaFormRetry): AgendaFormData {
  const current = agenda?.current;
  const meeting = current?.meeting;
  // On a retry the form shows exactly what was submitted, blanks included, not the saved version.
  const values = retry
    ? {
        title: retry.input.title, date: retry.input.date, startTime: retry.input.startTime,
        place: retry.input.place, link: retry.input.link, chair: retry.input.chair, items: retry.input.items,
      }
    : {
        title: meeting?.title, date: meeting?.date, startTime: meeting?.startTime,
        place: meeting?.place, link: meeting?.link, chair: meeting?.chair,
        items: current ? formatAgendaText({ items: current.items }) : undefined,
      };
  return {
    heading: meeting ? `Edit agenda: ${meeting.title}` : 'New meeting agenda',
    isEdit: agenda !== undefined,
    agendaId: agenda?.id ?? '',
    expectedVersion: current?.version ?? 0,
    titleValue: values.title ?? '',
    dateValue: asInputValue(readDate, values.date),
    startTimeValue: asInputValue(readStartTime, values.startTime),
    placeValue: values.place ?? '',
    linkValue: values.link ?? '',
    chairValue: values.chair ?? '',
    itemsValue: values.items ?? '',
    maxItems: MAX_AGENDA_ITEMS,
    problems: (retry?.problems ?? []).map((text) => ({ text })),
    hasProblems: (retry?.problems.length ?? 0) > 0,
    submitTitle: agenda ? 'Save changes' : 'Post agenda',
  };
}

/**
 * Input.Date and Input.Time take only YYYY-MM-DD and HH:MM; a pasted "14/09/2021" is shown in
 * that form, and text that is not a date at all leaves the input empty rather than broken.
 */
function asInputValue(read: (text: string) => FieldResult<string>, typed: string | undefined): string {
  if (typed === undefined) return '';
  const result = read(typed);
  return result.ok ? result.value : '';
}
