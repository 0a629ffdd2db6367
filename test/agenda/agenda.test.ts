import { describe, expect, it } from 'vitest';
import {
  AgendaFormInput, MAX_AGENDA_ITEMS, createAgenda, describeAgendaError, editAgenda, type AgendaError,
} from '../../src/agenda/agenda.js';
import { Agenda } from '../../src/agenda/model.js';
import { AGENDA_ID, CHAIR, CREATED_AT, EDITED_AT, MEETING_FIELDS, SECRETARIAT, agendaWith, itemLines } from './fixtures.js';

const create = (input: AgendaFormInput) =>
  createAgenda({ input, by: CHAIR, now: CREATED_AT, newId: () => AGENDA_ID, conversationId: 'conv-1' });

const refusal = (result: ReturnType<typeof create>): AgendaError => {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
};

describe('createAgenda', () => {
  it('makes version 1 from the form, with no history', () => {
    const result = create({ ...MEETING_FIELDS, items: itemLines(6).join('\n') });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const agenda = result.value;
    expect(agenda).toMatchObject({ id: AGENDA_ID, conversationId: 'conv-1', history: [] });
    expect(agenda.current).toMatchObject({ version: 1, by: CHAIR, at: '2021-09-01T09:00:00.000Z', meeting: MEETING_FIELDS });
    expect(agenda.current.items.map((item) => item.ref)).toEqual(['P173/21', 'P174/21', 'P175/21', 'P176/21', 'P177/21', 'P178/21']);
    expect(Agenda.parse(agenda)).toEqual(agenda);
  });

  it('takes the meeting from header lines when only pasted text is given (the `agenda` command)', () => {
    const pasted = ['Meeting: Committees in Common', 'Date: 14/09/2021', 'Start: 14:00', 'P1 | Welcome | Chair | I | 5'].join('\n');
    const result = create({ items: pasted });
    expect(result.ok && result.value.current.meeting).toEqual({
      title: 'Committees in Common', date: '2021-09-14', startTime: '14:00', place: '', chair: '',
    });
  });

  it('lets a filled-in form field win over a header line, and a header fill a blank field', () => {
    const result = create({ title: 'From the form', date: '', items: 'Meeting: From the text\nDate: 2021-09-14\nStart: 10:00\nP1 | Welcome | Chair | I | 5' });
    expect(result.ok && result.value.current.meeting).toMatchObject({ title: 'From the form', date: '2021-09-14', startTime: '10:00' });
  });

  it(`accepts ${MAX_AGENDA_ITEMS} items`, () => {
    expect(create({ ...MEETING_FIELDS, items: itemLines(30).join('\n') }).ok).toBe(true);
  });

  it(`refuses ${MAX_AGENDA_ITEMS + 1} items with the limit and the count, never truncating`, () => {
    expect(refusal(create({ ...MEETING_FIELDS, items: itemLines(31).join('\n') })))
      .toEqual({ kind: 'too-many-items', max: 30, got: 31 });
  });

  it('counts bad item lines towards the limit too', () => {
    const lines = [...itemLines(30), 'P999 | Late item | CNO | maybe | 5'];
    expect(refusal(create({ ...MEETING_FIELDS, items: lines.join('\n') }))).toEqual({ kind: 'too-many-items', max: 30, got: 31 });
  });

  it.each([
    ['a blank form', {}],
    ['blank strings only', { title: ' ', items: '\n\n' }],
    ['a meeting with no items', { ...MEETING_FIELDS }],
    ['a meeting with only comments', { ...MEETING_FIELDS, items: '# to follow' }],
  ])('refuses %s as empty', (_name, input: AgendaFormInput) => {
    expect(refusal(create(input))).toEqual({ kind: 'empty' });
  });

  it('lists every problem: missing meeting fields and each bad line by number', () => {
    const items = ['P1 | Welcome | Chair | I | 5', 'P2 | Finance | CFO | decision | ten', 'Date: 31/02/2021'].join('\n');
    expect(refusal(create({ place: 'Room 1', link: 'teams link', items }))).toEqual({
      kind: 'invalid',
      problems: [
        "Meeting title is missing (or add a line 'Meeting: Provider Leadership Board')",
        "Meeting date is missing (or add a line 'Date: 2021-09-14')",
        "Start time is missing (or add a line 'Start: 09:30')",
        "Meeting link must be a web address starting https://, got 'teams link'",
        "line 2: minutes must be a whole number, got 'ten'",
        "line 3: date '31/02/2021' is not a real calendar date",
      ],
    });
  });

  it('asks for an item when the form has problems and no items at all', () => {
    expect(refusal(create({ title: 'Board', date: 'tomorrow', startTime: '09:30' }))).toEqual({
      kind: 'invalid',
      problems: ["Date must be a date like 2021-09-14 or 14/09/2021, got 'tomorrow'", 'Add at least one agenda item'],
    });
  });

  it('refuses a meeting title over the schema limit rather than cutting it', () => {
    const error = refusal(create({ ...MEETING_FIELDS, title: 'T'.repeat(201), items: itemLines(1).join('\n') }));
    expect(error).toEqual({ kind: 'invalid', problems: ['Meeting title must be at most 200 characters, got 201'] });
  });
});

