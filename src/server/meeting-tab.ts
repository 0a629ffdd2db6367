/**
 * The in-meeting bubble (issue 21): the page Teams opens from a poll's in-meeting notification,
 * where a representative records their member's position without leaving the call. Routes:
 *
 *   GET  /tab/bubble?poll=<id>                  the page (no data in it); /tab/bubble.js its script
 *   GET  /api/meeting/polls/:pollId             → the poll and the members this person may answer for
 *   POST /api/meeting/polls/:pollId/position    { positionValue, organisationId? } → { recorded, message }
 *   GET  /tab/meeting, /tab/meeting-config, /tab/stage?poll=<id>   the side panel, its configuration page, the stage view
 *   GET  /api/meeting/agenda?chat=<meeting chat id>  → the side panel (bot/meetings.ts SidePanel), or 404
 *   POST /api/meeting/agenda/:agendaId/now      { itemRef } → chair or secretariat: moves the "Now" marker (stored),
 *                                               taking attendance; 400 item not on the agenda, 403 anyone else, 404 no such agenda
 *
 * Same access rules as the register tab (tab/access.ts): a Teams SSO token from an allowed tenant,
 * or in local mode loopback only. The token's user (oid) is the voter, and the position goes
 * through the same batch, core (castVote) and store as a card vote, so the record cannot tell them apart.
 * Local mode has no sign-in, so the page names the person in X-Concord-Local-User (loopback only).
 */
import { readFileSync } from 'node:fs';
import restify from 'restify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import type { MeetingPolls } from '../bot/features.js';
import { Position } from '../decisions/model.js';
import { readJsonBody } from './json-body.js';
import { checkAccess } from './tab/access.js';
import { createSsoTokenVerifier, type VerifyToken } from './tab/sso-token.js';
import { PAGE_CSP } from './register-tab.js';

export interface MeetingTabDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly meetingPolls: MeetingPolls;
  readonly verifyToken?: VerifyToken;
}

const PollId = z.string().trim().min(1).max(100);
const PositionBody = z.object({
  positionValue: Position,
  organisationId: z.string().trim().min(1).max(64).optional(),
}).strict();
const LocalUser = z.string().trim().min(1).max(100);
const ChatQuery = z.object({ chat: z.string().trim().min(1).max(500) });
const NowBody = z.object({ itemRef: z.string().trim().min(1).max(30) }).strict();
/** A position or a Now move is a few dozen bytes. */
const MAX_BODY_BYTES = 2048;

