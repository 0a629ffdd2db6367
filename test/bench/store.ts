/**
 * Store benchmark: latency of a vote (recordVotes of one vote, awaited one at a time, as a representative's
 * invoke would) on an empty lowdb store and on one holding 20,000 outcomes and 200,000 audit events.
 * The design goal is that the register's size does not slow voting: p99 ratio ≤ 1.5.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Poll, Vote } from '../../src/decisions/model.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import type { PollRecord } from '../../src/store/poll-record.js';
import type { AuditEvent } from '../../src/store/store.js';
import { writeStoreDirectory } from '../../src/store/file/write-store-directory.js';
import { percentile, round } from './stats.js';
import { recordVote } from '../store/builders.js';

const VOTES_MEASURED = 300;
const WARM_UP = 20;
const SEEDED_OUTCOMES = 20_000;
const SEEDED_AUDIT_EVENTS = 200_000;
/** Members of a typical collaborative; the measured poll's file holds one vote for each. */
const MEMBERS = Array.from({ length: 12 }, (_, index) => `org-${index}`);
const CHAIR = { aadObjectId: 'aad-chair', name: 'Chair' };

export async function benchStore(): Promise<Record<string, number>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'concord-bench-store-'));
  try {
    const seededDir = path.join(root, 'seeded');
    await seed(seededDir);
    const { empty, seeded } = await interleavedVoteLatencies(path.join(root, 'empty'), seededDir);
    const p99Empty = percentile(empty, 99);
    const p99Seeded = percentile(seeded, 99);
    return {
      'store.vote.p50_ms': round(percentile(empty, 50)),
      'store.vote.p99_ms': round(p99Empty),
      'store.vote.20k.p50_ms': round(percentile(seeded, 50)),
      'store.vote.20k.p99_ms': round(p99Seeded),
      'store.vote.p99_ratio_20k_outcomes': round(p99Seeded / p99Empty),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Both stores open at once, one awaited vote to each in turn. A vote's cost is mostly two fsyncs,
 * whose latency on a shared machine drifts from second to second; alternating puts both stores
 * under the same disk conditions, so the ratio shows the store's size and not the moment measured.
 * (Both also share the seeded store's heap, which is what a running Concord has.)
 */
async function interleavedVoteLatencies(emptyDir: string, seededDir: string): Promise<{ empty: number[]; seeded: number[] }> {
  const stores = [await openFileStore({ dataDir: emptyDir }), await openFileStore({ dataDir: seededDir })] as const;
  const latencies: [number[], number[]] = [[], []];
  try {
    for (const store of stores) await store.createPoll(poll('bench-poll', 'open'));
    for (let index = 0; index < WARM_UP + VOTES_MEASURED; index += 1) {
      // Each write changes a member's position, so every one reaches the disk (a retry would not).
      const member = MEMBERS[index % MEMBERS.length]!;
      const position = Math.floor(index / MEMBERS.length) % 2 === 0 ? 'support' : 'object';
      // Which store goes first alternates: the second write of a pair can ride on the first's journal commit.
      for (const which of index % 2 === 0 ? [0, 1] : [1, 0]) {
        const startedAt = performance.now();
        await recordVote(stores[which]!, vote('bench-poll', member, position, index));
        if (index >= WARM_UP) latencies[which]!.push(performance.now() - startedAt);
      }
    }
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
  return { empty: latencies[0], seeded: latencies[1] };
}

/**
 * Seeds a store directory with 20,000 closed polls (each with its outcome) and 200,000 audit events,
 * written directly through the store's own serialisation rather than 220,000 awaited calls.
 * Also used by the votes bench.
 */
export async function seed(dataDir: string): Promise<void> {
  const polls: PollRecord[] = Array.from({ length: SEEDED_OUTCOMES }, (_, index) => {
    const id = `seed-${index}`;
    return { poll: poll(id, 'closed'), votes: MEMBERS.map((member) => vote(id, member, 'support', index)), outcomes: [outcome(id, index)] };
  });
  const audit: AuditEvent[] = Array.from({ length: SEEDED_AUDIT_EVENTS }, (_, index) => ({
    at: timestamp(index),
    action: 'vote.cast',
    by: CHAIR,
    subject: `seed-${index % SEEDED_OUTCOMES}`,
    detail: { organisationId: MEMBERS[index % MEMBERS.length] },
  }));
  const files = await writeStoreDirectory(dataDir, { polls, agendas: [], conversations: [], audit, questions: [], feedback: [] }, { durable: false });
  await flushToDisk(files);
}

/**
 * Seeding skips fsync for speed, which leaves ~100 MB of dirty pages. Flush them now: otherwise the
 * kernel writes them back during the measurement, and the first fsyncs (of either store: they share
 * a journal) wait for them, which measures the seeding rather than the store.
 */
async function flushToDisk(files: string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const handle = await open(files[next++]!, 'r');
      await handle.sync().finally(() => handle.close());
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

function poll(id: string, status: Poll['status']): Poll {
  return {
    id,
    conversationId: 'conversation-1',
    title: `Proposal ${id}`,
    proposal: 'Approve the case for change for the elective recovery hub, as set out in the paper.',
    rule: { kind: 'consensus' },
    category: 1,
    membersInScope: MEMBERS,
    hidePositions: false,
    status,
    openedBy: CHAIR,
    openedAt: '2025-03-01T10:00:00.000Z',
    ...(status === 'closed' ? { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' } : {}),
    reopenings: [],
  };
}

function vote(pollId: string, organisationId: string, position: Vote['position'], index: number): Vote {
  return { pollId, organisationId, position, binding: true, castBy: { aadObjectId: `aad-${organisationId}`, name: 'Representative' }, castAt: timestamp(index) };
}

function outcome(pollId: string, index: number): Outcome {
  return {
    id: `outcome-${pollId}`,
    pollId,
    reference: `P${index}/25`,
    title: `Proposal ${pollId}`,
    proposal: 'Approve the case for change for the elective recovery hub, as set out in the paper.',
    meeting: { title: 'Provider leadership board', date: '2025-03-01' },
    rule: { kind: 'consensus' },
    category: 1,
    membersInScope: MEMBERS,
    positions: MEMBERS.map((member) => ({ organisationId: member, organisationName: `Trust ${member}`, position: 'support', binding: true })),
    counts: { support: MEMBERS.length, object: 0, abstain: 0, notVoted: 0 },
    result: 'agreed',
    explanation: 'Agreed: no member objected.',
    status: 'agreed',
    closedBy: CHAIR,
    closedAt: timestamp(index),
    reasons: [],
    actions: [],
    delivery: { state: 'posted', attempts: 1 },
  };
}

function timestamp(index: number): string {
  return new Date(Date.UTC(2021, 0, 1) + index * 60_000).toISOString();
}


