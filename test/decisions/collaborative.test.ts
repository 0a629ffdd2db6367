import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBasis, defaultRuleText, loadCollaborative, memberName, parseCollaborative, rolesOf } from '../../src/decisions/collaborative.js';
import type { DecisionRule, MajorityBasis } from '../../src/decisions/model.js';
import { adele, alex, ALL_MEMBERS, megan, patti, sample, SAMPLE_PATH, stranger } from './fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const valid = () => ({
  id: 'test',
  name: 'Test collaborative',
  members: [
    { id: 'a', name: 'Trust A', representatives: ['p1'] },
    { id: 'b', name: 'Trust B', representatives: ['p2'], deputy: 'p3' },
  ],
  chairs: ['p1'],
  secretariat: ['p4'],
  defaultRule: { kind: 'consensus' },
});

describe('the sample data/collaborative.json', () => {
  it('parses, with five member trusts and consensus by default', () => {
    const collaborative = sample();
    expect(collaborative.name).toBe('South Yorkshire Acute Federation (sample)');
    expect(collaborative.members.map((m) => m.id)).toEqual(ALL_MEMBERS);
    expect(collaborative.defaultRule).toEqual({ kind: 'consensus' });
  });

  it('loads from disk', async () => {
    await expect(loadCollaborative(SAMPLE_PATH)).resolves.toEqual(sample());
  });

  it('makes Alex Wilber (the test client user) chair, secretariat, Rotherham representative and Barnsley deputy', () => {
    expect(rolesOf(sample(), alex.aadObjectId)).toEqual({
      isChair: true,
      isSecretariat: true,
      representing: ['barnsley', 'rotherham'],
      deputising: ['barnsley'],
    });
  });

  it.each([
    ['Megan Bowen', megan.aadObjectId, ['barnsley']],
    ['Adele Vance', adele.aadObjectId, ['doncaster-bassetlaw']],
    ['Patti Fernandez (deputy)', patti.aadObjectId, ['sheffield-teaching']],
    ['someone else', stranger.aadObjectId, []],
  ])('%s represents %o', (_name, id, want) => {
    const roles = rolesOf(sample(), id);
    expect(roles.representing).toEqual(want);
    expect(roles.isChair).toBe(false);
  });

  it('matches AAD object ids whatever their letter case', () => {
    const collaborative = parseCollaborative({ ...valid(), chairs: ['ABC-def'] });
    expect(collaborative.ok && rolesOf(collaborative.value, 'abc-DEF').isChair).toBe(true);
  });

  it('names members, and falls back to the id for one that has left', () => {
    expect(memberName(sample(), 'rotherham')).toBe('The Rotherham NHS Foundation Trust');
    expect(memberName(sample(), 'gone')).toBe('gone');
  });
});

/**
 * What a majority counts by default. A file written before bases existed (no basis) keeps its
 * meaning, votes cast; a collaborative whose default is not a majority gets the guidance's
 * "majority of trusts" for any majority poll it opens.
 */
describe('the default basis of a majority', () => {
  it.each<[string, DecisionRule, MajorityBasis]>([
    ['consensus default', { kind: 'consensus' }, 'members'],
    ['unanimity default', { kind: 'unanimity' }, 'members'],
    ['majority stored without a basis', { kind: 'majority' }, 'cast'],
    ['two thirds stored without a basis', { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 } }, 'cast'],
    ['majority of trusts', { kind: 'majority', basis: 'members' }, 'members'],
    ['two thirds of votes cast', { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 }, basis: 'cast' }, 'cast'],
  ])('%s → %s', (_name, defaultRule, want) => {
    const parsed = parseCollaborative({ ...valid(), defaultRule });
    expect(parsed.ok && defaultBasis(parsed.value)).toBe(want);
    // The file's rule is kept as written: no basis is added to a file that had none.
    expect(parsed.ok && parsed.value.defaultRule).toEqual(defaultRule);
  });

  it('says the default in plain words for the poll form', () => {
    expect(defaultRuleText(sample())).toBe(
      'South Yorkshire Acute Federation (sample)’s default rule: Consensus: agreed unless a member objects. Abstentions and members who have not voted do not block. A majority, simple or qualified, is counted of member trusts in scope (the guidance’s “majority of trusts”: abstaining or not voting is not support) unless you choose otherwise.',
    );
    const parsed = parseCollaborative({ ...valid(), defaultRule: { kind: 'majority' } });
    expect(parsed.ok && defaultRuleText(parsed.value)).toContain('Majority of votes cast: agreed if more members support than object.');
  });
});

