import { describe, expect, it } from 'vitest';
import { buildMinutes, declarationsForMinutes } from '../../src/register/minutes.js';
import { aPoll, CHAIR, REPRESENTATIVE } from '../store/builders.js';
import { HOSTILE, MEMBERS, minutesInput } from './minutes-fixture.js';

describe('draft minutes', () => {
  const minutes = buildMinutes(minutesInput());

  it('lists every agenda item with its purpose, lead and running time', () => {
    expect(minutes.items.map((item) => [item.ref, item.purpose, item.time])).toEqual([
      ['P173/21', 'For decision', '10:00–10:20'],
      ['P174/21', 'For information', '10:20–10:30'],
      ['P175/21', 'For decision', '10:30–10:45'],
    ]);
    expect(minutes.items[0]!.lead).toBe(HOSTILE.html);
  });

  it("records each decision's rule, outcome, quorum and every member's position with attendance", () => {
    const decision = minutes.items[0]!.decisions[0]!;
    expect(decision.outcome).toBe('Not agreed');
    expect(decision.rule).toMatch(/majority/i);
    expect(decision.quorum).toBe('Quorate: 2 of the 2 members needed for a quorum are in the meeting.');
    expect(decision.positions.map((position) => [position.member, position.attendance])).toEqual([
      ['Alpha NHS FT', 'Present'], [HOSTILE.longName, 'Present'], ['Gamma Community Trust', 'Absent'],
    ]);
    expect(decision.positions[2]!.position).toBe('Did not vote');
    expect(decision.reasons).toEqual([HOSTILE.formula]);
  });

  it.each([
    ['a closed poll', 0, 'Not agreed'],
    ['a poll still open at the end', 2, 'Poll still open'],
  ])('%s → %s', (_name, itemIndex, want) => {
    expect(minutes.items[itemIndex]!.decisions[0]!.outcome).toBe(want);
  });

  it('an item for information has no decisions', () => expect(minutes.items[1]!.decisions).toEqual([]));

  it('meeting attendance: present at any item counts as present', () => {
    expect(minutes.attendance).toEqual([
      { member: 'Alpha NHS FT', state: 'Present' }, { member: HOSTILE.longName, state: 'Present' }, { member: 'Gamma Community Trust', state: 'Absent' },
    ]);
  });

  it('actions carry the item reference, owner and date', () => {
    expect(minutes.actions).toEqual([{ ref: 'P173/21', who: HOSTILE.markdown, what: 'Bring a revised case', when: 'April board' }]);
  });

  it.each([
    ['not in the record', undefined, [], 'Declarations of interest are not in the record yet: add any made at the meeting.'],
    ['none recorded', [], [], 'No declarations of interest were recorded.'],
    ['one recorded', [{ person: 'Dr A', organisationName: 'Alpha NHS FT', itemRef: 'P173/21', interest: 'a family member works at the hub', action: 'left for the item' }],
      ['P173/21: Dr A (Alpha NHS FT) declared a family member works at the hub; left for the item'], ''],
  ] as const)('declarations %s', (_name, declarations, want, note) => {
    const built = buildMinutes(minutesInput({ declarations }));
    expect(built.declarations).toEqual(want);
    expect(built.declarationsNote).toBe(note);
  });

  it('lists the declarations made on agenda items and on polls once each, with the chair\'s handling or that it awaits one', () => {
    const input = minutesInput();
    const onItem = { id: 'd-1', itemRef: 'P173/21', organisationId: 'org-b', declaredBy: REPRESENTATIVE, description: HOSTILE.markdown, declaredAt: '2025-03-01T09:00:00.000Z',
      handling: { kind: 'no-part' as const, by: CHAIR, at: '2025-03-01T09:05:00.000Z' } };
    const agenda = { ...input.agenda, declarations: [onItem] };
    // The item's poll carries the same declaration (same id); the open poll has one of its own, not yet handled.
    const { itemRef: _itemRef, ...carried } = onItem;
    const polls = [{ ...input.polls[0]!, declarations: [carried] }, { ...input.polls[1]!, declarations: [{ ...carried, id: 'd-2', organisationId: 'org-c', description: 'Spouse works for a bidder', handling: undefined }] }];
    const declarations = declarationsForMinutes(agenda, polls, MEMBERS);
    expect(buildMinutes({ ...input, agenda, polls, declarations }).declarations).toEqual([
      `P173/21: ${REPRESENTATIVE.name} (${HOSTILE.longName}) declared ${HOSTILE.markdown}; may not take part in the decision (decided by ${CHAIR.name})`,
      `P175/21: ${REPRESENTATIVE.name} (Gamma Community Trust) declared Spouse works for a bidder; awaiting the chair’s decision`,
    ]);
  });

  it('a poll opened in the meeting but not from the agenda is minuted under Other', () => {
    const built = buildMinutes(minutesInput({ polls: [...minutesInput().polls, aPoll({ id: 'poll-3', conversationId: 'meeting-chat', title: 'Urgent item' })] }));
    expect(built.items.at(-1)).toMatchObject({ ref: 'Other', decisions: [{ title: 'Urgent item', outcome: 'Poll still open' }] });
  });

  it('without attendance taken, says so instead of listing everyone absent', () => {
    const built = buildMinutes(minutesInput({ polls: [], outcomes: [], members: MEMBERS }));
    expect(built.attendance).toEqual([]);
    expect(built.attendanceNote).toMatch(/not taken/);
  });
});
