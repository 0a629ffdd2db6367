import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Collaborative } from '../decisions/collaborative.js';
import type { DecisionRule } from '../decisions/model.js';
import { describeRule } from '../decisions/rules.js';
import { changeMembership } from '../membership/change.js';
import { DEFAULT_BINDING, type CollaborativeVersion, type MembershipChange, type MembershipRefusal } from '../membership/model.js';
import type { NewId } from '../shared/clock.js';
import { ConflictError, type Store } from '../store/store.js';
import type { PeopleDirectory, RosterPerson } from './people-directory.js';
import type { CardJson, CardRenderer } from './render.js';
import { sendCard } from './send.js';
import { refusal, verb, type Refusal, type Turn, type VerbReply } from './verb.js';

export interface MembershipDependencies {
  readonly store: Store;
  readonly renderer: CardRenderer;
  readonly people: PeopleDirectory;
  readonly newId: NewId;
  readonly logger: Logger;
}

/**
 * What a collaborative is bound to: the team for a channel (every channel of a team shares its
 * collaborative), else the chat. A channel reply's conversation id carries ";messageid=…", which
 * is not part of where it is.
 */
export function bindingKeyOf(activity: Pick<Activity, 'channelData' | 'conversation'>): string {
  const channelData: unknown = activity.channelData;
  if (channelData && typeof channelData === 'object' && 'team' in channelData) {
    const team = (channelData as { team?: { id?: unknown } }).team;
    if (typeof team?.id === 'string' && team.id !== '') return team.id;
  }
  return (activity.conversation?.id ?? 'unknown').split(';messageid=')[0] ?? 'unknown';
}

/** The default-rule choices the card offers; the value travels back as `ruleValue`. */
const RULES: Record<string, DecisionRule> = {
  consensus: { kind: 'consensus' },
  unanimity: { kind: 'unanimity' },
  'majority-members': { kind: 'majority', basis: 'members' },
  'majority-cast': { kind: 'majority', basis: 'cast' },
  'two-thirds-members': { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 }, basis: 'members' },
};
const RuleValue = z.enum(Object.keys(RULES) as [string, ...string[]]);
const ruleValueOf = (rule: DecisionRule): string =>
  Object.entries(RULES).find(([, candidate]) => JSON.stringify(candidate) === JSON.stringify(rule))?.[0] ?? 'consensus';

/** The people picker (and the roster list beside it) sends the chosen object ids comma-separated; absent is none. */
const PeopleValue = z.preprocess(
  (value) => (value === undefined ? [] : typeof value === 'string' ? value.split(',').map((id) => id.trim()).filter((id) => id !== '') : value),
  z.array(z.string().min(1).max(100)).max(20),
);
/**
 * Each people field is two inputs: Teams' people picker, and a plain list of the chat's roster for
 * clients without the picker (the Agents Playground's card renderer cannot send a multi-select
 * typeahead's value). Whoever is chosen in either counts, each person once, picker first.
 */
const either = (picker: string[], roster: string[]): string[] => [...new Set([...picker, ...roster])];
const Version = z.coerce.number().int().positive();
const Name = z.string().trim().min(1, 'give a name').max(200);

const SetupInput = z.object({ collaborativeName: Name, firstMember: Name, setupPeople: PeopleValue, setupRoster: PeopleValue, ruleValue: RuleValue.default('consensus') })
  .transform(({ setupRoster, ...input }) => ({ ...input, setupPeople: either(input.setupPeople, setupRoster) }));
const AddInput = z.object({ version: Version, addName: Name, addPeople: PeopleValue, addRoster: PeopleValue })
  .transform(({ addRoster, ...input }) => ({ ...input, addPeople: either(input.addPeople, addRoster) }));
const RenameInput = z.object({ version: Version, changeMember: z.string().min(1).max(64), renameName: Name });
const RetireInput = z.object({ version: Version, changeMember: z.string().min(1).max(64) });
const ROLES = ['representatives', 'deputy', 'chairs', 'secretariat', 'observers'] as const;
const AssignInput = z.object({ version: Version, assignRole: z.enum(ROLES), assignMember: z.string().max(64).optional(), assignPeople: PeopleValue, assignRoster: PeopleValue })
  .transform(({ assignRoster, ...input }) => ({ ...input, assignPeople: either(input.assignPeople, assignRoster) }));
const RuleInput = z.object({ version: Version, ruleValue: RuleValue });

