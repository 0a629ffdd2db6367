import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { INDEX_VERSION, POLL_INDEX_FILE } from '../../src/store/file/poll-index.js';
import { pollFilePath } from '../../src/store/file/store-layout.js';
import { StoreOpenError, type Store } from '../../src/store/store.js';
import { anAuditEvent, anOutcome, aPoll, aVote, CHAIR, recordVote } from './builders.js';
import { tempDir } from '../support/temp-dir.js';

function capturingLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void written.push(line) });
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** How many poll files the open read in full (the rest came from the index). */
const pollsRead = (lines: Array<Record<string, unknown>>): unknown => lines.find((line) => line.msg === 'store open')?.pollsRead;
/**
 * How the open checked the index against the files: 'deferred' (the folder as the index last saw
 * it) read only the open polls' files and left the entries to decode once the store is open.
 */
const indexCheck = (lines: Array<Record<string, unknown>>): unknown => lines.find((line) => line.msg === 'store open')?.pollIndex;

async function closePoll(store: Store, id: string, title: string, collaborativeId?: string): Promise<void> {
  await store.createPoll(aPoll({ id, title, ...(collaborativeId ? { collaborativeId } : {}) }));
  await recordVote(store, aVote(id, 'org-a'));
  await store.transitionPoll(id, 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome(id, { id: `outcome-${id}`, title }));
}

/** A store with two closed polls and one open one, closed cleanly (so its index is written). */
async function storeWithIndex(): Promise<string> {
  const dataDir = tempDir('store');
  const store = await openFileStore({ dataDir });
  await closePoll(store, 'poll-1', 'Elective hub');
  await closePoll(store, 'poll-2', 'Pathology network');
  await store.createPoll(aPoll({ id: 'poll-3', title: 'Still open' }));
  await store.appendAudit(anAuditEvent('first'));
  await store.close();
  return dataDir;
}

async function reopen(dataDir: string): Promise<{ store: Store; lines: () => Array<Record<string, unknown>> }> {
  const { logger, lines } = capturingLogger();
  return { store: await openFileStore({ dataDir, logger }), lines };
}

