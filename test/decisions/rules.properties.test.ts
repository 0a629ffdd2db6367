import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POSITIONS, type DecisionRule, type MajorityBasis, type Vote } from '../../src/decisions/model.js';
import { tally } from '../../src/decisions/rules.js';

const MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const OUTSIDERS = ['x', 'y', 'z'];

type MajorityRule = Extract<DecisionRule, { kind: 'majority' | 'qualified-majority' }>;

const quorum = fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined });
const withQuorum = (rule: DecisionRule, q: number | undefined): DecisionRule => (q === undefined ? rule : { ...rule, quorum: q });

/** A majority's basis: stated either way, or absent as in rules stored before bases existed. */
const basisArb = fc.constantFrom<MajorityBasis | undefined>('members', 'cast', undefined);
const withBasis = <R extends DecisionRule>(rule: R, basis: MajorityBasis | undefined): R => (basis === undefined ? rule : { ...rule, basis });

const majorityArb: fc.Arbitrary<MajorityRule> = fc.oneof(
  fc.tuple(basisArb, quorum).map(([basis, q]) => withQuorum(withBasis({ kind: 'majority' }, basis), q) as MajorityRule),
  fc
    .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), basisArb, quorum)
    .map(([a, b, basis, q]) =>
      withQuorum(withBasis({ kind: 'qualified-majority', threshold: { numerator: Math.min(a, b), denominator: Math.max(a, b) } }, basis), q) as MajorityRule,
    ),
);

const ruleArb: fc.Arbitrary<DecisionRule> = fc.oneof(
  fc.tuple(fc.constantFrom('consensus', 'unanimity' as const), quorum).map(([kind, q]) => withQuorum({ kind }, q)),
  majorityArb,
);

const scopeArb = fc.subarray(MEMBERS, { minLength: 1 });

/** Votes as castVote makes them: binding exactly when the organisation is in scope. */
const votesFor = (scope: string[], organisations: string[], maxLength = 12): fc.Arbitrary<Vote[]> =>
  fc.array(
    fc.record({
      organisationId: fc.constantFrom(...organisations),
      position: fc.constantFrom(...POSITIONS),
      minute: fc.integer({ min: 0, max: 3 }),
      by: fc.constantFrom('p1', 'p2'),
    }),
    { maxLength },
  ).map((drafts) =>
    drafts.map(({ organisationId, position, minute, by }) => ({
      pollId: 'poll-1',
      organisationId,
      position,
      binding: scope.includes(organisationId),
      castBy: { aadObjectId: by, name: by },
      castAt: new Date(Date.UTC(2025, 2, 4, 10, minute)).toISOString(),
    })),
  );

const caseArb = fc
  .tuple(ruleArb, scopeArb)
  .chain(([rule, scope]) => votesFor(scope, [...MEMBERS, ...OUTSIDERS]).map((votes) => ({ rule, scope, votes })));

/** The store's write as a model: one record per (pollId, organisationId); a re-vote replaces it in place. */
const upsertVote = (votes: readonly Vote[], vote: Vote): Vote[] => {
  const index = votes.findIndex((v) => v.pollId === vote.pollId && v.organisationId === vote.organisationId);
  return index === -1 ? [...votes, vote] : votes.map((v, i) => (i === index ? vote : v));
};

/** Stored votes: one per organisation, as the store's upsert leaves them. */
const stored = (votes: Vote[]): Vote[] => votes.reduce<Vote[]>(upsertVote, []);