/** A refusal from the core, in words: what happened and that nothing changed. */
export function membershipRefusal(error: MembershipRefusal | { kind: 'stale' }): Refusal {
  switch (error.kind) {
    case 'not-secretariat': return refusal('Only the secretariat can do that', 'Membership is kept by the collaborative’s secretariat. Nothing was changed.');
    case 'already-set-up': return refusal('Already set up', `This team already belongs to ${error.name}. Type "members" to see or change its members.`);
    case 'not-set-up': return refusal('No collaborative here yet', 'Type "setup" to set one up for this team; you will be its secretariat and chair.');
    case 'unknown-member': return refusal('Member not found', `"${error.organisationId}" is not a member (it may have been retired meanwhile). Nothing was changed.`);
    case 'duplicate-member': return refusal('That name is taken', `A member called "${error.name}" is already in the collaborative. Nothing was changed.`);
    case 'last-member': return refusal('The last member stays', `${error.name} is the only member; add another before retiring it. Nothing was changed.`);
    case 'last-representative': return refusal('A member needs a representative', `${error.name} must keep at least one representative. Nothing was changed.`);
    case 'last-secretariat': return refusal('Someone must keep the record', 'The collaborative needs at least one secretariat member. Nothing was changed.');
    case 'no-change': return refusal('Nothing to change', 'That is already how the collaborative stands.');
    case 'invalid': return refusal('That change was not made', `Please fix: ${error.issues.join('; ')}`);
    case 'stale': return refusal('Changed meanwhile', 'Someone changed the membership after this card was shown. Type "members" for the current card; nothing was changed.');
  }
}

/**
 * Membership in Teams (issue 19): `setup` makes a collaborative for a team that has none, and
 * `members` shows and changes one. Every change goes through the pure core (membership/change.ts)
 * and is stored as the next version with its audit event; a version is refused if the card was
 * older than the collaborative (someone changed it meanwhile).
 */
