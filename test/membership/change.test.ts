import { describe, expect, it } from 'vitest';
import { castVote } from '../../src/decisions/vote.js';
import { changeMembership, importedVersion, organisationIdFor } from '../../src/membership/change.js';
import type { CollaborativeVersion, MembershipChange } from '../../src/membership/model.js';
import type { Person } from '../../src/people/model.js';
import { adele, alex, megan, NOW, patti, poll, sample, stranger } from '../decisions/fixtures.js';

const v1 = (): CollaborativeVersion => importedVersion({ current: undefined, collaborative: sample(), source: 'data/collaborative.json', by: alex, now: NOW });
const later = new Date(NOW.getTime() + 60_000);
/** `current` omitted: the sample as version 1; passed as undefined: no collaborative yet. */
const change = (by: Person, c: MembershipChange, ...current: [CollaborativeVersion | undefined] | []) =>
  changeMembership({ current: current.length === 0 ? v1() : current[0], change: c, by, now: later, newCollaborativeId: () => 'new-collab' });

const CHANGES: Record<string, MembershipChange> = {
  'add member': { kind: 'add-member', name: 'Chesterfield Royal Hospital', representatives: [stranger.aadObjectId] },
  'rename member': { kind: 'rename-member', organisationId: 'barnsley', name: 'Barnsley Hospital' },
  'retire member': { kind: 'retire-member', organisationId: 'sheffield-childrens' },
  'assign representatives': { kind: 'assign-representatives', organisationId: 'barnsley', representatives: [stranger.aadObjectId] },
  'assign deputy': { kind: 'assign-deputy', organisationId: 'doncaster-bassetlaw', deputy: stranger.aadObjectId },
  'assign chairs': { kind: 'assign-chairs', people: [megan.aadObjectId] },
  'assign secretariat': { kind: 'assign-secretariat', people: [alex.aadObjectId, stranger.aadObjectId] },
  'assign observers': { kind: 'assign-observers', people: [stranger.aadObjectId] },
  'set default rule': { kind: 'set-default-rule', rule: { kind: 'majority', basis: 'members' } },
};

describe('who may change what', () => {
  // alex: chair and secretariat; patti: secretariat and a deputy; megan: a representative; adele: a representative; stranger: nobody.
  const cases = Object.keys(CHANGES).flatMap((name) => [
    [name, 'alex (secretariat, chair)', alex, 'changed'],
    [name, 'patti (secretariat, deputy)', patti, 'changed'],
    [name, 'megan (representative)', megan, 'not-secretariat'],
    [name, 'adele (representative)', adele, 'not-secretariat'],
    [name, 'a stranger', stranger, 'not-secretariat'],
  ] as const);
  it.each(cases)('%s by %s → %s', (name, _who, by, want) => {
    const result = change(by, CHANGES[name]!);
    expect(result.ok ? 'changed' : result.error.kind).toBe(want);
  });

  it.each([
    ['anyone, where there is none', undefined, stranger, 'changed'],
    ['not even the secretariat, where there is one', v1(), alex, 'already-set-up'],
  ] as const)('setup: %s → %s', (_case, current, by, want) => {
    const result = change(by, { kind: 'setup', name: 'Mental health collaborative', firstMember: 'Trust A', representatives: [megan.aadObjectId], defaultRule: { kind: 'consensus' } }, current);
    expect(result.ok ? 'changed' : result.error.kind).toBe(want);
  });
});

