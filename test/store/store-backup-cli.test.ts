import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { tempDir } from '../support/temp-dir.js';
import { useChildren } from './helpers.js';

const startChild = useChildren();

describe('npm run store:backup', () => {
  it('copies a store that a running Concord is writing to, without its lock, into a store that opens', { timeout: 20_000 }, async () => {
    const dataDir = tempDir('store');
    const out = path.join(tempDir('store'), 'backup');
    const writer = startChild('holder.ts', [dataDir, '', '', '--write']);
    await writer.waitFor((line) => line === 'ack 50');
    const acknowledgedBefore = writer.lines.filter((line) => line.startsWith('ack ')).length;

    const backup = startChild('src/cli/store-backup.ts', ['--data-dir', dataDir, '--out', out]);
    expect(await backup.exited, backup.stderr()).toBe(0);
    expect(backup.lines.join('\n')).toMatch(/^backed up .* \d+ files, 1 polls, 0 outcomes, 0 agendas, \d+ audit events$/);
    writer.process.kill('SIGKILL');

    const restored = await openFileStore({ dataDir: out });
    try {
      const votes = new Set((await restored.votes('held-poll')).map((vote) => vote.organisationId));
      for (let count = 0; count < acknowledgedBefore; count += 1) expect(votes.has(`org-${count}`)).toBe(true);
      const subjects = (await restored.readAudit()).map((event) => event.subject);
      expect(new Set(subjects).size).toBe(subjects.length);
      expect(subjects.length).toBeGreaterThanOrEqual(acknowledgedBefore);
      expect(restored.recovery.tornLines).toEqual([]);
    } finally {
      await restored.close();
    }
  });

  it.each([
    ['an unknown flag', ['--into', 'x'], 2, /usage: npm run store:backup/],
    ['a directory that holds no store', ['--data-dir', 'EMPTY', '--out', 'OUT'], 1, /holds no Concord store/],
  ])('refuses %s', async (_case, args, code, message) => {
    const empty = tempDir('store');
    const resolved = args.map((arg) => (arg === 'EMPTY' ? empty : arg === 'OUT' ? path.join(empty, 'out') : arg));
    const child = startChild('src/cli/store-backup.ts', resolved);
    expect(await child.exited).toBe(code);
    expect(child.stderr()).toMatch(message);
  });
});
