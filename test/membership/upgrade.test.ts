import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BINDING } from '../../src/membership/model.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { ALEX, cardAction, message, post } from '../support/activities.js';
import { useTestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { tempDir } from '../support/temp-dir.js';
import { anAgenda } from '../store/builders.js';

/** test/store/fixtures/v2-store was written by the release before issue 19: one collaborative, in a file. */
const V2_FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../store/fixtures/v2-store');
describe('a store written by the release before issue 19', () => {
  it('keeps working: the configured file becomes version 1, the default; no vote, outcome or audit event is lost', async () => {
    const dataDir = tempDir('upgrade');
    await cp(V2_FIXTURE, dataDir, { recursive: true });
    const before = await openFileStore({ dataDir });
    const polls = await before.listPolls();
    const votes = await Promise.all(polls.map((poll) => before.votes(poll.id)));
    const outcomes = await before.listOutcomes();
    const audit = await before.readAudit();
    // An agenda as that release stored it: no collaborative named.
    await before.putAgenda(anAgenda('old-agenda', 1));
    await before.close();

    const running = await useTestConcord({}, { store: await openFileStore({ dataDir }) });
    const store = running.store;
    const seeded = await store.collaborativeFor('any-team');
    expect(seeded).toMatchObject({ version: 1, collaborativeId: 'south-yorkshire-acute-federation-sample', change: { kind: 'import' } });
    expect((await store.listBindings()).map((b) => b.conversationId)).toEqual([DEFAULT_BINDING]);
    expect(await store.listPolls()).toEqual(polls);
    expect(await Promise.all(polls.map((poll) => store.votes(poll.id)))).toEqual(votes);
    // Every outcome as it was. Not its delivery state: an outcome still pending is delivered in the
    // background as Concord starts, so that state may have moved on by now, by design.
    const recordOf = (list: typeof outcomes) => list.map(({ delivery: _delivery, ...record }) => record);
    expect(recordOf(await store.listOutcomes())).toEqual(recordOf(outcomes));
    expect((await store.readAudit()).slice(0, audit.length)).toEqual(audit);
    // Its agenda now names the default collaborative, the one its conversation's polls belong to.
    expect(await store.getAgenda('old-agenda')).toEqual({ ...anAgenda('old-agenda', 1), collaborativeId: 'south-yorkshire-acute-federation-sample' });

    // An old poll (no collaborative named) belongs to the default: its representatives still vote,
    // and its outcome is on that collaborative's register.
    const open = polls.find((poll) => poll.status === 'open')!;
    await post(running.url, cardAction(running.connector.url, 'poll.vote', { pollId: open.id, positionValue: 'abstain', organisationId: 'rotherham' }, { from: ALEX }));
    expect((await store.votes(open.id)).find((v) => v.organisationId === 'rotherham')?.position).toBe('abstain');
    await post(running.url, message(running.connector.url, 'decisions', { from: ALEX }));
    await running.connector.waitFor(() => running.connector.sent().some((call) => textOf(cardOf(call)).includes(outcomes[0]!.title)));
    await running.stop();

    // The binding and version were written durably: a restart neither loses nor imports again.
    const reopened = await openFileStore({ dataDir });
    try {
      expect((await reopened.collaborativeHistory('south-yorkshire-acute-federation-sample')).length).toBe(1);
      expect((await reopened.collaborativeFor('x'))?.version).toBe(1);
    } finally {
      await reopened.close();
    }
  });
});
