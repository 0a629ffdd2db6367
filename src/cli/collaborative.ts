/**
 * Seed, back up and move collaboratives as JSON files (issue 19), while Concord is stopped (the
 * embedded store's lock is held by a running Concord) or against PostgreSQL at any time:
 *
 *   npm run collaborative:import -- FILE [--bind CONVERSATION_OR_TEAM_ID | --default] [--data-dir data/store]
 *   npm run collaborative:export -- [--collaborative ID] [--out FILE] [--data-dir data/store]
 *
 * Import validates the file like the start-up loader and stores it as the collaborative's next
 * version (version 1 when new), audited as by "Concord (import)". Export writes the current
 * version in the same shape the import reads; without --collaborative it lists the collaboratives
 * and their bindings. DATABASE_URL, when set, selects the PostgreSQL store, as for the app.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadCollaborative } from '../decisions/collaborative.js';
import { importedVersion } from '../membership/change.js';
import { DEFAULT_BINDING } from '../membership/model.js';
import { openFileStore } from '../store/file/file-store.js';
import type { Store } from '../store/store.js';

const USAGE = [
  'usage: npm run collaborative:import -- FILE [--bind CONVERSATION_OR_TEAM_ID | --default] [--data-dir data/store]',
  '       npm run collaborative:export -- [--collaborative ID] [--out FILE] [--data-dir data/store]',
].join('\n');
const BY = { aadObjectId: 'concord-cli', name: 'Concord (import)' };

async function openStore(dataDir: string): Promise<Store> {
  // The CLI reads the environment itself, like store:backup: it is an operator's tool, not the app.
  const databaseUrl = process.env['DATABASE_URL'];
  if (databaseUrl) return (await import('../store/postgres/postgres-store.js')).openPostgresStore({ connectionString: databaseUrl });
  return openFileStore({ dataDir });
}

export async function run(command: 'import' | 'export', args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: 'data/store' },
      bind: { type: 'string' },
      default: { type: 'boolean', default: false },
      collaborative: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (command === 'import' && positionals.length !== 1) throw new UsageError('collaborative:import needs one FILE');
  const store = await openStore(values['data-dir']);
  try {
    const now = new Date();
    if (command === 'import') {
      const file = positionals[0]!;
      const collaborative = await loadCollaborative(file);
      const current = await store.getCollaborative(collaborative.id);
      const version = importedVersion({ current, collaborative, source: file, by: BY, now });
      await store.saveCollaborativeVersion(version);
      const bindTo = values.default ? DEFAULT_BINDING : values.bind;
      if (bindTo) await store.bindConversation({ conversationId: bindTo, collaborativeId: collaborative.id, by: BY, at: now.toISOString() });
      out(`imported ${collaborative.id} as version ${version.version}${bindTo ? `, bound to ${bindTo}` : ''}\n`);
      return 0;
    }
    if (values.collaborative === undefined) {
      const bindings = await store.listBindings();
      for (const version of await store.listCollaboratives()) {
        const where = bindings.filter((b) => b.collaborativeId === version.collaborativeId).map((b) => (b.conversationId === DEFAULT_BINDING ? 'default' : b.conversationId));
        out(`${version.collaborativeId}\tversion ${version.version}\t${version.collaborative.name}\t${where.join(', ') || 'not bound'}\n`);
      }
      return 0;
    }
    const current = await store.getCollaborative(values.collaborative);
    if (!current) throw new UsageError(`there is no collaborative ${values.collaborative}`);
    const text = `${JSON.stringify(current.collaborative, null, 2)}\n`;
    if (values.out) await writeFile(values.out, text, 'utf8');
    else out(text);
    return 0;
  } finally {
    await store.close();
  }
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const command = process.argv[2];
  if (command !== 'import' && command !== 'export') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    return await run(command, process.argv.slice(3), (text) => process.stdout.write(text));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`collaborative:${command}: ${message}\n${error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? `${USAGE}\n` : ''}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

// Run only as a script (tests import `run`).
if (process.argv[1]?.endsWith('collaborative.ts')) process.exitCode = await main();
