import { LIMITS, type AgendaItem, type Meeting } from './model.js';
import { err, ok, type Result } from '../shared/result.js';
import { quote, readDate, readLink, readMinutes, readPurpose, readStartTime, readText, type FieldResult } from './fields.js';

/**
 * The plain-text agenda a chair can paste, one line each:
 *
 *   Meeting: Provider Leadership Board          (optional header lines, any order)
 *   Date: 2021-09-14                            (or 14/09/2021)
 *   Start: 09:30
 *   Place: Boardroom, Trust HQ
 *   Link: https://teams.microsoft.com/l/meetup-join/...
 *   Chair: Dame Jane Smith
 *   P173/21 | Chief Executive Report | R Jenkins | decision | 15 | The board is asked to approve | https://paper
 *
 * An item is `ref | title | lead | purpose | minutes [| recommendation [| paper link]]`; with six
 * parts, a sixth that is a web address is read as the paper link. `\|` is a literal bar inside a
 * part. Blank lines and lines starting with `#` are ignored. A bad line is reported by its number
 * and the good lines are kept, so one typo never costs the chair the rest of a pasted agenda.
 */
export interface ParseError {
  /** 1-based, counted in the text as given, blank and comment lines included. */
  readonly line: number;
  readonly text: string;
  readonly problem: string;
}

export interface ParsedAgenda {
  /** Only the header lines that were present (and valid). */
  readonly meeting?: Partial<Meeting>;
  readonly items: AgendaItem[];
  readonly errors: ParseError[];
  /** Lines that were meant as items, good or bad: what a chair would count as "the items". */
  readonly itemLines: number;
}

type HeaderField = 'title' | 'date' | 'startTime' | 'place' | 'link' | 'chair';

const HEADER_KEYS: Readonly<Record<string, HeaderField>> = {
  meeting: 'title', title: 'title',
  date: 'date',
  start: 'startTime', 'start time': 'startTime', time: 'startTime',
  place: 'place', venue: 'place', location: 'place',
  link: 'link', 'teams link': 'link', 'meeting link': 'link',
  chair: 'chair', 'chaired by': 'chair',
};

const HEADER_LINE = /^([A-Za-z][A-Za-z ]{0,20}?)\s*:\s*(.*)$/;

const HEADER_READERS: Readonly<Record<HeaderField, (value: string) => FieldResult<string | undefined>>> = {
  title: (value) => readText(value, 'meeting title', LIMITS.meetingTitle, { required: true }),
  date: readDate,
  startTime: readStartTime,
  place: (value) => readText(value, 'place', LIMITS.place, { required: false }),
  link: (value) => readLink(value, 'meeting link'),
  chair: (value) => readText(value, 'chair', LIMITS.chair, { required: false }),
};

export const ITEM_FORMAT = 'ref | title | lead | purpose | minutes';
const LOOKS_LIKE_LINK = /^https?:\/\/\S+$/i;

export function parseAgendaText(text: string): ParsedAgenda {
  const meeting: Partial<Record<HeaderField, string>> = {};
  const headerLineOf = new Map<HeaderField, number>();
  const items: AgendaItem[] = [];
  const errors: ParseError[] = [];
  const refLineOf = new Map<string, number>();
  let itemLines = 0;

  // Teams pastes may carry non-breaking spaces and CRLF; both would defeat the trims below.
  const lines = text.replace(/\u00a0/g, ' ').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const report = (problem: string): void => void errors.push({ line, text: trimmed, problem });

    const header = HEADER_LINE.exec(trimmed);
    const field = header ? HEADER_KEYS[header[1]!.toLowerCase().replace(/\s+/g, ' ')] : undefined;
    if (header && field) {
      const earlier = headerLineOf.get(field);
      if (earlier !== undefined) return report(`${header[1]!.trim()} is given again; it was already given on line ${earlier}`);
      headerLineOf.set(field, line);
      const value = HEADER_READERS[field](header[2]!);
      if (!value.ok) return report(value.error);
      if (value.value !== undefined) meeting[field] = value.value;
      return;
    }

    if (!trimmed.includes('|')) {
      return report(`expected an item as '${ITEM_FORMAT}' or a header line such as 'Date: 2021-09-14', got ${quote(trimmed)}`);
    }
    itemLines += 1;
    const item = readItem(splitParts(trimmed));
    if (!item.ok) return item.error.forEach(report);
    const key = item.value.ref.toLowerCase();
    const earlier = refLineOf.get(key);
    // Refs identify items to polls (poll.start carries the ref), so two items may not share one.
    if (earlier !== undefined) return report(`reference ${quote(item.value.ref)} is already used on line ${earlier}`);
    refLineOf.set(key, line);
    items.push(item.value);
  });

  const hasMeeting = Object.keys(meeting).length > 0;
  return { ...(hasMeeting ? { meeting: meeting as Partial<Meeting> } : {}), items, errors, itemLines };
}

