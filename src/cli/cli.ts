/**
 * What every command-line tool shares: its arguments read with node:util's parseArgs, refused in
 * plain English naming the bad option and what is accepted (issue 18); and the server's own
 * configuration (`.env`, CONCORD_DATA_DIR, CONCORD_KNOWLEDGE_DIR, DATABASE_URL, through the one
 * loader in config/), so a tool reads the same store and knowledge base as Concord does (issue 15,
 * item 5), and says on its first line of stderr which store it read.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { readStoreSnapshot } from '../store/file/snapshot.js';
import type { Store } from '../store/store.js';

/** An option a tool accepts: a flag (boolean) or an option that takes a value, with what it means. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** The value's placeholder in messages, e.g. "YYYY-MM-DD"; for a string option. */
  readonly value?: string;
}
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string;
};

/** A refusal the tool prints as one line (exit 2), never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** "--format csv|md, --from YYYY-MM-DD, --json": what a tool accepts, in one line. */
export function describeOptions(specs: OptionSpecs): string {
  const names = Object.entries(specs).map(([name, spec]) => (spec.type === 'string' ? `--${name} ${spec.value ?? 'VALUE'}` : `--${name}`));
  return names.length === 0 ? 'no options' : names.join(', ');
}

/**
 * Reads `args` against `specs`. Throws a UsageError that names the bad option or value and lists
 * what the tool accepts; `positionals` says whether free words (a question) are allowed.
 */
export function parseCommandLine<S extends OptionSpecs>(
  tool: string,
  args: readonly string[],
  specs: S,
  positionals = false,
): { values: ParsedOptions<S>; positionals: string[] } {
  const accepted = describeOptions(specs);
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: positionals });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const bad = optionIn(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${tool}: unknown option ${bad ?? ''}; ${tool} accepts ${accepted}`.replace(' ;', ';'));
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const spec = bad ? specs[bad.replace(/^-+/, '')] : undefined;
      throw new UsageError(spec?.type === 'string'
        ? `${tool}: ${bad} needs a value (${bad} ${spec.value ?? 'VALUE'}); ${tool} accepts ${accepted}`
        : `${tool}: ${bad ?? 'an option'} takes no value; ${tool} accepts ${accepted}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`${tool}: unexpected argument ${JSON.stringify(bad ?? '')}; ${tool} takes only options: ${accepted}`);
    }
    throw error;
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (specs[name]?.type === 'string' && (value === '' || (typeof value === 'string' && value.startsWith('--')))) {
      throw new UsageError(`${tool}: --${name} needs a value (--${name} ${specs[name]!.value ?? 'VALUE'}); ${tool} accepts ${accepted}`);
    }
  }
  return { values: parsed.values as ParsedOptions<S>, positionals: parsed.positionals };
}

/** parseArgs names the option in its message ("Unknown option '--x'", "Unexpected argument 'y'"). */
function optionIn(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  // "Option '--out <value>' argument missing": the option is the first word.
  const quoted = /'([^']*)'/.exec(message)?.[1];
  return quoted?.startsWith('-') ? quoted.split(' ')[0] : quoted;
}

/** The server's configuration, as `npm start` loads it (`.env`, then the environment). */
export function loadToolConfig(tool: string): Config {
  try {
    return loadConfig('cli');
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${tool}: the settings Concord would start with are not valid: ${error.problems.join('; ')}`);
    throw error;
  }
}

/** Where a tool's store is: the PostgreSQL database, or a data directory. */
export type StoreLocation = { kind: 'postgres'; connectionString: string } | { kind: 'directory'; dataDir: string };

/**
 * The store Concord itself would open: DATABASE_URL when set, else CONCORD_DATA_DIR. A
 * `--data-dir` given on the command line overrides both (reading a backup, say).
 */
export function storeLocation(config: Config, dataDirOverride?: string): StoreLocation {
  if (dataDirOverride !== undefined) return { kind: 'directory', dataDir: dataDirOverride };
  if (config.databaseUrl) return { kind: 'postgres', connectionString: config.databaseUrl };
  return { kind: 'directory', dataDir: config.dataDir };
}

export async function describeStoreLocation(location: StoreLocation): Promise<string> {
  if (location.kind === 'directory') return `the embedded store in ${path.resolve(location.dataDir)}`;
  const { describeDatabase } = await import('../store/postgres/postgres-store.js');
  return `the PostgreSQL store at ${describeDatabase(location.connectionString)}`;
}

/**
 * Runs `read` against the store at `location` without disturbing a running Concord: a data
 * directory is read from a consistent copy (store/snapshot.ts); PostgreSQL is shared by design.
 * First writes "<tool>: reading <store>" to stderr, so nobody exports another register unawares.
 */
export async function readStore<T>(tool: string, location: StoreLocation, read: (store: Store) => Promise<T>): Promise<T> {
  process.stderr.write(`${tool}: reading ${await describeStoreLocation(location)}\n`);
  if (location.kind === 'directory') return readStoreSnapshot(location.dataDir, read);
  const { openPostgresStore } = await import('../store/postgres/postgres-store.js');
  const store = await openPostgresStore({ connectionString: location.connectionString, poolSize: 2 });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs a tool's main: a UsageError is one line and exit 2, any other failure one line and exit 1
 * (a person at a terminal needs the cause, not a stack trace).
 */
export async function runTool(tool: string, main: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${tool} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
