import { z } from 'zod';
import { Person } from '../people/model.js';
import { Declaration } from './declaration.js';
import { Attendance } from './attendance.js';

/** A member organisation's position on a proposal ("not voted" is the absence of a vote). */
export const POSITIONS = ['support', 'object', 'abstain'] as const;
export const Position = z.enum(POSITIONS);
export type Position = z.infer<typeof Position>;

/**
 * What a majority is a majority of. The guidance words it as a decision "supported by a majority
 * of trusts" (option 3): `members` counts every member in scope, so abstaining or not voting is
 * not support. Some boards count `cast` votes instead (support + object). Both are in use, so a
 * majority rule always says which.
 */
export const MAJORITY_BASES = ['members', 'cast'] as const;
export const MajorityBasis = z.enum(MAJORITY_BASES);
export type MajorityBasis = z.infer<typeof MajorityBasis>;

/**
 * Ways of deciding from "Options for strengthening decision-making" (NHSE/I guidance, Aug 2021).
 * `quorum` is the least number of in-scope (binding) members that must record a position,
 * abstentions included, for the result to stand.
 *
 * `basis` is optional on purpose: polls, outcomes and collaborative files written before it
 * existed counted votes cast, and keep that meaning when read (`basisOf` in rules.ts). New polls
 * always store it (openPoll).
 */
export const DecisionRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('consensus'), quorum: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('unanimity'), quorum: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('majority'), basis: MajorityBasis.optional(), quorum: z.number().int().positive().optional() }),
  z.object({
    kind: z.literal('qualified-majority'),
    /** Fraction of the basis (members in scope, or votes cast) that must support, e.g. {2, 3}. */
    threshold: z.object({ numerator: z.number().int().positive(), denominator: z.number().int().positive() })
      .refine((t) => t.numerator <= t.denominator, 'a threshold is at most 1'),
    basis: MajorityBasis.optional(),
    quorum: z.number().int().positive().optional(),
  }),
]);
export type DecisionRule = z.infer<typeof DecisionRule>;
export type RuleKind = DecisionRule['kind'];

/** Category 1 binds every member; category 2 binds only the affected subset named on the poll. */
export const DecisionCategory = z.union([z.literal(1), z.literal(2)]);
export type DecisionCategory = z.infer<typeof DecisionCategory>;

/** Locked gateways: each stage, once decided, is not reopened unless in the public interest. */
export const GATEWAY_STAGES = ['initiation', 'case-for-change', 'options', 'options-appraisal'] as const;
export const GatewayStage = z.enum(GATEWAY_STAGES);
export type GatewayStage = z.infer<typeof GatewayStage>;

export const Gateway = z.object({
  /** The programme moving through the gateways, e.g. "Elective recovery hub". */
  programme: z.string().min(1).max(200),
  stage: GatewayStage,
});
export type Gateway = z.infer<typeof Gateway>;

export const POLL_STATUSES = ['open', 'closed'] as const;
export const PollStatus = z.enum(POLL_STATUSES);
export type PollStatus = z.infer<typeof PollStatus>;

export const Reopening = z.object({ by: Person, at: z.string(), reason: z.string().min(1).max(2000) });
export type Reopening = z.infer<typeof Reopening>;

export const AgendaLink = z.object({ agendaId: z.string(), itemRef: z.string(), meetingTitle: z.string(), meetingDate: z.string() });
export type AgendaLink = z.infer<typeof AgendaLink>;

export const Poll = z.object({
  id: z.string().min(1),
  /** Where the poll card lives, so it can be refreshed for everyone. */
  conversationId: z.string(),
  /** The collaborative it decides for (issue 19); absent on polls from before, which belong to the default collaborative. */
  collaborativeId: z.string().optional(),
  activityId: z.string().optional(),
  title: z.string().min(1).max(300),
  proposal: z.string().min(1).max(4000),
  agenda: AgendaLink.optional(),
  /**
   * The reference the secretariat quotes for a poll not taken from an agenda item: a sequence per
   * collaborative and year, `D-2026-014`, allocated by the store when the poll is created (so it is
   * unique however many instances share the store) and never changed. See decisionReference.
   */
  reference: z.string().regex(/^D-\d{4}-\d{3,}$/).optional(),
  rule: DecisionRule,
  category: DecisionCategory,
  /** Organisation ids with binding votes: all members for category 1, the affected subset for category 2. */
  membersInScope: z.array(z.string()).min(1),
  gateway: Gateway.optional(),
  closesAt: z.string().optional(),
  /** When true, positions are shown only after close (members still see who has voted). */
  hidePositions: z.boolean().default(false),
  status: PollStatus,
  openedBy: Person,
  openedAt: z.string(),
  closedBy: Person.optional(),
  closedAt: z.string().optional(),
  reopenings: z.array(Reopening).default([]),
  /** Declarations of interest on this decision and the chair's handling (interests.ts). Absent on polls from before them. */
  declarations: z.array(Declaration).optional(),
  /** Who was in the Teams meeting when the poll opened there (absent for polls outside meetings). */
  attendance: Attendance.optional(),
  /**
   * Scheduled reminders, in minutes before `closesAt` (e.g. [1440, 60]). Absent on polls from before
   * scheduled reminders and on polls with no closing time: none are sent (schedule.ts).
   */
  reminders: z.array(z.number().int().positive()).optional(),
});
export type Poll = z.infer<typeof Poll>;

/** One record per (pollId, organisationId): a re-vote or a retried invoke replaces it. */
export const Vote = z.object({
  pollId: z.string(),
  organisationId: z.string(),
  position: Position,
  /** False for a non-binding view from a member outside a category 2 decision's scope. */
  binding: z.boolean(),
  castBy: Person,
  castAt: z.string(),
  /**
   * Set when the chair or secretariat recorded the position for the member (board practice: a
   * position sent in by e-mail), with the note saying how it came. `castBy` is who recorded it.
   * A position the member's own representative casts afterwards replaces it, without this.
   */
  onBehalf: z.object({ note: z.string().min(1).max(500) }).optional(),
});
export type Vote = z.infer<typeof Vote>;

/** `D-2026-014`: the year's `n`th decision without an agenda item reference (at least three digits). */
export const decisionReference = (year: string, n: number): string => `D-${year}-${String(n).padStart(3, '0')}`;

/** The year and number of a `D-YYYY-NNN` reference, or undefined for any other text. */
export const parseDecisionReference = (reference: string): { year: string; n: number } | undefined => {
  const match = /^D-(\d{4})-(\d{3,})$/.exec(reference);
  return match ? { year: match[1]!, n: Number(match[2]) } : undefined;
};

/**
 * What the register quotes for a poll: its agenda item's reference where it has one (P173/21),
 * else its decision reference; the internal id only for a poll from before references existed
 * that no store has yet given one.
 */
export const referenceOf = (poll: Pick<Poll, 'id' | 'agenda' | 'reference'>): string => poll.agenda?.itemRef ?? poll.reference ?? poll.id;
