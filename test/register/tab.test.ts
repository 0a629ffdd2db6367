import { createServer, request, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { pino } from 'pino';
import restify from 'restify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { outcomesToCsv } from '../../src/register/export.js';
import { mountRegisterTab } from '../../src/server/register-tab.js';
import { checkAccess } from '../../src/server/tab/access.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { writeCollaborative } from '../support/collaborative.js';
import { useTestConcord } from '../support/concord.js';
import { tempDir } from '../support/temp-dir.js';
import { logOutcome } from './drive.js';
import { anAgenda } from '../store/builders.js';

const APP_ID = '6f1f4d2e-4c59-4a8e-9f0b-2b7c1c6f0a11';
const ALLOWED_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '0b1c2d3e-0000-4000-8000-000000000000';

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
}

/** A raw request, so the test can choose the Host header and the interface it connects from. */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local mode (no Microsoft app id)', () => {
  it('answers on 127.0.0.1: list, one outcome, CSV download, and plain 400s for bad queries', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const outcome = await logOutcome(running, { title: 'Shared theatre lists', proposal: 'Share lists', votes: { 1: 'support', 2: 'object' } });

    const list = await getJson(`${running.url}/api/register/outcomes?q=theatre`);
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const outcomes = list.body.outcomes as { id: string; view: { positions: { name: string; state: string }[] }; delivery?: unknown }[];
    expect(outcomes.map((entry) => entry.id)).toEqual([outcome.id]);
    expect(outcomes[0]!.view.positions.map((position) => `${position.name}: ${position.state}`)).toEqual([
      expect.stringMatching(/^Trust 1 NHS FT: Supports \(recorded by Representative 1/),
      expect.stringMatching(/^Trust 2 NHS FT: Objects \(recorded by Representative 2/),
      'Trust 3 NHS FT: Did not vote',
    ]);
    expect(outcomes[0]!.delivery).toBeUndefined();
    expect((await getJson(`${running.url}/api/register/outcomes?q=radiology`)).body.outcomes).toEqual([]);

    const one = await getJson(`${running.url}/api/register/outcomes/${encodeURIComponent(outcome.id)}`);
    expect(one.status).toBe(200);
    expect(one.body.title).toBe('Shared theatre lists');
    expect((await getJson(`${running.url}/api/register/outcomes/no-such-outcome`)).status).toBe(404);

    const csv = await fetch(`${running.url}/api/register/export.csv?from=2000-01-01`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="concord-register-2000-01-01.csv"');
    expect(Buffer.from(await csv.arrayBuffer()).toString('utf8')).toBe(outcomesToCsv(await running.store.listOutcomes({ from: '2000-01-01' })));
  });

  it.each([
    ['from=2026-02-30', 'from: give a date as YYYY-MM-DD'],
    ['to=23%2F11%2F2026', 'to: give a date as YYYY-MM-DD'],
    ['from=2026-11-10&to=2026-11-01', 'from: must be on or before to'],
    ['limit=0', 'limit: at least 1'],
    ['limit=lots', 'limit: give a whole number'],
    ['limit=5000', 'limit: at most 1000'],
    ['q=a&q=b', 'q: give the words once'],
  ])('refuses ?%s with 400 "%s"', { timeout: 30_000 }, async (query, message) => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const response = await getJson(`${running.url}/api/register/outcomes?${query}`);
    expect(response).toMatchObject({ status: 400, body: { error: message } });
  });


  it('cannot be reached from another computer: local mode will not listen beyond loopback', async () => {
    // The connection-address rule (the table below) stays as a second line behind this one.
    await expect(useTestConcord({ HOST: '0.0.0.0', CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) })).rejects.toThrow('HOST: local mode');
  });

  it('refuses a loopback connection addressed to another host name (DNS rebinding)', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    expect(await rawGet(`${running.url}/api/register/outcomes`, { Host: 'attacker.example' })).toBe(403);
    expect(await rawGet(`${running.url}/api/register/outcomes`, { Host: `localhost:${running.concord.port}` })).toBe(200);
  });

  const LOCAL = parseConfig({});
  it.each([
    ['127.0.0.1', '127.0.0.1:3978', true],
    ['::1', '[::1]:3978', true],
    ['::ffff:127.0.0.1', 'localhost:3978', true],
    ['10.1.2.3', '127.0.0.1:3978', false],
    ['::ffff:10.1.2.3', 'localhost', false],
    [undefined, '127.0.0.1:3978', false],
    ['127.0.0.1', 'attacker.example:3978', false],
    ['127.0.0.1', undefined, false],
  ])('local mode: from %s to Host %s → allowed %s', async (remoteAddress, host, want) => {
    const decision = await checkAccess({ remoteAddress, host, authorization: undefined }, LOCAL, async () => { throw new Error('no token is checked in local mode'); });
    expect(decision.ok).toBe(want);
    if (!decision.ok) expect(decision.status).toBe(403);
  });
});

