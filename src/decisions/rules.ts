import type { OutcomeResult } from './outcome.js';
import type { DecisionRule, MajorityBasis, Position, Vote } from './model.js';

/**
 * How a poll's result follows from its votes. The ways of deciding come from "Working together
 * at scale: guidance on provider collaboratives" (NHSE/I, August 2021), section "Options for
 * strengthening decision-making" (cited below as "the guidance"):
 *
 * - consensus — agreed unless a member objects, as WYAAT decides ("Decision-making is by
 *   consensus; there are no majority decisions", guidance Table 3). Abstaining or not voting
 *   does not block. Any objection means not agreed, and dispute resolution is offered
 *   (guidance option 4, "Strong dispute resolution processes").
 * - unanimity — every member in scope supports (the lead provider example in Table 3:
 *   "Unanimity, risk–gain share, dispute resolution"). An abstention or a missing vote is not support.
 * - majority — "each provider agrees to adopt the decision that is supported by a majority of
 *   trusts ... this could prevent a single trust blocking a decision" (guidance option 3). Each
 *   majority has a basis:
 *   - `members` (the guidance's "majority of trusts"): more than half of the members in scope
 *     support; abstaining or not voting is not support, and exactly half is not a majority.
 *   - `cast` (votes cast, how some boards count): support must outnumber objection; abstentions
 *     and absences count neither way; a tie is not agreed.
 * - qualified majority — a stated fraction (e.g. two thirds) of the basis must support: of the
 *   members in scope, or of votes cast. Compared in integers (support × denominator ≥
 *   numerator × base) so no rounding decides a vote.
 * - quorum (any rule) — at least `quorum` binding members must record a position, abstentions
 *   included; otherwise nothing is decided ('no-quorum').
 *
 * Only binding votes count: in category 2 "only those impacted by decisions ... have binding
 * votes" (guidance option 1), so views from members outside the affected subset are listed
 * separately and never change the result. The result is computed from the votes every time and
 * never depends on their order.
 */

export interface Counts {
  support: number;
  object: number;
  abstain: number;
  notVoted: number;
}

/** A position recorded by a member whose vote is not binding on this decision. */
export interface View {
  organisationId: string;
  position: Position;
}

export interface Tally {
  result: OutcomeResult;
  /** Over binding, in-scope members only; every member in scope is in exactly one count. */
  counts: Counts;
  /** Binding members who recorded any position, abstentions included: what a quorum counts. */
  recorded: number;
  quorumMet: boolean;
  /** In-scope members who object, in scope order. */
  objectors: string[];
  /** Consensus failed on an objection (with quorum met): the guidance's dispute resolution applies. */
  disputeResolutionOffered: boolean;
  /** Non-binding views, by organisation id. */
  nonBindingViews: View[];
  /** One plain sentence saying why, e.g. "Agreed: 4 of 5 members support; 1 abstained; no objections." */
  explanation: string;
}

export interface TallyOptions {
  /** Names organisations in the explanation; ids are used without it. */
  nameOf?: (organisationId: string) => string;
}

