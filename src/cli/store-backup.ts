/**
 * Back up the store while Concord runs.
 *
 *   npm run store:backup -- [--data-dir ./data/store] [--out ./data/backups/<timestamp>]
 *
 * Concord holds the store's lock, so this reads without it. That is safe because of how the store
 * writes (details in src/store/file/copy-store-files.ts): documents are only ever replaced by atomic
 * rename, so each is read once as a whole version; the append-only logs are copied up to their
 * last complete line. The copy is then read back and validated exactly as Concord would open it,
 * and only then reported as a backup. To restore, stop Concord and point CONCORD_DATA_DIR at it.
 */
import path from 'node:path';
import { copyStoreFiles } from '../store/file/copy-store-files.js';
import { readStoreDirectory } from '../store/file/read-store-directory.js';
import { AUDIT_FILE } from '../store/file/store-layout.js';

const USAGE = 'usage: npm run store:backup -- [--data-dir ./data/store] [--out ./data/backups/<timestamp>]';
/** The app's default CONCORD_DATA_DIR (src/config/config.ts). */
const DEFAULT_DATA_DIR = './data/store';

interface Options {
  dataDir: string;
  out: string;
}

function parseArguments(args: readonly string[], now: Date): Options | null {
  const options: Options = { dataDir: DEFAULT_DATA_DIR, out: path.join('./data/backups', now.toISOString().replace(/[:.]/g, '-')) };
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (value === undefined || value.startsWith('--')) return null;
    if (flag === '--data-dir') options.dataDir = value;
    else if (flag === '--out') options.out = value;
    else return null;
  }
  return options;
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2), new Date());
  if (!options) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const files = await copyStoreFiles(options.dataDir, options.out);
    const copy = await readStoreDirectory(options.out);
    const outcomes = copy.contents.polls.reduce((total, record) => total + record.outcomes.length, 0);
    const auditEvents = copy.logs[AUDIT_FILE].completeLines;
    process.stdout.write(
      `backed up ${path.resolve(options.dataDir)} to ${path.resolve(options.out)}: ${files.length} files, ` +
        `${copy.contents.polls.length} polls, ${outcomes} outcomes, ${copy.contents.agendas.length} agendas, ${auditEvents} audit events\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`store backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
