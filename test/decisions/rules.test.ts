import { describe, expect, it } from 'vitest';
import { basisFigures, basisOf, basisProgress, describeRule, tally } from '../../src/decisions/rules.js';
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
  // The same basis stated: identical to a rule stored without one.
  ['majority of votes cast', 'SSO..', 'agreed'],
  ['majority of votes cast', 'SSOO.', 'not-agreed'],
  ['two-thirds of votes cast', 'SSO..', 'agreed'],
  ['two-thirds of votes cast', 'SSSOO', 'not-agreed'],
  // Majority of trusts (guidance option 3): more than half of the members in scope support;
  // abstaining or not voting is not support.
  ['majority of trusts', 'SSS..', 'agreed'], // 3 of 5
  ['majority of trusts', 'SSSOO', 'agreed'], // no single trust can block
  ['majority of trusts', 'SSO..', 'not-agreed'], // 2 of 5, though 2 of 3 votes cast
  ['majority of trusts', 'SSAAA', 'not-agreed'], // abstentions are not support
  ['majority of trusts', 'SAAA.', 'not-agreed'], // agreed by votes cast, not by trusts
  ['majority of trusts', 'SS..', 'not-agreed'], // exactly half is not a majority
  ['majority of trusts', 'SSOO', 'not-agreed'], // tie
  ['majority of trusts', 'SSSA', 'agreed'],
  ['majority of trusts', 'S', 'agreed'],
  ['majority of trusts', 'A', 'not-agreed'],
  ['majority of trusts', '.....', 'not-agreed'],
  ['two-thirds of trusts', 'SSSSA', 'agreed'], // 4 of 5
  ['two-thirds of trusts', 'SSSO.', 'not-agreed'], // 3 of 5, though 3 of 4 votes cast
  ['two-thirds of trusts', 'SSO', 'agreed'], // exactly 2 of 3
  ['two-thirds of trusts', 'SSSSSSSSSSOOOOO', 'agreed'], // 10 of 15, exactly two thirds
  ['two-thirds of trusts', 'SSSSSSSSS.....', 'not-agreed'], // 9 of 14, just under
  ['two-thirds of trusts', 'SSO..', 'not-agreed'], // agreed by votes cast, not by trusts
  ['two-thirds of trusts', 'AAAAA', 'not-agreed'],
  ['three-quarters of trusts', 'SSSA', 'agreed'], // exactly 3 of 4
  ['three-quarters of trusts', 'SSS..', 'not-agreed'],
  ['half of trusts', 'SS..', 'agreed'], // "at least half": exactly half meets it
  ['half of trusts', 'SO.', 'not-agreed'],
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
    ['majority of trusts', 3, 'SSS..', 'agreed'],
    ['majority of trusts', 3, 'SSA..', 'not-agreed'], // quorate, but 2 of 5 is not a majority of trusts
    ['majority of votes cast', 3, 'SSA..', 'agreed'], // the same positions carry a majority of votes cast
    ['majority of trusts', 4, 'SSS..', 'no-quorum'], // a majority of trusts supports, but too few recorded a position
    ['two-thirds of trusts', 4, 'SSSSA', 'agreed'],
    ['two-thirds of trusts', 5, 'SSSS.', 'no-quorum'],
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
    // A majority of trusts counts the affected members only (guidance option 1).
    ['majority of trusts', 'SS.', 'OOOO', 'agreed'], // 2 of 3 affected; outsiders' objections are views
    ['majority of trusts', 'S..', 'SSSS', 'not-agreed'], // 1 of 3 affected; outsiders' support does not count
    ['majority of trusts', 'SO', 'SS', 'not-agreed'], // half of the affected is not a majority
    ['majority of votes cast', 'S..', 'OOOO', 'agreed'], // 1 of 1 votes cast among the affected
    ['two-thirds of trusts', 'SSA', 'SSS', 'agreed'],
    ['two-thirds of trusts', 'SA.', 'SSS', 'not-agreed'],
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
      'majority of votes cast, tie',
      RULES.majority,
      'OSS.O',
      '2 of 4 votes cast support: not agreed, as a majority of votes cast needs 3; a tie is not agreed; 1 has not voted; 2 objections (Barnsley Hospital NHS Foundation Trust, The Rotherham NHS Foundation Trust).',
    ],
    [
      'majority of votes cast, agreed, though not by a majority of trusts',
      RULES.majority,
      'OSS..',
      '2 of 3 votes cast support: agreed by a majority of votes cast; 2 have not voted; 1 objection (Barnsley Hospital NHS Foundation Trust). Only 2 of 5 member trusts support: this rule counts votes cast, so members that abstain or do not vote count neither way.',
    ],
    [
      'majority of trusts, agreed',
      RULES['majority of trusts'],
      'OSSS.',
      '3 of 5 member trusts support: agreed by a majority of trusts; 1 has not voted; 1 objection (Barnsley Hospital NHS Foundation Trust).',
    ],
    [
      'majority of trusts, not agreed though agreed by votes cast',
      RULES['majority of trusts'],
      'OSS..',
      '2 of 5 member trusts support: not agreed, as a majority of trusts needs 3; 2 have not voted; 1 objection (Barnsley Hospital NHS Foundation Trust). Counting votes cast alone it would pass (2 of 3 votes cast support), but this rule counts every member trust in scope, so a member that abstains or does not vote counts as not supporting.',
    ],
    [
      'majority of trusts, exactly half',
      RULES['majority of trusts'],
      'SSAA',
      '2 of 4 member trusts support: not agreed, as a majority of trusts needs 3; half is not a majority; 2 abstained; no objections. Counting votes cast alone it would pass (2 of 2 votes cast support), but this rule counts every member trust in scope, so a member that abstains or does not vote counts as not supporting.',
    ],
    [
      'two thirds of votes cast, just under',
      RULES['two-thirds'],
      'OSSSO',
      '3 of 5 votes cast support: not agreed, as two thirds of votes cast needs 4; 2 objections (Barnsley Hospital NHS Foundation Trust, The Rotherham NHS Foundation Trust).',
    ],
    [
      'two thirds of trusts, agreed',
      RULES['two-thirds of trusts'],
      'SSSSO',
      '4 of 5 member trusts support: agreed by two thirds of trusts; 1 objection (The Rotherham NHS Foundation Trust).',
    ],
    ['majority of votes cast, nobody votes either way', RULES.majority, 'AAA..', 'No votes cast: not agreed, as a majority of votes cast needs at least one member to support; 3 abstained; 2 have not voted; no objections.'],
    ['one member trust', RULES['majority of trusts'], 'S', '1 of 1 member trust supports: agreed by a majority of trusts; no objections.'],
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
    [RULES.majority, 'Majority of votes cast: agreed if more members support than object. Abstentions and members who have not voted count neither way; a tie is not agreed.'],
    [RULES['majority of votes cast'], 'Majority of votes cast: agreed if more members support than object. Abstentions and members who have not voted count neither way; a tie is not agreed.'],
    [
      RULES['majority of trusts'],
      'Majority of trusts: agreed if more than half of the member trusts in scope support. Abstentions and members who have not voted count as not supporting; exactly half is not a majority.',
    ],
    [
      RULES['two-thirds'],
      'Qualified majority of votes cast: agreed if at least two thirds of the votes cast (support or object) support. Abstentions and members who have not voted count neither way.',
    ],
    [
      { kind: 'qualified-majority', threshold: { numerator: 5, denominator: 7 } },
      'Qualified majority of votes cast: agreed if at least 5/7 of the votes cast (support or object) support. Abstentions and members who have not voted count neither way.',
    ],
    [
      RULES['two-thirds of trusts'],
      'Qualified majority of trusts: agreed if at least two thirds of the member trusts in scope support. Abstentions and members who have not voted count as not supporting.',
    ],
    [
      { kind: 'consensus', quorum: 3 },
      'Consensus: agreed unless a member objects. Abstentions and members who have not voted do not block. Quorum: at least 3 members in scope must record a position (abstentions count); otherwise nothing is decided.',
    ],
  ])('%o', (rule, want) => expect(describeRule(rule)).toBe(want));
});

