import { startConcordProcess, startPlaygroundProcess } from './processes.js';

/**
 * `npm run playground`: Concord on 127.0.0.1:3978 and Microsoft 365 Agents Playground on
 * 127.0.0.1:56150, a Teams-like page to chat with it. Ctrl+C stops both.
 */
const concordPort = process.env.PORT ?? '3978';
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? '56150');

const concord = await startConcordProcess({ PORT: concordPort });
const playground = await startPlaygroundProcess({ appEndpoint: `${concord.url}/api/messages`, port: playgroundPort });
process.stdout.write(`\nConcord is running at ${concord.url}\nOpen ${playground.url} in a browser and type "help".\n\n`);

const stop = async () => {
  await playground.stop();
  await concord.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
