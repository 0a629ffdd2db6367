import restify from 'restify';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { ConcordAdapter } from './bot-adapter.js';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { IncomingActivity } from '../bot/activity-input.js';
import { readJsonBody } from './json-body.js';
import { isLoopbackUrl } from '../shared/loopback.js';
import { stringifyJson } from '../shared/prepared-json.js';

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * restify's JSON formatter, with the text of prepared parts (the shared poll card's) taken as made
 * instead of serialised again for every reply (see prepared-json.ts): the same bytes either way.
 */
function formatJson(_req: restify.Request, res: restify.Response, body: unknown): string {
  const data = stringifyJson(body) ?? 'null';
  res.setHeader('Content-Length', Buffer.byteLength(data));
  return data;
}

/** botbuilder's AuthenticationError (a bad or missing token) carries a 401 or 403 status code. */
function authenticationStatus(error: unknown): 401 | 403 | undefined {
  if (!(error instanceof Error) || error.constructor.name !== 'AuthenticationError') return undefined;
  return (error as { statusCode?: unknown }).statusCode === 403 ? 403 : 401;
}
import { mountHomePage } from './home-page.js';

export interface ServerDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly adapter: ConcordAdapter;
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
  const server = restify.createServer({ name: 'concord', handleUncaughtExceptions: false, formatters: { 'application/json': formatJson } });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  let inFlight = 0;
  let closing = false;
  server.pre((req, res, next) => {
    if (closing) {
      res.setHeader('connection', 'close');
      res.send(503, { error: 'Concord is shutting down' });
      return next(false);
    }
    // Every response, JSON included, is read as the type it declares and nothing else.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    inFlight += 1;
    res.once('finish', () => { inFlight -= 1; });
    res.once('close', () => { if (!res.writableFinished) inFlight -= 1; });
    return next();
  });

  /** Every refusal on /api/messages: one structured log line and a body with no internal detail. */
  const refuse = (req: restify.Request, res: restify.Response, status: number, message: string, reason: string) => {
    logger.warn({ event: 'messages.refused', status, reason, remoteAddress: req.socket.remoteAddress }, 'activity request refused');
    // A body that was not read (415, 413) is not drained: the connection closes instead.
    if (status === 413 || status === 415) res.setHeader('connection', 'close');
    res.send(status, { error: message });
  };

  server.post('/api/messages', async (req, res) => {
    // In local mode nothing is authenticated, so a request a web page could make (it carries an
    // Origin header) is refused before its body is read: a form on any site the developer visits
    // must not act as a person in Concord.
    if (config.localMode && req.headers.origin !== undefined) {
      return refuse(req, res, 403, 'Concord in local mode does not accept requests from web pages.', 'local mode: Origin header');
    }
    const body = await readJsonBody(req, config.maxBodyBytes);
    if (!body.ok) return refuse(req, res, body.status, body.message, `body: ${body.message}`);
    const activity = IncomingActivity.safeParse(body.body);
    if (!activity.success) {
      const issues = activity.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      return refuse(req, res, 400, 'The request body is not a Bot Framework activity.', `not an activity: ${issues.join('; ')}`);
    }
    // Concord posts its replies to the activity's serviceUrl. Unauthenticated, that URL is the
    // caller's choice: in local mode only this computer's own connector (the Playground) is used.
    if (config.localMode && activity.data.serviceUrl !== undefined && !isLoopbackUrl(activity.data.serviceUrl)) {
      return refuse(req, res, 403, 'Concord in local mode replies only to a connector on this computer.', 'local mode: serviceUrl is not loopback');
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    let invokeResponse: InvokeResponse | undefined;
    try {
      invokeResponse = await adapter.handle(authorization, body.body as Activity, deps.onTurn);
    } catch (error) {
      // botbuilder's own messages name hosts and DNS errors; the caller gets a plain status.
      const status = authenticationStatus(error);
      if (status !== undefined) return refuse(req, res, status, 'The request was not authenticated.', `authentication: ${errorText(error)}`);
      // The turn catches its own errors, so what reaches here failed before it: in practice the
      // token could not be checked (Bot Framework signing keys unreachable).
      return refuse(req, res, 503, 'The request could not be authenticated just now.', `failed before the turn: ${errorText(error)}`);
    }
    if (invokeResponse?.body !== undefined) res.send(invokeResponse.status ?? 200, invokeResponse.body);
    else {
      res.status(invokeResponse?.status ?? 200);
      res.end();
    }
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
