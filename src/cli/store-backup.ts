/**
 * Back up the store while Concord runs.
 *
 *   npm run store:backup -- [--data-dir ./data/store] [--out ./data/backups/<timestamp>]
 *
 * Backs up the store Concord is configured with (`.env`, DATABASE_URL, else CONCORD_DATA_DIR;
 * `--data-dir` overrides both), named on the first line of stderr.
 *
 * A data directory: Concord holds the store's lock, so this reads without it. That is safe because
 * of how the store writes (details in src/store/file/copy-store-files.ts): documents are only ever
 * replaced by atomic rename, so each is read once as a whole version; the append-only logs are
 * copied up to their last complete line. PostgreSQL: one read-only, repeatable-read transaction
 * written out in the embedded store's layout. Either way the copy is then read back and validated
 * exactly as Concord would open it, and only then reported as a backup. To restore, stop Concord
 * and point CONCORD_DATA_DIR at it.
 */
import path from 'node:path';
import { copyStoreFiles } from '../store/file/copy-store-files.js';
import { readStoreDirectory } from '../store/file/read-store-directory.js';
import { AUDIT_FILE } from '../store/file/store-layout.js';
import { describeStoreLocation, loadToolConfig, parseCommandLine, runTool, storeLocation, UsageError } from './cli.js';

const TOOL = 'store:backup';
const USAGE = 'usage: npm run store:backup -- [--data-dir ./data/store] [--out ./data/backups/<timestamp>]';
const OPTIONS = { 'data-dir': { type: 'string', value: 'DIR' }, out: { type: 'string', value: 'DIR' } } as const;

await runTool(TOOL, async () => {
  let values;
  try {
    ({ values } = parseCommandLine(TOOL, process.argv.slice(2), OPTIONS));
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`${error.message}. ${USAGE}`) : error;
  }
  const location = storeLocation(loadToolConfig(TOOL), values['data-dir']);
  const out = values.out ?? path.join('./data/backups', new Date().toISOString().replace(/[:.]/g, '-'));
  const from = await describeStoreLocation(location);
  process.stderr.write(`${TOOL}: reading ${from}\n`);
  let files: string[];
  if (location.kind === 'directory') {
    files = await copyStoreFiles(location.dataDir, out);
  } else {
    const { openPostgresStore } = await import('../store/postgres/postgres-store.js');
    const store = await openPostgresStore({ connectionString: location.connectionString, poolSize: 2 });
    try {
      files = await store.backup(out);
    } finally {
      await store.close();
    }
  }
  const copy = await readStoreDirectory(out);
  const outcomes = copy.contents.polls.reduce((total, record) => total + record.outcomes.length, 0);
  // Events about a poll's record are kept in its file (issue 15); the rest in audit.jsonl.
  const auditEvents = copy.logs[AUDIT_FILE].completeLines + copy.contents.polls.reduce((total, record) => total + (record.events?.length ?? 0), 0);
  process.stdout.write(
    `backed up ${from} to ${path.resolve(out)}: ${files.length} files, ` +
      `${copy.contents.polls.length} polls, ${outcomes} outcomes, ${copy.contents.agendas.length} agendas, ${auditEvents} audit events\n`,
  );
  return 0;
});
