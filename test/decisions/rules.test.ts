import { describe, expect, it } from 'vitest';
import { describeRule, tally } from '../../src/decisions/rules.js';
import type { DecisionRule } from '../../src/decisions/model.js';
import type { OutcomeResult } from '../../src/decisions/outcome.js';
import { positions, RULES, vote, type RuleName } from './fixtures.js';

// Positions are one letter per member in scope: S support, O object, A abstain, . not voted.
type Row = [rule: RuleName, positions: string, want: OutcomeResult];

/** Category 1, no quorum: the rule alone decides. */
const RULE_TABLE: Row[] = [
  // Consensus: agreed unless a member objects (WYAAT: "no majority decisions").
  ['consensus', 'SSSSS', 'agreed'],
  ['consensus', 'SSSSA', 'agreed'], // an abstention does not block
  ['consensus', 'SSS..', 'agreed'], // nor does a member who has not voted
  ['consensus', 'AAAAA', 'agreed'],
  ['consensus', '.....', 'agreed'], // silence is consent: set a quorum to require positions
  ['consensus', 'SSSSO', 'not-agreed'], // one objection blocks
  ['consensus', 'O....', 'not-agreed'],
  // Unanimity: every member in scope supports.
  ['unanimity', 'SSSSS', 'agreed'],
  ['unanimity', 'S', 'agreed'],
  ['unanimity', 'SSSSA', 'not-agreed'], // an abstention is not support
  ['unanimity', 'SSSS.', 'not-agreed'], // nor is a missing vote
  ['unanimity', 'SSSSO', 'not-agreed'],
  ['unanimity', '.....', 'not-agreed'],
  // Majority of votes cast: abstentions and absences count neither way; a tie is not agreed.
  ['majority', 'SSS..', 'agreed'],
  ['majority', 'SSSOO', 'agreed'], // no single trust can block
  ['majority', 'SAAA.', 'agreed'],
  ['majority', 'SSOO.', 'not-agreed'], // tie
  ['majority', 'SSOOA', 'not-agreed'], // an abstention does not break a tie
  ['majority', 'SOOAA', 'not-agreed'],
  ['majority', 'AAAAA', 'not-agreed'], // nobody supports
  ['majority', '.....', 'not-agreed'],
  // Qualified majority: support ≥ threshold × (support + object), in integers.
  ['two-thirds', 'SSO..', 'agreed'], // exactly 2/3
  ['two-thirds', 'SSAAO', 'agreed'], // exactly 2/3; abstentions not counted
  ['two-thirds', 'SSSSSSSSSSOOOOO', 'agreed'], // 10/15, exactly 2/3
  ['two-thirds', 'SSSSSSSSSOOOOO', 'not-agreed'], // 9/14, just under 2/3
  ['two-thirds', 'SSSOO', 'not-agreed'], // 3/5, just under 2/3
  ['two-thirds', 'SSSSO', 'agreed'],
  ['two-thirds', 'S....', 'agreed'], // 1 of 1 votes cast
  ['two-thirds', 'AAAAA', 'not-agreed'], // nobody supports
  ['two-thirds', '.....', 'not-agreed'],
  ['three-quarters', 'SSSO.', 'agreed'], // exactly 3/4
  ['three-quarters', 'SSO..', 'not-agreed'], // 2/3 is under 3/4
  ['half', 'SO...', 'agreed'], // "at least half": unlike a simple majority, a tie meets it
  ['half', 'SOO..', 'not-agreed'],
];

const withQuorum = (rule: DecisionRule, quorum: number | undefined): DecisionRule =>
  quorum === undefined ? rule : { ...rule, quorum };

const recordedIn = (pattern: string): number => [...pattern].filter((letter) => letter !== '.').length;

describe('category 1, no quorum', () => {
  it.each(RULE_TABLE)('%s %s → %s', (rule, pattern, want) => {
    const { members, votes } = positions(pattern);
    expect(tally(RULES[rule], members, votes).result).toBe(want);
  });
});

/**
 * Every row again, across category × quorum. Category 2 adds members outside the affected subset
 * whose non-binding views push against the expected result; the quorum is set so it is just met
 * (the number of positions recorded) or just missed (one more).
 */
const CATEGORIES = [
  ['category 1', ''],
  ['category 2, outsiders object', 'OOO'],
  ['category 2, outsiders support', 'SSS'],
  ['category 2, outsiders abstain or stay silent', 'A.A'],
] as const;
const QUORUMS = ['none', 'met', 'missed'] as const;