describe('refusals', () => {
  it.each([
    ['unknown member', { kind: 'rename-member', organisationId: 'nowhere', name: 'X' }, 'unknown-member'],
    ['retiring an unknown member', { kind: 'retire-member', organisationId: 'nowhere' }, 'unknown-member'],
    ['a second member of the same name', { kind: 'add-member', name: 'the rotherham nhs foundation trust', representatives: [stranger.aadObjectId] }, 'duplicate-member'],
    ['renaming onto another member', { kind: 'rename-member', organisationId: 'barnsley', name: 'The Rotherham NHS Foundation Trust' }, 'duplicate-member'],
    ['removing the last representative', { kind: 'assign-representatives', organisationId: 'barnsley', representatives: [] }, 'last-representative'],
    ['removing the whole secretariat', { kind: 'assign-secretariat', people: [] }, 'last-secretariat'],
    ['no chair at all', { kind: 'assign-chairs', people: [] }, 'invalid'],
    ['a person twice', { kind: 'assign-chairs', people: [megan.aadObjectId, megan.aadObjectId] }, 'invalid'],
    ['a quorum above the members', { kind: 'set-default-rule', rule: { kind: 'consensus', quorum: 9 } }, 'invalid'],
    ['the same default again', { kind: 'set-default-rule', rule: { kind: 'consensus' } }, 'no-change'],
  ] satisfies [string, MembershipChange, string][])('%s → %s', (_case, c, want) => {
    const result = change(alex, c);
    expect(result.ok ? 'changed' : result.error.kind).toBe(want);
  });

  it('refuses to retire the last member', () => {
    let current = v1();
    for (const id of ['barnsley', 'doncaster-bassetlaw', 'rotherham', 'sheffield-childrens']) {
      const next = change(alex, { kind: 'retire-member', organisationId: id }, current);
      if (!next.ok) throw new Error(next.error.kind);
      current = next.value;
    }
    const last = change(alex, { kind: 'retire-member', organisationId: 'sheffield-teaching' }, current);
    expect(last.ok ? 'changed' : last.error).toEqual({ kind: 'last-member', name: 'Sheffield Teaching Hospitals NHS Foundation Trust' });
  });

  it('refuses every change where nothing is set up', () => {
    const result = changeMembership({ current: undefined, change: CHANGES['rename member']!, by: alex, now: later, newCollaborativeId: () => 'x' });
    expect(result.ok ? 'changed' : result.error.kind).toBe('not-set-up');
  });
});

describe('a version records who, when, before and after', () => {
  it('numbers the next version and keeps the one before', () => {
    const current = v1();
    const result = change(patti, CHANGES['rename member']!, current);
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value).toMatchObject({ collaborativeId: current.collaborativeId, version: 2, by: patti, at: later.toISOString(), change: CHANGES['rename member'], before: current.collaborative });
    expect(result.value.collaborative.members.find((m) => m.id === 'barnsley')?.name).toBe('Barnsley Hospital');
  });

  it('setup makes the person secretariat and chair, with a first member', () => {
    const result = change(stranger, { kind: 'setup', name: 'Community collaborative', firstMember: 'Trust A', representatives: [megan.aadObjectId], defaultRule: { kind: 'consensus' } }, undefined);
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value).toMatchObject({ collaborativeId: 'new-collab', version: 1 });
    expect(result.value).not.toHaveProperty('before');
    expect(result.value.collaborative).toMatchObject({ id: 'new-collab', name: 'Community collaborative', chairs: [stranger.aadObjectId], secretariat: [stranger.aadObjectId], members: [{ id: 'trust-a', name: 'Trust A', representatives: [megan.aadObjectId] }] });
  });

  it('a representative named as its deputy stops being the deputy', () => {
    const result = change(alex, { kind: 'assign-representatives', organisationId: 'barnsley', representatives: [alex.aadObjectId] });
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value.collaborative.members.find((m) => m.id === 'barnsley')).toEqual({ id: 'barnsley', name: 'Barnsley Hospital NHS Foundation Trust', representatives: [alex.aadObjectId] });
  });
});

describe('a replaced representative can no longer cast; the open poll keeps its scope', () => {
  it('checks the vote against the current version', () => {
    const replaced = change(alex, CHANGES['assign representatives']!);
    if (!replaced.ok) throw new Error(replaced.error.kind);
    const open = poll();
    const cast = (by: Person, collaborative: CollaborativeVersion['collaborative']) =>
      castVote({ poll: open, collaborative, voter: by, input: { pollId: open.id, positionValue: 'support', organisationId: 'barnsley' }, now: later });
    expect(cast(megan, v1().collaborative).ok).toBe(true);
    const refused = cast(megan, replaced.value.collaborative);
    expect(refused.ok ? 'cast' : refused.error.kind).not.toBe('cast');
    expect(cast(stranger, replaced.value.collaborative).ok).toBe(true);
    // Retiring a member does not change an open poll's scope: the poll snapshots it when it opens.
    const retired = change(alex, CHANGES['retire member']!);
    if (!retired.ok) throw new Error(retired.error.kind);
    expect(open.membersInScope).toContain('sheffield-childrens');
  });
});

it.each([
  ['Barnsley Hospital NHS FT', [], 'barnsley-hospital-nhs-ft'],
  ['Trust A', ['trust-a'], 'trust-a-2'],
  ['Trust A', ['trust-a', 'trust-a-2'], 'trust-a-3'],
  ['!!!', [], 'member'],
])('organisation id for %s (taken %o) → %s', (name, taken, want) => expect(organisationIdFor(name, taken)).toBe(want));
