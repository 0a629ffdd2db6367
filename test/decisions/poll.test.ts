import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/people/model.js';
import { Poll, type DecisionRule } from '../../src/decisions/model.js';
import { openPoll, PollInput, type PollError } from '../../src/decisions/poll.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import { alex, ALL_MEMBERS, megan, minutesAfter, NOW, outcome, sample } from './fixtures.js';

const form = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Shared elective hub',
  proposal: 'Run a shared elective orthopaedic hub at Barnsley from April.',
  category: 1,
  ...overrides,
});

const open = (input: unknown, { by = alex, history = [] as Outcome[] }: { by?: Person; history?: Outcome[] } = {}) =>
  openPoll({ input, collaborative: sample(), by, now: NOW, newId: () => 'poll-new', conversationId: 'conversation-1', gatewayHistory: history });

const opened = (input: unknown, options?: Parameters<typeof open>[1]): Poll => {
  const result = open(input, options);
  if (!result.ok) throw new Error(`expected a poll, got ${JSON.stringify(result.error)}`);
  return result.value;
};

describe('openPoll', () => {
  it('opens a category 1 poll on the collaborative default rule, binding every member', () => {
    const poll = opened(form());
    expect(poll).toStrictEqual({
      id: 'poll-new',
      conversationId: 'conversation-1',
      title: 'Shared elective hub',
      proposal: 'Run a shared elective orthopaedic hub at Barnsley from April.',
      rule: { kind: 'consensus' },
      category: 1,
      membersInScope: ALL_MEMBERS,
      hidePositions: false,
      status: 'open',
      openedBy: alex,
      openedAt: NOW.toISOString(),
      reopenings: [],
    });
    expect(Poll.safeParse(poll).success).toBe(true);
  });

  it('reads card strings: category, affected members, quorum, minutes, toggles', () => {
    const poll = opened(
      form({ category: '2', affectedMembers: 'rotherham, barnsley', rule: 'majority', quorum: '2', closesInMinutes: '30', hidePositions: 'true', threshold: '' }),
    );
    expect(poll).toMatchObject({
      category: 2,
      membersInScope: ['barnsley', 'rotherham'], // collaborative order
      rule: { kind: 'majority', basis: 'members', quorum: 2 },
      closesAt: minutesAfter(NOW, 30).toISOString(),
      hidePositions: true,
    });
  });

  it('takes a qualified majority threshold written as a fraction', () => {
    expect(opened(form({ rule: 'qualified-majority', threshold: '2/3' })).rule).toEqual({
      kind: 'qualified-majority',
      threshold: { numerator: 2, denominator: 3 },
      basis: 'members',
    });
  });

  it('ignores a threshold sent with another rule (a form default, not a choice)', () => {
    expect(opened(form({ rule: 'unanimity', threshold: '2/3' })).rule).toStrictEqual({ kind: 'unanimity' });
  });

  it('applies a quorum to the default rule, and to a rule chosen on the form', () => {
    expect(opened(form({ quorum: 3 })).rule).toStrictEqual({ kind: 'consensus', quorum: 3 });
    expect(opened(form({ rule: 'qualified-majority', threshold: '3/4', quorum: '4' })).rule).toStrictEqual({
      kind: 'qualified-majority',
      threshold: { numerator: 3, denominator: 4 },
      basis: 'members',
      quorum: 4,
    });
  });

  /**
   * Every new majority poll stores its basis. Unless the chair picks one, it is the collaborative's
   * default rule's basis; a default stored without one keeps today's meaning (votes cast); a
   * collaborative whose default is not a majority gets the guidance's "majority of trusts".
   */
  it.each<[string, DecisionRule, Record<string, unknown>, DecisionRule]>([
    ['consensus default, majority chosen', { kind: 'consensus' }, { rule: 'majority' }, { kind: 'majority', basis: 'members' }],
    ['consensus default, majority of votes cast chosen', { kind: 'consensus' }, { rule: 'majority', basis: 'cast' }, { kind: 'majority', basis: 'cast' }],
    ['consensus default, blank basis', { kind: 'consensus' }, { rule: 'majority', basis: '' }, { kind: 'majority', basis: 'members' }],
    [
      'consensus default, two thirds of trusts chosen',
      { kind: 'consensus' },
      { rule: 'qualified-majority', threshold: '2/3', basis: 'members' },
      { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 }, basis: 'members' },
    ],
    ['default stored without a basis, used as it is', { kind: 'majority' }, {}, { kind: 'majority', basis: 'cast' }],
    ['default stored without a basis, majority chosen', { kind: 'majority' }, { rule: 'majority' }, { kind: 'majority', basis: 'cast' }],
    ['default of votes cast, majority of trusts chosen', { kind: 'majority', basis: 'cast' }, { rule: 'majority', basis: 'members' }, { kind: 'majority', basis: 'members' }],
    ['default of trusts, used as it is', { kind: 'majority', basis: 'members', quorum: 3 }, {}, { kind: 'majority', basis: 'members', quorum: 3 }],
    [
      'default of trusts, basis changed on the form',
      { kind: 'qualified-majority', threshold: { numerator: 3, denominator: 4 }, basis: 'members' },
      { basis: 'cast' },
      { kind: 'qualified-majority', threshold: { numerator: 3, denominator: 4 }, basis: 'cast' },
    ],
    ['a basis sent with unanimity does not apply', { kind: 'consensus' }, { rule: 'unanimity', basis: 'members' }, { kind: 'unanimity' }],
  ])('basis: %s', (_name, defaultRule, fields, want) => {
    const collaborative = { ...sample(), defaultRule };
    const result = openPoll({ input: form(fields), collaborative, by: alex, now: NOW, newId: () => 'poll-new', conversationId: 'conversation-1', gatewayHistory: [] });
    expect(result.ok && result.value.rule).toStrictEqual(want);
  });

  it('accepts a closing time exactly a year ahead', () => {
    expect(opened(form({ closesAt: '2026-03-04T10:00:00Z' })).closesAt).toBe('2026-03-04T10:00:00.000Z');
  });

  it('takes a closing time in ISO form with its zone, and links the agenda item', () => {
    const agenda = { agendaId: 'agenda-1', itemRef: 'P173/21', meetingTitle: 'Committees in common', meetingDate: '2025-03-04' };
    const poll = opened(form({ closesAt: '2025-03-04T12:00:00+01:00', agenda }));
    expect(poll.closesAt).toBe('2025-03-04T11:00:00.000Z');
    expect(poll.agenda).toEqual(agenda);
  });

  it('parses its own output to the same thing', () => {
    const once = PollInput.parse(form({ category: '2', affectedMembers: 'barnsley', quorum: '1', hidePositions: 'false' }));
    expect(PollInput.parse(once)).toEqual(once);
  });
});

