import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/people/model.js';
import type { Poll } from '../../src/decisions/model.js';
import { OnBehalfInput, recordOnBehalf, recordedByText, type OnBehalfError } from '../../src/decisions/on-behalf.js';
import { toPollCardData } from '../../src/decisions/poll-card.js';
import { closePoll } from '../../src/decisions/close.js';
import { positionText } from '../../src/register/outcome-view.js';
import { alex, megan, NOW, patti, poll, sample, stranger, vote } from './fixtures.js';

const NOTE = 'By e-mail from the chief executive, 3 Dec 10:02';
const record = (recorder: Person, input: Partial<OnBehalfInput> = {}, onPoll: Poll = poll(), now = NOW) =>
  recordOnBehalf({
    poll: onPoll, collaborative: sample(), recorder, now,
    input: { pollId: onPoll.id, onBehalfOrganisationId: 'doncaster-bassetlaw', onBehalfPosition: 'support', onBehalfNote: NOTE, ...input },
  });

describe('recordOnBehalf: the chair or secretariat records a member’s position, with a note', () => {
  it('for the chair, naming the recorder and keeping the note', () => {
    expect(record(alex, { onBehalfNote: `  ${NOTE}  ` })).toEqual({
      ok: true,
      value: {
        pollId: 'poll-1', organisationId: 'doncaster-bassetlaw', position: 'support', binding: true,
        castBy: alex, castAt: NOW.toISOString(), onBehalf: { note: NOTE },
      },
    });
  });

  it('for the secretariat (who is no chair)', () => {
    const result = record(patti, { onBehalfPosition: 'object' });
    expect(result.ok && [result.value.position, result.value.castBy]).toEqual(['object', patti]);
  });

  it('as a non-binding view for a member outside a category 2 scope', () => {
    const result = record(alex, {}, poll({ category: 2, membersInScope: ['barnsley'] }));
    expect(result.ok && result.value.binding).toBe(false);
  });
});

describe('recordOnBehalf refusals change nothing', () => {
  it.each<[string, () => ReturnType<typeof record>, OnBehalfError]>([
    ['a representative who is neither chair nor secretariat', () => record(megan), { kind: 'not-chair-or-secretariat' }],
    ['someone with no role', () => record(stranger), { kind: 'not-chair-or-secretariat' }],
    ['no note', () => record(alex, { onBehalfNote: '' }), { kind: 'note-required' }],
    ['a note of spaces', () => record(alex, { onBehalfNote: '   ' }), { kind: 'note-required' }],
    ['a note over 500 characters', () => record(alex, { onBehalfNote: 'x'.repeat(501) }), { kind: 'note-too-long', max: 500 }],
    ['no member chosen', () => record(alex, { onBehalfOrganisationId: '' }), { kind: 'choose-member' }],
    ['no position chosen', () => record(alex, { onBehalfPosition: '' }), { kind: 'choose-position' }],
    ['a closed poll', () => record(alex, {}, poll({ status: 'closed' })), { kind: 'poll-closed' }],
    ['a poll whose closing time has come', () => record(alex, {}, poll({ closesAt: NOW.toISOString() })), { kind: 'poll-closed' }],
    ['a chair excluded from this member by their own declaration of interest', () => record(alex, { onBehalfOrganisationId: 'barnsley' }, poll({
      declarations: [{ id: 'd', organisationId: 'barnsley', declaredBy: alex, description: 'Bidder', declaredAt: NOW.toISOString(), handling: { kind: 'no-part', by: alex, at: NOW.toISOString() } }],
    })), { kind: 'excluded-by-interest', organisationId: 'barnsley' }],
    ['category 1, an organisation that is no member', () => record(alex, { onBehalfOrganisationId: 'elsewhere' }), { kind: 'not-in-scope', organisationId: 'elsewhere' }],
  ])('%s', (_name, attempt, want) => {
    expect(attempt()).toEqual({ ok: false, error: want });
  });

  it.each<[string, unknown, boolean]>([
    ['a full form', { pollId: 'p', onBehalfOrganisationId: 'barnsley', onBehalfPosition: 'abstain', onBehalfNote: 'n' }, true],
    ['an untouched form (the core says what is missing)', { pollId: 'p' }, true],
    ['an unknown position', { pollId: 'p', onBehalfPosition: 'maybe' }, false],
    ['no poll', { onBehalfNote: 'n' }, false],
  ])('OnBehalfInput: %s → %s', (_name, data, valid) => {
    expect(OnBehalfInput.safeParse(data).success).toBe(valid);
  });
});

describe('a position recorded on behalf reads as such in every view', () => {
  const onBehalf = vote('doncaster-bassetlaw', 'support', { castBy: alex, onBehalf: { note: NOTE } });
  const stateOf = (data: ReturnType<typeof toPollCardData>) => data.positions.find((p) => p.name.startsWith('Doncaster'))?.state;

  it.each<[string, Partial<Poll>, string]>([
    ['open poll card', {}, `Supports (recorded on behalf by Alex Wilber: ${NOTE})`],
    ['open poll, positions hidden (the note may name the position)', { hidePositions: true }, 'Voted (recorded on behalf by Alex Wilber)'],
    ['closed poll card', { status: 'closed', closedBy: alex, closedAt: NOW.toISOString() }, `Supports (recorded on behalf by Alex Wilber: ${NOTE})`],
  ])('%s', (_name, overrides, want) => {
    expect(stateOf(toPollCardData(poll(overrides), [onBehalf], sample()))).toBe(want);
  });

  it('the outcome keeps it, and the register’s wording (card, tab, CSV, Markdown) shows recorder, time and note', () => {
    const closed = closePoll({ poll: poll(), votes: [onBehalf], collaborative: sample(), by: alex, now: NOW, newOutcomeId: () => 'o-1' });
    if (!closed.ok) throw new Error('not closed');
    const position = closed.value.outcome.positions.find((p) => p.organisationId === 'doncaster-bassetlaw');
    expect(position?.onBehalf).toEqual({ note: NOTE });
    expect(position && positionText(position)).toMatch(new RegExp(`^Supports \\(recorded on behalf by Alex Wilber, .+: ${NOTE}\\)$`));
  });

  it('a position cast by the representative says only who recorded it', () => {
    expect(recordedByText(megan, undefined)).toBe('recorded by Megan Bowen');
  });
});