describe('the page', () => {
  it('is static HTML with its scripts in files, under a self-only Content-Security-Policy', { timeout: 30_000 }, async () => {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) });
    const page = await fetch(`${running.url}/tab/register`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/teams\.microsoft\.com/);
    const html = await page.text();
    // Every <script> loads a file; no inline script or event handler attributes.
    expect([...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].every(([, attributes, body]) => /\bsrc=/.test(attributes!) && body!.trim() === '')).toBe(true);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const asset of ['register.js', 'register.css', 'teams-js.js']) {
      const response = await fetch(`${running.url}/tab/${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const script = await (await fetch(`${running.url}/tab/register.js`)).text();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(await (await fetch(`${running.url}/tab/teams-js.js`)).text()).toContain('registerOnThemeChangeHandler');
  });
});

// ---------------------------------------------------------------------------------------------
// With credentials: Teams SSO tokens checked against a JWKS served by the test on 127.0.0.1
// ---------------------------------------------------------------------------------------------

interface Keys {
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function newKeys(kid: string): Promise<Keys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A JWKS endpoint on 127.0.0.1, closed when the test finishes (or earlier, by `close`). */
async function startJwksServer(keys: readonly JWK[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/discovery/v2.0/keys') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve())));
  onTestFinished(close);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/discovery/v2.0/keys`, close };
}

interface TokenOptions {
  tenant?: string;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
  kid?: string;
  /** The client the token was issued to; Teams web by default. null leaves the claim out. */
  client?: string | null;
  clientClaim?: 'azp' | 'appid';
  /** The signed-in person's Entra object id; by default Alex, who chairs the test collaborative. */
  oid?: string;
}

const TEAMS_WEB_CLIENT = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

function token(keys: Keys, options: TokenOptions = {}): Promise<string> {
  const tenant = options.tenant ?? ALLOWED_TENANT;
  const client = options.client === undefined ? TEAMS_WEB_CLIENT : options.client;
  return new SignJWT({ tid: tenant, oid: options.oid ?? '00000000-0000-0000-0000-0000000000020', name: 'Sam Patel', ...(client === null ? {} : { [options.clientClaim ?? 'azp']: client }) })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? keys.jwk.kid!, typ: 'JWT' })
    .setIssuer(options.issuer ?? `https://sts.windows.net/${tenant}/`)
    .setAudience(options.audience ?? `api://concord.example.nhs.uk/${APP_ID}`)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(keys.privateKey);
}

const credentials = (jwksUrl: string, allowed = ALLOWED_TENANT) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'not-used-by-these-tests',
  CONCORD_ALLOWED_TENANTS: allowed,
  CONCORD_SSO_JWKS_URL: jwksUrl,
  CONCORD_PUBLIC_URL: 'https://concord.example.nhs.uk',
});

/** A real outcome logged in local mode, then Concord restarted on the same data with credentials. */
async function credentialedConcordWithOutcome(jwksUrl: string, allowed = ALLOWED_TENANT) {
  const dataDir = tempDir('tab');
  const collaborative = writeCollaborative(3);
  const local = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: collaborative }, { store: await openFileStore({ dataDir }) });
  const outcome = await logOutcome(local, { title: 'Elective hub', proposal: 'Agree the hub', votes: { 1: 'support', 3: 'abstain' } });
  await local.stop();
  const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: collaborative, ...credentials(jwksUrl, allowed) }, { store: await openFileStore({ dataDir }) });
  return { running, outcome };
}

