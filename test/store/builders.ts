import type { Agenda } from '../../src/agenda/model.js';
import type { Poll, Position, Vote } from '../../src/decisions/model.js';
import type { Person } from '../../src/people/model.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import type { AuditEvent, Store } from '../../src/store/store.js';
import type { Feedback, QuestionLog } from '../../src/knowledge/question-log.js';
import type { Collaborative } from '../../src/decisions/collaborative.js';
import type { CollaborativeVersion } from '../../src/membership/model.js';

/** Small builders for store records: each test states only the fields it is about. */

export const CHAIR: Person = { aadObjectId: 'aad-chair', name: 'Chair' };
export const REPRESENTATIVE: Person = { aadObjectId: 'aad-rep', name: 'Representative' };

export function aPoll(overrides: Partial<Poll> = {}): Poll {
  return {
    id: 'poll-1',
    conversationId: 'conversation-1',
    title: 'Elective recovery hub: case for change',
    proposal: 'Approve the case for change for the elective recovery hub.',
    rule: { kind: 'consensus' },
    category: 1,
    membersInScope: ['org-a', 'org-b', 'org-c'],
    hidePositions: false,
    status: 'open',
    openedBy: CHAIR,
    openedAt: '2025-03-01T10:00:00.000Z',
    reopenings: [],
    ...overrides,
  };
}

export function aVote(pollId: string, organisationId: string, position: Position = 'support', overrides: Partial<Vote> = {}): Vote {
  return { pollId, organisationId, position, binding: true, castBy: REPRESENTATIVE, castAt: '2025-03-01T10:05:00.000Z', ...overrides };
}

export function anOutcome(pollId: string, overrides: Partial<Outcome> = {}): Outcome {
  return {
    id: `outcome-${pollId}`,
    pollId,
    reference: 'P173/21',
    title: 'Elective recovery hub: case for change',
    proposal: 'Approve the case for change for the elective recovery hub.',
    meeting: { title: 'Provider leadership board', date: '2025-03-01' },
    rule: { kind: 'consensus' },
    category: 1,
    membersInScope: ['org-a', 'org-b', 'org-c'],
    positions: [],
    counts: { support: 3, object: 0, abstain: 0, notVoted: 0 },
    result: 'agreed',
    explanation: 'Agreed: no member objected.',
    status: 'agreed',
    closedBy: CHAIR,
    closedAt: '2025-03-01T11:00:00.000Z',
    reasons: [],
    actions: [],
    delivery: { state: 'pending', attempts: 0 },
    ...overrides,
  };
}

export function anAgenda(id: string, version: number, overrides: Partial<Agenda> = {}): Agenda {
  const current = {
    version,
    meeting: { title: 'Provider leadership board', date: '2025-03-01', startTime: '10:00', place: '', chair: 'Chair' },
    items: [{ ref: 'P173/21', title: 'Elective recovery hub', lead: 'COO', purpose: 'decision' as const, minutes: 20, recommendation: '' }],
    by: CHAIR,
    at: `2025-02-2${Math.min(version, 8)}T09:00:00.000Z`,
  };
  return { id, conversationId: 'conversation-1', current, history: [], ...overrides };
}

export function anAuditEvent(subject: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { at: '2025-03-01T10:05:00.000Z', action: 'vote.cast', by: REPRESENTATIVE, subject, detail: {}, ...overrides };
}

export function aQuestion(id: string, overrides: Partial<QuestionLog> = {}): QuestionLog {
  return { id, question: 'What is a lead provider model?', answered: true, confidence: 0.8, at: '2025-03-01T09:00:00.000Z', ...overrides };
}

export function aFeedback(questionId: string, overrides: Partial<Feedback> = {}): Feedback {
  return { questionId, helpful: true, by: 'aad-staff', at: '2025-03-01T09:01:00.000Z', ...overrides };
}

/** Records one position the way the bot does (Store.recordVotes on an open poll); says why if it was not recorded. */
export async function recordVote(store: Store, vote: Vote): Promise<{ previous?: Vote }> {
  const result = await store.recordVotes(vote.pollId, [vote]);
  if (!result.recorded) throw new Error(`poll ${vote.pollId} is ${result.status ?? 'missing'}: the vote was not recorded`);
  return result.previous[0] ? { previous: result.previous[0] } : {};
}

export const aCollaborative = (id: string, overrides: Partial<Collaborative> = {}): Collaborative => ({
  id,
  name: `Collaborative ${id}`,
  members: [{ id: 'org-a', name: 'Trust A', representatives: ['aad-rep'] }],
  chairs: ['aad-chair'],
  secretariat: ['aad-chair'],
  defaultRule: { kind: 'consensus' },
  ...overrides,
});

/** Version `n` of collaborative `id`: version 1 is an import, later ones rename Trust A. */
export const aVersion = (id: string, n: number, overrides: Partial<Collaborative> = {}): CollaborativeVersion => {
  const named = (k: number) => aCollaborative(id, { ...overrides, members: [{ id: 'org-a', name: `Trust A (${k})`, representatives: ['aad-rep'] }] });
  return {
    collaborativeId: id,
    version: n,
    collaborative: named(n),
    ...(n > 1 ? { before: named(n - 1) } : {}),
    change: n === 1 ? { kind: 'import', source: 'collaborative.json' } : { kind: 'rename-member', organisationId: 'org-a', name: `Trust A (${n})` },
    by: CHAIR,
    at: `2025-03-01T09:0${n}:00.000Z`,
  };
};
