import restify from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { IncomingActivity } from '../bot/activity-input.js';
import { mountHomePage } from './home-page.js';

export interface ServerDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly adapter: CloudAdapter;
  readonly onTurn: (context: TurnContext) => Promise<void>;
  /** For /healthz: whether the store is taking writes. */
  readonly storeState: () => string;
  /** Extra routes (the register tab) mounted by their own modules. */
  readonly mount?: (server: restify.Server) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops taking requests, lets in-flight ones finish, then resolves. */
  close(): Promise<void>;
}

export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const { config, logger, adapter } = deps;
  const server = restify.createServer({ name: 'concord', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  let inFlight = 0;
  let closing = false;
  server.pre((req, res, next) => {
    if (closing) {
      res.setHeader('connection', 'close');
      res.send(503, { error: 'Concord is shutting down' });
      return next(false);
    }
    inFlight += 1;
    res.once('finish', () => { inFlight -= 1; });
    res.once('close', () => { if (!res.writableFinished) inFlight -= 1; });
    return next();
  });

  const bodyParser = restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false, rejectUnknown: true });

  server.post('/api/messages', ...bodyParser, async (req, res) => {
    const activity = IncomingActivity.safeParse(req.body);
    if (!activity.success) {
      logger.warn({ issues: activity.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) }, 'rejected request body');
      res.send(400, { error: 'The request body is not a Bot Framework activity.' });
      return;
    }
    await adapter.process(req, res, deps.onTurn);
  });

  server.get('/healthz', async (_req, res) => {
    const store = deps.storeState();
    res.send(store === 'ready' ? 200 : 503, { status: store === 'ready' ? 'ok' : 'degraded', version: config.version, store });
  });

  mountHomePage(server, () => ({ version: config.version, store: deps.storeState(), localMode: config.localMode }));
  deps.mount?.(server);

  // restify turns a thrown handler error into a 500 without a stack trace in the body; log it once.
  server.on('restifyError', (req, res, error: Error & { statusCode?: number }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) logger.error({ err: error, path: req.path() }, 'request failed');
    else logger.warn({ status, path: req.path(), message: error.message }, 'request refused');
    return callback();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address.port;
  const url = `http://${config.host}:${port}`;

  return {
    url,
    port,
    close: async () => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      // Wait for in-flight turns (a vote being written) rather than cutting them off.
      const deadline = Date.now() + 10_000;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      server.server.closeAllConnections();
      await closed;
    },
  };
}