describe.each(CATEGORIES)('%s', (_category, outsiders) => {
  describe.each(QUORUMS)('quorum %s', (quorumCase) => {
    const rows = RULE_TABLE.filter(([, pattern]) => quorumCase !== 'met' || recordedIn(pattern) > 0);
    it.each(rows)('%s %s → as the rule table, or no-quorum', (rule, pattern, want) => {
      const inScope = positions(pattern);
      const views = positions(outsiders, 'x', false);
      const recorded = recordedIn(pattern);
      const quorum = quorumCase === 'none' ? undefined : quorumCase === 'met' ? recorded : recorded + 1;
      const result = tally(withQuorum(RULES[rule], quorum), inScope.members, [...inScope.votes, ...views.votes]);
      expect(result.result).toBe(quorumCase === 'missed' ? 'no-quorum' : want);
      expect(result.quorumMet).toBe(quorumCase !== 'missed');
      expect(result.nonBindingViews).toHaveLength(views.votes.length);
    });
  });
});

describe('quorum: binding members recording any position, abstentions included', () => {
  it.each<[RuleName, number, string, OutcomeResult]>([
    ['consensus', 3, 'SSS..', 'agreed'],
    ['consensus', 3, 'SS...', 'no-quorum'],
    ['consensus', 3, 'SAA..', 'agreed'], // abstentions count towards quorum
    ['consensus', 3, 'SO...', 'no-quorum'], // an objection below quorum decides nothing
    ['consensus', 3, 'SOA..', 'not-agreed'],
    ['consensus', 5, 'SSSSA', 'agreed'],
    ['unanimity', 5, 'SSSSS', 'agreed'],
    ['unanimity', 3, 'SSS..', 'not-agreed'], // quorate, but not everyone supports
    ['unanimity', 1, '.....', 'no-quorum'],
    ['majority', 3, 'SSA..', 'agreed'],
    ['majority', 3, 'SS...', 'no-quorum'],
    ['two-thirds', 3, 'SSO..', 'agreed'],
    ['two-thirds', 4, 'SSO..', 'no-quorum'],
  ])('%s, quorum %i, %s → %s', (rule, quorum, pattern, want) => {
    const { members, votes } = positions(pattern);
    expect(tally({ ...RULES[rule], quorum }, members, votes).result).toBe(want);
  });
});

describe('category 2: only the affected members bind', () => {
  it.each<[RuleName, string, string, OutcomeResult]>([
    ['consensus', 'SS', 'OOO', 'agreed'], // outsiders' objections are views, not vetoes
    ['consensus', 'SO', 'SSS', 'not-agreed'], // outsiders' support does not outweigh an objection
    ['unanimity', 'SS', 'AA.', 'agreed'], // outsiders need not support
    ['majority', 'SO', 'SSS', 'not-agreed'], // outsiders do not break a tie
    ['majority', 'SSO', 'OO', 'agreed'],
    ['two-thirds', 'SSO', 'OO', 'agreed'],
  ])('%s, affected %s, outsiders %s → %s', (rule, affected, outsiders, want) => {
    const inScope = positions(affected);
    const views = positions(outsiders, 'x', false);
    const result = tally(RULES[rule], inScope.members, [...inScope.votes, ...views.votes]);
    expect(result.result).toBe(want);
    expect(result.counts.notVoted + result.counts.support + result.counts.object + result.counts.abstain).toBe(affected.length);
  });

  it('lists views separately and leaves them out of the counts', () => {
    const inScope = positions('SA.');
    const result = tally(RULES.consensus, inScope.members, [...inScope.votes, vote('x1', 'object', { binding: false })]);
    expect(result.counts).toEqual({ support: 1, object: 0, abstain: 1, notVoted: 1 });
    expect(result.nonBindingViews).toEqual([{ organisationId: 'x1', position: 'object' }]);
    expect(result.objectors).toEqual([]);
  });

  it('treats a vote marked non-binding as a view even for a member in scope', () => {
    const result = tally(RULES.consensus, ['m1', 'm2'], [vote('m1', 'object', { binding: false })]);
    expect(result.result).toBe('agreed');
    expect(result.counts.notVoted).toBe(2);
  });
});

describe('dispute resolution is offered when consensus fails on an objection', () => {
  it.each<[RuleName, string, number | undefined, boolean]>([
    ['consensus', 'SSSSO', undefined, true],
    ['consensus', 'SSSSS', undefined, false],
    ['consensus', 'O....', 3, false], // no quorum, nothing decided
    ['unanimity', 'SSSSO', undefined, false],
    ['majority', 'SOO..', undefined, false],
  ])('%s %s (quorum %s) → %s', (rule, pattern, quorum, want) => {
    const { members, votes } = positions(pattern);
    expect(tally(withQuorum(RULES[rule], quorum), members, votes).disputeResolutionOffered).toBe(want);
  });
});

