import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Person } from '../../src/people/model.js';
import { parseCollaborative, type Collaborative } from '../../src/decisions/collaborative.js';
import type { DecisionRule, Poll, Position, Vote } from '../../src/decisions/model.js';
import type { Outcome } from '../../src/decisions/outcome.js';

export const SAMPLE_PATH = fileURLToPath(new URL('../../data/collaborative.json', import.meta.url));

/** The shipped sample: five South Yorkshire trusts, Alex Wilber chairs. */
export const sample = (): Collaborative => {
  const parsed = parseCollaborative(JSON.parse(readFileSync(SAMPLE_PATH, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
};

const person = (n: number, name: string): Person => ({ aadObjectId: `00000000-0000-0000-0000-00000000000${n}`, name });
/** Chair, secretariat, representative of Rotherham and deputy for Barnsley. */
export const alex = person(20, 'Alex Wilber');
export const megan = person(21, 'Megan Bowen'); // Barnsley
export const adele = person(22, 'Adele Vance'); // Doncaster and Bassetlaw
export const lee = person(23, 'Lee Gu'); // Sheffield Children's
export const nestor = person(24, 'Nestor Wilke'); // Sheffield Teaching
export const patti = person(25, 'Patti Fernandez'); // deputy for Sheffield Teaching, secretariat
export const stranger: Person = { aadObjectId: '99999999-0000-0000-0000-000000000000', name: 'Someone Else' };

export const ALL_MEMBERS = ['barnsley', 'doncaster-bassetlaw', 'rotherham', 'sheffield-childrens', 'sheffield-teaching'];

export const NOW = new Date('2025-03-04T10:00:00.000Z');
export const minutesAfter = (date: Date, minutes: number): Date => new Date(date.getTime() + minutes * 60_000);

export const RULES = {
  consensus: { kind: 'consensus' },
  unanimity: { kind: 'unanimity' },
  // As stored before bases existed: read as votes cast.
  majority: { kind: 'majority' },
  'half': { kind: 'qualified-majority', threshold: { numerator: 1, denominator: 2 } },
  'two-thirds': { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 } },
  'three-quarters': { kind: 'qualified-majority', threshold: { numerator: 3, denominator: 4 } },
  // A majority of trusts (the guidance's wording) and of votes cast, stated.
  'majority of trusts': { kind: 'majority', basis: 'members' },
  'majority of votes cast': { kind: 'majority', basis: 'cast' },
  'half of trusts': { kind: 'qualified-majority', threshold: { numerator: 1, denominator: 2 }, basis: 'members' },
  'two-thirds of trusts': { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 }, basis: 'members' },
  'two-thirds of votes cast': { kind: 'qualified-majority', threshold: { numerator: 2, denominator: 3 }, basis: 'cast' },
  'three-quarters of trusts': { kind: 'qualified-majority', threshold: { numerator: 3, denominator: 4 }, basis: 'members' },
} satisfies Record<string, DecisionRule>;
export type RuleName = keyof typeof RULES;

export const poll = (overrides: Partial<Poll> = {}): Poll => ({
  id: 'poll-1',
  conversationId: 'conversation-1',
  title: 'Shared elective hub at Barnsley',
  proposal: 'Run a shared elective orthopaedic hub at Barnsley from April.',
  rule: { kind: 'consensus' },
  category: 1,
  membersInScope: [...ALL_MEMBERS],
  hidePositions: false,
  status: 'open',
  openedBy: alex,
  openedAt: NOW.toISOString(),
  reopenings: [],
  ...overrides,
});

export const vote = (organisationId: string, position: Position, overrides: Partial<Vote> = {}): Vote => ({
  pollId: 'poll-1',
  organisationId,
  position,
  binding: true,
  castBy: { aadObjectId: `rep-of-${organisationId}`, name: `Representative of ${organisationId}` },
  castAt: NOW.toISOString(),
  ...overrides,
});

const LETTERS: Record<string, Position | undefined> = { S: 'support', O: 'object', A: 'abstain', '.': undefined };

/**
 * Positions written one letter per member — S support, O object, A abstain, . not voted — for
 * members named `${prefix}1`, `${prefix}2`, ….
 */
export const positions = (pattern: string, prefix = 'm', binding = true): { members: string[]; votes: Vote[] } => {
  const members: string[] = [];
  const votes: Vote[] = [];
  [...pattern].forEach((letter, index) => {
    if (!(letter in LETTERS)) throw new Error(`unknown position letter ${letter}`);
    const id = `${prefix}${index + 1}`;
    members.push(id);
    const position = LETTERS[letter];
    if (position !== undefined) votes.push(vote(id, position, { binding }));
  });
  return { members, votes };
};

export const outcome = (overrides: Partial<Outcome> = {}): Outcome => ({
  id: 'outcome-1',
  pollId: 'poll-0',
  reference: 'poll-0',
  title: 'Gateway decision',
  proposal: 'Proceed.',
  rule: { kind: 'consensus' },
  category: 1,
  membersInScope: [...ALL_MEMBERS],
  positions: [],
  counts: { support: 5, object: 0, abstain: 0, notVoted: 0 },
  result: 'agreed',
  explanation: 'Agreed: 5 of 5 members support; no objections.',
  status: 'agreed',
  closedBy: alex,
  closedAt: NOW.toISOString(),
  reasons: [],
  actions: [],
  delivery: { state: 'pending', attempts: 0 },
  ...overrides,
});
