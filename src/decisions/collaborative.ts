import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { err, ok, type Result } from '../shared/result.js';
import { DecisionRule, type MajorityBasis } from './model.js';
import { describeIssues } from './issues.js';
import { basisInWords, basisOf, describeRule } from './rules.js';

/**
 * Who the collaborative is and who acts for whom, read from `data/collaborative.json`.
 * People act for an organisation: a representative (or that organisation's deputy) records its
 * position; a chair runs the meeting; the secretariat keeps the record (DESIGN.md, "The domain").
 */

/** Teams' stable user id (see people/model.ts). Kept a plain string so test tenants' ids fit. */
/**
 * Most collaboratives have 3 to 20 members; a regional or ICS-wide one may list a few hundred
 * providers. The limit keeps one poll card (a line per member) and one tally bounded.
 */
export const MAX_MEMBERS = 300;

export const AadObjectId = z.string().trim().min(1).max(100);

/** Organisation ids travel in card data and comma-separated lists: no spaces or commas. */
export const OrganisationId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/, 'use letters and digits, joined by single - . or _');

export const MemberOrganisation = z
  .object({
    id: OrganisationId,
    name: z.string().trim().min(1).max(200),
    representatives: z.array(AadObjectId).min(1).max(20),
    /** Stands in for the representatives; votes for the organisation like them. */
    deputy: AadObjectId.optional(),
  })
  .strict();
export type MemberOrganisation = z.infer<typeof MemberOrganisation>;

const RULE_KEYS = new Set(['kind', 'quorum', 'threshold', 'basis']);

/**
 * DecisionRule strips unknown keys; in a governance file a misspelt "quorom" must not be dropped
 * silently, so the default rule's keys are checked before it is parsed.
 */
const StrictDecisionRule = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    for (const key of Object.keys(raw)) {
      if (!RULE_KEYS.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: `unknown key "${key}"` });
    }
    if ('threshold' in raw && (raw as { kind?: unknown }).kind !== 'qualified-majority') {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a threshold applies only to a qualified majority' });
    }
    const kind = (raw as { kind?: unknown }).kind;
    if ('basis' in raw && kind !== 'majority' && kind !== 'qualified-majority') {
      ctx.addIssue({ code: 'custom', path: ['basis'], message: 'a basis ("members" or "cast") applies only to a majority or qualified majority' });
    }
  })
  .pipe(DecisionRule);

const duplicates = (values: readonly string[], normalise: (value: string) => string = (v) => v): string[] => {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    const key = normalise(value);
    if (seen.has(key)) repeated.add(value);
    seen.add(key);
  }
  return [...repeated];
};

/** AAD object ids are GUIDs; Teams and hand-written config may differ in letter case. */
export const sameAadObjectId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const aadKey = (id: string): string => id.toLowerCase();

export const Collaborative = z
  .object({
    id: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    members: z.array(MemberOrganisation).min(1).max(MAX_MEMBERS),
    chairs: z.array(AadObjectId).min(1).max(20),
    secretariat: z.array(AadObjectId).min(1).max(20),
    /** Named people who may read the register without acting for anyone (issue 19); optional so older files still load. */
    observers: z.array(AadObjectId).max(50).optional(),
    defaultRule: StrictDecisionRule,
  })
  .strict()
  .superRefine((collaborative, ctx) => {
    for (const id of duplicates(collaborative.members.map((m) => m.id))) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: `member id "${id}" is used more than once` });
    }
    for (const name of duplicates(collaborative.members.map((m) => m.name), (n) => n.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: `member name "${name}" is used more than once` });
    }
    collaborative.members.forEach((member, index) => {
      for (const id of duplicates(member.representatives, aadKey)) {
        ctx.addIssue({ code: 'custom', path: ['members', index, 'representatives'], message: `"${id}" is listed more than once` });
      }
      if (member.deputy !== undefined && member.representatives.some((r) => sameAadObjectId(r, member.deputy ?? ''))) {
        ctx.addIssue({ code: 'custom', path: ['members', index, 'deputy'], message: 'the deputy is already a representative of this member' });
      }
    });
    for (const id of duplicates(collaborative.chairs, aadKey)) {
      ctx.addIssue({ code: 'custom', path: ['chairs'], message: `"${id}" is listed more than once` });
    }
    for (const id of duplicates(collaborative.secretariat, aadKey)) {
      ctx.addIssue({ code: 'custom', path: ['secretariat'], message: `"${id}" is listed more than once` });
    }
    for (const id of duplicates(collaborative.observers ?? [], aadKey)) {
      ctx.addIssue({ code: 'custom', path: ['observers'], message: `"${id}" is listed more than once` });
    }
    const quorum = collaborative.defaultRule.quorum;
    if (quorum !== undefined && quorum > collaborative.members.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultRule', 'quorum'],
        message: `a quorum of ${quorum} can never be met by ${collaborative.members.length} members`,
      });
    }
  });
