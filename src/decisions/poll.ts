import { z } from 'zod';
import type { Person } from '../people/model.js';
import type { Outcome } from './outcome.js';
import type { NewId } from '../shared/clock.js';
import { err, ok, type Result } from '../shared/result.js';
import { blankAsUndefined, booleanFromText, listFromText, numberFromText } from './card-input.js';
import { defaultBasis, MAX_MEMBERS, memberIds, OrganisationId, rolesOf, type Collaborative } from './collaborative.js';
import { checkGatewayStage, stageInWords, type GatewayRefusal } from './gateway.js';
import { describeIssues } from './issues.js';
import { DEFAULT_REMINDERS, reminderSchedule } from './schedule.js';
import { DecisionCategory, DecisionRule, GatewayStage, MajorityBasis, type Poll, type Reopening, type RuleKind } from './model.js';

const RULE_KINDS = ['consensus', 'unanimity', 'majority', 'qualified-majority'] as const satisfies readonly RuleKind[];

/** Longest closing window a form may set: a month, in minutes. */
const MAX_MINUTES = 60 * 24 * 31;

/** Reopening.reason holds at most 2000 characters, including the words saying which stage is reopened. */
const MAX_REOPEN_REASON = 1500;

const optionalText = (max: number) => z.preprocess(blankAsUndefined, z.string().trim().min(1).max(max).optional());

/**
 * Card data of the chair's "open a poll" form. Values may arrive as card strings ("2", "true",
 * "a,b") or already typed; a parsed input parses again to itself.
 */
