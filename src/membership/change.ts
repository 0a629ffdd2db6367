import { Collaborative, type MemberOrganisation, rolesOf, sameAadObjectId } from '../decisions/collaborative.js';
import { describeIssues } from '../decisions/issues.js';
import type { Person } from '../people/model.js';
import { err, ok, type Result } from '../shared/result.js';
import type { CollaborativeVersion, MembershipChange, MembershipRefusal } from './model.js';

export interface ChangeArgs {
  /** The collaborative's current version; undefined when the conversation has none yet. */
  current: CollaborativeVersion | undefined;
  change: MembershipChange;
  by: Person;
  now: Date;
  /** The id a new collaborative gets (setup only); injected so the core stays pure. */
  newCollaborativeId: () => string;
}

/**
 * Applies one membership change. Who may change what: the secretariat keeps membership (DESIGN.md,
 * "the secretariat keeps the record"); anyone may set up a collaborative where there is none, and
 * becomes its secretariat and chair, so an empty team can start without editing a file. Everyone
 * else is refused. The result must still be a valid collaborative (zod schema), so a change can
 * never leave a member without a representative or the collaborative without a secretariat.
 */
export const changeMembership = (args: ChangeArgs): Result<CollaborativeVersion, MembershipRefusal> => {
  const { current, change, by, now } = args;
  if (change.kind === 'setup') {
    if (current) return err({ kind: 'already-set-up', name: current.collaborative.name });
    const collaborativeId = args.newCollaborativeId();
    const next = {
      id: collaborativeId,
      name: change.name,
      members: [{ id: organisationIdFor(change.firstMember, []), name: change.firstMember, representatives: change.representatives }],
      chairs: [by.aadObjectId],
      secretariat: [by.aadObjectId],
      defaultRule: change.defaultRule,
    };
    const checked = validated(next);
    if (!checked.ok) return checked;
    return ok({ collaborativeId, version: 1, collaborative: checked.value, change, by, at: now.toISOString() });
  }
  if (!current) return err({ kind: 'not-set-up' });
  const before = current.collaborative;
  if (!rolesOf(before, by.aadObjectId).isSecretariat) return err({ kind: 'not-secretariat' });
  const applied = apply(before, change);
  if (!applied.ok) return applied;
  if (JSON.stringify(applied.value) === JSON.stringify(before)) return err({ kind: 'no-change' });
  const checked = validated(applied.value);
  if (!checked.ok) return checked;
  return ok({
    collaborativeId: current.collaborativeId,
    version: current.version + 1,
    collaborative: checked.value,
    before,
    change,
    by,
    at: now.toISOString(),
  });
};

type Draft = Collaborative;

const apply = (c: Draft, change: Exclude<MembershipChange, { kind: 'setup' }>): Result<Draft, MembershipRefusal> => {
  const member = (organisationId: string): Result<MemberOrganisation, MembershipRefusal> => {
    const found = c.members.find((m) => m.id === organisationId);
    return found ? ok(found) : err({ kind: 'unknown-member', organisationId });
  };
  const replaceMember = (updated: MemberOrganisation): Draft => ({ ...c, members: c.members.map((m) => (m.id === updated.id ? updated : m)) });
  switch (change.kind) {
    case 'add-member': {
      if (c.members.some((m) => m.name.toLowerCase() === change.name.toLowerCase())) return err({ kind: 'duplicate-member', name: change.name });
      const id = organisationIdFor(change.name, c.members.map((m) => m.id));
      const added: MemberOrganisation = { id, name: change.name, representatives: change.representatives, ...(change.deputy ? { deputy: change.deputy } : {}) };
      return ok({ ...c, members: [...c.members, added] });
    }
    case 'rename-member': {
      const found = member(change.organisationId);
      if (!found.ok) return found;
      if (c.members.some((m) => m.id !== change.organisationId && m.name.toLowerCase() === change.name.toLowerCase())) {
        return err({ kind: 'duplicate-member', name: change.name });
      }
      // The id stays: votes, outcomes and open polls name the organisation by id, so history keeps its link.
      return ok(replaceMember({ ...found.value, name: change.name }));
    }
    case 'retire-member': {
      const found = member(change.organisationId);
      if (!found.ok) return found;
      if (c.members.length === 1) return err({ kind: 'last-member', name: found.value.name });
      return ok({ ...c, members: c.members.filter((m) => m.id !== change.organisationId) });
    }
    case 'assign-representatives': {
      const found = member(change.organisationId);
      if (!found.ok) return found;
      if (change.representatives.length === 0) return err({ kind: 'last-representative', name: found.value.name });
      // A person named representative stops being the deputy: one person, one role per organisation.
      const deputy = found.value.deputy;
      const keepDeputy = deputy !== undefined && !change.representatives.some((r) => sameAadObjectId(r, deputy));
      const { deputy: _dropped, ...rest } = found.value;
      return ok(replaceMember({ ...rest, representatives: change.representatives, ...(keepDeputy ? { deputy } : {}) }));
    }
    case 'assign-deputy': {
      const found = member(change.organisationId);
      if (!found.ok) return found;
      const { deputy: _old, ...rest } = found.value;
      return ok(replaceMember(change.deputy ? { ...rest, deputy: change.deputy } : rest));
    }
    case 'assign-chairs':
      return ok({ ...c, chairs: change.people });
    case 'assign-secretariat':
      if (change.people.length === 0) return err({ kind: 'last-secretariat' });
      return ok({ ...c, secretariat: change.people });
    case 'assign-observers': {
      const { observers: _old, ...rest } = c;
      return ok(change.people.length > 0 ? { ...rest, observers: change.people } : rest);
    }
    case 'set-default-rule':
      return ok({ ...c, defaultRule: change.rule });
  }
};

const validated = (draft: unknown): Result<Collaborative, MembershipRefusal> => {
  const parsed = Collaborative.safeParse(draft);
  return parsed.success ? ok(parsed.data) : err({ kind: 'invalid', issues: describeIssues(parsed.error) });
};

/** A readable organisation id from its name ("Barnsley Hospital" → "barnsley-hospital"), unique among `taken`. */
export const organisationIdFor = (name: string, taken: readonly string[]): string => {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'member';
  let id = slug;
  for (let n = 2; taken.includes(id); n += 1) id = `${slug}-${n}`;
  return id;
};

/**
 * A collaborative file as the next version (or version 1) of its collaborative: the import CLI,
 * and the configured file on the first start of a store written before issue 19.
 */
export const importedVersion = (args: { current: CollaborativeVersion | undefined; collaborative: Collaborative; source: string; by: Person; now: Date }): CollaborativeVersion => ({
  collaborativeId: args.collaborative.id,
  version: (args.current?.version ?? 0) + 1,
  collaborative: args.collaborative,
  ...(args.current ? { before: args.current.collaborative } : {}),
  change: { kind: 'import', source: args.source },
  by: args.by,
  at: args.now.toISOString(),
});