export type Collaborative = z.infer<typeof Collaborative>;

/** Pure: validates already-read JSON. Issues are "path: message" lines. */
export const parseCollaborative = (json: unknown): Result<Collaborative, string[]> => {
  const parsed = Collaborative.safeParse(json);
  return parsed.success ? ok(parsed.data) : err(describeIssues(parsed.error));
};

/**
 * Reads and validates the collaborative file at start-up. A bad file is an operator's mistake
 * that Concord cannot work around, so this throws, naming the file and each issue's path.
 */
export const loadCollaborative = async (path: string): Promise<Collaborative> => {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${path} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const parsed = parseCollaborative(json);
  if (!parsed.ok) throw new Error(`${path} is not a valid collaborative:\n  ${parsed.error.join('\n  ')}`);
  return parsed.value;
};

export interface Roles {
  isChair: boolean;
  isSecretariat: boolean;
  /** Organisations this person may record a position for, as representative or deputy, in member order. */
  representing: string[];
  /** The subset of `representing` where the person is the deputy. */
  deputising: string[];
}

export const rolesOf = (collaborative: Collaborative, aadObjectId: string): Roles => {
  const found = roleIndexOf(collaborative).get(aadKey(aadObjectId));
  return {
    isChair: found?.isChair ?? false,
    isSecretariat: found?.isSecretariat ?? false,
    representing: [...(found?.representing ?? [])],
    deputising: [...(found?.deputising ?? [])],
  };
};

/**
 * Every person's roles in a collaborative, by lowercased Entra id, built once per collaborative
 * object: a vote asks for its voter's roles, and scanning 200 members' ids (lowercasing each) for
 * every vote was a measurable part of a vote's work. A collaborative is replaced, never changed, when
 * its membership changes (each version is a new object), so an index never outlives what it describes.
 */
const roleIndexes = new WeakMap<Collaborative, ReadonlyMap<string, Roles>>();
function roleIndexOf(collaborative: Collaborative): ReadonlyMap<string, Roles> {
  let index = roleIndexes.get(collaborative);
  if (index) return index;
  const built = new Map<string, Roles>();
  const rolesFor = (id: string): Roles => {
    const key = aadKey(id);
    let roles = built.get(key);
    if (!roles) built.set(key, (roles = { isChair: false, isSecretariat: false, representing: [], deputising: [] }));
    return roles;
  };
  for (const member of collaborative.members) {
    const representatives = new Set(member.representatives.map(aadKey));
    for (const id of representatives) rolesFor(id).representing.push(member.id);
    // A deputy who is also a representative of the member represents it, not deputises.
    if (member.deputy !== undefined && !representatives.has(aadKey(member.deputy))) {
      const roles = rolesFor(member.deputy);
      roles.representing.push(member.id);
      roles.deputising.push(member.id);
    }
  }
  for (const id of collaborative.chairs) rolesFor(id).isChair = true;
  for (const id of collaborative.secretariat) rolesFor(id).isSecretariat = true;
  index = built;
  roleIndexes.set(collaborative, index);
  return index;
}

/**
 * The basis a new majority poll counts on unless the chair picks another: the default rule's
 * (a file written before bases existed reads as "cast", today's meaning), or, when the default
 * is not a majority, the guidance's "majority of trusts".
 */
export const defaultBasis = (collaborative: Collaborative): MajorityBasis => basisOf(collaborative.defaultRule) ?? 'members';

/** The collaborative's default in plain words, for the poll form: the rule, and what a majority counts. */
export const defaultRuleText = (collaborative: Collaborative): string =>
  `${collaborative.name}’s default rule: ${describeRule(collaborative.defaultRule)} A majority, simple or qualified, is counted of ${basisInWords(defaultBasis(collaborative))} unless you choose otherwise.`;

export const memberIds = (collaborative: Collaborative): string[] => collaborative.members.map((m) => m.id);

export const isMember = (collaborative: Collaborative, organisationId: string): boolean =>
  collaborative.members.some((m) => m.id === organisationId);

/** The member's name, or its id when it has left the collaborative since the vote. */
export const memberName = (collaborative: Collaborative, organisationId: string): string =>
  collaborative.members.find((m) => m.id === organisationId)?.name ?? organisationId;

/**
 * Whether a person belongs to the collaborative in any role (representative, deputy, chair,
 * secretariat or named observer): what the register tab shows them (issue 19).
 */
export const belongsTo = (collaborative: Collaborative, aadObjectId: string): boolean => {
  const roles = rolesOf(collaborative, aadObjectId);
  return roles.isChair || roles.isSecretariat || roles.representing.length > 0
    || (collaborative.observers ?? []).some((id) => sameAadObjectId(id, aadObjectId));
};