describe('editAgenda', () => {
  const original = { ...agendaWith(itemLines(6)), activityId: 'activity-1' };

  it('makes a new version and keeps the previous one in history', () => {
    const result = editAgenda({ agenda: original, input: { ...MEETING_FIELDS, items: itemLines(4).join('\n'), expectedVersion: 1 }, by: SECRETARIAT, now: EDITED_AT });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const edited = result.value;
    expect(edited).toMatchObject({ id: AGENDA_ID, conversationId: original.conversationId, activityId: 'activity-1' });
    expect(edited.current).toMatchObject({ version: 2, by: SECRETARIAT, at: '2021-09-10T09:32:00.000Z' });
    expect(edited.current.items).toHaveLength(4);
    expect(edited.history).toEqual([original.current]);
    expect(Agenda.parse(edited)).toEqual(edited);

    const again = editAgenda({ agenda: edited, input: { ...MEETING_FIELDS, startTime: '10:00', items: itemLines(5).join('\n'), expectedVersion: edited.current.version }, by: CHAIR, now: EDITED_AT });
    expect(again.ok && again.value.current.version).toBe(3);
    expect(again.ok && again.value.history.map((version) => version.version)).toEqual([1, 2]);
  });

  it('refuses a save made from an out-of-date form, so a later edit is not overwritten', () => {
    const edited = editAgenda({ agenda: original, input: { ...MEETING_FIELDS, items: itemLines(2).join('\n'), expectedVersion: 1 }, by: CHAIR, now: EDITED_AT });
    if (!edited.ok) throw new Error('setup');
    const stale = editAgenda({ agenda: edited.value, input: { ...MEETING_FIELDS, items: itemLines(3).join('\n'), expectedVersion: 1 }, by: SECRETARIAT, now: EDITED_AT });
    expect(stale).toEqual({ ok: false, error: { kind: 'conflict', expectedVersion: 1, currentVersion: 2 } });
  });

  it('refuses an edit that does not name the version it was made on (item 14.9)', () => {
    const blind = editAgenda({ agenda: original, input: { ...MEETING_FIELDS, items: itemLines(2).join('\n') }, by: CHAIR, now: EDITED_AT });
    expect(blind).toEqual({ ok: false, error: { kind: 'version-required', currentVersion: 1 } });
  });

  it.each([
    [31, { kind: 'too-many-items', max: 30, got: 31 }],
    [0, { kind: 'empty' }],
  ])('refuses an edit to %i items, leaving the agenda as it was', (count, error) => {
    const result = editAgenda({ agenda: original, input: { ...MEETING_FIELDS, items: itemLines(count).join('\n'), expectedVersion: original.current.version }, by: CHAIR, now: EDITED_AT });
    expect(result).toEqual({ ok: false, error });
    expect(original.current.version).toBe(1);
  });
});

describe('AgendaFormInput (what agenda.save receives)', () => {
  it('reads Teams input values: blanks are absent, the version may arrive as text', () => {
    expect(AgendaFormInput.parse({ agendaId: '', expectedVersion: '2', title: 'Board', place: '', items: 'x', msteams: {} }))
      .toEqual({ expectedVersion: 2, title: 'Board', items: 'x' });
    expect(AgendaFormInput.parse({ agendaId: 'a-1', expectedVersion: 3 })).toEqual({ agendaId: 'a-1', expectedVersion: 3 });
  });

  it.each([
    ['a version that is not a whole number', { expectedVersion: '2.5' }],
    ['a zero version', { expectedVersion: 0 }],
    ['items text over 32,000 characters', { items: 'x'.repeat(32_001) }],
    ['a non-text title', { title: 42 }],
  ])('rejects %s', (_name, data) => {
    expect(AgendaFormInput.safeParse(data).success).toBe(false);
  });
});

describe('describeAgendaError', () => {
  it.each<[AgendaError, string]>([
    [{ kind: 'invalid', problems: ['line 2: minutes must be a whole number, got \'ten\''] },
      "The agenda was not saved. Please fix: line 2: minutes must be a whole number, got 'ten'."],
    [{ kind: 'too-many-items', max: 30, got: 31 },
      'An agenda can have at most 30 items; this one has 31. Split it into two agendas, or combine items.'],
    [{ kind: 'empty' }, 'The agenda has no items. Add one item per line as "ref | title | lead | purpose | minutes".'],
    [{ kind: 'conflict', expectedVersion: 1, currentVersion: 2 },
      'Someone saved version 2 of this agenda after you opened version 1. Open the agenda again to edit the latest version.'],
  ])('%o', (error, want) => expect(describeAgendaError(error)).toBe(want));
});
