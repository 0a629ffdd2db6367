/**
 * `npm run kb:report -- [--data-dir data/store] [--json]`: questions Concord could not answer and
 * answers marked unhelpful, so the secretariat knows what to add to data/knowledge/. Reads a
 * consistent copy of the store, so it is safe while Concord runs.
 */
import { buildKnowledgeReport, formatKnowledgeReport } from '../knowledge/eval/report.js';
import { readStoreSnapshot } from '../store/file/snapshot.js';

const USAGE = 'usage: npm run kb:report -- [--data-dir data/store] [--json]';

async function main(args: readonly string[]): Promise<number> {
  let dataDir = 'data/store';
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index];
    if (flag === '--json') json = true;
    else if (flag === '--data-dir' && args[index + 1] && !args[index + 1]!.startsWith('--')) dataDir = args[++index]!;
    else {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
  }
  try {
    const report = await readStoreSnapshot(dataDir, async (store) => buildKnowledgeReport(await store.listQuestions(), await store.listFeedback()));
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : formatKnowledgeReport(report));
    return 0;
  } catch (error) {
    process.stderr.write(`kb:report failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