describe('counts and objectors', () => {
  it('counts every member in scope once and names objectors in scope order', () => {
    const { members, votes } = positions('OSA.O');
    const result = tally(RULES.majority, members, [...votes].reverse());
    expect(result.counts).toEqual({ support: 1, object: 2, abstain: 1, notVoted: 1 });
    expect(result.objectors).toEqual(['m1', 'm5']);
    expect(result.recorded).toBe(4);
  });

  it('counts a member listed twice in scope once', () => {
    expect(tally(RULES.unanimity, ['m1', 'm1'], [vote('m1', 'support')]).result).toBe('agreed');
  });

  it('takes the latest of several votes for one organisation', () => {
    const earlier = vote('m1', 'object', { castAt: '2025-03-04T10:00:00.000Z' });
    const later = vote('m1', 'support', { castAt: '2025-03-04T10:05:00.000Z' });
    expect(tally(RULES.consensus, ['m1'], [later, earlier]).result).toBe('agreed');
    expect(tally(RULES.consensus, ['m1'], [earlier, later]).result).toBe('agreed');
  });
});

describe('explanation: one plain sentence saying why', () => {
  const names: Record<string, string> = { m1: 'Barnsley Hospital NHS Foundation Trust', m5: 'The Rotherham NHS Foundation Trust' };
  const nameOf = (id: string): string => names[id] ?? id;

  it.each<[string, DecisionRule, string, string]>([
    ['consensus, agreed', RULES.consensus, 'SSSSA', 'Agreed: 4 of 5 members support; 1 abstained; no objections.'],
    [
      'consensus, objection',
      RULES.consensus,
      'OSSS.',
      'Not agreed: 3 of 5 members support; 1 has not voted; 1 objection (Barnsley Hospital NHS Foundation Trust) — under consensus an objection blocks, so dispute resolution is offered.',
    ],
    ['unanimity, one missing', RULES.unanimity, 'SSSS.', 'Not agreed: 4 of 5 members support; 1 has not voted; no objections — unanimity needs all 5 to support.'],
    [
      'majority, tie',
      RULES.majority,
      'OSS.O',
      'Not agreed: 2 of 5 members support; 1 has not voted; 2 objections (Barnsley Hospital NHS Foundation Trust, The Rotherham NHS Foundation Trust) — support and objection are tied at 2 each, and a tie is not agreed.',
    ],
    [
      'majority, agreed',
      RULES.majority,
      'OSS..',
      'Agreed: 2 of 5 members support; 2 have not voted; 1 objection (Barnsley Hospital NHS Foundation Trust) — more support than objection among votes cast.',
    ],
    [
      'two thirds, just under',
      RULES['two-thirds'],
      'OSSSO',
      'Not agreed: 3 of 5 members support; 2 objections (Barnsley Hospital NHS Foundation Trust, The Rotherham NHS Foundation Trust) — 3 of 5 votes cast support (two thirds needed).',
    ],
    ['no quorum', { kind: 'consensus', quorum: 3 }, 'SS...', 'No quorum: 2 of 5 members recorded a position and 3 are needed, so nothing was decided.'],
    ['one member', RULES.unanimity, 'S', 'Agreed: 1 of 1 member supports; no objections.'],
  ])('%s', (_name, rule, pattern, want) => {
    const { members, votes } = positions(pattern);
    expect(tally(rule, members, votes, { nameOf }).explanation).toBe(want);
  });
});

describe('describeRule says how abstentions and absences count', () => {
  it.each<[DecisionRule, string]>([
    [RULES.consensus, 'Consensus: agreed unless a member objects. Abstentions and members who have not voted do not block.'],
    [RULES.unanimity, 'Unanimity: agreed only if every member in scope supports. An abstention or a member who has not voted means it is not agreed.'],
    [RULES.majority, 'Majority: agreed if more members support than object. Abstentions and members who have not voted count neither way; a tie is not agreed.'],
    [
      RULES['two-thirds'],
      'Qualified majority: agreed if at least two thirds of the votes cast (support or object) support. Abstentions and members who have not voted count neither way.',
    ],
    [
      { kind: 'qualified-majority', threshold: { numerator: 5, denominator: 7 } },
      'Qualified majority: agreed if at least 5/7 of the votes cast (support or object) support. Abstentions and members who have not voted count neither way.',
    ],
    [
      { kind: 'consensus', quorum: 3 },
      'Consensus: agreed unless a member objects. Abstentions and members who have not voted do not block. Quorum: at least 3 members in scope must record a position (abstentions count); otherwise nothing is decided.',
    ],
  ])('%o', (rule, want) => expect(describeRule(rule)).toBe(want));
});
