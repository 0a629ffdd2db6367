/**
 * The decision register tab: a static page for Teams (src/server/tab/public) and the JSON and CSV
 * API it reads. Routes:
 *
 *   GET /tab/register                  the page (no data in it, so served to anyone)
 *   GET /tab/register.js, register.css its script and styles; /tab/teams-js.js the TeamsJS bundle
 *   GET /api/register/outcomes         ?q=&from=&to=&limit=  → { outcomes, more }
 *   GET /api/register/outcomes/:id     → one outcome, or 404
 *   GET /api/register/export.csv       ?q=&from=&to=  → the CSV outcomesToCsv makes, as an attachment
 *   GET /api/register/meetings         → { meetings: [{ agendaId, title, date }] }, newest first
 *   GET /api/register/minutes/:agendaId ?format=docx|md → that meeting's draft minutes, as an attachment
 *
 * Access to /api/register is decided in tab/access.ts. Outcomes are selected by the store query
 * only, so the page, the download and `npm run register:export` agree on what a filter means.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type restify from 'restify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { ExportPeriod, outcomesToCsv } from '../register/export.js';
import type { Outcome } from '../decisions/outcome.js';
import { toOutcomeCardData } from '../register/outcome-view.js';
import { ukDateTime } from '../shared/format.js';
import type { OutcomeQuery, Store } from '../store/store.js';
import { checkAccess } from './tab/access.js';
import { minutesFileName, minutesToDocx, minutesToMarkdown } from '../bot/minutes-document.js';
import type { Minutes } from '../register/minutes.js';
import { mayRead, visibleAgendas, visibleOutcomes } from './tab/visible-outcomes.js';
import { createSsoTokenVerifier, type VerifyToken } from './tab/sso-token.js';

export interface RegisterTabDependencies {
  readonly store: Store;
  readonly config: Config;
  readonly logger: Logger;
  /** Tests may inject a verifier; by default tokens are checked against config.ssoJwksUrl. */
  readonly verifyToken?: VerifyToken;
  /** Draft minutes of an agenda's meeting (bot/meetings.ts); without it the minutes routes answer 404. */
  readonly minutesForAgenda?: (agendaId: string) => Promise<Minutes | undefined>;
}

/** Outcomes one list request returns when it does not say; the page asks for this many. */
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

/** The list's and the download's query string. Unknown keys are ignored (cache-busters, etc.). */
const SearchQuery = ExportPeriod.safeExtend({
  q: z.string('q: give the words once').trim().max(200, 'q: at most 200 characters').optional(),
});
const ListQuery = SearchQuery.safeExtend({
  limit: z.coerce.number('limit: give a whole number').int('limit: give a whole number').min(1, 'limit: at least 1').max(MAX_LIMIT, `limit: at most ${MAX_LIMIT}`).default(DEFAULT_LIMIT),
});
const OutcomeId = z.string().min(1).max(200);
const MinutesQuery = z.object({ format: z.enum(['docx', 'md'], 'format: docx or md').default('docx') });
/** Meetings the register lists for minutes; older ones are still downloadable by id. */
const MEETINGS_LISTED = 100;

/**
 * Everything the page loads comes from Concord itself, and no script may be inline. Two outside
 * names, both for TeamsJS: it fetches Microsoft's current list of host origins it may talk to from
 * res.cdn.office.net (falling back to the list it ships with), and Teams and the other Microsoft
 * 365 hosts must be allowed to frame the tab ("Tab requirements", Microsoft Learn).
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https://res.cdn.office.net/teams-js/",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.microsoft365.com https://*.office.com https://outlook.office.com https://outlook.office365.com",
].join('; ');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Read once at start: a missing file stops Concord starting rather than failing a user later. */
function loadStaticFiles(): Map<string, StaticFile> {
  const publicFile = (name: string) => readFileSync(new URL(`./tab/public/${name}`, import.meta.url));
  const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js');
  return new Map([
    ['/tab/register', { body: publicFile('register.html'), type: 'text/html; charset=utf-8' }],
    ['/tab/register.js', { body: publicFile('register.js'), type: 'text/javascript; charset=utf-8' }],
    ['/tab/register.css', { body: publicFile('register.css'), type: 'text/css; charset=utf-8' }],
    ['/tab/teams-js.js', { body: readFileSync(teamsJs), type: 'text/javascript; charset=utf-8' }],
  ]);
}

/** What the API returns for one outcome: the record (less its delivery bookkeeping) and the card's words. */
export function toRegisterEntry(outcome: Outcome) {
  const { delivery: _delivery, ...record } = outcome;
  const card = toOutcomeCardData(outcome);
  return {
    ...record,
    view: {
      statusText: card.statusText,
      closedText: ukDateTime(outcome.closedAt),
      facts: card.facts,
      explanation: card.explanation,
      positions: card.positions,
      reasons: card.reasons.map((reason) => reason.text),
      actions: card.actions.map((action) => action.text),
    },
  };
}

const firstProblem = (error: z.ZodError): string => error.issues[0]?.message ?? 'bad query';

const storeQuery = (query: { q?: string; from?: string; to?: string }): OutcomeQuery => ({
  text: query.q || undefined,
  from: query.from,
  to: query.to,
});