export function membership(deps: MembershipDependencies) {
  const { store, renderer, people } = deps;

  /** The collaborative for this turn: the team's or chat's own binding, else the default. */
  const current = (turn: Turn): Promise<CollaborativeVersion | undefined> => store.collaborativeFor(bindingKeyOf(turn.context.activity));
  const ownBinding = async (turn: Turn): Promise<string | undefined> => {
    const key = bindingKeyOf(turn.context.activity);
    return (await store.listBindings()).find((binding) => binding.conversationId === key && key !== DEFAULT_BINDING)?.collaborativeId;
  };

  const membersCard = async (turn: Turn, version: CollaborativeVersion, note?: string): Promise<CardJson> => {
    const c = version.collaborative;
    const ids = [...c.members.flatMap((m) => [...m.representatives, ...(m.deputy ? [m.deputy] : [])]), ...c.chairs, ...c.secretariat, ...(c.observers ?? [])];
    const roster = await people.roster(turn.context);
    const names = await people.namesOf(turn.context, ids);
    const named = (list: readonly string[]) => list.map((id) => names.get(id) ?? '').join(', ') || '—';
    return renderer.render('members', {
      name: c.name,
      version: String(version.version),
      note: note ?? '',
      members: c.members.map((m) => ({ name: m.name, representatives: named(m.representatives), deputy: m.deputy ? named([m.deputy]) : '—' })),
      chairs: named(c.chairs),
      secretariat: named(c.secretariat),
      observers: named(c.observers ?? []),
      defaultRule: describeRule(c.defaultRule),
      ruleValue: ruleValueOf(c.defaultRule),
      memberChoices: c.members.map((m) => ({ choiceTitle: m.name, choiceValue: m.id })),
      roster: rosterChoices(roster),
    });
  };

  const setupCard = async (turn: Turn): Promise<CardJson> =>
    renderer.render('setup-form', { roster: rosterChoices(await people.roster(turn.context)) });

  /** Applies one change against the version the card showed, stores it, and answers with the new card. */
  const change = async (turn: Turn, cardVersion: number, make: (c: Collaborative) => MembershipChange): Promise<VerbReply> => {
    people.remember(turn.person.aadObjectId, turn.person.name);
    const now = await current(turn);
    if (!now) return membershipRefusal({ kind: 'not-set-up' });
    if (now.version !== cardVersion) return membershipRefusal({ kind: 'stale' });
    const result = changeMembership({ current: now, change: make(now.collaborative), by: turn.person, now: turn.now, newCollaborativeId: deps.newId });
    if (!result.ok) return membershipRefusal(result.error);
    try {
      await store.saveCollaborativeVersion(result.value);
    } catch (error) {
      if (error instanceof ConflictError) return membershipRefusal({ kind: 'stale' });
      throw error;
    }
    deps.logger.info({ collaborativeId: result.value.collaborativeId, version: result.value.version, change: result.value.change.kind, by: turn.person.aadObjectId }, 'membership changed');
    return { kind: 'card', card: await membersCard(turn, result.value, `Saved as version ${result.value.version}.`), shared: true };
  };

  const commandMembers = async (turn: Turn): Promise<void> => {
    people.remember(turn.person.aadObjectId, turn.person.name);
    const version = await current(turn);
    const reply = !version
      ? membershipRefusal({ kind: 'not-set-up' })
      : version.collaborative.secretariat.some((id) => id.toLowerCase() === turn.person.aadObjectId.toLowerCase())
        ? undefined
        : membershipRefusal({ kind: 'not-secretariat' });
    if (reply) {
      await sendCard(turn.context, renderer.render('message', { title: reply.title, message: reply.message, hint: '', tone: 'warning' }));
      return;
    }
    await sendCard(turn.context, await membersCard(turn, version!));
  };

  const commandSetup = async (turn: Turn): Promise<void> => {
    const bound = await ownBinding(turn);
    if (bound) {
      const name = (await store.getCollaborative(bound))?.collaborative.name ?? bound;
      const reply = membershipRefusal({ kind: 'already-set-up', name });
      await sendCard(turn.context, renderer.render('message', { title: reply.title, message: reply.message, hint: '', tone: 'warning' }));
      return;
    }
    await sendCard(turn.context, await setupCard(turn));
  };

  const verbs = {
    setup: verb(SetupInput, async (turn, input) => {
      people.remember(turn.person.aadObjectId, turn.person.name);
      const bound = await ownBinding(turn);
      if (bound) return membershipRefusal({ kind: 'already-set-up', name: (await store.getCollaborative(bound))?.collaborative.name ?? bound });
      const result = changeMembership({
        current: undefined,
        change: { kind: 'setup', name: input.collaborativeName, firstMember: input.firstMember, representatives: input.setupPeople, defaultRule: RULES[input.ruleValue]! },
        by: turn.person,
        now: turn.now,
        newCollaborativeId: deps.newId,
      });
      if (!result.ok) return membershipRefusal(result.error);
      await store.saveCollaborativeVersion(result.value);
      await store.bindConversation({ conversationId: bindingKeyOf(turn.context.activity), collaborativeId: result.value.collaborativeId, by: turn.person, at: turn.now.toISOString() });
      deps.logger.info({ collaborativeId: result.value.collaborativeId, by: turn.person.aadObjectId }, 'collaborative set up');
      return { kind: 'card', card: await membersCard(turn, result.value, `${result.value.collaborative.name} is set up for this team. You are its secretariat and chair.`), shared: true };
    }),
    add: verb(AddInput, (turn, input) => change(turn, input.version, () => ({ kind: 'add-member', name: input.addName, representatives: input.addPeople }))),
    rename: verb(RenameInput, (turn, input) => change(turn, input.version, () => ({ kind: 'rename-member', organisationId: input.changeMember, name: input.renameName }))),
    retire: verb(RetireInput, (turn, input) => change(turn, input.version, () => ({ kind: 'retire-member', organisationId: input.changeMember }))),
    assign: verb(AssignInput, (turn, input) => change(turn, input.version, (): MembershipChange => {
      const organisationId = input.assignMember ?? '';
      switch (input.assignRole) {
        case 'representatives': return { kind: 'assign-representatives', organisationId, representatives: input.assignPeople };
        case 'deputy': return { kind: 'assign-deputy', organisationId, ...(input.assignPeople[0] ? { deputy: input.assignPeople[0] } : {}) };
        case 'chairs': return { kind: 'assign-chairs', people: input.assignPeople };
        case 'secretariat': return { kind: 'assign-secretariat', people: input.assignPeople };
        case 'observers': return { kind: 'assign-observers', people: input.assignPeople };
      }
    })),
    rule: verb(RuleInput, (turn, input) => change(turn, input.version, () => ({ kind: 'set-default-rule', rule: RULES[input.ruleValue]! }))),
  };

  return { commandMembers, commandSetup, verbs, current };
}

const rosterChoices = (roster: readonly RosterPerson[]) => roster.map((person) => ({ choiceTitle: person.name, choiceValue: person.aadObjectId }));
