/**
 * The command-line tools as a secretariat runs them (issues 15 item 5 and 18): they read the store
 * Concord is configured with, PostgreSQL included, say which on their first line of stderr, and
 * refuse a bad option in one line that names it and what is accepted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../../src/store/file/file-store.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { usePostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';
import { anAuditEvent, anOutcome, aPoll, CHAIR, recordVote } from '../store/builders.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const newDatabase = usePostgres();

/** Settings Concord would read, and nothing inherited that could point a tool elsewhere. */
function environment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, CONCORD_DATA_DIR: _dir, CONCORD_KNOWLEDGE_DIR: _kb, ...inherited } = process.env;
  return { ...inherited, ...settings };
}

function run(script: string, args: string[], settings: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${script}`, ...args], { cwd: REPO, env: environment(settings), stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })));
}

/** One closed poll with its outcome and complete audit trail, titled so a test can find it. */
async function seed(store: Store, title: string): Promise<void> {
  await store.createPoll(aPoll({ title }), [anAuditEvent('poll-1', { action: 'poll.opened' })]);
  await store.transitionPoll('poll-1', 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome('poll-1', { title }), [
    anAuditEvent('poll-1', { action: 'poll.closed', at: '2025-03-01T11:00:00.000Z' }),
    anAuditEvent('outcome-poll-1', { action: 'outcome.logged', at: '2025-03-01T11:00:00.000Z' }),
  ]);
}

describe('the tools read the store the server is configured with', () => {
  it('CONCORD_DATA_DIR, without --data-dir: the export and audit:verify read it and say so', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tempDir('cli'), 'store');
    const store = await openFileStore({ dataDir });
    await seed(store, 'From the configured directory');
    await store.close();
    const exported = await run('register-export.ts', ['--format', 'csv'], { CONCORD_DATA_DIR: dataDir });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr.split('\n')[0]).toBe(`register:export: reading the embedded store in ${dataDir}`);
    expect(exported.stdout).toContain('From the configured directory');
    const verified = await run('audit-verify.ts', [], { CONCORD_DATA_DIR: dataDir });
    expect(verified.stdout, verified.stderr).toMatch(/^audit complete: 1 polls, 0 votes on record, 3 audit events/);
  });

  it('DATABASE_URL: export, kb:report, audit:verify and store:backup read PostgreSQL', { timeout: 120_000 }, async () => {
    const url = await newDatabase();
    const store = await openPostgresStore({ connectionString: url });
    await seed(store, 'From PostgreSQL');
    await store.close();
    // A data directory with another register beside it must not be read instead.
    const decoy = path.join(tempDir('cli'), 'store');
    const other = await openFileStore({ dataDir: decoy });
    await seed(other, 'From the decoy directory');
    await other.close();
    const settings = { DATABASE_URL: url, CONCORD_DATA_DIR: decoy };

    const exported = await run('register-export.ts', ['--format', 'md'], settings);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr.split('\n')[0]).toMatch(/^register:export: reading the PostgreSQL store at postgres:/);
    expect(exported.stdout).toContain('From PostgreSQL');
    expect(exported.stdout).not.toContain('decoy');

    const report = await run('kb-report.ts', ['--json'], settings);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr.split('\n')[0]).toMatch(/^kb:report: reading the PostgreSQL store/);

    const verified = await run('audit-verify.ts', [], settings);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^audit complete: 1 polls/);

    const out = path.join(tempDir('cli'), 'backup');
    const backup = await run('store-backup.ts', ['--out', out], settings);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/1 polls, 1 outcomes, 0 agendas, 3 audit events/);

    // --data-dir stays an override.
    const overridden = await run('register-export.ts', ['--format', 'md', '--data-dir', decoy], settings);
    expect(overridden.stdout).toContain('From the decoy directory');
  });

  it('audit:verify fails, naming the gap, when a vote on record has no event', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tempDir('cli'), 'store');
    const store = await openFileStore({ dataDir });
    await store.createPoll(aPoll(), [anAuditEvent('poll-1', { action: 'poll.opened' })]);
    // recordVotes without an audit callback writes no event: the state a crash between two writes used to leave.
    await recordVote(store, { pollId: 'poll-1', organisationId: 'org-a', position: 'support', binding: true, castBy: CHAIR, castAt: '2025-03-01T10:01:00.000Z' });
    await store.close();
    const verified = await run('audit-verify.ts', ['--data-dir', dataDir]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain("org-a's vote (support) has no vote event");
  });
});

describe('messages a person can act on (issue 18)', () => {
  it.each([
    ['ask', 'ask.ts', ['--verbose', 'q'], 'ask: unknown option --verbose; ask accepts --json, --batch.'],
    ['kb:report', 'kb-report.ts', ['--csv'], 'kb:report: unknown option --csv; kb:report accepts --data-dir DIR, --json.'],
    ['kb:report', 'kb-report.ts', ['--data-dir'], 'kb:report: --data-dir needs a value (--data-dir DIR)'],
    ['store:backup', 'store-backup.ts', ['--into', 'x'], 'store:backup: unknown option --into; store:backup accepts --data-dir DIR, --out DIR.'],
    ['package', 'package-app.ts', ['--output', 'x.zip'], 'package: unknown option --output; package accepts --out FILE, --manifest-dir DIR.'],
    ['register:export', 'register-export.ts', ['--format', 'csv', '--from', '2026-12-01', '--to', '2026-11-01'], '--from 2026-12-01 is after --to 2026-11-01, so no day is in between; give a --from on or before the --to.'],
    ['audit:verify', 'audit-verify.ts', ['--fix'], 'audit:verify: unknown option --fix; audit:verify accepts --data-dir DIR'],
  ])('%s (%s) %j: exit 2, one line naming the option and what is accepted', { timeout: 30_000 }, async (_tool, script, args, message) => {
    const result = await run(script, args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });
});
