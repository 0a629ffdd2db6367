/**
 * `npm run kb:report -- [--data-dir data/store] [--json]`: questions Concord could not answer and
 * answers marked unhelpful, so the secretariat knows what to add to the knowledge base. Reads the
 * store Concord is configured with (`.env`, DATABASE_URL, else CONCORD_DATA_DIR; `--data-dir`
 * overrides), from a consistent copy when it is a data directory, so it is safe while Concord runs.
 */
import { buildKnowledgeReport, formatKnowledgeReport } from '../knowledge/eval/report.js';
import { loadToolConfig, parseCommandLine, readStore, runTool, storeLocation, UsageError } from './cli.js';

const TOOL = 'kb:report';
const USAGE = 'usage: npm run kb:report -- [--data-dir data/store] [--json]';
const OPTIONS = { 'data-dir': { type: 'string', value: 'DIR' }, json: { type: 'boolean' } } as const;

await runTool(TOOL, async () => {
  let values;
  try {
    ({ values } = parseCommandLine(TOOL, process.argv.slice(2), OPTIONS));
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`${error.message}. ${USAGE}`) : error;
  }
  const location = storeLocation(loadToolConfig(TOOL), values['data-dir']);
  const report = await readStore(TOOL, location, async (store) => buildKnowledgeReport(await store.listQuestions(), await store.listFeedback()));
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatKnowledgeReport(report));
  return 0;
});
