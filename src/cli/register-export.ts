/**
 * Export the decision register for minutes and board papers, while Concord runs.
 *
 *   npm run register:export -- --format csv|md [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 *                              [--collaborative ID] [--data-dir data/store] [--out FILE]
 *
 * Reads the store Concord is configured with (`.env`, DATABASE_URL, else CONCORD_DATA_DIR;
 * `--data-dir` overrides both) and names it on its first line of stderr. A data directory that a
 * running Concord holds is never opened directly: a consistent copy is taken first (the same copy
 * `npm run store:backup` makes; why that is safe is in src/store/file/copy-store-files.ts), exported,
 * and removed. Dates are calendar days of closedAt, inclusive, as the store query reads them. With
 * several collaboratives in one deployment, --collaborative ID exports that one's register only.
 */
import { writeFile } from 'node:fs/promises';
import { outcomesToCsv, outcomesToMarkdown } from '../register/export.js';
import { DEFAULT_BINDING } from '../membership/model.js';
import type { CollaborativeScope } from '../store/store.js';
import { loadToolConfig, parseCommandLine, readStore, runTool, storeLocation, UsageError } from './cli.js';

const TOOL = 'register:export';
const USAGE = 'usage: npm run register:export -- --format csv|md [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--collaborative ID] [--data-dir data/store] [--out FILE]';
const OPTIONS = {
  format: { type: 'string', value: 'csv|md' },
  from: { type: 'string', value: 'YYYY-MM-DD' },
  to: { type: 'string', value: 'YYYY-MM-DD' },
  'data-dir': { type: 'string', value: 'DIR' },
  out: { type: 'string', value: 'FILE' },
  collaborative: { type: 'string', value: 'ID' },
} as const;
const FORMATS = ['csv', 'md'] as const;
type Format = (typeof FORMATS)[number];

interface Options {
  format: Format;
  from?: string;
  to?: string;
  dataDir?: string;
  out?: string;
  collaborative?: string;
}

/** A calendar day as YYYY-MM-DD that exists (2026-02-30 does not). */
const isDay = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/** The options, or a UsageError naming the option, the value and what would be accepted. */
function parseExportArguments(args: readonly string[]): Options {
  // parseArgs keeps the last of a repeated option; a second --format is more likely a slip than intended.
  for (const name of Object.keys(OPTIONS)) {
    if (args.filter((arg) => arg === `--${name}`).length > 1) throw new UsageError(`${TOOL}: --${name} is given twice; give it once. ${USAGE}`);
  }
  let values;
  try {
    ({ values } = parseCommandLine(TOOL, args, OPTIONS));
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${error.message}. ${USAGE}`);
    throw error;
  }
  const { format, from, to } = values;
  if (format === undefined) throw new UsageError(`${TOOL}: --format is required: --format csv for a spreadsheet or --format md for minutes. ${USAGE}`);
  if (!FORMATS.includes(format as Format)) throw new UsageError(`${TOOL}: --format ${format} is not a format it writes; use --format csv or --format md. ${USAGE}`);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value !== undefined && !isDay(value)) throw new UsageError(`${TOOL}: --${name} ${value} is not a date; give a calendar day as YYYY-MM-DD, e.g. 2026-11-23. ${USAGE}`);
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new UsageError(`${TOOL}: --from ${from} is after --to ${to}, so no day is in between; give a --from on or before the --to. ${USAGE}`);
  }
  return { format: format as Format, from, to, dataDir: values['data-dir'], out: values.out, collaborative: values.collaborative };
}

await runTool(TOOL, async () => {
  const options = parseExportArguments(process.argv.slice(2));
  const location = storeLocation(loadToolConfig(TOOL), options.dataDir);
  const text = await readStore(TOOL, location, async (store) => {
    let collaboratives: CollaborativeScope | undefined;
    if (options.collaborative !== undefined) {
      if (!(await store.getCollaborative(options.collaborative))) throw new Error(`there is no collaborative ${options.collaborative} (collaborative:export lists them)`);
      collaboratives = { ids: [options.collaborative], defaultId: (await store.collaborativeFor(DEFAULT_BINDING))?.collaborativeId };
    }
    const outcomes = await store.listOutcomes({ from: options.from, to: options.to, ...(collaboratives ? { collaboratives } : {}) });
    return options.format === 'csv' ? outcomesToCsv(outcomes) : outcomesToMarkdown(outcomes, { from: options.from, to: options.to });
  });
  if (options.out) await writeFile(options.out, text, 'utf8');
  else process.stdout.write(text);
  return 0;
});
