import { describe, expect, it } from 'vitest';
import { CardRenderer, type CardJson } from '../../src/bot/render.js';
import { expectParsesCleanly, TEAMS_CARD_BUDGET } from '../support/cards.js';
import { VERB } from '../../src/bot/verbs.js';
import { toAgendaCardData, toAgendaFormData, type AgendaCardOptions } from '../../src/agenda/card-data.js';
import { Agenda, LIMITS, type AgendaItem } from '../../src/agenda/model.js';
import { parseAgendaText } from '../../src/agenda/parse.js';
import { AGENDA_ID, CHAIR, EDITED_AT, SECRETARIAT, agendaWith, itemLines } from './fixtures.js';

const renderer = new CardRenderer();
const renderAgenda = (agenda: Agenda, options?: AgendaCardOptions): CardJson => renderer.render('agenda', toAgendaCardData(agenda, options));
const renderForm = (agenda?: Agenda): CardJson => renderer.render('agenda-form', toAgendaFormData(agenda));

type Node = Record<string, unknown>;
function nodes(value: unknown): Node[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (value === null || typeof value !== 'object') return [];
  const node = value as Node;
  return [node, ...Object.values(node).flatMap(nodes)];
}
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
const ofType = (card: CardJson, type: string): Node[] => nodes(card).filter((node) => node.type === type);
/** What a reader sees: TextBlock texts and fact values, both Markdown in Teams. */
const shownTexts = (card: CardJson): string[] => [
  ...ofType(card, 'TextBlock').map((block) => String(block.text)),
  ...ofType(card, 'FactSet').flatMap((set) => (set.facts as Node[]).map((fact) => String(fact.value))),
];
/** Undoes escapeMarkdown: every escape is a backslash before the character it protects. */
const unescapeMarkdown = (text: string): string => text.replace(/\\([\s\S])/g, '$1');

const bare = (items: AgendaItem[] = []): Agenda => Agenda.parse({
  id: AGENDA_ID,
  conversationId: 'c',
  current: { version: 1, meeting: { title: 'Provider Leadership Board', date: '2021-09-14', startTime: '09:30' }, items, by: CHAIR, at: EDITED_AT.toISOString() },
});

