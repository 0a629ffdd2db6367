import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startConcordProcess, type Started } from '../../src/cli/processes.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { ALEX, cardAction, post, voteAcknowledged } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { FakeConnector } from '../support/fake-connector.js';
import { freePort } from '../support/ports.js';
import { tempDir } from '../support/temp-dir.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 20;
const MEMBERS = 200;

let concord: (Started & { url: string }) | undefined;
let connector: FakeConnector | undefined;
afterEach(async () => {
  concord?.child.kill('SIGKILL');
  concord = undefined;
  await connector?.stop();
});

const positions = ['support', 'object', 'abstain'] as const;

describe('crash loop', () => {
  it(`SIGKILLed ${ROUNDS} times while votes stream in: every acknowledged vote survives, none doubled, overdue polls close on start`, async () => {
    const dataDir = tempDir('crash');
    connector = await new FakeConnector().start();
    const env = { CONCORD_DATA_DIR: dataDir, CONCORD_COLLABORATIVE_FILE: writeCollaborative(MEMBERS), CONCORD_LOG_LEVEL: 'silent', CONCORD_RATE_LIMIT_PER_MINUTE: '10000' };
    const start = async () => startConcordProcess({ ...env, PORT: String(await freePort()) }, process.env.CONCORD_TEST_OUTPUT === '1' ? 'inherit' : 'ignore');

    concord = await start();
    await post(concord.url, cardAction(connector.url, 'poll.open', { title: 'Crash-tested poll', proposal: 'P', category: '1', rule: 'majority' }, { from: ALEX }));
    const store0 = await (async () => {
      concord!.child.kill('SIGKILL');
      await new Promise((resolve) => concord!.child.once('exit', resolve));
      const store = await openFileStore({ dataDir });
      const polls = await store.listPolls();
      await store.close();
      return polls;
    })();
    const pollId = store0[0]!.id;

    /** The latest acknowledged position per member: what the store must hold after every crash. */
    const acknowledged = new Map<number, string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      concord = await start();
      const url = concord.url;
      let stop = false;
      let acknowledgedThisRound = 0;
      const stream = (async () => {
        for (let n = 0; !stop; n += 1) {
          const member = ((round * 37 + n * 11) % MEMBERS) + 1;
          const position = positions[(round + n) % 3]!;
          const response = await post(url, cardAction(connector!.url, 'poll.vote', { pollId, positionValue: position }, { from: representative(member) })).catch(() => undefined);
          if (response && voteAcknowledged(response)) {
            acknowledged.set(member, position);
            acknowledgedThisRound += 1;
          } else break;
        }
      })();
      // Wait on state, not time: the kill lands once this round has votes on record (a just-started
      // process may still be warming its templates), then at a random point among the next ones.
      await waitUntil(() => acknowledgedThisRound >= 2, 30_000);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 250)));
      concord.child.kill('SIGKILL');
      stop = true;
      await new Promise((resolve) => concord!.child.once('exit', resolve));
      await stream;

      const store = await openFileStore({ dataDir });
      const votes = await store.votes(pollId);
      await store.close();
      expect(new Set(votes.map((vote) => vote.organisationId)).size).toBe(votes.length);
      for (const [member, position] of acknowledged) {
        const stored = votes.find((vote) => vote.organisationId === `trust-${member}`);
        // A vote sent after the last acknowledged one may have landed before the kill; only then may it differ.
        expect(stored, `round ${round}: member ${member}'s acknowledged vote is missing`).toBeDefined();
        if (stored!.position !== position) acknowledged.set(member, stored!.position);
      }
    }
    expect(acknowledged.size).toBeGreaterThan(20);

    // A poll whose closing time passes while Concord is down is closed when it starts again.
    concord = await start();
    const closesAt = new Date(Date.now() + 1500).toISOString();
    await post(concord.url, cardAction(connector.url, 'poll.open', { title: 'Closes while down', proposal: 'P', category: '1', rule: 'majority', closesAt }, { from: ALEX }));
    concord.child.kill('SIGKILL');
    await new Promise((resolve) => concord!.child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1600));
    concord = await start();
    await concord.stop();
    const store = await openFileStore({ dataDir });
    const overdue = (await store.listPolls()).find((poll) => poll.title === 'Closes while down');
    const outcome = overdue ? await store.getOutcomeByPoll(overdue.id) : undefined;
    await store.close();
    expect(overdue?.status).toBe('closed');
    expect(outcome?.closedBy.aadObjectId).toBe('concord');

    // Issue 15: after all those kills, every vote on record, close and outcome has its audit event.
    const verify = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts', '--data-dir', dataDir], { cwd: REPO, encoding: 'utf8' });
    expect(verify.stdout, verify.stderr).toMatch(/^audit complete: 2 polls, \d+ votes on record/);
    expect(verify.status).toBe(0);
  }, 180_000);
});

/** Resolves once `condition` holds, polling; fails the test with a clear message past the deadline. */
async function waitUntil(condition: () => boolean, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no votes were acknowledged within ${deadlineMs} ms of the start`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
