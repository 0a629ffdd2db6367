import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { tempDir } from '../support/temp-dir.js';
import { useChildren } from './helpers.js';

const startChild = useChildren();

const RUNS = 20;
const PREBOOTED = 3;

/** How many times each id occurs. */
function tally(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('crash safety', () => {
  it(`SIGKILLed ${RUNS} times mid-write: every acknowledged write survives, none is doubled`, { timeout: 240_000 }, async () => {
    const dataDir = tempDir('store');
    const acknowledged = { vote: new Set<string>(), audit: new Set<string>(), question: new Set<string>(), close: new Set<string>(), action: new Set<string>(), membership: new Set<string>() };

    // Writers boot a few runs ahead (tsx takes longer to start than a run lasts); each touches the store only when told.
    const booting = Array.from({ length: Math.min(PREBOOTED, RUNS) }, (_, run) => startChild('writer.ts', [dataDir, `r${run}`]));
    for (let run = 0; run < RUNS; run += 1) {
      const writer = booting.shift()!;
      if (run + PREBOOTED < RUNS) booting.push(startChild('writer.ts', [dataDir, `r${run + PREBOOTED}`]));
      await writer.waitFor((line) => line === 'loaded');
      writer.process.stdin.write('go\n');
      await writer.waitFor((line) => line === 'ready');
      // Killed only once this run has work on record (on state, not on time: a loaded machine
      // may take longer than any fixed wait to acknowledge one write), then at a random moment.
      const acked = (kind: string) => writer.lines.filter((line) => line.startsWith(`ack ${kind} `)).length;
      await writer.waitFor(() => acked('vote') >= 2 && acked('membership') >= 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100));
      writer.process.kill('SIGKILL');
      await writer.exited;
      for (const line of writer.lines) {
        const [word, kind, id] = line.split(' ');
        if (word === 'ack' && kind && id && kind in acknowledged) acknowledged[kind as keyof typeof acknowledged].add(id);
      }

      const store = await openFileStore({ dataDir });
      try {
        const votes = tally((await store.votes('crash-poll')).map((vote) => vote.organisationId));
        const audit = tally((await store.readAudit()).filter((event) => event.action !== 'collaborative.changed').map((event) => event.subject));
        const questions = tally((await store.listQuestions()).map((question) => question.id));
        const outcomes = tally((await store.listOutcomes()).map((outcome) => outcome.pollId));
        const actions = tally((await store.getOutcome('outcome-shared-poll'))?.actions.map((action) => action.who) ?? []);
        for (const [kind, counts] of [['vote', votes], ['audit', audit], ['question', questions], ['close', outcomes], ['action', actions]] as const) {
          const missing = [...acknowledged[kind]].filter((id) => counts.get(id) !== 1);
          expect(missing, `${kind}: acknowledged but not present exactly once after run ${run}`).toEqual([]);
          expect([...counts].filter(([, count]) => count > 1), `${kind}: doubled after run ${run}`).toEqual([]);
        }
        for (const id of acknowledged.close) expect((await store.getPoll(id))?.status).toBe('closed');
        // A membership version and its audit event land together (issue 19): every version on
        // record has exactly one collaborative.changed event and every event its version.
        const changes = (await store.readAudit()).filter((event) => event.action === 'collaborative.changed').map((event) => `${event.subject} v${String(event.detail['version'])}`);
        const versions = (await Promise.all((await store.listCollaboratives()).map((current) => store.collaborativeHistory(current.collaborativeId))))
          .flat().map((version) => `${version.collaborativeId} v${version.version}`);
        expect(changes.sort(), `membership versions and their events after run ${run}`).toEqual(versions.sort());
        for (const id of acknowledged.membership) expect((await store.getCollaborative(id))?.version).toBe(2);
        // Closing and its outcome land together: no closed poll without its outcome, ever.
        for (const poll of await store.listPolls({ status: 'closed' })) expect(await store.getOutcomeByPoll(poll.id)).toBeDefined();
      } finally {
        await store.close();
      }
    }
    // The test means something only if the writer was interrupted with work done.
    expect(acknowledged.vote.size).toBeGreaterThan(RUNS);
    expect(acknowledged.membership.size).toBeGreaterThan(RUNS / 4);
  });
});