describe('with a Microsoft app id: Teams SSO tokens', () => {
  it('401 without a valid token, 403 for another tenant, 200 for an allowed tenant', { timeout: 30_000 }, async () => {
    const good = await newKeys('key-1');
    const stranger = await newKeys('key-1'); // same kid, different key: a forged signature
    const unknown = await newKeys('key-9'); // a key the JWKS does not publish
    const { url: jwksUrl } = await startJwksServer([good.jwk]);
    const { running, outcome } = await credentialedConcordWithOutcome(jwksUrl);
    const url = `${running.url}/api/register/outcomes`;
    const bearer = async (jwt: Promise<string> | string) => ({ authorization: `Bearer ${await jwt}` });

    const cases: [string, Record<string, string>, number][] = [
      ['no token', {}, 401],
      ['not a bearer token', { authorization: 'Basic dXNlcjpwYXNz' }, 401],
      ['not a JWT', await bearer('not-a-jwt'), 401],
      ['forged with another key under the published kid', await bearer(token(stranger)), 401],
      ['signed by a key not in the JWKS', await bearer(token(unknown)), 401],
      ['expired', await bearer(token(good, { expiresIn: Math.floor(Date.now() / 1000) - 600 })), 401],
      ['for another application', await bearer(token(good, { audience: 'api://concord.example.nhs.uk/another-app' })), 401],
      ['for this app id under another host', await bearer(token(good, { audience: `api://attacker.example/${APP_ID}` })), 401],
      ['for this app id under a longer path', await bearer(token(good, { audience: `api://concord.example.nhs.uk/x/${APP_ID}` })), 401],
      ['issued to no client', await bearer(token(good, { client: null })), 401],
      ['issued to a client that is not Teams', await bearer(token(good, { client: '00000000-1111-2222-3333-444444444444' })), 401],
      ['valid, v1 token naming Teams desktop in appid', await bearer(token(good, { client: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', clientClaim: 'appid' })), 200],
      ['issued by another tenant than it claims', await bearer(token(good, { issuer: `https://sts.windows.net/${OTHER_TENANT}/` })), 401],
      ['valid, for another tenant', await bearer(token(good, { tenant: OTHER_TENANT })), 403],
      ['valid, allowed tenant, Application ID URI audience', await bearer(token(good)), 200],
      ['valid, allowed tenant, bare app id audience (v2)', await bearer(token(good, { audience: APP_ID, issuer: `https://login.microsoftonline.com/${ALLOWED_TENANT}/v2.0` })), 200],
    ];
    for (const [name, headers, status] of cases) {
      const response = await getJson(url, headers);
      expect(response.status, name).toBe(status);
      if (status === 401) expect(response.headers.get('www-authenticate'), name).toBe('Bearer');
      if (status === 200) expect((response.body.outcomes as { id: string }[]).map((entry) => entry.id), name).toEqual([outcome.id]);
      else expect(response.body.error, name).toEqual(expect.any(String));
    }

    // Every API route is guarded the same way.
    const valid = await bearer(token(good));
    expect((await fetch(`${running.url}/api/register/outcomes/${outcome.id}`)).status).toBe(401);
    expect((await fetch(`${running.url}/api/register/outcomes/${outcome.id}`, { headers: valid })).status).toBe(200);
    expect((await fetch(`${running.url}/api/register/export.csv`)).status).toBe(401);
    const csv = await fetch(`${running.url}/api/register/export.csv`, { headers: valid });
    expect(csv.status).toBe(200);
    expect(Buffer.from(await csv.arrayBuffer()).toString('utf8')).toBe(outcomesToCsv(await running.store.listOutcomes()));
    // Issue 19: someone in an allowed tenant who belongs to no collaborative reads nothing.
    const outsider = await bearer(token(good, { oid: 'not-a-member' }));
    expect((await getJson(url, outsider)).body.outcomes).toEqual([]);
    expect((await fetch(`${running.url}/api/register/outcomes/${outcome.id}`, { headers: outsider })).status).toBe(404);
    expect(Buffer.from(await (await fetch(`${running.url}/api/register/export.csv`, { headers: outsider })).arrayBuffer()).toString('utf8')).toBe(outcomesToCsv([]));
    // Meetings and their minutes follow the same rule: an agenda belongs to its collaborative.
    await running.store.putAgenda(anAgenda('board-agenda', 1, { collaborativeId: 'test-collaborative' }));
    const meetingsUrl = `${running.url}/api/register/meetings`;
    expect((await getJson(meetingsUrl, valid)).body.meetings).toEqual([expect.objectContaining({ agendaId: 'board-agenda' })]);
    expect((await getJson(meetingsUrl, outsider)).body.meetings).toEqual([]);
    expect((await fetch(`${running.url}/api/register/minutes/board-agenda?format=md`, { headers: valid })).status).toBe(200);
    expect((await fetch(`${running.url}/api/register/minutes/board-agenda?format=md`, { headers: outsider })).status).toBe(404);
    // Local mode's loopback pass does not apply once credentials are configured.
    expect((await fetch(url)).status).toBe(401);
    // The page itself is still served to anyone.
    expect((await fetch(`${running.url}/tab/register`)).status).toBe(200);
  });

  it('an empty tenant allow-list refuses every tenant (403), even with a valid token', { timeout: 30_000 }, async () => {
    // Concord no longer starts like this (CONCORD_ALLOWED_TENANTS is required with credentials);
    // the tab's own rule is kept as a second line and checked on the tab routes alone.
    const good = await newKeys('key-1');
    const { url: jwksUrl } = await startJwksServer([good.jwk]);
    const server = restify.createServer();
    server.use(restify.plugins.queryParser({ mapParams: false }));
    mountRegisterTab(server, { store: createMemoryStore(), config: parseConfig({ ...credentials(jwksUrl, ''), PORT: '0' }), logger: pino({ level: 'silent' }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const response = await getJson(`http://127.0.0.1:${server.address().port}/api/register/outcomes`, { authorization: `Bearer ${await token(good)}` });
    expect(response.status).toBe(403);
  });

  it('503 when the signing keys cannot be fetched: nothing is let through unchecked', { timeout: 30_000 }, async () => {
    const good = await newKeys('key-1');
    const jwks = await startJwksServer([good.jwk]);
    const closedPort = new URL(jwks.url);
    await jwks.close(); // its port now refuses connections
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), ...credentials(closedPort.href) });
    const response = await getJson(`${running.url}/api/register/outcomes`, { authorization: `Bearer ${await token(good)}` });
    expect(response.status).toBe(503);
  });

  it('logs each refusal as one structured line with its reason', { timeout: 30_000 }, async () => {
    const good = await newKeys('key-1');
    const { url: jwksUrl } = await startJwksServer([good.jwk]);
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>); done(); } });
    const server = restify.createServer();
    server.use(restify.plugins.queryParser({ mapParams: false }));
    const config = parseConfig({ ...credentials(jwksUrl), PORT: '0' });
    mountRegisterTab(server, { store: createMemoryStore(), config, logger: pino({ level: 'info' }, sink) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${server.address().port}/api/register/outcomes`;

    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(base, { headers: { authorization: `Bearer ${await token(good, { tenant: OTHER_TENANT })}` } })).status).toBe(403);
    expect((await fetch(base, { headers: { authorization: `Bearer ${await token(good)}` } })).status).toBe(200);
    const refusals = lines.filter((line) => line.event === 'register.refused');
    expect(refusals).toEqual([
      expect.objectContaining({ level: 40, status: 401, reason: 'no bearer token', path: '/api/register/outcomes', msg: 'register API request refused' }),
      expect.objectContaining({ level: 40, status: 403, reason: 'tenant not allowed', tenantId: OTHER_TENANT }),
    ]);
  });
});
