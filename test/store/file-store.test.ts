import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeStoreDirectory } from '../../src/store/file/write-store-directory.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { anAgenda, anAuditEvent, anOutcome, aPoll, aVersion, aVote, recordVote } from './builders.js';
import { storeContract } from './contract.js';
import { tempDir } from '../support/temp-dir.js';


storeContract('lowdb', async () => openFileStore({ dataDir: tempDir('store') }), {
  newPlace: async () => tempDir('store'),
  open: (dataDir) => openFileStore({ dataDir }),
});

describe('lowdb store on disk', () => {
  it('saves each conversation reference in its own file: concord.json is not rewritten as they grow (item 14.8)', async () => {
    const dataDir = tempDir('store');
    const store = await openFileStore({ dataDir });
    const main = path.join(dataDir, 'concord.json');
    const before = await readFile(main, 'utf8');
    try {
      for (let index = 0; index < 500; index += 1) {
        await store.saveConversation({ conversationId: `19:conversation-${index}@thread.tacv2`, reference: { serviceUrl: 'https://smba.trafficmanager.net/uk/', conversation: { id: `c-${index}` } }, savedAt: '2025-03-01T09:00:00.000Z' });
      }
      expect(await readFile(main, 'utf8')).toBe(before);
      expect((await readdir(path.join(dataDir, 'conversations'))).length).toBe(500);
    } finally {
      await store.close();
    }
  });

  it('reads conversation references an older version kept in concord.json; a newer file for one wins', async () => {
    const dataDir = tempDir('store');
    await (await openFileStore({ dataDir })).close();
    const main = path.join(dataDir, 'concord.json');
    const legacy = (id: string, serviceUrl: string) => ({ conversationId: id, reference: { serviceUrl }, savedAt: '2025-03-01T09:00:00.000Z' });
    await writeFile(main, `${JSON.stringify({ schemaVersion: 2, conversations: [legacy('old', 'https://old'), legacy('moved', 'https://before')] })}\n`);
    const first = await openFileStore({ dataDir });
    await first.saveConversation(legacy('moved', 'https://after'));
    await first.close();
    const second = await openFileStore({ dataDir });
    try {
      expect((await second.getConversation('old'))?.reference).toEqual({ serviceUrl: 'https://old' });
      expect((await second.getConversation('moved'))?.reference).toEqual({ serviceUrl: 'https://after' });
      expect((await stat(main)).size).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('a clean close leaves nothing to recover on reopen', async () => {
    const dataDir = tempDir('store');
    const first = await openFileStore({ dataDir });
    await first.createPoll(aPoll());
    await first.close();
    const second = await openFileStore({ dataDir });
    try {
      expect(second.recovery).toEqual({ tornLines: [], removedTemporaryFiles: [] });
    } finally {
      await second.close();
    }
  });

  it('a vote and its audit event are one rename of the poll’s file, and both survive a reopen (issue 15)', async () => {
    const dataDir = tempDir('store');
    const first = await openFileStore({ dataDir });
    await first.createPoll(aPoll(), [anAuditEvent('poll-1', { action: 'poll.opened', at: '2025-03-01T10:00:00.000Z' })]);
    await first.recordVotes('poll-1', [aVote('poll-1', 'org-a')], () => [anAuditEvent('poll-1', { detail: { organisationId: 'org-a', position: 'support' } })]);
    await first.close();
    // The event is in the poll's own file, beside the vote: no second write that a crash could cut off.
    const [file] = await readdir(path.join(dataDir, 'polls'));
    const record = JSON.parse(await readFile(path.join(dataDir, 'polls', file!), 'utf8')) as { votes: unknown[]; events: { action: string }[] };
    expect(record.votes).toHaveLength(1);
    expect(record.events.map((event) => event.action)).toEqual(['poll.opened', 'vote.cast']);
    expect(await readFile(path.join(dataDir, 'audit.jsonl'), 'utf8')).toBe('');
    const second = await openFileStore({ dataDir });
    try {
      expect((await second.readAudit()).map((event) => event.action)).toEqual(['poll.opened', 'vote.cast']);
    } finally {
      await second.close();
    }
  });

  it('a membership version and its audit event are one rename of the collaborative’s file, and both survive a reopen (issue 19)', async () => {
    const dataDir = tempDir('store');
    const first = await openFileStore({ dataDir });
    await first.saveCollaborativeVersion(aVersion('acute', 1));
    await first.saveCollaborativeVersion(aVersion('acute', 2));
    await first.close();
    const [file] = await readdir(path.join(dataDir, 'collaboratives'));
    const record = JSON.parse(await readFile(path.join(dataDir, 'collaboratives', file!), 'utf8')) as { versions: unknown[]; events: { action: string; detail: { version: number } }[] };
    expect(record.versions).toHaveLength(2);
    expect(record.events.map((event) => [event.action, event.detail.version])).toEqual([['collaborative.changed', 1], ['collaborative.changed', 2]]);
    expect(await readFile(path.join(dataDir, 'audit.jsonl'), 'utf8')).toBe('');
    const second = await openFileStore({ dataDir });
    try {
      expect((await second.readAudit({ subject: 'acute' })).map((event) => event.detail['version'])).toEqual([1, 2]);
    } finally {
      await second.close();
    }
  });

  it('a collaborative file written before that (a bare list, its events in audit.jsonl) reads with each event once, and its next change joins the file', async () => {
    const dataDir = tempDir('store');
    const first = await openFileStore({ dataDir });
    await first.saveCollaborativeVersion(aVersion('acute', 1));
    await first.close();
    // Rewrite it the way the first release of issue 19 did.
    const [file] = await readdir(path.join(dataDir, 'collaboratives'));
    const filePath = path.join(dataDir, 'collaboratives', file!);
    const { events } = JSON.parse(await readFile(filePath, 'utf8')) as { events: unknown[] };
    await writeFile(filePath, `${JSON.stringify([aVersion('acute', 1)])}\n`);
    await writeFile(path.join(dataDir, 'audit.jsonl'), events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    const second = await openFileStore({ dataDir });
    try {
      await second.saveCollaborativeVersion(aVersion('acute', 2));
      expect((await second.readAudit({ subject: 'acute' })).map((event) => event.detail['version'])).toEqual([1, 2]);
      expect(await second.collaborativeHistory('acute')).toEqual([aVersion('acute', 1), aVersion('acute', 2)]);
    } finally {
      await second.close();
    }
  });

  it('a store from before decision references: polls and outcomes get stable derived references (issue 15)', async () => {
    const dataDir = path.join(tempDir('store'), 'store');
    const legacy = (id: string, openedAt: string) => ({ poll: aPoll({ id, openedAt, status: 'closed' as const }), votes: [], outcomes: [anOutcome(id, { id: `outcome-${id}`, reference: id })] });
    await writeStoreDirectory(dataDir, {
      polls: [legacy('old-2', '2025-06-01T10:00:00.000Z'), legacy('old-1', '2025-03-01T10:00:00.000Z')],
      agendas: [], conversations: [], audit: [], questions: [], feedback: [],
    });
    const first = await openFileStore({ dataDir });
    expect((await first.listOutcomes()).map((outcome) => outcome.reference)).toEqual(['D-2025-002', 'D-2025-001']);
    // Rewriting one legacy poll stores its number; a new poll takes the next one.
    await first.transitionPoll('old-2', 'closed', 'open', { closedBy: undefined, closedAt: undefined });
    await first.createPoll(aPoll({ id: 'new', openedAt: '2025-07-01T10:00:00.000Z' }));
    await first.close();
    const second = await openFileStore({ dataDir });
    try {
      const references = Object.fromEntries((await second.listPolls()).map((poll) => [poll.id, poll.reference]));
      expect(references).toEqual({ 'old-1': 'D-2025-001', 'old-2': 'D-2025-002', new: 'D-2025-003' });
    } finally {
      await second.close();
    }
  });

  it('writes one small file per poll: a vote rewrites only its poll’s file', async () => {
    const dataDir = tempDir('store');
    const store = await openFileStore({ dataDir });
    try {
      await store.createPoll(aPoll({ id: 'poll-1' }));
      await store.createPoll(aPoll({ id: 'poll-2' }));
      await recordVote(store, aVote('poll-2', 'org-a'));
      const names = (await readdir(path.join(dataDir, 'polls'))).sort();
      expect(names).toHaveLength(2);
      const files = await Promise.all(names.map(async (name) => JSON.parse(await readFile(path.join(dataDir, 'polls', name), 'utf8')) as { votes: unknown[] }));
      expect(files.map((file) => file.votes.length).sort()).toEqual([0, 1]);
    } finally {
      await store.close();
    }
  });

  it('a backup taken while writes are in flight opens as a store holding every write acknowledged before it', async () => {
    const dataDir = tempDir('store');
    const store = await openFileStore({ dataDir });
    const backupDir = path.join(tempDir('store'), 'backup');
    try {
      await store.createPoll(aPoll());
      const before = Array.from({ length: 30 }, (_, index) => recordVote(store, aVote('poll-1', `org-${index}`)));
      const backup = store.backup(backupDir);
      const after = Array.from({ length: 30 }, (_, index) => recordVote(store, aVote('poll-1', `late-${index}`)));
      await Promise.all([...before, ...after]);
      const files = await backup;
      expect(files).toContain(path.join(backupDir, 'concord.json'));
    } finally {
      await store.close();
    }
    const restored = await openFileStore({ dataDir: backupDir });
    try {
      const organisations = (await restored.votes('poll-1')).map((vote) => vote.organisationId);
      expect(organisations.filter((id) => id.startsWith('org-'))).toHaveLength(30);
      expect(organisations.filter((id) => id.startsWith('late-'))).toHaveLength(0);
    } finally {
      await restored.close();
    }
  });

  it('refuses to back up into a directory that is not empty', async () => {
    const store = await openFileStore({ dataDir: tempDir('store') });
    try {
      const target = tempDir('store');
      await store.backup(path.join(target, 'one'));
      await expect(store.backup(target)).rejects.toThrow(/not empty/);
    } finally {
      await store.close();
    }
  });
});