describe('a majority rule stored without a basis keeps its meaning: votes cast', () => {
  it.each<[RuleName, RuleName]>([
    ['majority', 'majority of votes cast'],
    ['two-thirds', 'two-thirds of votes cast'],
  ])('%s reads as %s', (stored, stated) => {
    expect(basisOf(RULES[stored])).toBe('cast');
    expect(basisOf(RULES[stated])).toBe('cast');
    for (const pattern of ['SSO..', 'SSOO.', 'SAAA.', 'SSSOO', 'AAAAA', '.....', 'SO']) {
      const { members, votes } = positions(pattern);
      expect(tally(RULES[stored], members, votes)).toEqual(tally(RULES[stated], members, votes));
    }
  });

  it.each<[RuleName, ReturnType<typeof basisOf>]>([
    ['consensus', undefined],
    ['unanimity', undefined],
    ['majority of trusts', 'members'],
    ['two-thirds of trusts', 'members'],
  ])('%s has basis %s', (rule, want) => expect(basisOf(RULES[rule])).toBe(want));
});

describe('basisFigures: the basis with its figures, from the counts alone (as an outcome stores them)', () => {
  const counts = (support: number, object: number, abstain: number, notVoted: number) => ({ support, object, abstain, notVoted });
  it.each<[RuleName, ReturnType<typeof counts>, OutcomeResult, string | undefined]>([
    ['majority of trusts', counts(3, 1, 0, 1), 'agreed', '3 of 5 member trusts support: agreed by a majority of trusts'],
    ['majority of trusts', counts(2, 1, 0, 2), 'not-agreed', '2 of 5 member trusts support: not agreed, as a majority of trusts needs 3'],
    ['majority', counts(2, 1, 0, 2), 'agreed', '2 of 3 votes cast support: agreed by a majority of votes cast'],
    ['majority of votes cast', counts(1, 1, 3, 0), 'not-agreed', '1 of 2 votes cast supports: not agreed, as a majority of votes cast needs 2; a tie is not agreed'],
    ['two-thirds of trusts', counts(3, 0, 1, 1), 'not-agreed', '3 of 5 member trusts support: not agreed, as two thirds of trusts needs 4'],
    ['three-quarters of trusts', counts(6, 0, 0, 2), 'agreed', '6 of 8 member trusts support: agreed by three quarters of trusts'],
    ['majority of trusts', counts(3, 0, 0, 2), 'no-quorum', undefined], // nothing was decided
    ['consensus', counts(3, 0, 0, 2), 'agreed', undefined],
    ['unanimity', counts(3, 0, 0, 2), 'not-agreed', undefined],
  ])('%s %o %s → %s', (rule, c, result, want) => expect(basisFigures(RULES[rule], c, result)).toBe(want));
});

describe('basisProgress: where an open majority poll stands on its basis', () => {
  it.each<[RuleName, string, string | undefined]>([
    ['majority of trusts', 'SSO..', 'so far 2 of 5 member trusts support; a majority of trusts needs 3'],
    ['majority of votes cast', 'SSO..', 'so far 2 of 3 votes cast support; a majority of votes cast needs 2'],
    ['two-thirds of trusts', 'S....', 'so far 1 of 5 member trusts supports; two thirds of trusts needs 4'],
    ['majority', '.....', 'no votes cast yet; a majority of votes cast needs at least one member to support'],
    ['consensus', 'SSO..', undefined],
  ])('%s %s → %s', (rule, pattern, want) => {
    const { members, votes } = positions(pattern);
    expect(basisProgress(RULES[rule], tally(RULES[rule], members, votes).counts)).toBe(want);
  });
});