describe('the embedded store\'s poll index (issue 22)', () => {
  it('opening with a current index reads only the open poll\'s file, and answers as the files say', async () => {
    const dataDir = await storeWithIndex();
    const { store, lines } = await reopen(dataDir);
    try {
      expect(pollsRead(lines())).toBe(1);
      expect(indexCheck(lines())).toBe('deferred');
      expect((await store.listPolls()).map((poll) => [poll.id, poll.status])).toEqual([['poll-1', 'closed'], ['poll-2', 'closed'], ['poll-3', 'open']]);
      expect((await store.listOutcomes({ text: 'pathology' })).map((outcome) => outcome.id)).toEqual(['outcome-poll-2']);
      expect((await store.votes('poll-1')).map((vote) => vote.organisationId)).toEqual(['org-a']);
      expect((await store.getOutcome('outcome-poll-1'))?.title).toBe('Elective hub');
    } finally {
      await store.close();
    }
  });

  it('a crash between a poll\'s write and the index\'s: the newer file wins, and the index is rewritten', async () => {
    const dataDir = await storeWithIndex();
    const indexBefore = await readFile(path.join(dataDir, POLL_INDEX_FILE));
    const writer = await openFileStore({ dataDir });
    await writer.updateOutcome('outcome-poll-1', (outcome) => ({ ...outcome, title: 'Elective hub, revised' }));
    await closePoll(writer, 'poll-4', 'Diagnostics');
    await writer.close();
    // As if the process died after those writes and before the index was written again.
    await writeFile(path.join(dataDir, POLL_INDEX_FILE), indexBefore);

    const { store, lines } = await reopen(dataDir);
    try {
      expect(pollsRead(lines())).toBe(3);
      expect(indexCheck(lines())).toBe('per file');
      expect(lines().some((line) => line.msg === 'poll index written')).toBe(true);
      expect((await store.listOutcomes({ text: 'revised' })).map((outcome) => outcome.id)).toEqual(['outcome-poll-1']);
      expect((await store.listOutcomes({ text: 'diagnostics' })).map((outcome) => outcome.id)).toEqual(['outcome-poll-4']);
      expect((await store.getOutcome('outcome-poll-1'))?.title).toBe('Elective hub, revised');
    } finally {
      await store.close();
    }
    const again = await reopen(dataDir);
    try {
      expect(pollsRead(again.lines())).toBe(1);
      expect(indexCheck(again.lines())).toBe('deferred');
    } finally {
      await again.store.close();
    }
  });

  it('a register view reads only the outcomes it shows: the index knows each poll\'s collaborative and agenda', async () => {
    const dataDir = tempDir('store');
    const writer = await openFileStore({ dataDir });
    for (const n of [1, 2, 3]) await closePoll(writer, `acute-${n}`, `Acute decision ${n}`, 'acute');
    await closePoll(writer, 'mental-health-1', 'Mental health decision', 'mental-health');
    await writer.close();
    const store = await openFileStore({ dataDir });
    try {
      // Made unreadable once open: a read of either file would fail the query, so an answer shows they were never read.
      await writeFile(pollFilePath(dataDir, 'mental-health-1'), 'not a poll');
      await writeFile(pollFilePath(dataDir, 'acute-1'), 'not a poll');
      const acute = { collaboratives: { ids: ['acute'] } };
      expect(await store.countOutcomes(acute)).toBe(3);
      expect((await store.listOutcomes({ ...acute, limit: 2 })).map((outcome) => outcome.title)).toEqual(['Acute decision 3', 'Acute decision 2']);
      // The whole register would have to read them.
      await expect(store.listOutcomes(acute)).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it('a deferred open answers as the files say at once: a vote on a closed poll is refused as closed, an outcome is found', async () => {
    const dataDir = await storeWithIndex();
    const { store, lines } = await reopen(dataDir);
    try {
      expect(indexCheck(lines())).toBe('deferred');
      expect(await store.recordVotes('poll-1', [aVote('poll-1', 'org-b')])).toEqual({ recorded: false, status: 'closed' });
      expect(await store.recordVotes('poll-3', [aVote('poll-3', 'org-b')])).toMatchObject({ recorded: true });
      expect((await store.getOutcome('outcome-poll-2'))?.title).toBe('Pathology network');
    } finally {
      await store.close();
    }
  });

  it('an index entry found damaged after a deferred open: every poll file is read instead, and the answers are the files\'', async () => {
    const dataDir = await storeWithIndex();
    const file = path.join(dataDir, POLL_INDEX_FILE);
    const [header, , second] = (await readFile(file, 'utf8')).split('\n');
    // The header (and so the witnesses) intact, the first entry damaged: only decoding it tells.
    await writeFile(file, `${header}\n["poll-1.json", "damaged"]\n${second}\n`);
    const { store, lines } = await reopen(dataDir);
    try {
      expect(indexCheck(lines())).toBe('deferred');
      store.finishOpening?.();
      expect((await store.listOutcomes()).map((outcome) => outcome.id)).toEqual(['outcome-poll-2', 'outcome-poll-1']);
      expect(lines().some((line) => line.msg === 'poll index not valid after all: reading every poll file instead')).toBe(true);
      expect(store.state()).toBe('ready');
    } finally {
      await store.close();
    }
  });

  it('a backup copied back over the store, file by file in place, is noticed: every file is checked and the copy wins', async () => {
    const dataDir = await storeWithIndex();
    const saved = await Promise.all([pollFilePath(dataDir, 'poll-1'), path.join(dataDir, 'concord.json')].map(async (file) => ({ file, bytes: await readFile(file) })));
    const writer = await openFileStore({ dataDir });
    await writer.updateOutcome('outcome-poll-1', (outcome) => ({ ...outcome, title: 'Elective hub, revised' }));
    await writer.close();
    // cp over existing files writes in place: same inodes, no rename in the polls folder.
    for (const { file, bytes } of saved) await writeFile(file, bytes);
    const { store, lines } = await reopen(dataDir);
    try {
      expect(indexCheck(lines())).toBe('per file');
      expect(await store.listOutcomes({ text: 'revised' })).toEqual([]);
      expect((await store.getOutcome('outcome-poll-1'))?.title).toBe('Elective hub');
    } finally {
      await store.close();
    }
  });

  it('an entry whose poll file is gone is dropped, not listed', async () => {
    const dataDir = await storeWithIndex();
    await rm(pollFilePath(dataDir, 'poll-2'));
    const { store } = await reopen(dataDir);
    try {
      expect(await store.getPoll('poll-2')).toBeUndefined();
      expect((await store.listOutcomes()).map((outcome) => outcome.id)).toEqual(['outcome-poll-1']);
      expect((await store.listPolls()).map((poll) => poll.id)).toEqual(['poll-1', 'poll-3']);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['cut short (a crash while it was written)', `{"version":${INDEX_VERSION},"logs":{}}\n["poll-1-`],
    ['not JSON', `{"version":${INDEX_VERSION},"logs":{}}\nnot json\n`],
    ['the wrong shape', `{"version":${INDEX_VERSION},"logs":{}}\n["x.json",1,2,3]\n`],
    ['an unknown version', '{"version":99,"logs":{}}\n'],
    // Version 3 did not carry each poll's collaborative and agenda, which register views filter on.
    ['the version before collaboratives were indexed', '{"version":3,"logs":{}}\n'],
  ])('an index that is %s is ignored with a log line; every file is read and a new index written', async (_case, text) => {
    const dataDir = await storeWithIndex();
    await writeFile(path.join(dataDir, POLL_INDEX_FILE), text);
    const { store, lines } = await reopen(dataDir);
    try {
      const warning = lines().find((line) => line.msg === 'poll index ignored: it is not valid; reading every poll file and writing a new index');
      expect(warning?.file).toBe(path.join(dataDir, POLL_INDEX_FILE));
      expect(pollsRead(lines())).toBe(3);
      expect((await store.listOutcomes()).map((outcome) => outcome.id)).toEqual(['outcome-poll-2', 'outcome-poll-1']);
    } finally {
      await store.close();
    }
    const [header] = (await readFile(path.join(dataDir, POLL_INDEX_FILE), 'utf8')).split('\n');
    expect(JSON.parse(header ?? '')).toMatchObject({ version: INDEX_VERSION });
  });

  it('audit lines appended after the index\'s checkpoint are still validated: a damaged one stops the open', async () => {
    const dataDir = await storeWithIndex();
    await appendFile(path.join(dataDir, 'audit.jsonl'), '{"not":"an event"}\n');
    await expect(openFileStore({ dataDir })).rejects.toThrow(StoreOpenError);
    await expect(openFileStore({ dataDir })).rejects.toThrow(/audit\.jsonl line 2 /);
  });

  it('a log rewritten since the checkpoint (another inode) is validated from its first line', async () => {
    const dataDir = await storeWithIndex();
    const audit = path.join(dataDir, 'audit.jsonl');
    const good = await readFile(audit, 'utf8');
    // Same length and a line end at the checkpoint, but a different file: only the inode tells.
    const damaged = `${'x'.repeat(good.length - 1)}\n`;
    // Written beside it and renamed over it, as a prune does: removing it first could free its inode for reuse.
    await writeFile(`${audit}.new`, damaged);
    await rename(`${audit}.new`, audit);
    await expect(openFileStore({ dataDir })).rejects.toThrow(/audit\.jsonl line 1 is not valid JSON/);
  });
});