export const PollInput = z
  .object({
    title: z.string().trim().min(1).max(300),
    proposal: z.string().trim().min(1).max(4000),
    /** Omitted: the collaborative's default rule. */
    rule: z.preprocess(blankAsUndefined, z.enum(RULE_KINDS).optional()),
    /**
     * For a majority or qualified majority: a majority of the member trusts in scope ("members")
     * or of votes cast ("cast"). Omitted: the collaborative's default basis (defaultBasis).
     */
    basis: z.preprocess(blankAsUndefined, MajorityBasis.optional()),
    /** For a qualified majority: the fraction of the basis that must support, e.g. "2/3". */
    threshold: z.preprocess(
      blankAsUndefined,
      z.string().trim().regex(/^\d{1,3}\s*\/\s*\d{1,3}$/, 'write the threshold as a fraction such as 2/3').optional(),
    ),
    quorum: z.preprocess(numberFromText, z.number().int().min(1).max(MAX_MEMBERS).optional()),
    category: z.preprocess(numberFromText, DecisionCategory),
    /** Category 2 only: the organisations affected, whose votes bind. */
    affectedMembers: z.preprocess(listFromText, z.array(OrganisationId).max(MAX_MEMBERS)),
    gatewayProgramme: optionalText(200),
    gatewayStage: z.preprocess(blankAsUndefined, GatewayStage.optional()),
    /** Needed only to reopen a gateway stage that is already agreed; ignored (not recorded) otherwise. */
    reopenReason: optionalText(MAX_REOPEN_REASON),
    /** ISO date-time with a zone, e.g. 2025-03-04T17:00:00Z. */
    closesAt: z.preprocess(blankAsUndefined, z.iso.datetime({ offset: true }).optional()),
    closesInMinutes: z.preprocess(numberFromText, z.number().int().min(1).max(MAX_MINUTES).optional()),
    hidePositions: z.preprocess((v) => booleanFromText(v) ?? false, z.boolean()),
    /**
     * Reminders before closing, in minutes ("1440,60" from the form's multi-select). Omitted: the
     * default (DEFAULT_REMINDERS); blank: none. Ignored when the poll has no closing time.
     */
    reminders: z.preprocess(
      (v) => (v === undefined ? undefined : (listFromText(v) as unknown[]).map(numberFromText)),
      z.array(z.number().int().min(1).max(MAX_MINUTES)).max(5).optional(),
    ),
    agenda: z
      .object({
        agendaId: z.string().trim().min(1).max(100),
        itemRef: z.string().trim().min(1).max(30),
        meetingTitle: z.string().trim().min(1).max(200),
        meetingDate: z.string().trim().min(1).max(40),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PollInput = z.infer<typeof PollInput>;

export type PollError = { kind: 'not-chair' } | GatewayRefusal | { kind: 'invalid'; issues: string[] };

export interface OpenPollArgs {
  /** The form's card data, unparsed or already parsed by PollInput. */
  input: unknown;
  collaborative: Collaborative;
  by: Person;
  now: Date;
  newId: NewId;
  conversationId: string;
  /** Register outcomes (any programme); the gateway check picks this programme's. */
  gatewayHistory: readonly Outcome[];
}

const parseThreshold = (text: string): { numerator: number; denominator: number } => {
  const [numerator = 0, denominator = 0] = text.split('/').map((part) => Number(part.trim()));
  return { numerator, denominator };
};

const ruleFrom = (input: PollInput, collaborative: Collaborative, issues: string[]): DecisionRule | undefined => {
  const { defaultRule } = collaborative;
  // The form's quorum wins; the default rule's quorum comes with the default rule only.
  const quorum = input.quorum ?? (input.rule === undefined ? defaultRule.quorum : undefined);
  // Every new majority poll stores its basis, so its meaning never depends on a later default.
  const basis = input.basis ?? defaultBasis(collaborative);
  const withQuorum = (rule: DecisionRule): DecisionRule => {
    const copy: DecisionRule = { ...rule };
    if (quorum === undefined) delete copy.quorum;
    else copy.quorum = quorum;
    // A basis sent for consensus or unanimity is a form default, not a choice: it does not apply.
    if (copy.kind === 'majority' || copy.kind === 'qualified-majority') copy.basis = basis;
    return copy;
  };
  if (input.rule === undefined) return withQuorum(defaultRule);
  if (input.rule !== 'qualified-majority') {
    // A threshold sent for another rule is a form default, not a choice: it does not apply.
    return withQuorum({ kind: input.rule });
  }
  if (input.threshold === undefined) {
    issues.push('threshold: a qualified majority needs a threshold such as 2/3');
    return undefined;
  }
  const threshold = parseThreshold(input.threshold);
  const parsed = DecisionRule.safeParse(withQuorum({ kind: 'qualified-majority', threshold }));
  if (!parsed.success) {
    issues.push(`threshold: ${input.threshold} is not a fraction between 0 and 1`);
    return undefined;
  }
  return parsed.data;
};

/** Category 1 binds every member; category 2 binds only the affected subset (guidance option 1). */
const scopeFrom = (input: PollInput, collaborative: Collaborative, issues: string[]): string[] => {
  const all = memberIds(collaborative);
  if (input.category === 1) {
    if (input.affectedMembers.length > 0) {
      issues.push('affectedMembers: category 1 binds every member; choose category 2 to name affected members');
    }
    return all;
  }
  if (input.affectedMembers.length === 0) {
    issues.push('affectedMembers: a category 2 decision needs at least one affected member');
  }
  const unknown = input.affectedMembers.filter((id) => !all.includes(id));
  if (unknown.length > 0) issues.push(`affectedMembers: not members of ${collaborative.name}: ${unknown.join(', ')}`);
  return all.filter((id) => input.affectedMembers.includes(id));
};

const closingTime = (input: PollInput, now: Date, issues: string[]): string | undefined => {
  if (input.closesAt !== undefined && input.closesInMinutes !== undefined) {
    issues.push('closesAt: give a closing time or minutes from now, not both');
    return undefined;
  }
  if (input.closesInMinutes !== undefined) return new Date(now.getTime() + input.closesInMinutes * 60_000).toISOString();
  if (input.closesAt === undefined) return undefined;
  const at = new Date(input.closesAt);
  if (at.getTime() <= now.getTime()) {
    issues.push('closesAt: the closing time must be in the future');
    return undefined;
  }
  // A mistyped year (2062 for 2026) would leave the poll open, and its deadline timer armed, for decades.
  const yearAhead = new Date(now.getTime());
  yearAhead.setUTCFullYear(yearAhead.getUTCFullYear() + 1);
  if (at.getTime() > yearAhead.getTime()) {
    issues.push('closesAt: the closing time must be within a year');
    return undefined;
  }
  return at.toISOString();
};

/**
 * Opens a poll from the chair's form, or says why not. Only a chair opens a poll (the chair runs
 * the meeting). A poll on a gateway stage must follow the locked-gateway order; reopening an
 * agreed stage needs a reason, which is recorded on the poll as a reopening and carried into
 * the outcome.
 */
export const openPoll = (args: OpenPollArgs): Result<Poll, PollError> => {
  const { collaborative, by, now } = args;
  if (!rolesOf(collaborative, by.aadObjectId).isChair) return err({ kind: 'not-chair' });

  const parsed = PollInput.safeParse(args.input);
  if (!parsed.success) return err({ kind: 'invalid', issues: describeIssues(parsed.error) });
  const input = parsed.data;

  const issues: string[] = [];
  const rule = ruleFrom(input, collaborative, issues);
  const membersInScope = scopeFrom(input, collaborative, issues);
  if (rule?.quorum !== undefined && membersInScope.length > 0 && rule.quorum > membersInScope.length) {
    issues.push(`quorum: a quorum of ${rule.quorum} can never be met with ${membersInScope.length} members in scope`);
  }
  const closesAt = closingTime(input, now, issues);
  if ((input.gatewayProgramme === undefined) !== (input.gatewayStage === undefined)) {
    issues.push('gatewayStage: a gateway needs both a programme and a stage');
  }
  if (issues.length > 0 || rule === undefined) return err({ kind: 'invalid', issues });

  const reopenings: Reopening[] = [];
  let gateway: Poll['gateway'];
  if (input.gatewayProgramme !== undefined && input.gatewayStage !== undefined) {
    gateway = { programme: input.gatewayProgramme, stage: input.gatewayStage };
    const check = checkGatewayStage(gateway.programme, gateway.stage, args.gatewayHistory, input.reopenReason);
    if (!check.ok) return check;
    if (check.value.reopensLockedStage && input.reopenReason !== undefined) {
      reopenings.push({
        by,
        at: now.toISOString(),
        reason: `Reopens the agreed ${stageInWords(gateway.stage)} stage of ${gateway.programme} in the public interest: ${input.reopenReason}`,
      });
    }
  }

  const poll: Poll = {
    id: args.newId(),
    conversationId: args.conversationId,
    title: input.title,
    proposal: input.proposal,
    rule,
    category: input.category,
    membersInScope,
    hidePositions: input.hidePositions,
    status: 'open',
    openedBy: by,
    openedAt: now.toISOString(),
    reopenings,
  };
  if (input.agenda !== undefined) poll.agenda = input.agenda;
  if (gateway !== undefined) poll.gateway = gateway;
  if (closesAt !== undefined) {
    poll.closesAt = closesAt;
    const reminders = reminderSchedule(input.reminders ?? DEFAULT_REMINDERS, closesAt, now);
    if (reminders.length > 0) poll.reminders = reminders;
  }
  return ok(poll);
};
