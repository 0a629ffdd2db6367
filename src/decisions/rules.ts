import type { OutcomeResult } from './outcome.js';
import type { DecisionRule, Position, Vote } from './model.js';

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
 *   trusts ... this could prevent a single trust blocking a decision" (guidance option 3). Counted
 *   among votes cast: support must outnumber objection; abstentions and absences count neither
 *   way; a tie is not agreed.
 * - qualified majority — a stated fraction (e.g. two thirds) of votes cast must support;
 *   compared in integers (support × denominator ≥ numerator × cast) so no rounding decides a vote.
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

const decides = (rule: DecisionRule, counts: Counts, inScope: number): boolean => {
  switch (rule.kind) {
    case 'consensus':
      return counts.object === 0;
    case 'unanimity':
      return inScope > 0 && counts.support === inScope;
    case 'majority':
      // support > object ≥ 0 also means at least one member supports.
      return counts.support > counts.object;
    case 'qualified-majority': {
      const cast = counts.support + counts.object;
      const { numerator, denominator } = rule.threshold;
      return counts.support > 0 && counts.support * denominator >= numerator * cast;
    }
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
  const facts = [`${counts.support} of ${plural(inScope, 'member', 'members')} ${counts.support === 1 ? 'supports' : 'support'}`];
  if (counts.abstain > 0) facts.push(`${counts.abstain} abstained`);
  if (counts.notVoted > 0) facts.push(`${counts.notVoted} ${counts.notVoted === 1 ? 'has' : 'have'} not voted`);
  facts.push(counts.object === 0 ? 'no objections' : `${plural(counts.object, 'objection', 'objections')} (${objectorNames.join(', ')})`);
  const verdict = result === 'agreed' ? 'Agreed' : 'Not agreed';
  return `${verdict}: ${facts.join('; ')}${why(rule, result, counts, inScope)}.`;
};

const why = (rule: DecisionRule, result: OutcomeResult, counts: Counts, inScope: number): string => {
  const agreed = result === 'agreed';
  switch (rule.kind) {
    case 'consensus':
      return agreed ? '' : ' — under consensus an objection blocks, so dispute resolution is offered';
    case 'unanimity':
      return agreed ? '' : ` — unanimity needs all ${inScope} to support`;
    case 'majority':
      if (agreed) return ' — more support than objection among votes cast';
      if (counts.support === counts.object && counts.support > 0) return ` — support and objection are tied at ${counts.support} each, and a tie is not agreed`;
      return ' — a majority needs more members to support than to object';
    case 'qualified-majority': {
      const cast = counts.support + counts.object;
      const needed = thresholdInWords(rule.threshold);
      if (cast === 0) return ` — no member supported or objected (${needed} of votes cast needed)`;
      return ` — ${counts.support} of ${cast} votes cast support (${needed} needed)`;
    }
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
      return `Majority: agreed if more members support than object. Abstentions and members who have not voted count neither way; a tie is not agreed.${quorum}`;
    case 'qualified-majority':
      return `Qualified majority: agreed if at least ${thresholdInWords(rule.threshold)} of the votes cast (support or object) support. Abstentions and members who have not voted count neither way.${quorum}`;
  }
};
