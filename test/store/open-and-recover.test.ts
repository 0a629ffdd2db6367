import { appendFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { StoreOpenError } from '../../src/store/store.js';
import { anAuditEvent, aPoll, aVote, recordVote } from './builders.js';
import { tempDir } from '../support/temp-dir.js';

const V1_FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/v1-store');

/** A store directory with a little in it, closed again. */
async function populatedStore(): Promise<string> {
  const dataDir = tempDir('store');
  const store = await openFileStore({ dataDir });
  await store.createPoll(aPoll());
  await recordVote(store, aVote('poll-1', 'org-a'));
  for (const subject of ['first', 'second', 'third']) await store.appendAudit(anAuditEvent(subject));
  await store.close();
  return dataDir;
}

/** Every file under a directory with its bytes, to prove a refused open changed nothing. */
async function snapshotFiles(directory: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(directory, file), await readFile(file));
    }
  }
  return files;
}

function capturingLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void written.push(line) });
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

async function firstPollFile(dataDir: string): Promise<string> {
  const [name] = await readdir(path.join(dataDir, 'polls'));
  return path.join(dataDir, 'polls', name!);
}

describe('opening refuses damaged files and leaves them byte for byte untouched', () => {
  it.each([
    ['main file that is not JSON', 'concord.json', async () => '{"schemaVersion": 2, "conversations": [', /concord\.json is not valid JSON/],
    ['main file of the wrong shape', 'concord.json', async () => '{"schemaVersion": 2, "conversations": {}}', /concord\.json does not match the expected shape/],
    ['main file from a newer Concord', 'concord.json', async () => '{"schemaVersion": 9, "conversations": []}', /schemaVersion 9, written by a newer Concord/],
    ['main file without a version', 'concord.json', async () => '{"conversations": []}', /concord\.json does not match[\s\S]*schemaVersion/],
    ['poll file that is not JSON', 'poll', async () => '{"poll": {"id": "poll-1"', /polls\/.*\.json is not valid JSON/],
    ['poll file with a vote for another poll', 'poll', async (text: string) => text.replace(/"pollId":\s*"poll-1"/, '"pollId":"poll-9"'), /vote for org-a names poll poll-9/],
    ['audit line in the middle that is not JSON', 'audit.jsonl', async (text: string) => text.replace('"second"', '"second'), /audit\.jsonl line 2 is not valid JSON/],
  ])('a %s', async (_case, target, damage, message) => {
    const dataDir = await populatedStore();
    const file = target === 'poll' ? await firstPollFile(dataDir) : path.join(dataDir, target);
    await writeFile(file, await damage(await readFile(file, 'utf8')));
    const before = await snapshotFiles(dataDir);

    const attempt = openFileStore({ dataDir });
    await expect(attempt).rejects.toBeInstanceOf(StoreOpenError);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(file);
    expect(await snapshotFiles(dataDir)).toEqual(before);
  });

  it('a directory with records but no main file', async () => {
    const dataDir = await populatedStore();
    await rm(path.join(dataDir, 'concord.json'));
    const before = await snapshotFiles(dataDir);
    await expect(openFileStore({ dataDir })).rejects.toThrow(/concord\.json is missing but .* holds store records/);
    expect(await snapshotFiles(dataDir)).toEqual(before);
  });
});