describe('parseCollaborative refusals', () => {
  const base = valid();
  const [memberA, memberB] = base.members;
  it.each<[string, unknown, string]>([
    ['duplicate member ids', { ...base, members: [memberA, { ...memberB, id: 'a' }] }, 'members: member id "a" is used more than once'],
    ['duplicate member names', { ...base, members: [memberA, { ...memberB, name: 'trust a' }] }, 'members: member name "trust a" is used more than once'],
    ['an unknown top-level key', { ...base, chair: ['p1'] }, 'Unrecognized key: "chair"'],
    ['an unknown member key', { ...base, members: [{ ...memberA, rep: 'p1' }, memberB] }, 'members.0: Unrecognized key: "rep"'],
    ['a misspelt rule key', { ...base, defaultRule: { kind: 'consensus', quorom: 2 } }, 'defaultRule.quorom: unknown key "quorom"'],
    ['a threshold on consensus', { ...base, defaultRule: { kind: 'consensus', threshold: { numerator: 2, denominator: 3 } } }, 'defaultRule.threshold: a threshold applies only to a qualified majority'],
    ['an unknown rule', { ...base, defaultRule: { kind: 'dictatorship' } }, 'defaultRule.kind'],
    ['a basis on consensus', { ...base, defaultRule: { kind: 'consensus', basis: 'members' } }, 'defaultRule.basis: a basis ("members" or "cast") applies only to a majority'],
    ['an unknown basis', { ...base, defaultRule: { kind: 'majority', basis: 'trusts' } }, 'defaultRule.basis'],
    ['a quorum larger than the membership', { ...base, defaultRule: { kind: 'majority', quorum: 3 } }, 'defaultRule.quorum: a quorum of 3 can never be met by 2 members'],
    ['an organisation id with a comma', { ...base, members: [{ ...memberA, id: 'a,b' }, memberB] }, 'members.0.id'],
    ['a person who is not a string', { ...base, chairs: [42] }, 'chairs.0'],
    ['an empty person id', { ...base, secretariat: [' '] }, 'secretariat.0'],
    ['a member with no representative', { ...base, members: [{ ...memberA, representatives: [] }, memberB] }, 'members.0.representatives'],
    ['a representative listed twice', { ...base, members: [{ ...memberA, representatives: ['p1', 'P1'] }, memberB] }, 'members.0.representatives: "P1" is listed more than once'],
    ['a deputy who is already a representative', { ...base, members: [memberA, { ...memberB, deputy: 'p2' }] }, 'members.1.deputy: the deputy is already a representative of this member'],
    ['no chair', { ...base, chairs: [] }, 'chairs'],
    ['no members', { ...base, members: [] }, 'members'],
  ])('refuses %s', (_name, json, issue) => {
    const parsed = parseCollaborative(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.some((line) => line.includes(issue))).toBe(true);
  });

  it('lets one person represent more than one member', () => {
    const parsed = parseCollaborative({ ...base, members: [memberA, { ...memberB, representatives: ['p1'] }] });
    expect(parsed.ok && rolesOf(parsed.value, 'p1').representing).toEqual(['a', 'b']);
  });
});

describe('loadCollaborative', () => {
  const writeTemp = async (text: string): Promise<string> => {
    const path = join(tempDir('collaborative'), 'collaborative.json');
    await writeFile(path, text);
    return path;
  };

  it('throws naming the file and the issue path', async () => {
    const path = await writeTemp(JSON.stringify({ ...valid(), members: [{ id: 'a', name: 'Trust A', representatives: [7] }] }));
    await expect(loadCollaborative(path)).rejects.toThrow(path);
    await expect(loadCollaborative(path)).rejects.toThrow('members.0.representatives.0');
  });

  it('throws naming the file when it is not JSON', async () => {
    const path = await writeTemp('{ "id": ');
    await expect(loadCollaborative(path)).rejects.toThrow(`${path} is not valid JSON`);
  });
});