describe('cards/agenda.json', () => {
  it.each([
    ['an empty agenda (meeting, no items)', bare()],
    ['a typical agenda (6 items, mixed purposes)', agendaWith(itemLines(6))],
    ['30 items', agendaWith(itemLines(30))],
  ])('%s renders to a valid card with nothing left unexpanded', (_name, agenda) => {
    const card = renderAgenda(agenda);
    expectParsesCleanly(card);
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it('says so when there are no items, and offers no poll', () => {
    const card = renderAgenda(bare());
    expect(shownTexts(card)).toContain('No items yet.');
    expect(ofType(card, 'Action.Execute').map((action) => action.verb)).toEqual([VERB.agendaEdit]);
  });

  it(`keeps a 30-item agenda under ${TEAMS_CARD_BUDGET} bytes`, () => {
    const size = JSON.stringify(renderAgenda(agendaWith(itemLines(30)))).length;
    console.info(`30-item agenda card: ${size} bytes`);
    expect(size).toBeLessThan(TEAMS_CARD_BUDGET);
  });

  it('fits 30 items with long recommendations once recommendations are left off', () => {
    const wordy = itemLines(30).map((line, index) => line.replace(/ \| [^|]* \| (https:[^|]*)?$/, ` | ${'The board is asked to approve. '.repeat(13).trim()} | https://nhs.example/papers/P${index}.pdf`));
    const agenda = agendaWith(wordy);
    const full = JSON.stringify(renderAgenda(agenda)).length;
    const compact = renderAgenda(agenda, { showRecommendations: false });
    console.info(`30 items with 400-character recommendations: ${full} bytes, ${JSON.stringify(compact).length} without them`);
    expect(full).toBeGreaterThan(TEAMS_CARD_BUDGET);
    expectParsesCleanly(compact);
    expect(JSON.stringify(compact).length).toBeLessThan(TEAMS_CARD_BUDGET);
    expect(shownTexts(compact)).toContain('Recommendations are in the papers.');
  });

  it('gives each decision item, and only those, a Start poll action carrying the agenda id and raw item ref', () => {
    const agenda = agendaWith(itemLines(6));
    const polls = ofType(renderAgenda(agenda), 'Action.Execute').filter((action) => action.verb === VERB.pollStart);
    const decisions = agenda.current.items.filter((item) => item.purpose === 'decision');
    expect(polls.map((action) => action.data)).toEqual(decisions.map((item) => ({ agendaId: AGENDA_ID, itemRef: item.ref })));
    expect(polls.every((action) => action.title === 'Start poll')).toBe(true);
  });

  it('offers Edit (agenda.edit with the agenda id), Join meeting and Declare an interest', () => {
    const card = renderAgenda(agendaWith(itemLines(2)));
    const cardActions = card.actions as Node[];
    expect(cardActions.map((action) => [action.type, action.title])).toEqual([['Action.OpenUrl', 'Join meeting'], ['Action.Execute', 'Edit agenda'], ['Action.ShowCard', 'Declare an interest']]);
    expect(cardActions[1]).toMatchObject({ verb: VERB.agendaEdit, data: { agendaId: AGENDA_ID } });
    expect(renderAgenda(agendaWith(itemLines(2)), { editable: false }).actions).toHaveLength(2);
  });

  it('links each paper with an OpenUrl button', () => {
    const card = renderAgenda(agendaWith(itemLines(4)));
    expect(ofType(card, 'Action.OpenUrl').map((action) => action.url)).toEqual([
      'https://nhs.example/papers/P173-21.pdf', 'https://nhs.example/papers/P174-21.pdf', 'https://nhs.example/papers/P175-21.pdf',
      expect.stringContaining('teams.microsoft.com'),
    ]);
  });
});

describe('cards/agenda-form.json', () => {
  it.each([
    ['a new agenda', undefined],
    ['an edit', agendaWith(itemLines(30))],
  ])('renders %s to a valid card with nothing left unexpanded', (_name, agenda) => {
    const card = renderForm(agenda);
    expectParsesCleanly(card);
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it('saves a new agenda with agenda.save and no id', () => {
    expect(renderForm().actions).toEqual([expect.objectContaining({ type: 'Action.Execute', verb: VERB.agendaSave, title: 'Post agenda' })]);
    expect((renderForm().actions as Node[])[0]!.data).toBeUndefined();
  });

  it('saves an edit with the agenda id and the version it was opened on, prefilled with the current version', () => {
    const agenda = agendaWith(itemLines(6));
    const card = renderForm(agenda);
    expect(card.actions).toEqual([expect.objectContaining({ verb: VERB.agendaSave, data: { agendaId: AGENDA_ID, expectedVersion: 1 } })]);
    const inputs = Object.fromEntries(nodes(card).filter((node) => String(node.type).startsWith('Input.')).map((input) => [input.id, input.value]));
    expect(inputs).toMatchObject({ title: 'Provider Leadership Board', date: '2021-09-14', startTime: '09:30' });
    expect(parseAgendaText(String(inputs.items)).items).toEqual(agenda.current.items);
  });

  it('shows the problems of a refused save', () => {
    const card = renderer.render('agenda-form', toAgendaFormData(undefined, { input: { title: 'Board' }, problems: ['Meeting date is missing'] }));
    expectParsesCleanly(card);
    expect(shownTexts(card)).toContain('Meeting date is missing');
  });
});

describe('every Action.Execute on the agenda cards', () => {
  const cards = [renderAgenda(agendaWith(itemLines(6))), renderForm(), renderForm(agendaWith(itemLines(6)))];

  it('falls back to an Action.Submit with the same verb and data, for clients without Execute', () => {
    const executes = cards.flatMap((card) => ofType(card, 'Action.Execute'));
    expect(executes.length).toBeGreaterThan(4);
    for (const action of executes) {
      expect(action.fallback).toEqual({ type: 'Action.Submit', title: action.title, data: { verb: action.verb, ...(action.data as object | undefined) } });
    }
  });

  it('uses only the agenda verbs', () => {
    const verbs = new Set(cards.flatMap((card) => ofType(card, 'Action.Execute').map((action) => action.verb)));
    expect([...verbs].sort()).toEqual([VERB.agendaEdit, VERB.agendaSave, VERB.agendaDeclareInterest, VERB.pollStart].sort());
  });
});

describe('hostile text appears literally', () => {
  const LONG = 5_000;
  const HOSTILE = [
    '**bold** _x_ [link](http://evil)',
    '${1+1}',
    '${$root.title}',
    '<script>alert(1)</script>',
    '# heading\n- list\n1. numbered\n> quote',
    'back\\slash `code` ~strike~ \\*',
    'x'.repeat(LONG),
  ];
  /** Each field at its schema limit, or the whole text when it fits: 5,000 characters fit nowhere. */
  const fit = (text: string, max: number): string => text.slice(0, max);
  const oneLine = (text: string): string => text.replace(/\n/g, ' ');

  it.each(HOSTILE.map((text) => [text.length > 60 ? `${text.slice(0, 20)}… (${text.length} chars)` : text, text]))(
    '%s',
    (_name, text) => {
      // A ref is never at the start of a comment line (model.ts), so the text follows a prefix.
      const ref = fit(`P1 ${oneLine(text)}`, LIMITS.ref).trim();
      const item: AgendaItem = {
        ref, title: fit(oneLine(text), LIMITS.itemTitle), lead: fit(oneLine(text), LIMITS.lead), purpose: 'decision', minutes: 15,
        recommendation: fit(oneLine(text), LIMITS.recommendation), paperUrl: 'https://evil.example/a_(b)*c*[d]',
      };
      const meeting = {
        title: fit(text, LIMITS.meetingTitle), date: '2021-09-14', startTime: '09:30', place: fit(text, LIMITS.place),
        chair: fit(text, LIMITS.chair), link: 'https://teams.microsoft.com/l/x_y*z',
      };
      const editor = { aadObjectId: 'aad-x', name: fit(text, 200) };
      const v1 = { version: 1, meeting, items: [item], by: SECRETARIAT, at: EDITED_AT.toISOString() };
      const agenda = Agenda.parse({ id: AGENDA_ID, conversationId: 'c', current: { ...v1, version: 2, by: editor }, history: [v1] });
      // The schema stored the text unchanged (it trims), so what follows compares with what was typed.
      expect(agenda.current.items).toEqual([item]);
      expect(agenda.current.meeting).toEqual(meeting);

      const card = renderAgenda(agenda);
      expectParsesCleanly(card);
      const shown = shownTexts(card).map(unescapeMarkdown);
      expect(shown).toContain(meeting.title);
      expect(shown).toContain(meeting.place);
      expect(shown).toContain(meeting.chair);
      expect(shown).toContain(item.title);
      expect(shown).toContain(`${item.ref} · ${item.lead} · 15 min`);
      expect(shown).toContain(`Recommendation: ${item.recommendation}`);
      expect(shown).toContain(`Version 2, edited by ${editor.name} on 10 September 2021 at 10:32`);
      // Ids, refs and URLs travel raw: escaping them would change what comes back or where a link goes.
      const poll = ofType(card, 'Action.Execute').find((action) => action.verb === VERB.pollStart);
      expect(poll?.data).toEqual({ agendaId: AGENDA_ID, itemRef: ref });
      expect(ofType(card, 'Action.OpenUrl').map((action) => action.url)).toEqual([item.paperUrl, meeting.link]);
      // The only `${` left is the user's own, shown as typed and never evaluated.
      const unexpanded = strings(card).filter((value) => value.includes('${') && !text.includes('${'));
      expect(unexpanded).toEqual([]);

      const form = renderer.render('agenda-form', toAgendaFormData(agenda));
      expectParsesCleanly(form);
      expect(shownTexts(form).map(unescapeMarkdown)).toContain(`Edit agenda: ${meeting.title}`);
      const inputs = Object.fromEntries(nodes(form).filter((node) => String(node.type).startsWith('Input.')).map((input) => [input.id, input.value]));
      // Prefills are not Markdown: they go back exactly as stored, or an edit would save backslashes.
      expect(inputs).toMatchObject({ title: meeting.title, place: meeting.place, chair: meeting.chair, link: meeting.link });
      expect(parseAgendaText(String(inputs.items)).items).toEqual([item]);
    },
  );

  it('never evaluates a template expression typed as text', () => {
    const agenda = agendaWith(['P1 | ${1+1} | ${$root.title} | decision | 5']);
    const shown = shownTexts(renderAgenda(agenda)).map(unescapeMarkdown);
    expect(shown).toContain('${1+1}');
    expect(shown).toContain('P1 · ${$root.title} · 5 min');
    expect(shown).not.toContain('2');
  });
});
