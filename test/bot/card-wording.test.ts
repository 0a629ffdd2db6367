import { describe, expect, it } from 'vitest';
import { CardRenderer, type CardJson } from '../../src/bot/render.js';
import { helpCard } from '../../src/bot/help.js';
import { answerCard } from '../../src/bot/guidance.js';
import type { Answer } from '../../src/knowledge/index.js';
import { toPollCardData } from '../../src/decisions/poll-card.js';
import { formatMeetingDate } from '../../src/agenda/dates.js';
import { longDate } from '../../src/shared/format.js';
import { poll, sample } from '../decisions/fixtures.js';
import { expectValidCard } from '../support/cards.js';
import { textOf } from '../support/fake-connector.js';

const renderer = new CardRenderer();

/** Every element in a card, depth first, with its id when it has one. */
function elements(card: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      found.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}
const byId = (card: CardJson, id: string) => elements(card).find((element) => element.id === id);

const pollForm = (ruleValue: string): CardJson => renderer.render('poll-form', {
  collaborative: 'C', agendaNote: '', titleValue: '', proposalValue: '', ruleValue, programmeValue: '',
  members: [{ name: 'Trust A', organisationId: 'a' }], agendaId: '', itemRefValue: '',
  basisValue: 'members', defaultRuleText: 'Default: consensus.',
});

describe('cards a chair reads', () => {
  it('the help card names all four decision rules the poll form offers', () => {
    const text = textOf(helpCard(renderer, { collaborativeName: 'C', examples: [] }));
    for (const rule of ['consensus', 'unanimity', 'simple majority', 'qualified majority']) expect(text).toContain(rule);
  });

  it.each([
    ['consensus', false],
    ['unanimity', false],
    ['majority', false],
    ['qualified-majority', true],
  ])('the poll form with default rule %s shows the threshold: %s (a toggle shows it on demand)', (rule, shown) => {
    const form = pollForm(rule);
    expectValidCard(form);
    expect(byId(form, 'thresholdColumn')?.isVisible).toBe(shown);
    const toggles = elements(form).filter((element) => element.type === 'Action.ToggleVisibility');
    expect(toggles.map((toggle) => toggle.targetElements)).toEqual([['thresholdColumn'], ['reopenBox']]);
  });

  it('the gateway reopening box is hidden until asked for, and its input still submits', () => {
    const form = pollForm('consensus');
    expect(byId(form, 'reopenBox')?.isVisible).toBe(false);
    expect(elements(byId(form, 'reopenBox')).some((element) => element.id === 'reopenReason')).toBe(true);
  });

  it('the poll card gives the meeting date as the agenda does', () => {
    const open = poll({ agenda: { agendaId: 'ag-1', itemRef: 'P174/21', meetingTitle: 'Board', meetingDate: '2026-12-01' } });
    const text = textOf(renderer.render('poll', toPollCardData(open, [], sample())));
    expect(text).toContain('Agenda item P174/21 · Board, Tuesday 1 December 2026');
    expect(formatMeetingDate('2026-12-01')).toBe(longDate('2026-12-01'));
  });

  it('the poll card lists members as name and position rows, one fact per member', () => {
    const card = renderer.render('poll', toPollCardData(poll({}), [], sample()));
    const facts = elements(card).filter((element) => element.type === 'FactSet' && JSON.stringify(element).includes('Not voted yet'))
      .flatMap((element) => element.facts as { title: string; value: string }[]);
    expect(facts).toEqual(sample().members.map((member) => ({ title: member.name, value: 'Not voted yet' })));
  });
});

describe('answers', () => {
  const answer = (sources: number, scope?: Answer['scope']): Answer => ({
    answered: sources > 0,
    answer: 'A',
    confidence: 0.9,
    sources: Array.from({ length: sources }, (_, n) => ({ entryId: `e${n}`, title: `Doc ${n}`, section: `S${n}` })),
    suggestions: [],
    followUps: [],
    reason: sources > 0 ? 'answered' : 'out-of-scope',
    ...(scope ? { scope } : {}),
  } as unknown as Answer);

  it.each([[1, 'Source'], [2, 'Sources']])('an answer with %i source(s) is headed %s', (count, heading) => {
    const card = answerCard(renderer, 'Q', answer(count), 'q-1', 'ask');
    expect(textOf(card).split('\n')).toContain(heading);
  });

  it('"Outside what I know" uses the theme\'s default text colour, not yellow on white', () => {
    const card = answerCard(renderer, 'Q', answer(0, 'general'), 'q-1', 'ask');
    const note = elements(card).find((element) => element.text === 'Outside what I know');
    expect(note?.color).toBe('Default');
  });
});