export function mountMeetingTab(server: restify.Server, deps: MeetingTabDependencies): void {
  const { config, logger, meetingPolls } = deps;
  const verifyToken = deps.verifyToken ?? createSsoTokenVerifier({ jwksUrl: config.ssoJwksUrl, appId: config.bot.appId ?? '' });
  const publicFile = (name: string) => readFileSync(new URL(`./tab/public/${name}`, import.meta.url));
  const files = new Map([
    ['/tab/bubble', { body: publicFile('bubble.html'), type: 'text/html; charset=utf-8' }],
    ['/tab/bubble.js', { body: publicFile('bubble.js'), type: 'text/javascript; charset=utf-8' }],
    ['/tab/meeting', { body: publicFile('meeting.html'), type: 'text/html; charset=utf-8' }],
    ['/tab/meeting.js', { body: publicFile('meeting.js'), type: 'text/javascript; charset=utf-8' }],
    ['/tab/meeting-config', { body: publicFile('meeting-config.html'), type: 'text/html; charset=utf-8' }],
    ['/tab/meeting-config.js', { body: publicFile('meeting-config.js'), type: 'text/javascript; charset=utf-8' }],
    ['/tab/stage', { body: publicFile('stage.html'), type: 'text/html; charset=utf-8' }],
    ['/tab/stage.js', { body: publicFile('stage.js'), type: 'text/javascript; charset=utf-8' }],
    // TeamsJS start-up and the SSO token, shared by the three meeting pages above.
    ['/tab/teams-connect.js', { body: publicFile('teams-connect.js'), type: 'text/javascript; charset=utf-8' }],
  ]);
  for (const [route, file] of files) {
    server.get(route, (_req, res, next) => {
      res.sendRaw(200, file.body, { 'Content-Type': file.type, 'Content-Security-Policy': PAGE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' });
      return next();
    });
  }

  /** The person making the request, or undefined after sending the refusal. */
  const who = async (req: restify.Request, res: restify.Response): Promise<{ aadObjectId: string; name: string } | undefined> => {
    const decision = await checkAccess({ remoteAddress: req.socket.remoteAddress, host: req.headers.host, authorization: req.headers.authorization }, config, verifyToken);
    res.setHeader('Cache-Control', 'no-store');
    if (!decision.ok) {
      logger.warn({ event: 'meeting.refused', status: decision.status, reason: decision.reason, path: req.path(), tenantId: decision.tenantId }, 'meeting API request refused');
      if (decision.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.send(decision.status, { error: decision.message });
      return undefined;
    }
    const local = config.localMode ? LocalUser.safeParse(req.headers['x-concord-local-user']) : undefined;
    const aadObjectId = decision.userId ?? (local?.success ? local.data : undefined);
    if (!aadObjectId) {
      res.send(401, { error: 'Sign in through Teams to record a position.' });
      return undefined;
    }
    return { aadObjectId, name: decision.name ?? '' };
  };

  server.get('/api/meeting/polls/:pollId', async (req, res) => {
    const person = await who(req, res);
    if (!person) return;
    const id = PollId.safeParse((req.params as Record<string, unknown> | undefined)?.pollId);
    const view = id.success ? await meetingPolls.view(id.data, person.aadObjectId) : undefined;
    if (!view) {
      res.send(404, { error: 'That poll is not on record.' });
      return;
    }
    res.send(200, view);
  });

  /**
   * The body of a signed-in person's request: JSON only, read after the sign-in check (restify's
   * bodyParser would write a multipart upload to disk before it; see json-body.ts). Undefined once
   * the refusal is sent.
   */
  const jsonBody = async (req: restify.Request, res: restify.Response): Promise<{ body: unknown } | undefined> => {
    const read = await readJsonBody(req, MAX_BODY_BYTES);
    if (read.ok) return { body: read.body };
    // A body that was not read (415, 413) is not drained: the connection closes instead.
    if (read.status !== 400) res.setHeader('connection', 'close');
    res.send(read.status, { error: read.message });
    return undefined;
  };

  server.post('/api/meeting/polls/:pollId/position', async (req, res) => {
    const person = await who(req, res);
    if (!person) return;
    const read = await jsonBody(req, res);
    if (!read) return;
    const id = PollId.safeParse((req.params as Record<string, unknown> | undefined)?.pollId);
    const body = PositionBody.safeParse(read.body);
    if (!id.success || !body.success) {
      logger.info({ event: 'meeting.bad-position', path: req.path() }, 'meeting position request refused');
      res.send(400, { error: 'Choose support, object or abstain.' });
      return;
    }
    const result = await meetingPolls.castFor(person, { pollId: id.data, positionValue: body.data.positionValue, organisationId: body.data.organisationId });
    res.send(200, result);
  });

  server.get('/api/meeting/agenda', async (req, res) => {
    const person = await who(req, res);
    if (!person) return;
    const query = ChatQuery.safeParse(req.query ?? {});
    if (!query.success) {
      res.send(400, { error: 'Open the side panel from a Teams meeting.' });
      return;
    }
    const panel = await meetingPolls.sidePanel(query.data.chat, person.aadObjectId);
    if (!panel) {
      res.send(404, { error: 'No agenda has been posted in this meeting’s chat yet. Type "agenda" to Concord in the chat.' });
      return;
    }
    res.send(200, panel);
  });

  server.post('/api/meeting/agenda/:agendaId/now', async (req, res) => {
    const person = await who(req, res);
    if (!person) return;
    const read = await jsonBody(req, res);
    if (!read) return;
    const id = PollId.safeParse((req.params as Record<string, unknown> | undefined)?.agendaId);
    const body = NowBody.safeParse(read.body);
    if (!id.success || !body.success) {
      res.send(400, { error: 'Name an agenda item.' });
      return;
    }
    const result = await meetingPolls.setNow(id.data, body.data.itemRef, { aadObjectId: person.aadObjectId, name: person.name });
    if (!result.ok) logger.info({ event: 'meeting.now-refused', status: result.status, agendaId: id.data }, 'Now marker move refused');
    res.send(result.status, { ok: result.ok, message: result.message });
  });
}