describe('recovery after a crash', () => {
  it('a torn last audit line is reported with its line number, moved aside, and earlier lines kept', async () => {
    const dataDir = await populatedStore();
    const audit = path.join(dataDir, 'audit.jsonl');
    const torn = '{"at":"2025-03-01T10:05:00.000Z","action":"vote.ca';
    await appendFile(audit, torn);
    const { logger, lines } = capturingLogger();

    const store = await openFileStore({ dataDir, logger });
    try {
      const [report] = store.recovery.tornLines;
      expect(store.recovery.tornLines).toHaveLength(1);
      expect(report).toMatchObject({ file: audit, line: 4, bytes: Buffer.byteLength(torn) });
      expect(await readFile(report!.movedTo, 'utf8')).toBe(torn);
      const warning = lines().find((line) => line['level'] === 40);
      expect(warning).toMatchObject({ file: audit, line: 4 });
      expect(String(warning?.['msg'])).toContain(`${audit} at line 4`);

      expect((await store.readAudit()).map((event) => event.subject)).toEqual(['first', 'second', 'third']);
      await store.appendAudit(anAuditEvent('fourth'));
    } finally {
      await store.close();
    }
    // Later appends start a clean line: the file is valid JSON lines throughout.
    const text = await readFile(audit, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').map((line) => (JSON.parse(line) as { subject: string }).subject)).toEqual(['first', 'second', 'third', 'fourth']);
    const reopened = await openFileStore({ dataDir });
    expect(reopened.recovery.tornLines).toEqual([]);
    await reopened.close();
  });

  it('temporary files of writes interrupted before their rename are removed and reported', async () => {
    const dataDir = await populatedStore();
    const leftover = `${await firstPollFile(dataDir)}.4242-7.tmp`;
    await writeFile(leftover, '{"poll": {"id": "half wr');
    const store = await openFileStore({ dataDir });
    try {
      expect(store.recovery.removedTemporaryFiles).toEqual([leftover]);
      expect(await store.votes('poll-1')).toEqual([aVote('poll-1', 'org-a')]);
    } finally {
      await store.close();
    }
  });
});

describe('migration', () => {
  it('brings a version-1 single-file store forward to the current layout, keeping the original', async () => {
    const dataDir = tempDir('store');
    await cp(V1_FIXTURE, dataDir, { recursive: true });
    const original = await readFile(path.join(dataDir, 'concord.json'));

    const store = await openFileStore({ dataDir });
    try {
      expect(store.recovery.migratedFrom).toBe(1);
      expect(await store.getPoll('hub-case-for-change')).toMatchObject({ status: 'closed', reopenings: [] });
      expect((await store.votes('hub-case-for-change')).map((vote) => [vote.organisationId, vote.position])).toEqual([
        ['RAE', 'support'],
        ['RCF', 'abstain'],
        ['RR8', 'support'],
      ]);
      expect(await store.votes('pathology-options')).toHaveLength(2);
      expect((await store.getOutcomeByPoll('hub-case-for-change'))?.actions).toHaveLength(1);
      expect((await store.getAgenda('plb-2025-03'))?.current.items).toHaveLength(2);
      expect(await store.getConversation('19:board@thread.tacv2')).toBeDefined();
      expect((await store.readAudit({ subject: 'hub-case-for-change' })).map((event) => event.action)).toEqual(['poll.opened', 'vote.cast', 'poll.closed']);
      expect(await store.listQuestions()).toHaveLength(1);
      expect(await store.listFeedback()).toHaveLength(1);
      // It keeps working as a version-2 store.
      await recordVote(store, aVote('pathology-options', 'RR8'));
    } finally {
      await store.close();
    }
    expect(await readFile(path.join(dataDir, 'concord.v1.json'))).toEqual(original);
    expect(JSON.parse(await readFile(path.join(dataDir, 'concord.json'), 'utf8'))).toMatchObject({ schemaVersion: 2 });

    const reopened = await openFileStore({ dataDir });
    expect(reopened.recovery.migratedFrom).toBeUndefined();
    expect(await reopened.votes('pathology-options')).toHaveLength(3);
    await reopened.close();
  });

  it('refuses a version-1 file it cannot migrate, and leaves the directory untouched', async () => {
    const dataDir = tempDir('store');
    const v1 = await readFile(path.join(V1_FIXTURE, 'concord.json'), 'utf8');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'concord.json'), v1.replace('"pathology-options:RAE"', '"pathology-options"'));
    const before = await snapshotFiles(dataDir);
    await expect(openFileStore({ dataDir })).rejects.toThrow(/vote key "pathology-options" is not pollId:organisationId/);
    expect(await snapshotFiles(dataDir)).toEqual(before);
  });
});
