import { rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { startTestConcord, type TestConcord } from '../support/concord.js';

let running: TestConcord;
let pollId: string;
let collaborativeFile: string | undefined;

beforeAll(async () => {
  collaborativeFile = writeCollaborative(4);
  running = await startTestConcord({ CONCORD_COLLABORATIVE_FILE: collaborativeFile });
  await post(running.url, cardAction(running.connector.url, 'poll.open', { title: 'Fuzzed poll', proposal: 'P', category: '1', rule: 'majority' }, { from: ALEX }));
  pollId = (await running.store.listPolls())[0]!.id;
  await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId, positionValue: 'support' }, { from: representative(1) }));
  await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId, positionValue: 'object' }, { from: representative(2) }));
});
afterAll(async () => {
  await running?.stop();
  // Written in beforeAll, outside any test, so no test's cleanup removes it.
  if (collaborativeFile) rmSync(path.dirname(collaborativeFile), { recursive: true, force: true });
});

const VERBS = ['poll.vote', 'poll.close', 'poll.open', 'poll.reopen', 'poll.start', 'agenda.save', 'agenda.edit', 'answer.ask', 'answer.feedback', 'outcome.show', 'outcome.addAction', 'nonsense', ''];

/** Anything JSON can carry, including the shapes Concord's schemas expect but with wrong types. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** Card data aimed at the poll: right keys, hostile values, strangers and members alike. */
const cardData = fc.record({
  pollId: fc.oneof(fc.constant('POLL'), fc.string(), fc.integer(), fc.constant(null)),
  positionValue: fc.oneof(fc.constantFrom('support', 'object', 'abstain', 'veto', ''), jsonValue),
  organisationId: fc.oneof(fc.constantFrom('mine', 'trust-1', 'trust-3', '../../etc'), fc.string()),
  reopenReason: fc.string(),
  title: fc.string(), proposal: fc.string(), category: fc.oneof(fc.constantFrom('1', '2', '3'), jsonValue),
  extra: jsonValue,
}, { requiredKeys: [] });

const sender = fc.oneof(
  fc.constant(ALEX),
  fc.integer({ min: 3, max: 6 }).map(representative), // never the two who voted in beforeAll
  fc.record({ aadObjectId: fc.string({ minLength: 1, maxLength: 40 }), name: fc.string() }),
);

/** Well-formed envelopes with hostile contents, and malformed envelopes. */
const activity = fc.oneof(
  fc.tuple(fc.constantFrom(...VERBS), cardData, sender).map(([verb, data, from]) => {
    const withPoll = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, value === 'POLL' ? pollId : value]));
    return cardAction(running.connector.url, verb, withPoll, { from });
  }),
  fc.tuple(fc.string({ maxLength: 300 }), sender).map(([text, from]) => message(running.connector.url, text, { from })),
  fc.tuple(jsonValue, sender).map(([value, from]) => ({ ...message(running.connector.url, '', { from }), value })),
  fc.tuple(jsonValue).map(([value]) => ({ ...cardAction(running.connector.url, 'poll.vote', {}), value })),
  fc.tuple(fc.constantFrom('invoke', 'message', 'event', 'typing', 'conversationUpdate', 'installationUpdate', 'bogus'), jsonValue)
    .map(([type, value]) => ({ ...message(running.connector.url, 'x'), type, value, name: typeof value === 'string' ? value : 'adaptiveCard/action' })),
  jsonValue,
);

describe('fuzzing /api/messages', () => {
  it('thousands of random and malformed activities: never a 5xx, never a changed tally, still up', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(activity, async (body) => {
      const response = await post(running.url, body);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      // 501 is the Bot Framework's answer to an invoke Concord does not implement, not a failure.
      expect(response.status === 501 || response.status < 500).toBe(true);
    }), { numRuns: 2500, seed: 20261123 });

    // Fuzzed votes came only from people outside the two recorded members, so those positions stand.
    const votes = await running.store.votes(pollId);
    expect(votes.find((vote) => vote.organisationId === 'trust-1')?.position).toBe('support');
    expect(votes.find((vote) => vote.organisationId === 'trust-2')?.position).toBe('object');
    expect(new Set(votes.map((vote) => vote.organisationId)).size).toBe(votes.length);
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    expect(statuses.get(500)).toBeUndefined();
  }, 120_000);
});
