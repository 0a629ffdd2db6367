import { z } from 'zod';
import { AadObjectId, Collaborative, OrganisationId } from '../decisions/collaborative.js';
import { DecisionRule } from '../decisions/model.js';
import { Person } from '../people/model.js';

/**
 * Membership changes as values (issue 19). The secretariat keeps membership in Teams; each change
 * is one of these, applied by `changeMembership` to the current version to make the next.
 * `setup` is the one change that makes a collaborative rather than changing one.
 */
const People = z.array(AadObjectId).max(20);
const Name = z.string().trim().min(1).max(200);

export const MembershipChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('setup'), name: Name, firstMember: Name, representatives: People.min(1), defaultRule: DecisionRule }),
  z.object({ kind: z.literal('add-member'), name: Name, representatives: People.min(1), deputy: AadObjectId.optional() }),
  z.object({ kind: z.literal('rename-member'), organisationId: OrganisationId, name: Name }),
  z.object({ kind: z.literal('retire-member'), organisationId: OrganisationId }),
  z.object({ kind: z.literal('assign-representatives'), organisationId: OrganisationId, representatives: People }),
  /** No deputy: the organisation's deputy is removed. */
  z.object({ kind: z.literal('assign-deputy'), organisationId: OrganisationId, deputy: AadObjectId.optional() }),
  z.object({ kind: z.literal('assign-chairs'), people: People }),
  z.object({ kind: z.literal('assign-secretariat'), people: People }),
  z.object({ kind: z.literal('assign-observers'), people: z.array(AadObjectId).max(50) }),
  z.object({ kind: z.literal('set-default-rule'), rule: DecisionRule }),
]);
export type MembershipChange = z.infer<typeof MembershipChange>;
export type MembershipChangeKind = MembershipChange['kind'];

/**
 * One version of a collaborative: what it is from now on, and who changed it, when, how, and what
 * it was before (undefined for version 1). Positions cast after `at` are checked against it.
 */
export const CollaborativeVersion = z.object({
  collaborativeId: z.string().trim().min(1).max(64),
  version: z.number().int().positive(),
  collaborative: Collaborative,
  before: Collaborative.optional(),
  /** How it came to be; `import` for a version read from a collaborative file (CLI, first start). */
  change: z.union([MembershipChange, z.object({ kind: z.literal('import'), source: z.string().max(500) })]),
  by: Person,
  at: z.string(),
});
export type CollaborativeVersion = z.infer<typeof CollaborativeVersion>;

/** Which collaborative a team, channel or chat belongs to. `*` is the default for conversations not bound to one. */
export const DEFAULT_BINDING = '*';
export const Binding = z.object({
  conversationId: z.string().min(1),
  collaborativeId: z.string().min(1).max(64),
  by: Person,
  at: z.string(),
});
export type Binding = z.infer<typeof Binding>;

/** Expected "no"s, each mapped to a polite card by the shell. */
export type MembershipRefusal =
  | { kind: 'not-secretariat' }
  | { kind: 'already-set-up'; name: string }
  | { kind: 'not-set-up' }
  | { kind: 'unknown-member'; organisationId: string }
  | { kind: 'duplicate-member'; name: string }
  | { kind: 'last-member'; name: string }
  | { kind: 'last-representative'; name: string }
  | { kind: 'last-secretariat' }
  | { kind: 'no-change' }
  | { kind: 'invalid'; issues: string[] };
