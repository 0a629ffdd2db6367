import { z } from 'zod';
import { Person } from '../people/model.js';
import { DecisionCategory, DecisionRule, Gateway, Position } from './model.js';
import { Declaration } from './declaration.js';

export const OUTCOME_RESULTS = ['agreed', 'not-agreed', 'no-quorum'] as const;
export const OutcomeResult = z.enum(OUTCOME_RESULTS);
export type OutcomeResult = z.infer<typeof OutcomeResult>;

// The status vocabulary lives with the close that decides it; every view words it from there.
import { OutcomeStatus } from './outcome-status.js';
export { OUTCOME_STATUSES, OutcomeStatus } from './outcome-status.js';

export const MemberPosition = z.object({
  organisationId: z.string(),
  organisationName: z.string(),
  position: z.union([Position, z.literal('not-voted')]),
  binding: z.boolean(),
  castBy: Person.optional(),
  castAt: z.string().optional(),
  /** The position was recorded on the member's behalf by `castBy` (see Vote.onBehalf). */
  onBehalf: z.object({ note: z.string() }).optional(),
  /** Recorded no position because no one who acts for it could take part after a declaration of interest. */
  conflicted: z.literal(true).optional(),
});
export type MemberPosition = z.infer<typeof MemberPosition>;

export const OutcomeAction = z.object({
  who: z.string().trim().min(1).max(200),
  what: z.string().trim().min(1).max(1000),
  when: z.string().trim().min(1).max(100),
  addedBy: Person,
  addedAt: z.string(),
});
export type OutcomeAction = z.infer<typeof OutcomeAction>;

export const DELIVERY_STATES = ['pending', 'posted', 'not-configured'] as const;
export const Delivery = z.object({
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().min(0),
  lastError: z.string().optional(),
  postedAt: z.string().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** What the secretariat minutes: one closed poll, every member's position, and what follows. */
export const Outcome = z.object({
  id: z.string().min(1),
  pollId: z.string(),
  /** Agenda item reference where there is one, else the poll's decision reference (D-2026-014); see referenceOf. */
  reference: z.string(),
  title: z.string(),
  proposal: z.string(),
  meeting: z.object({ title: z.string(), date: z.string() }).optional(),
  rule: DecisionRule,
  category: DecisionCategory,
  membersInScope: z.array(z.string()),
  gateway: Gateway.optional(),
  positions: z.array(MemberPosition),
  counts: z.object({ support: z.number(), object: z.number(), abstain: z.number(), notVoted: z.number() }),
  result: OutcomeResult,
  /** The rule's explanation of the result in plain words, as shown on the card. */
  explanation: z.string(),
  status: OutcomeStatus,
  closedBy: Person,
  closedAt: z.string(),
  reasons: z.array(z.string()).default([]),
  /** Declarations of interest made on the poll and their handling, as at close. Absent when none. */
  declarations: z.array(Declaration).optional(),
  actions: z.array(OutcomeAction).default([]),
  delivery: Delivery,
}).transform((outcome) =>
  // Outcomes closed before "no quorum" was a status of its own were stored as "not-agreed" (issue
  // 15): their result says what happened, so they read as no quorum, in every store, without a rewrite.
  (outcome.result === 'no-quorum' && outcome.status === 'not-agreed' ? { ...outcome, status: 'no-quorum' as const } : outcome));
export type Outcome = z.infer<typeof Outcome>;
