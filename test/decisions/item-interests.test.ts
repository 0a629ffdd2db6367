import { describe, expect, it } from 'vitest';
import type { Agenda } from '../../src/agenda/model.js';
import type { InterestHandling, ItemDeclaration } from '../../src/decisions/declaration.js';
import { declarationsForItem, declareOnItem, handleOnItem, itemInterestsForCard, type ItemInterestError } from '../../src/decisions/item-interests.js';
import { castVote } from '../../src/decisions/vote.js';
import type { Person } from '../../src/people/model.js';
import { agendaWith, itemLines } from '../agenda/fixtures.js';
import { alex, megan, NOW, patti, poll, sample, stranger } from './fixtures.js';

const collaborative = sample();
const AGENDA = agendaWith(itemLines(3)); // P173/21 (decision), P174/21, P175/21
const ITEM = 'P173/21';

const declared = (by: Person, organisationId: string, handling?: InterestHandling, id = `d-${by.name}`, itemRef = ITEM): ItemDeclaration => ({
  id, itemRef, organisationId, declaredBy: by, description: 'Director of a bidding provider', declaredAt: NOW.toISOString(),
  ...(handling ? { handling: { kind: handling, by: alex, at: NOW.toISOString() } } : {}),
});
const declare = (by: Person, itemRef = ITEM, description = 'Director of a bidding provider', organisationId = '', agenda: Agenda = AGENDA) =>
  declareOnItem({ agenda, collaborative, declarer: by, input: { agendaId: agenda.id, declareItemRef: itemRef, interestOrganisationId: organisationId, interestDescription: description }, now: NOW, newId: () => 'd-1' });

describe('declaring an interest on an agenda item', () => {
  it('a representative declares for their member, on the item', () => {
    expect(declare(megan)).toEqual({ ok: true, value: { id: 'd-1', itemRef: ITEM, organisationId: 'barnsley', declaredBy: megan, description: 'Director of a bidding provider', declaredAt: NOW.toISOString() } });
  });

  it.each<[string, () => ReturnType<typeof declare>, ItemInterestError]>([
    ['no item chosen', () => declare(megan, ''), { kind: 'choose-item' }],
    ['an item not on the current agenda', () => declare(megan, 'P999/21'), { kind: 'no-such-item' }],
    ['someone who acts for no member', () => declare(stranger), { kind: 'not-a-representative' }],
    ['someone acting for two members who does not say which', () => declare(alex), { kind: 'choose-organisation', options: ['barnsley', 'rotherham'] }],
    ['a member they do not act for', () => declare(megan, ITEM, 'x', 'rotherham'), { kind: 'not-a-representative' }],
    ['no description', () => declare(megan, ITEM, '  '), { kind: 'description-required' }],
    ['a description over 300 characters', () => declare(megan, ITEM, 'x'.repeat(301)), { kind: 'description-too-long', max: 300 }],
  ])('refuses %s', (_name, attempt, want) => {
    expect(attempt()).toEqual({ ok: false, error: want });
  });
});

describe('the chair’s handling of a declaration on an item', () => {
  const withDeclaration: Agenda = { ...AGENDA, declarations: [declared(megan, 'barnsley', undefined, 'd-1')] };
  const handle = (by: Person, declarationId = 'd-1', handlingValue: InterestHandling | '' = 'leaves') =>
    handleOnItem({ agenda: withDeclaration, collaborative, chair: by, input: { agendaId: AGENDA.id, declarationId, handlingValue }, now: NOW });

  it('records who decided what, keeping the item', () => {
    const handled = handle(alex);
    expect(handled.ok && [handled.value.itemRef, handled.value.handling]).toEqual([ITEM, { kind: 'leaves', by: alex, at: NOW.toISOString() }]);
  });

  it.each<[string, () => ReturnType<typeof handle>, ItemInterestError]>([
    ['from someone who is not the chair (the secretariat)', () => handle(patti), { kind: 'not-chair' }],
    ['an unknown declaration', () => handle(alex, 'nope'), { kind: 'choose-declaration' }],
    ['no handling chosen', () => handle(alex, 'd-1', ''), { kind: 'choose-handling' }],
  ])('refuses %s', (_name, attempt, want) => {
    expect(attempt()).toEqual({ ok: false, error: want });
  });
});

describe('a poll started from the item carries its declarations', () => {
  it.each<[string, ItemDeclaration[], Person, boolean]>([
    ['awaiting the chair: takes part', [declared(megan, 'barnsley')], megan, true],
    ['noted only: takes part', [declared(megan, 'barnsley', 'noted')], megan, true],
    ['may not take part: refused', [declared(megan, 'barnsley', 'no-part')], megan, false],
    ['leaves for the item: refused', [declared(megan, 'barnsley', 'leaves')], megan, false],
    ['the member’s deputy can still vote', [declared(megan, 'barnsley', 'no-part')], alex, true],
    ['an exclusion on another item does not reach this poll', [declared(megan, 'barnsley', 'no-part', 'd-x', 'P174/21')], megan, true],
  ])('%s', (_name, declarations, voter, allowed) => {
    const onPoll = poll({ declarations: declarationsForItem({ ...AGENDA, declarations }, ITEM) });
    const cast = castVote({ poll: onPoll, collaborative, voter, input: { pollId: 'poll-1', positionValue: 'support', organisationId: 'barnsley' }, now: NOW });
    expect(cast.ok).toBe(allowed);
    if (!cast.ok) expect(cast.error).toEqual({ kind: 'excluded-by-interest', organisationId: 'barnsley' });
  });

  it('keeps the declaration’s id and drops the item reference', () => {
    expect(declarationsForItem({ ...AGENDA, declarations: [declared(megan, 'barnsley', 'leaves', 'd-7')] }, ITEM)).toEqual([
      { id: 'd-7', organisationId: 'barnsley', declaredBy: megan, description: 'Director of a bidding provider', declaredAt: NOW.toISOString(), handling: { kind: 'leaves', by: alex, at: NOW.toISOString() } },
    ]);
  });
});

describe('the agenda card’s view of declarations', () => {
  it('lists each current item’s declarations with the handling, and leaves out those on items edited away', () => {
    const view = itemInterestsForCard({ ...AGENDA, declarations: [declared(megan, 'barnsley', 'no-part', 'd-1'), declared(megan, 'barnsley', undefined, 'd-2', 'P999/21')] }, collaborative);
    expect(view.texts).toEqual({ [ITEM]: ['Megan Bowen (Barnsley Hospital NHS Foundation Trust): Director of a bidding provider: may not take part in the decision (decided by Alex Wilber)'] });
    expect(view.declarationChoices.map((choice) => choice.declarationId)).toEqual(['d-1']);
  });
});
