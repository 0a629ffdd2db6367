import { z } from 'zod';
import type { NewId } from '../shared/clock.js';
import { err, ok, type Result } from '../shared/result.js';
import type { Person } from '../people/model.js';
import { LIMITS, type Agenda, type AgendaItem, type AgendaVersion, type Meeting } from './model.js';
import { readDate, readLink, readStartTime, readText, type FieldResult } from './fields.js';
import { parseAgendaText } from './parse.js';

/**
 * A board agenda rarely runs past 20 items; 30 keeps the posted card within Teams' message size.
 * More is refused with the count, never truncated: a dropped item is a decision nobody sees.
 */
export const MAX_AGENDA_ITEMS = 30;

/** Teams may send an untouched input as "" rather than leaving it out. */
const blankToUndefined = (value: unknown): unknown => (value === '' || value === null ? undefined : value);

/** Generous caps on the raw text; the field checks below give the real limits in plain words. */
const FormText = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).optional());

/**
 * What `agenda.save` receives: the form card's inputs (all text, as Teams sends them) merged with
 * the action's own data. `items` uses the pasted-text format of parse.ts, header lines included,
 * so the `agenda <pasted text>` command is the same input with only `items` filled in.
 */
export const AgendaFormInput = z.object({
  /** Present when editing. */
  agendaId: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  /** The version the form was opened on; a later save by someone else makes this save a conflict. */
  expectedVersion: z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : blankToUndefined(value)),
    z.number().int().positive().optional(),
  ),
  title: FormText(2_000),
  date: FormText(100),
  startTime: FormText(100),
  place: FormText(2_000),
  link: FormText(2_000),
  chair: FormText(2_000),
  items: FormText(32_000),
});
export type AgendaFormInput = z.infer<typeof AgendaFormInput>;

export type AgendaError =
  /** Every problem found, parse errors as "line N: …", so the chair can fix them in one go. */
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'too-many-items'; max: number; got: number }
  /** Nothing to post: no items were given. */
  | { kind: 'empty' }
  /** Someone saved a newer version after this form was opened; saving would overwrite it. */
  | { kind: 'conflict'; expectedVersion: number; currentVersion: number }
  /** An edit that does not say which version it was made on could silently replace a newer one. */
  | { kind: 'version-required'; currentVersion: number };

export function createAgenda({ input, by, now, newId, conversationId }: {
  input: AgendaFormInput;
  by: Person;
  now: Date;
  newId: NewId;
  conversationId: string;
}): Result<Agenda, AgendaError> {
  const content = readAgendaInput(input);
  if (!content.ok) return content;
  return ok({
    id: newId(),
    conversationId,
    current: { version: 1, ...content.value, by, at: now.toISOString() },
    history: [],
  });
}

/**
 * A new version replaces `current`; the previous one is appended to `history`, so what members
 * saw before an edit stays on record.
 */
export function editAgenda({ agenda, input, by, now }: {
  agenda: Agenda;
  input: AgendaFormInput;
  by: Person;
  now: Date;
}): Result<Agenda, AgendaError> {
  const currentVersion = agenda.current.version;
  // The form always sends the version it was opened on; card data without one is not trusted.
  if (input.expectedVersion === undefined) return err({ kind: 'version-required', currentVersion });
  if (input.expectedVersion !== currentVersion) {
    return err({ kind: 'conflict', expectedVersion: input.expectedVersion, currentVersion });
  }
  const content = readAgendaInput(input);
  if (!content.ok) return content;
  const next: AgendaVersion = { version: currentVersion + 1, ...content.value, by, at: now.toISOString() };
  return ok({ ...agenda, current: next, history: [...agenda.history, agenda.current] });
}

/** One sentence a card can show for each refusal. */
export function describeAgendaError(error: AgendaError): string {
  switch (error.kind) {
    case 'invalid':
      return `The agenda was not saved. Please fix: ${error.problems.join('; ')}.`;
    case 'too-many-items':
      return `An agenda can have at most ${error.max} items; this one has ${error.got}. Split it into two agendas, or combine items.`;
    case 'empty':
      return 'The agenda has no items. Add one item per line as "ref | title | lead | purpose | minutes".';
    case 'version-required':
      return `That edit did not say which version of the agenda it changes, so it was not saved. Open the agenda again (version ${error.currentVersion}) and edit it from there.`;
    case 'conflict':
      return `Someone saved version ${error.currentVersion} of this agenda after you opened version ${error.expectedVersion}. Open the agenda again to edit the latest version.`;
  }
}

/**
 * Reads the meeting and items from the form. Order of refusals: too many items first (the chair
 * must split the agenda whatever else is wrong), then every field and line problem together,
 * then an agenda with nothing on it.
 */
function readAgendaInput(input: AgendaFormInput): Result<{ meeting: Meeting; items: AgendaItem[] }, AgendaError> {
  const parsed = parseAgendaText(input.items ?? '');
  if (parsed.itemLines > MAX_AGENDA_ITEMS) {
    return err({ kind: 'too-many-items', max: MAX_AGENDA_ITEMS, got: parsed.itemLines });
  }
  const nothingGiven = [input.title, input.date, input.startTime, input.place, input.link, input.chair, input.items]
    .every(isBlank);
  if (nothingGiven) return err({ kind: 'empty' });

  const problems: string[] = [];
  const field = <T>(result: FieldResult<T>): T | undefined => {
    if (result.ok) return result.value;
    problems.push(capitalise(result.error));
    return undefined;
  };
  // A form field wins over a header line in the items text; the header fills what the form left out.
  const pick = (formValue: string | undefined, headerValue: string | undefined): string | undefined =>
    isBlank(formValue) ? headerValue : formValue;
  const header = parsed.meeting ?? {};
  // Missing fields name the header line too: a chair who pasted text has no form to look at.
  const required = (value: string | undefined, what: string, example: string, read: (text: string) => FieldResult<string>) =>
    field(value === undefined || isBlank(value) ? err(`${what} is missing (or add a line '${example}')`) : read(value));
  const meeting = {
    title: required(pick(input.title, header.title), 'meeting title', 'Meeting: Provider Leadership Board',
      (text) => readText(text, 'meeting title', LIMITS.meetingTitle, { required: true })),
    date: required(pick(input.date, header.date), 'meeting date', 'Date: 2021-09-14', readDate),
    startTime: required(pick(input.startTime, header.startTime), 'start time', 'Start: 09:30', readStartTime),
    place: field(readText(pick(input.place, header.place) ?? '', 'place', LIMITS.place, { required: false })),
    link: field(readLink(pick(input.link, header.link) ?? '', 'meeting link')),
    chair: field(readText(pick(input.chair, header.chair) ?? '', 'chair', LIMITS.chair, { required: false })),
  };
  problems.push(...parsed.errors.map((error) => `line ${error.line}: ${error.problem}`));

  if (problems.length > 0) {
    if (parsed.itemLines === 0) problems.push('Add at least one agenda item');
    return err({ kind: 'invalid', problems });
  }
  if (parsed.items.length === 0) return err({ kind: 'empty' });
  const { title: checkedTitle, date: checkedDate, startTime: checkedStart, place, link, chair } = meeting;
  if (checkedTitle === undefined || checkedDate === undefined || checkedStart === undefined) {
    throw new Error('readAgendaInput: a required meeting field passed without a problem');
  }
  return ok({
    meeting: {
      title: checkedTitle,
      date: checkedDate,
      startTime: checkedStart,
      place: place ?? '',
      ...(link ? { link } : {}),
      chair: chair ?? '',
    },
    items: parsed.items,
  });
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