describe('openPoll refusals', () => {
  it('refuses anyone but a chair, before looking at the form', () => {
    expect(open(form(), { by: megan })).toEqual({ ok: false, error: { kind: 'not-chair' } });
    expect(open({ nonsense: true }, { by: megan })).toEqual({ ok: false, error: { kind: 'not-chair' } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no title', { title: '  ' }, 'title'],
    ['an unknown field', { colour: 'blue' }, 'Unrecognized key: "colour"'],
    ['an unknown category', { category: 3 }, 'category'],
    ['an unknown rule', { rule: 'dictatorship' }, 'rule'],
    ['category 2 with no affected member', { category: 2 }, 'affectedMembers: a category 2 decision needs at least one affected member'],
    ['category 2 with an unknown member', { category: 2, affectedMembers: ['barnsley', 'leeds'] }, 'affectedMembers: not members of South Yorkshire Acute Federation (sample): leeds'],
    ['category 1 naming affected members', { affectedMembers: 'barnsley' }, 'affectedMembers: category 1 binds every member'],
    ['a qualified majority without a threshold', { rule: 'qualified-majority' }, 'threshold: a qualified majority needs a threshold such as 2/3'],
    ['a threshold over 1', { rule: 'qualified-majority', threshold: '3/2' }, 'threshold: 3/2 is not a fraction between 0 and 1'],
    ['a threshold of 0', { rule: 'qualified-majority', threshold: '0/3' }, 'threshold: 0/3 is not a fraction between 0 and 1'],
    ['a threshold in words', { rule: 'qualified-majority', threshold: 'two thirds' }, 'threshold: write the threshold as a fraction such as 2/3'],
    ['an unknown basis', { rule: 'majority', basis: 'trusts' }, 'basis'],
    ['a quorum larger than the membership', { quorum: 6 }, 'quorum: a quorum of 6 can never be met with 5 members in scope'],
    ['a quorum larger than the affected subset', { category: 2, affectedMembers: 'barnsley,rotherham', quorum: 3 }, 'quorum: a quorum of 3 can never be met with 2 members in scope'],
    ['a quorum of 0', { quorum: '0' }, 'quorum'],
    ['a closing time in the past', { closesAt: '2025-03-04T09:59:00Z' }, 'closesAt: the closing time must be in the future'],
    ['a closing time of now', { closesAt: NOW.toISOString() }, 'closesAt: the closing time must be in the future'],
    ['a closing time more than a year ahead', { closesAt: '2026-03-04T10:00:01Z' }, 'closesAt: the closing time must be within a year'],
    ['a closing time decades ahead', { closesAt: '2062-03-04T10:00:00Z' }, 'closesAt: the closing time must be within a year'],
    ['a closing time without a zone', { closesAt: '2025-03-04T12:00:00' }, 'closesAt'],
    ['both a closing time and minutes', { closesAt: '2025-03-04T12:00:00Z', closesInMinutes: 30 }, 'closesAt: give a closing time or minutes from now, not both'],
    ['zero minutes', { closesInMinutes: '0' }, 'closesInMinutes'],
    ['a gateway programme without a stage', { gatewayProgramme: 'Elective recovery hub' }, 'gatewayStage: a gateway needs both a programme and a stage'],
    ['an unknown gateway stage', { gatewayProgramme: 'Elective recovery hub', gatewayStage: 'implementation' }, 'gatewayStage'],
    ['an oversized proposal', { proposal: 'x'.repeat(4001) }, 'proposal'],
  ])('refuses %s', (_name, overrides, issue) => {
    const result = open(form(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('invalid');
      expect(result.error.kind === 'invalid' && result.error.issues.some((line) => line.includes(issue))).toBe(true);
    }
  });

  it('lists every problem at once', () => {
    const result = open(form({ category: 2, affectedMembers: 'barnsley,leeds', quorum: 9, closesAt: '2020-01-01T00:00:00Z' }));
    expect(!result.ok && result.error.kind === 'invalid' && result.error.issues).toHaveLength(3);
  });
});

describe('openPoll on locked gateways', () => {
  const programme = 'Elective recovery hub';
  const agreed = (stage: 'initiation' | 'case-for-change' | 'options' | 'options-appraisal', id = `outcome-${stage}`) =>
    outcome({ id, gateway: { programme, stage } });
  const gatewayForm = (stage: string, extra: Record<string, unknown> = {}) =>
    form({ gatewayProgramme: programme, gatewayStage: stage, ...extra });

  it('opens the first stage of a new programme', () => {
    expect(opened(gatewayForm('initiation')).gateway).toEqual({ programme, stage: 'initiation' });
  });

  it('opens the next stage once the earlier ones are agreed', () => {
    expect(opened(gatewayForm('options'), { history: [agreed('initiation'), agreed('case-for-change')] }).gateway?.stage).toBe('options');
  });

  it.each<[string, string, Outcome[], PollError]>([
    ['a stage before earlier ones are agreed', 'options', [agreed('initiation')], { kind: 'gateway-out-of-order', stage: 'options', missing: ['case-for-change'] }],
    ['the last stage of a new programme', 'options-appraisal', [], { kind: 'gateway-out-of-order', stage: 'options-appraisal', missing: ['initiation', 'case-for-change', 'options'] }],
    ['an agreed stage without a reason', 'initiation', [agreed('initiation')], { kind: 'gateway-locked', stage: 'initiation' }],
    [
      'a stage whose earlier stage was not agreed',
      'case-for-change',
      [outcome({ gateway: { programme, stage: 'initiation' }, status: 'not-agreed', result: 'not-agreed' })],
      { kind: 'gateway-out-of-order', stage: 'case-for-change', missing: ['initiation'] },
    ],
    [
      'a stage whose earlier agreement was superseded',
      'case-for-change',
      [outcome({ gateway: { programme, stage: 'initiation' }, status: 'superseded' })],
      { kind: 'gateway-out-of-order', stage: 'case-for-change', missing: ['initiation'] },
    ],
    ['an agreed stage, whatever the programme name case', 'initiation', [outcome({ gateway: { programme: ' elective  RECOVERY hub', stage: 'initiation' } })], { kind: 'gateway-locked', stage: 'initiation' }],
  ])('refuses %s', (_name, stage, history, want) => {
    expect(open(gatewayForm(stage), { history })).toEqual({ ok: false, error: want });
  });

  it('is not held back by another programme', () => {
    const other = outcome({ gateway: { programme: 'Pathology network', stage: 'initiation' } });
    expect(open(gatewayForm('initiation'), { history: [other] }).ok).toBe(true);
  });

  it('reopens an agreed stage with a reason, recording who, when and why', () => {
    const poll = opened(gatewayForm('initiation', { reopenReason: 'New waiting-list data changes the scope.' }), { history: [agreed('initiation')] });
    expect(poll.reopenings).toEqual([
      {
        by: alex,
        at: NOW.toISOString(),
        reason: 'Reopens the agreed initiation stage of Elective recovery hub in the public interest: New waiting-list data changes the scope.',
      },
    ]);
  });

  it('refuses a blank reopen reason as no reason', () => {
    expect(open(gatewayForm('initiation', { reopenReason: '   ' }), { history: [agreed('initiation')] })).toEqual({
      ok: false,
      error: { kind: 'gateway-locked', stage: 'initiation' },
    });
  });
});