/** A total order on votes, so that if one organisation somehow has several, the pick is order-free. */
const compareVotes = (a: Vote, b: Vote): number => {
  const keys = (v: Vote): string[] => [v.castAt, v.position, String(v.binding), v.castBy.aadObjectId, v.castBy.name, v.pollId];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i += 1) {
    const x = ka[i] ?? '';
    const y = kb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * The store keeps one vote per (poll, organisation); should a list ever hold more, the latest
 * (`castAt`, ISO) stands, as a re-vote replaces a position.
 */
export const latestPerOrganisation = (votes: readonly Vote[]): Map<string, Vote> => {
  const latest = new Map<string, Vote>();
  for (const vote of votes) {
    const current = latest.get(vote.organisationId);
    if (current === undefined || compareVotes(vote, current) > 0) latest.set(vote.organisationId, vote);
  }
  return latest;
};

type MajorityRule = Extract<DecisionRule, { kind: 'majority' | 'qualified-majority' }>;

const isMajority = (rule: DecisionRule): rule is MajorityRule => rule.kind === 'majority' || rule.kind === 'qualified-majority';

/**
 * The basis a majority rule counts on. A rule stored without one was written before bases
 * existed, when every majority counted votes cast, so it keeps that meaning.
 */
const majorityBasis = (rule: MajorityRule): MajorityBasis => rule.basis ?? 'cast';
export const basisOf = (rule: DecisionRule): MajorityBasis | undefined => (isMajority(rule) ? majorityBasis(rule) : undefined);

/** How many the basis holds: members in scope, or votes cast (support + object). */
const baseOf = (basis: MajorityBasis, counts: Counts): number =>
  basis === 'members' ? counts.support + counts.object + counts.abstain + counts.notVoted : counts.support + counts.object;

/** Whether `counts` carry a majority rule on the given basis (quorum aside). */
const carries = (rule: MajorityRule, basis: MajorityBasis, counts: Counts): boolean => {
  const base = baseOf(basis, counts);
  if (rule.kind === 'majority') return counts.support * 2 > base;
  const { numerator, denominator } = rule.threshold;
  return counts.support > 0 && counts.support * denominator >= numerator * base;
};

/** The least support that carries the rule on its basis: "a majority of 5 trusts needs 3". */
const supportNeeded = (rule: MajorityRule, base: number): number => {
  if (rule.kind === 'majority') return Math.floor(base / 2) + 1;
  return Math.max(1, Math.ceil((rule.threshold.numerator * base) / rule.threshold.denominator));
};

const decides = (rule: DecisionRule, counts: Counts, inScope: number): boolean => {
  switch (rule.kind) {
    case 'consensus':
      return counts.object === 0;
    case 'unanimity':
      return inScope > 0 && counts.support === inScope;
    case 'majority':
    case 'qualified-majority':
      return carries(rule, majorityBasis(rule), counts);
  }
};

export const tally = (
  rule: DecisionRule,
  membersInScope: readonly string[],
  votes: readonly Vote[],
  options: TallyOptions = {},
): Tally => {
  const scope = [...new Set(membersInScope)];
  const inScope = new Set(scope);
  const binding = new Map<string, Position>();
  const nonBindingViews: View[] = [];
  for (const [organisationId, vote] of latestPerOrganisation(votes)) {
    if (inScope.has(organisationId) && vote.binding) binding.set(organisationId, vote.position);
    else nonBindingViews.push({ organisationId, position: vote.position });
  }
  nonBindingViews.sort((a, b) => (a.organisationId < b.organisationId ? -1 : a.organisationId > b.organisationId ? 1 : 0));

  const counts: Counts = { support: 0, object: 0, abstain: 0, notVoted: 0 };
  for (const organisationId of scope) {
    const position = binding.get(organisationId);
    if (position === undefined) counts.notVoted += 1;
    else counts[position] += 1;
  }
  const objectors = scope.filter((organisationId) => binding.get(organisationId) === 'object');
  const recorded = scope.length - counts.notVoted;
  const quorumMet = rule.quorum === undefined || recorded >= rule.quorum;
  const result: OutcomeResult = !quorumMet ? 'no-quorum' : decides(rule, counts, scope.length) ? 'agreed' : 'not-agreed';
  const disputeResolutionOffered = rule.kind === 'consensus' && quorumMet && counts.object > 0;
  const nameOf = options.nameOf ?? ((id: string) => id);
  const explanation = explain(rule, result, counts, scope.length, recorded, objectors.map(nameOf));
  return { result, counts, recorded, quorumMet, objectors, disputeResolutionOffered, nonBindingViews, explanation };
};

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const THRESHOLD_WORDS: Record<string, string> = {
  '1/2': 'half',
  '2/3': 'two thirds',
  '3/4': 'three quarters',
  '3/5': 'three fifths',
  '4/5': 'four fifths',
};

/** "two thirds" for {2, 3}; uncommon fractions as written, e.g. "5/7". */
export const thresholdInWords = (threshold: { numerator: number; denominator: number }): string => {
  const written = `${threshold.numerator}/${threshold.denominator}`;
  return THRESHOLD_WORDS[written] ?? written;
};

const explain = (
  rule: DecisionRule,
  result: OutcomeResult,
  counts: Counts,
  inScope: number,
  recorded: number,
  objectorNames: string[],
): string => {
  if (result === 'no-quorum') {
    return `No quorum: ${recorded} of ${plural(inScope, 'member', 'members')} recorded a position and ${rule.quorum ?? 0} are needed, so nothing was decided.`;
  }
  const others: string[] = [];
  if (counts.abstain > 0) others.push(`${counts.abstain} abstained`);
  if (counts.notVoted > 0) others.push(`${counts.notVoted} ${counts.notVoted === 1 ? 'has' : 'have'} not voted`);
  others.push(counts.object === 0 ? 'no objections' : `${plural(counts.object, 'objection', 'objections')} (${objectorNames.join(', ')})`);
  // A majority leads with its basis and figures, which already say whether it is agreed.
  if (isMajority(rule)) return `${basisFigures(rule, counts, result) ?? ''}; ${others.join('; ')}.${contrast(rule, counts)}`;
  const facts = [`${counts.support} of ${plural(inScope, 'member', 'members')} ${counts.support === 1 ? 'supports' : 'support'}`, ...others];
  const verdict = result === 'agreed' ? 'Agreed' : 'Not agreed';
  return `${verdict}: ${facts.join('; ')}${why(rule, result, inScope)}.`;
};

const majorityWords = (rule: MajorityRule, basis: MajorityBasis): string => {
  const share = rule.kind === 'majority' ? 'a majority' : thresholdInWords(rule.threshold);
  return `${share} of ${basis === 'members' ? 'trusts' : 'votes cast'}`;
};

const supportFigure = (basis: MajorityBasis, counts: Counts): string => {
  const base = baseOf(basis, counts);
  return basis === 'members'
    ? `${counts.support} of ${base} member ${base === 1 ? 'trust' : 'trusts'} ${counts.support === 1 ? 'supports' : 'support'}`
    : `${counts.support} of ${plural(base, 'vote', 'votes')} cast ${counts.support === 1 ? 'supports' : 'support'}`;
};

/**
 * The basis stated with its figures, e.g. "3 of 5 member trusts support: agreed by a majority of
 * trusts", or "2 of 3 votes cast support: agreed by a majority of votes cast". Computed from the
 * counts alone, so an outcome recorded before bases existed can state it too. Undefined for
 * consensus and unanimity, and when there was no quorum (nothing was decided).
 */
export const basisFigures = (rule: DecisionRule, counts: Counts, result: OutcomeResult): string | undefined => {
  if (!isMajority(rule) || result === 'no-quorum') return undefined;
  const basis = majorityBasis(rule);
  const base = baseOf(basis, counts);
  const words = majorityWords(rule, basis);
  if (base === 0) return `No votes cast: not agreed, as ${words} needs at least one member to support`;
  const figure = supportFigure(basis, counts);
  if (result === 'agreed') return `${figure}: agreed by ${words}`;
  const needed = supportNeeded(rule, base);
  // Exactly half: say why it falls short, since "half" can sound like enough.
  const tie = rule.kind === 'majority' && counts.support > 0 && counts.support * 2 === base
    ? basis === 'members' ? '; half is not a majority' : '; a tie is not agreed'
    : '';
  return `${figure}: not agreed, as ${words} needs ${needed}${tie}`;
};

/**
 * While a poll is open: the basis's figures so far and what it needs, e.g. "so far 2 of 5 member
 * trusts support; a majority of trusts needs 3". Undefined for consensus and unanimity.
 */
export const basisProgress = (rule: DecisionRule, counts: Counts): string | undefined => {
  if (!isMajority(rule)) return undefined;
  const basis = majorityBasis(rule);
  const base = baseOf(basis, counts);
  const words = majorityWords(rule, basis);
  if (base === 0) return `no votes cast yet; ${words} needs at least one member to support`;
  return `so far ${supportFigure(basis, counts)}; ${words} needs ${supportNeeded(rule, base)}`;
};

/**
 * When the other basis would have decided differently, say so: that is exactly where a reader
 * comparing the card with the guidance (or with their own board's practice) needs the reason.
 */
const contrast = (rule: MajorityRule, counts: Counts): string => {
  const basis = majorityBasis(rule);
  const other: MajorityBasis = basis === 'members' ? 'cast' : 'members';
  const here = carries(rule, basis, counts);
  if (here === carries(rule, other, counts) || baseOf(other, counts) === 0) return '';
  if (basis === 'members') {
    return ` Counting votes cast alone it would pass (${supportFigure('cast', counts)}), but this rule counts every member trust in scope, so a member that abstains or does not vote counts as not supporting.`;
  }
  return ` Only ${supportFigure('members', counts)}: this rule counts votes cast, so members that abstain or do not vote count neither way.`;
};

const why = (rule: DecisionRule, result: OutcomeResult, inScope: number): string => {
  const agreed = result === 'agreed';
  switch (rule.kind) {
    case 'consensus':
      return agreed ? '' : ' — under consensus an objection blocks, so dispute resolution is offered';
    case 'unanimity':
      return agreed ? '' : ` — unanimity needs all ${inScope} to support`;
    case 'majority':
    case 'qualified-majority':
      // Stated by basisFigures instead (explain).
      return '';
  }
};

/** The rule in plain words, including how abstentions and absences count, for the poll card. */
export const describeRule = (rule: DecisionRule): string => {
  const quorum =
    rule.quorum === undefined
      ? ''
      : ` Quorum: at least ${plural(rule.quorum, 'member', 'members')} in scope must record a position (abstentions count); otherwise nothing is decided.`;
  switch (rule.kind) {
    case 'consensus':
      return `Consensus: agreed unless a member objects. Abstentions and members who have not voted do not block.${quorum}`;
    case 'unanimity':
      return `Unanimity: agreed only if every member in scope supports. An abstention or a member who has not voted means it is not agreed.${quorum}`;
    case 'majority':
      return basisOf(rule) === 'members'
        ? `Majority of trusts: agreed if more than half of the member trusts in scope support. Abstentions and members who have not voted count as not supporting; exactly half is not a majority.${quorum}`
        : `Majority of votes cast: agreed if more members support than object. Abstentions and members who have not voted count neither way; a tie is not agreed.${quorum}`;
    case 'qualified-majority':
      return basisOf(rule) === 'members'
        ? `Qualified majority of trusts: agreed if at least ${thresholdInWords(rule.threshold)} of the member trusts in scope support. Abstentions and members who have not voted count as not supporting.${quorum}`
        : `Qualified majority of votes cast: agreed if at least ${thresholdInWords(rule.threshold)} of the votes cast (support or object) support. Abstentions and members who have not voted count neither way.${quorum}`;
  }
};

/** The basis alone, in plain words, for the poll form and the collaborative's default. */
export const basisInWords = (basis: MajorityBasis): string =>
  basis === 'members'
    ? 'member trusts in scope (the guidance’s “majority of trusts”: abstaining or not voting is not support)'
    : 'votes cast (abstentions and members who do not vote count neither way)';
