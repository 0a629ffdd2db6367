/**
 * Proves the audit trail is complete: every poll opened, every vote on record, every close,
 * reopening and outcome has its audit event (store/audit-check.ts).
 *
 *   npm run audit:verify -- [--data-dir data/store]
 *
 * Reads the store Concord is configured with (.env, DATABASE_URL or CONCORD_DATA_DIR; --data-dir
 * overrides), from a consistent copy when it is a data directory, so it is safe while Concord runs.
 * Exit 0 and one summary line when complete; exit 1 and one line per gap when not.
 */
import { checkStoreAudit } from '../store/audit-check.js';
import { loadToolConfig, parseCommandLine, readStore, runTool, storeLocation } from './cli.js';

const TOOL = 'audit:verify';
const OPTIONS = { 'data-dir': { type: 'string', value: 'DIR' } } as const;

await runTool(TOOL, async () => {
  const { values } = parseCommandLine(TOOL, process.argv.slice(2), OPTIONS);
  const location = storeLocation(loadToolConfig(TOOL), values['data-dir']);
  const result = await readStore(TOOL, location, checkStoreAudit);
  const counted = `${result.polls} polls, ${result.votes} votes on record, ${result.events} audit events`;
  if (result.gaps.length === 0) {
    process.stdout.write(`audit complete: ${counted}; every vote, close, reopening and outcome has its event\n`);
    return 0;
  }
  process.stdout.write(`audit INCOMPLETE: ${result.gaps.length} gap(s) in ${counted}\n${result.gaps.map((gap) => `  ${gap}\n`).join('')}`);
  return 1;
});
