import { startConcordProcess, startPlaygroundProcess, type Started } from './processes.js';

/**
 * `npm run playground`: Microsoft 365 Agents Playground on 127.0.0.1:PLAYGROUND_PORT (56150), a
 * Teams-like page to chat with Concord on 127.0.0.1:PORT (3978). If a Concord already answers on
 * that port (`npm start` in another terminal), the Playground talks to it; otherwise this starts
 * one with its own store, data/playground (CONCORD_DATA_DIR to change), because the embedded store
 * belongs to one process and `npm start` keeps data/store. Ctrl+C stops what this started.
 */
const concordPort = process.env.PORT ?? '3978';
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? '56150');
const concordUrl = `http://127.0.0.1:${concordPort}`;

const fail = (message: string): never => {
  process.stderr.write(`npm run playground: ${message}\n`);
  process.exit(1);
};

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

let concord: Started | undefined;
let note: string;
if (await answers(`${concordUrl}/healthz`)) {
  note = `Using the Concord already running at ${concordUrl} (and its store).`;
} else {
  const dataDir = process.env.CONCORD_DATA_DIR ?? 'data/playground';
  // Concord prints its own reason (a lock held, a bad setting) before this line.
  concord = await startConcordProcess({ PORT: concordPort, CONCORD_DATA_DIR: dataDir })
    .catch((error: unknown) => fail(`Concord did not start on port ${concordPort} (${error instanceof Error ? error.message : String(error)}); see its message above.`));
  note = `Started Concord at ${concordUrl} with the playground's own store in ${dataDir} (npm start keeps data/store).`;
}
const playground = await startPlaygroundProcess({ appEndpoint: `${concordUrl}/api/messages`, port: playgroundPort })
  .catch(async (error: unknown) => {
    await concord?.stop();
    return fail(`the Agents Playground did not start on port ${playgroundPort} (${error instanceof Error ? error.message : String(error)}); set PLAYGROUND_PORT to use another port.`);
  });
process.stdout.write(`\n${note}\nOpen ${playground.url} in a browser and type "help". Ctrl+C stops.\n\n`);

const stop = async () => {
  await playground.stop();
  await concord?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