export function mountRegisterTab(server: restify.Server, deps: RegisterTabDependencies): void {
  const { store, config, logger } = deps;
  const files = loadStaticFiles();
  const verifyToken = deps.verifyToken ?? createSsoTokenVerifier({ jwksUrl: config.ssoJwksUrl, appId: config.bot.appId ?? '', publicUrl: config.publicUrl });
  if (!config.localMode && config.allowedTenants.length === 0) {
    logger.warn('the register tab refuses every request: set CONCORD_ALLOWED_TENANTS to the tenants that may read it');
  }

  for (const [route, file] of files) {
    server.get(route, (_req, res, next) => {
      res.sendRaw(200, file.body, {
        'Content-Type': file.type,
        'Content-Security-Policy': PAGE_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        // Revalidate each time: a new Concord version must not run with last week's script.
        'Cache-Control': 'no-cache',
      });
      return next();
    });
  }

  /** Sends the refusal and returns false, or returns who is reading (userId undefined in local mode). */
  const allowed = async (req: restify.Request, res: restify.Response): Promise<false | { userId?: string }> => {
    const decision = await checkAccess({
      remoteAddress: req.socket.remoteAddress,
      host: req.headers.host,
      authorization: req.headers.authorization,
    }, config, verifyToken);
    if (decision.ok) return { userId: decision.userId };
    logger.warn({ event: 'register.refused', status: decision.status, reason: decision.reason, path: req.path(), remoteAddress: req.socket.remoteAddress, tenantId: decision.tenantId }, 'register API request refused');
    if (decision.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.setHeader('Cache-Control', 'no-store');
    res.send(decision.status, { error: decision.message });
    return false;
  };

  const badQuery = (req: restify.Request, res: restify.Response, message: string) => {
    logger.info({ event: 'register.bad-query', path: req.path(), message }, 'register API query refused');
    res.send(400, { error: message });
  };

  server.get('/api/register/outcomes', async (req, res) => {
    const reader = await allowed(req, res);
    if (!reader) return;
    const query = ListQuery.safeParse(req.query ?? {});
    if (!query.success) return badQuery(req, res, firstProblem(query.error));
    // Filtered to the reader's collaboratives before the limit; one more than asked tells the page whether to say the list is cut short.
    const outcomes = await visibleOutcomes(store, reader.userId, { ...storeQuery(query.data), limit: query.data.limit + 1 });
    res.setHeader('Cache-Control', 'no-store');
    res.send(200, { outcomes: outcomes.slice(0, query.data.limit).map(toRegisterEntry), more: outcomes.length > query.data.limit });
  });

  server.get('/api/register/outcomes/:id', async (req, res) => {
    const reader = await allowed(req, res);
    if (!reader) return;
    const id = OutcomeId.safeParse((req.params as Record<string, unknown> | undefined)?.id);
    const found = id.success ? await store.getOutcome(id.data) : undefined;
    // Another collaborative's outcome is answered like a missing one: its existence is not theirs to know.
    const outcome = found && (await mayRead(store, reader.userId, found)) ? found : undefined;
    res.setHeader('Cache-Control', 'no-store');
    if (!outcome) {
      res.send(404, { error: 'That outcome is not on the register.' });
      return;
    }
    res.send(200, toRegisterEntry(outcome));
  });

  server.get('/api/register/meetings', async (req, res) => {
    const reader = await allowed(req, res);
    if (!reader) return;
    const agendas = (await visibleAgendas(store, reader.userId, (await store.listAgendas()).reverse())).slice(0, MEETINGS_LISTED);
    res.setHeader('Cache-Control', 'no-store');
    res.send(200, { meetings: agendas.map((agenda) => ({ agendaId: agenda.id, title: agenda.current.meeting.title, date: agenda.current.meeting.date })) });
  });

  server.get('/api/register/minutes/:agendaId', async (req, res) => {
    const reader = await allowed(req, res);
    if (!reader) return;
    const query = MinutesQuery.safeParse(req.query ?? {});
    if (!query.success) return badQuery(req, res, firstProblem(query.error));
    const id = OutcomeId.safeParse((req.params as Record<string, unknown> | undefined)?.agendaId);
    // Another collaborative's meeting is answered like a missing one, as outcomes are.
    const agenda = id.success ? await store.getAgenda(id.data) : undefined;
    const mine = agenda && (await visibleAgendas(store, reader.userId, [agenda])).length > 0;
    const minutes = mine && id.success ? await deps.minutesForAgenda?.(id.data) : undefined;
    if (!minutes) {
      res.setHeader('Cache-Control', 'no-store');
      res.send(404, { error: 'There is no agenda with that id, so no minutes.' });
      return;
    }
    const docx = query.data.format === 'docx';
    const body = docx ? await minutesToDocx(minutes) : Buffer.from(minutesToMarkdown(minutes), 'utf8');
    res.sendRaw(200, body, {
      'Content-Type': docx ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'text/markdown; charset=utf-8',
      'Content-Disposition': `attachment; filename="${minutesFileName(minutes, query.data.format)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  server.get('/api/register/export.csv', async (req, res) => {
    const reader = await allowed(req, res);
    if (!reader) return;
    const query = SearchQuery.safeParse(req.query ?? {});
    if (!query.success) return badQuery(req, res, firstProblem(query.error));
    const csv = outcomesToCsv(await visibleOutcomes(store, reader.userId, storeQuery(query.data)));
    const period = [query.data.from, query.data.to].filter(Boolean).join('-to-');
    // Dates are validated, so the file name holds only [0-9a-z-].
    const filename = `concord-register${period ? `-${period}` : ''}.csv`;
    res.sendRaw(200, Buffer.from(csv, 'utf8'), {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });
}
