/**
 * Export the decision register for minutes and board papers, while Concord runs.
 *
 *   npm run register:export -- --format csv|md [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 *                              [--collaborative ID] [--data-dir data/store] [--out FILE]
 *
 * A running Concord holds the data directory's lock, so this never opens it directly: it takes a
 * consistent copy first (copyStoreFiles, the same copy `npm run store:backup` makes; why that is
 * safe is in src/store/file/copy-store-files.ts), opens the copy, exports, and removes the copy.
 * Dates are calendar days of closedAt, inclusive, as the store query reads them. With several
 * collaboratives in one deployment, --collaborative ID exports that one's register only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExportPeriod, outcomesToCsv, outcomesToMarkdown } from '../register/export.js';
import { copyStoreFiles } from '../store/file/copy-store-files.js';
import { openFileStore } from '../store/file/file-store.js';
import { DEFAULT_BINDING } from '../membership/model.js';
import { outcomesOfCollaborative } from '../membership/scope.js';

const USAGE = 'usage: npm run register:export -- --format csv|md [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--collaborative ID] [--data-dir data/store] [--out FILE]';
/** The app's default CONCORD_DATA_DIR (src/config/config.ts). */
const DEFAULT_DATA_DIR = 'data/store';
const FORMATS = ['csv', 'md'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  format: Format;
  from?: string;
  to?: string;
  dataDir: string;
  out?: string;
  collaborative?: string;
}

/** The options, or the one thing wrong with the arguments. */
function parseArguments(args: readonly string[]): Options | string {
  const given = new Map<string, string>();
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index]!, args[index + 1]];
    if (!['--format', '--from', '--to', '--data-dir', '--out', '--collaborative'].includes(flag)) return `unknown argument ${flag}`;
    if (value === undefined || value.startsWith('--') || value === '') return `${flag} needs a value`;
    if (given.has(flag)) return `${flag} given twice`;
    given.set(flag, value);
  }
  const format = given.get('--format');
  if (format === undefined) return '--format is required';
  if (!FORMATS.includes(format as Format)) return `--format must be csv or md, not ${format}`;
  const period = ExportPeriod.safeParse({ from: given.get('--from'), to: given.get('--to') });
  if (!period.success) return `--${period.error.issues[0]?.message ?? 'bad dates'}`;
  return { format: format as Format, ...period.data, dataDir: given.get('--data-dir') ?? DEFAULT_DATA_DIR, out: given.get('--out'), collaborative: given.get('--collaborative') };
}

async function exportRegister(options: Options): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'concord-register-export-'));
  try {
    await copyStoreFiles(options.dataDir, copy);
    const store = await openFileStore({ dataDir: copy });
    try {
      let outcomes = await store.listOutcomes({ from: options.from, to: options.to });
      if (options.collaborative !== undefined) {
        if (!(await store.getCollaborative(options.collaborative))) throw new Error(`there is no collaborative ${options.collaborative} (collaborative:export lists them)`);
        const defaultId = (await store.collaborativeFor(DEFAULT_BINDING))?.collaborativeId;
        outcomes = outcomesOfCollaborative(options.collaborative, outcomes, await store.listPolls(), defaultId);
      }
      return options.format === 'csv' ? outcomesToCsv(outcomes) : outcomesToMarkdown(outcomes, { from: options.from, to: options.to });
    } finally {
      await store.close();
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`register:export: ${options}. ${USAGE}\n`);
    return 2;
  }
  try {
    const text = await exportRegister(options);
    if (options.out) await writeFile(options.out, text, 'utf8');
    else process.stdout.write(text);
    return 0;
  } catch (error) {
    process.stderr.write(`register export failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