describe('tally properties', () => {
  it('never depends on vote order', () => {
    fc.assert(
      fc.property(
        caseArb.chain(({ rule, scope, votes }) =>
          fc.shuffledSubarray(votes, { minLength: votes.length, maxLength: votes.length }).map((shuffled) => ({ rule, scope, votes, shuffled })),
        ),
        ({ rule, scope, votes, shuffled }) => {
          expect(tally(rule, scope, shuffled)).toEqual(tally(rule, scope, votes));
        },
      ),
    );
  });

  it('never depends on the order members are listed in scope, apart from the order objectors are named', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.shuffledSubarray(c.scope, { minLength: c.scope.length, maxLength: c.scope.length }).map((s) => ({ ...c, reordered: s }))),
        ({ rule, scope, votes, reordered }) => {
          const a = tally(rule, scope, votes);
          const b = tally(rule, reordered, votes);
          expect(b.result).toBe(a.result);
          expect(b.counts).toEqual(a.counts);
          expect([...b.objectors].sort()).toEqual([...a.objectors].sort());
        },
      ),
    );
  });

  it('applying the same vote twice changes nothing (upsert by poll and organisation)', () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => votesFor(c.scope, [...MEMBERS, ...OUTSIDERS], 1).filter((v) => v.length === 1).map((v) => ({ ...c, again: v[0] as Vote }))),
        ({ rule, scope, votes, again }) => {
          const once = upsertVote(stored(votes), again);
          const twice = upsertVote(once, again);
          expect(twice).toEqual(once);
          expect(tally(rule, scope, twice)).toEqual(tally(rule, scope, once));
          // Even a list that holds the duplicate (a store that failed to upsert) tallies the same.
          expect(tally(rule, scope, [...once, again])).toEqual(tally(rule, scope, once));
        },
      ),
    );
  });

  it('a non-binding view never changes the result', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(ruleArb, scopeArb)
          .chain(([rule, scope]) =>
            fc.tuple(votesFor(scope, scope), votesFor(scope, [...MEMBERS.filter((m) => !scope.includes(m)), ...OUTSIDERS])).map(
              ([binding, views]) => ({ rule, scope, binding, views }),
            ),
          ),
        ({ rule, scope, binding, views }) => {
          const without = tally(rule, scope, binding);
          const withViews = tally(rule, scope, [...binding, ...views]);
          expect(withViews.result).toBe(without.result);
          expect(withViews.counts).toEqual(without.counts);
          expect(withViews.objectors).toEqual(without.objectors);
          expect(withViews.explanation).toBe(without.explanation);
          expect(without.nonBindingViews).toEqual([]);
        },
      ),
    );
  });

  it('counts every member in scope exactly once', () => {
    fc.assert(
      fc.property(caseArb, ({ rule, scope, votes }) => {
        const { counts } = tally(rule, scope, votes);
        expect(counts.support + counts.object + counts.abstain + counts.notVoted).toBe(scope.length);
      }),
    );
  });

  it('turning an objection into support never turns an agreed result into a refusal', () => {
    fc.assert(
      fc.property(caseArb, ({ rule, scope, votes }) => {
        const before = stored(votes);
        const objection = before.find((v) => v.binding && v.position === 'object');
        fc.pre(objection !== undefined);
        const after = upsertVote(before, { ...(objection as Vote), position: 'support' });
        if (tally(rule, scope, before).result === 'agreed') expect(tally(rule, scope, after).result).toBe('agreed');
      }),
    );
  });

  it('a majority rule stored without a basis tallies exactly as one of votes cast', () => {
    fc.assert(
      fc.property(caseArb, ({ rule, scope, votes }) => {
        fc.pre((rule.kind === 'majority' || rule.kind === 'qualified-majority') && rule.basis === undefined);
        expect(tally(rule, scope, votes)).toEqual(tally({ ...rule, basis: 'cast' } as DecisionRule, scope, votes));
      }),
    );
  });

  it('a majority of trusts is agreed exactly when quorate and the support meets the threshold of all members in scope', () => {
    fc.assert(
      fc.property(majorityArb.chain((rule) => scopeArb.chain((scope) => votesFor(scope, [...MEMBERS, ...OUTSIDERS]).map((votes) => ({ rule, scope, votes })))), ({ rule, scope, votes }) => {
        const members = { ...rule, basis: 'members' as const };
        const result = tally(members, scope, votes);
        // Spelled out from the guidance's wording, not from rules.ts: "supported by a majority of trusts".
        // (Equal fractions divide to the same double, so the threshold comparison is exact.)
        const meets = members.kind === 'majority'
          ? result.counts.support > scope.length / 2
          : result.counts.support > 0 && result.counts.support / scope.length >= members.threshold.numerator / members.threshold.denominator;
        expect(result.result).toBe(!result.quorumMet ? 'no-quorum' : meets ? 'agreed' : 'not-agreed');
      }),
    );
  });

  it('a majority of trusts is never easier to reach than the same majority of votes cast', () => {
    fc.assert(
      fc.property(majorityArb.chain((rule) => scopeArb.chain((scope) => votesFor(scope, [...MEMBERS, ...OUTSIDERS]).map((votes) => ({ rule, scope, votes })))), ({ rule, scope, votes }) => {
        const byTrusts = tally({ ...rule, basis: 'members' } as DecisionRule, scope, votes).result;
        const byVotesCast = tally({ ...rule, basis: 'cast' } as DecisionRule, scope, votes).result;
        if (byTrusts === 'agreed') expect(byVotesCast).toBe('agreed');
      }),
    );
  });

  it('under a majority of trusts only support counts: objecting, abstaining and not voting are alike', () => {
    fc.assert(
      fc.property(
        majorityArb.chain((rule) =>
          scopeArb.chain((scope) =>
            fc.tuple(votesFor(scope, scope), fc.constantFrom('object', 'abstain', 'withdraw')).map(([votes, change]) => ({ rule, scope, votes, change })),
          ),
        ),
        ({ rule, scope, votes, change }) => {
          const members = { ...rule, basis: 'members', quorum: undefined } as DecisionRule;
          const before = stored(votes);
          const target = before.find((v) => v.position !== 'support');
          fc.pre(target !== undefined);
          const after = change === 'withdraw'
            ? before.filter((v) => v !== target)
            : upsertVote(before, { ...(target as Vote), position: change as 'object' | 'abstain' });
          expect(tally(members, scope, after).result).toBe(tally(members, scope, before).result);
        },
      ),
    );
  });

  it('consensus is agreed exactly when quorate and nobody in scope objects', () => {
    fc.assert(
      fc.property(caseArb, ({ rule, scope, votes }) => {
        fc.pre(rule.kind === 'consensus');
        const result = tally(rule, scope, votes);
        expect(result.result === 'agreed').toBe(result.quorumMet && result.objectors.length === 0);
        expect(result.disputeResolutionOffered).toBe(result.quorumMet && result.objectors.length > 0);
      }),
    );
  });
});