/** Splits on `|`, except `\|`, which stands for a bar inside a part. */
export function splitParts(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i += 1) {
    const character = line[i]!;
    if (character === '\\' && line[i + 1] === '|') {
      current += '|';
      i += 1;
    } else if (character === '|') {
      parts.push(current.trim());
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current.trim());
  return parts;
}

/** Reads one item's parts, collecting every problem on the line rather than stopping at the first. */
function readItem(parts: string[]): Result<AgendaItem, string[]> {
  if (parts.length < 5) {
    return err([`an item needs at least 5 parts separated by '|' (${ITEM_FORMAT}), got ${parts.length}`]);
  }
  if (parts.length > 7) {
    return err([`an item has at most 7 parts (${ITEM_FORMAT} | recommendation | paper link), got ${parts.length}; write \\| for a bar inside text`]);
  }
  const [ref, title, lead, purpose, minutes] = parts as [string, string, string, string, string];
  // Six parts whose last is a web address: the chair skipped the recommendation, not the link.
  const sixthIsLink = parts.length === 6 && LOOKS_LIKE_LINK.test(parts[5]!);
  const recommendation = sixthIsLink ? '' : parts[5] ?? '';
  const paper = sixthIsLink ? parts[5]! : parts[6] ?? '';

  const fields = {
    ref: readText(ref, 'reference', LIMITS.ref, { required: true }),
    title: readText(title, 'title', LIMITS.itemTitle, { required: true }),
    lead: readText(lead, 'lead', LIMITS.lead, { required: false }),
    purpose: readPurpose(purpose),
    minutes: readMinutes(minutes),
    recommendation: readText(recommendation, 'recommendation', LIMITS.recommendation, { required: false }),
    paperUrl: readLink(paper, 'paper link'),
  };
  const problems = Object.values(fields).flatMap((field) => (field.ok ? [] : [field.error]));
  if (problems.length > 0) return err(problems);
  const paperUrl = valueOf(fields.paperUrl);
  return ok({
    ref: valueOf(fields.ref),
    title: valueOf(fields.title),
    lead: valueOf(fields.lead),
    purpose: valueOf(fields.purpose),
    minutes: valueOf(fields.minutes),
    recommendation: valueOf(fields.recommendation),
    ...(paperUrl ? { paperUrl } : {}),
  });
}

/** For a field already checked: a failure here is a bug. */
function valueOf<T>(field: FieldResult<T>): T {
  if (!field.ok) throw new Error(`valueOf: unchecked field problem: ${field.error}`);
  return field.value;
}

/**
 * The inverse of parseAgendaText, used to prefill the edit form: parsing the result gives back
 * the same meeting and items. Bars in text are written `\|`; line breaks (which the form cannot
 * hold inside one item) become spaces.
 */
export function formatAgendaText({ meeting, items }: { meeting?: Meeting; items: readonly AgendaItem[] }): string {
  const headers = meeting
    ? [
        `Meeting: ${oneLine(meeting.title)}`,
        `Date: ${meeting.date}`,
        `Start: ${meeting.startTime}`,
        ...(meeting.place ? [`Place: ${oneLine(meeting.place)}`] : []),
        ...(meeting.link ? [`Link: ${meeting.link}`] : []),
        ...(meeting.chair ? [`Chair: ${oneLine(meeting.chair)}`] : []),
      ]
    : [];
  const itemLines = items.map((item) => {
    const parts = [item.ref, item.title, item.lead, item.purpose, String(item.minutes)].map(part);
    if (item.recommendation || item.paperUrl) parts.push(part(item.recommendation));
    // A lone sixth part that looks like a link would be read back as the paper link, so a
    // recommendation that is only a web address gets an empty seventh part after it.
    if (item.paperUrl || LOOKS_LIKE_LINK.test(item.recommendation)) parts.push(part(item.paperUrl ?? ''));
    return parts.join(' | ');
  });
  return [...headers, ...itemLines].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

function part(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}
