import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/people/model.js';
import type { Poll } from '../../src/decisions/model.js';
import type { Declaration, InterestHandling } from '../../src/decisions/declaration.js';
import { conflictedMembers, declareInterest, excludedByInterest, handleInterest, type InterestError } from '../../src/decisions/interests.js';
import { castVote } from '../../src/decisions/vote.js';
import { closePoll } from '../../src/decisions/close.js';
import { toPollCardData } from '../../src/decisions/poll-card.js';
import { positionText, toOutcomeCardData } from '../../src/register/outcome-view.js';
import { outcomesToCsv, outcomesToMarkdown } from '../../src/register/export.js';
import { alex, megan, NOW, patti, poll, sample, stranger } from './fixtures.js';

const collaborative = sample();
const declared = (by: Person, organisationId: string, handling?: InterestHandling, id = `d-${by.name}`): Declaration => ({
  id, organisationId, declaredBy: by, description: 'Director of a bidding provider', declaredAt: NOW.toISOString(),
  ...(handling ? { handling: { kind: handling, by: alex, at: NOW.toISOString() } } : {}),
});
const declare = (by: Person, onPoll: Poll = poll(), description = 'Director of a bidding provider', organisationId = '') =>
  declareInterest({ poll: onPoll, collaborative, declarer: by, input: { pollId: onPoll.id, interestOrganisationId: organisationId, interestDescription: description }, now: NOW, newId: () => 'd-1' });

describe('declaring an interest', () => {
  it('a representative declares for their member', () => {
    expect(declare(megan)).toEqual({ ok: true, value: { id: 'd-1', organisationId: 'barnsley', declaredBy: megan, description: 'Director of a bidding provider', declaredAt: NOW.toISOString() } });
  });

  it.each<[string, () => ReturnType<typeof declare>, InterestError]>([
    ['someone who acts for no member', () => declare(stranger), { kind: 'not-a-representative' }],
    ['someone acting for two members who does not say which', () => declare(alex), { kind: 'choose-organisation', options: ['barnsley', 'rotherham'] }],
    ['a member they do not act for', () => declare(megan, poll(), 'x', 'rotherham'), { kind: 'not-a-representative' }],
    ['no description', () => declare(megan, poll(), '  '), { kind: 'description-required' }],
    ['a description over 300 characters', () => declare(megan, poll(), 'x'.repeat(301)), { kind: 'description-too-long', max: 300 }],
    ['a closed poll', () => declare(megan, poll({ status: 'closed' })), { kind: 'poll-closed' }],
  ])('refuses %s', (_name, attempt, want) => {
    expect(attempt()).toEqual({ ok: false, error: want });
  });
});

describe('the chair’s handling', () => {
  const withDeclaration = poll({ declarations: [declared(megan, 'barnsley', undefined, 'd-1')] });
  const handle = (by: Person, declarationId = 'd-1', handlingValue: InterestHandling | '' = 'no-part') =>
    handleInterest({ poll: withDeclaration, collaborative, chair: by, input: { pollId: 'poll-1', declarationId, handlingValue }, now: NOW });

  it('records who decided what', () => {
    const handled = handle(alex);
    expect(handled.ok && handled.value.handling).toEqual({ kind: 'no-part', by: alex, at: NOW.toISOString() });
  });

  it.each<[string, () => ReturnType<typeof handle>, InterestError]>([
    ['from someone who is not the chair (the secretariat)', () => handle(patti), { kind: 'not-chair' }],
    ['an unknown declaration', () => handle(alex, 'nope'), { kind: 'choose-declaration' }],
    ['no handling chosen', () => handle(alex, 'd-1', ''), { kind: 'choose-handling' }],
  ])('refuses %s', (_name, attempt, want) => {
    expect(attempt()).toEqual({ ok: false, error: want });
  });
});

describe('who may not take part, and who is conflicted', () => {
  // Barnsley: Megan Bowen represents it, Alex Wilber is its deputy.
  it.each<[string, Declaration[], Person, boolean, string[]]>([
    ['awaiting the chair: takes part', [declared(megan, 'barnsley')], megan, true, []],
    ['noted only: takes part', [declared(megan, 'barnsley', 'noted')], megan, true, []],
    ['may not take part: refused', [declared(megan, 'barnsley', 'no-part')], megan, false, []],
    ['leaves for the item: refused', [declared(megan, 'barnsley', 'leaves')], megan, false, []],
    ['the member’s deputy can still vote', [declared(megan, 'barnsley', 'no-part')], alex, true, []],
    ['both excluded: the member is conflicted', [declared(megan, 'barnsley', 'no-part'), declared(alex, 'barnsley', 'leaves')], megan, false, ['barnsley']],
  ])('%s', (_name, declarations, voter, allowed, conflicted) => {
    const onPoll = poll({ declarations });
    const cast = castVote({ poll: onPoll, collaborative, voter, input: { pollId: 'poll-1', positionValue: 'support', organisationId: 'barnsley' }, now: NOW });
    expect(cast.ok).toBe(allowed);
    if (!cast.ok) expect(cast.error).toEqual({ kind: 'excluded-by-interest', organisationId: 'barnsley' });
    expect([...conflictedMembers(onPoll, collaborative)]).toEqual(conflicted);
  });

  it('an exclusion for one member does not reach another the person acts for', () => {
    expect(excludedByInterest(poll({ declarations: [declared(alex, 'barnsley', 'no-part')] }), alex.aadObjectId, 'rotherham')).toBe(false);
  });

  it('the card, the outcome, the register card, the CSV and the Markdown show the declaration and the conflicted member', () => {
    const declarations = [declared(megan, 'barnsley', 'no-part'), declared(alex, 'barnsley', 'leaves')];
    const onPoll = poll({ declarations });
    const card = toPollCardData(onPoll, [], collaborative);
    expect(card.positions.find((p) => p.name.startsWith('Barnsley'))?.state).toMatch(/^Conflicted/);
    expect(card.declarations.map((d) => d.text)).toEqual([
      'Megan Bowen (Barnsley Hospital NHS Foundation Trust): Director of a bidding provider: may not take part in the decision (decided by Alex Wilber)',
      'Alex Wilber (Barnsley Hospital NHS Foundation Trust): Director of a bidding provider: leaves the meeting for this item (decided by Alex Wilber)',
    ]);
    const closed = closePoll({ poll: onPoll, votes: [], collaborative, by: alex, now: NOW, newOutcomeId: () => 'o-1' });
    if (!closed.ok) throw new Error('not closed');
    const { outcome } = closed.value;
    expect(outcome.declarations).toEqual(declarations);
    const barnsley = outcome.positions.find((p) => p.organisationId === 'barnsley');
    expect(barnsley && positionText(barnsley)).toBe('Took no part: conflicted (declaration of interest)');
    expect(toOutcomeCardData(outcome).facts.find((f) => f.label === 'Declarations of interest')?.text).toContain('may not take part in the decision');
    expect(outcomesToCsv([outcome])).toContain('Declarations of interest');
    expect(outcomesToCsv([outcome])).toContain('leaves the meeting for this item');
    expect(outcomesToMarkdown([outcome])).toContain('**Declarations of interest**');
  });
});
