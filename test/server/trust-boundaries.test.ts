import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig, startupProblems } from '../../src/config/config.js';
import { installed, message, post } from '../support/activities.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { tempDir } from '../support/temp-dir.js';

/** Log lines Concord writes, parsed, for asserting on what a refusal records. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const CREDENTIALS = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'secret', CONCORD_ALLOWED_TENANTS: 'tenant-1' };

describe('item 1: only JSON bodies, within the limit, and nothing written to disk', () => {
  it('50 multipart uploads to each JSON route are refused with 415 and leave no file in the temp directory', async () => {
    const temp = tempDir('tmpdir');
    const previous = process.env.TMPDIR;
    // restify's multipart parser (formidable) wrote uploads to os.tmpdir(), which reads TMPDIR.
    process.env.TMPDIR = temp;
    onTestFinished(() => { if (previous === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = previous; });
    const running = await useTestConcord();
    const upload = new Uint8Array(300 * 1024).fill(65);
    // The meeting tab's routes too, as a signed-in person (local mode's header): its body is read after sign-in.
    const routes = ['/api/messages', '/api/meeting/polls/poll-1/position', '/api/meeting/agenda/agenda-1/now'];
    const signedIn = { 'x-concord-local-user': '00000000-0000-0000-0000-0000000000020' };
    for (const route of routes) {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const form = new FormData();
        form.append('f', new Blob([upload]), 'big.bin');
        const response = await fetch(`${running.url}${route}`, { method: 'POST', body: form, headers: signedIn });
        await response.arrayBuffer();
        expect(response.status, route).toBe(415);
      }
    }
    expect(readdirSync(temp)).toEqual([]);
    expect(running.connector.calls).toHaveLength(0);
  });

  it.each([
    ['application/x-www-form-urlencoded', 'type=message&text=help'],
    ['text/plain', '{"type":"message","text":"help"}'],
    ['multipart/form-data; boundary=x', '--x--'],
    ['application/jsonp', '{}'],
  ])('%s is refused with 415', async (contentType, body) => {
    const running = await useTestConcord();
    const response = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(415);
  });

  it('a chunked JSON body over the limit is refused with 413', async () => {
    const running = await useTestConcord({ CONCORD_MAX_BODY_BYTES: '2048' });
    const text = JSON.stringify(message(running.connector.url, 'x'.repeat(5000)));
    const stream = new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode(text)); controller.close(); } });
    const response = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('JSON with a charset is accepted', async () => {
    const running = await useTestConcord();
    const response = await post(running.url, message(running.connector.url, 'help'), { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
  });
});

describe('item 2: local mode is not driven from a web page', () => {
  it('a request carrying an Origin header is refused and nothing is sent', async () => {
    const running = await useTestConcord();
    const response = await post(running.url, message(running.connector.url, 'help'), { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(running.connector.calls).toHaveLength(0);
  });

  it.each([
    ['http://evil.example/'],
    ['http://10.0.0.5:3978/'],
    ['file:///etc/passwd'],
    ['not a url'],
  ])('serviceUrl %s is refused', async (serviceUrl) => {
    const running = await useTestConcord();
    const response = await post(running.url, message(serviceUrl, 'help'));
    expect(response.status).toBe(403);
  });

  it.each([['http://127.0.0.1:1/'], ['http://localhost:1/'], ['http://[::1]:1/']])('loopback serviceUrl %s is accepted', async (serviceUrl) => {
    const running = await useTestConcord();
    // An invoke is answered in the response itself, so nothing needs to listen at the serviceUrl.
    const response = await post(running.url, { ...message(serviceUrl, 'help'), type: 'invoke', name: 'unknown/invoke' });
    expect(response.status).toBe(501);
  });

  it('with credentials an Origin header is left to the token check', async () => {
    const running = await useTestConcord(CREDENTIALS);
    const response = await post(running.url, message(running.connector.url, 'help'), { origin: 'https://teams.microsoft.com' });
    expect(response.status).toBe(401);
  });
});

describe('items 3 and 4: settings that must not start a server', () => {
  it.each([
    [{ HOST: '0.0.0.0' }, 'HOST'],
    [{ HOST: '192.168.1.10' }, 'HOST'],
    [{ HOST: '::' }, 'HOST'],
    [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }, 'CONCORD_ALLOWED_TENANTS'],
    [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', HOST: '0.0.0.0' }, 'CONCORD_ALLOWED_TENANTS'],
  ])('%o is refused naming %s', (environment, variable) => {
    const problems = startupProblems(parseConfig(environment));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
  });

  it.each([
    [{}],
    [{ HOST: 'localhost' }],
    [{ HOST: '::1' }],
    [{ HOST: '127.0.0.2' }],
    [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', HOST: '0.0.0.0', CONCORD_ALLOWED_TENANTS: 'tenant-1' }],
  ])('%o starts', (environment) => {
    expect(startupProblems(parseConfig(environment))).toEqual([]);
  });

  it.each([
    [{ HOST: '0.0.0.0' }, 'HOST: local mode'],
    [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }, 'CONCORD_ALLOWED_TENANTS: required'],
  ])('npm start with %o stops with one line', (environment, text) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', ...environment },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(text);
  });

  it('the test server with credentials and no allow-list refuses to start', async () => {
    await expect(useTestConcord({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' })).rejects.toThrow('CONCORD_ALLOWED_TENANTS');
  });
});

describe('item 12: refusals and headers', () => {
  it('JSON responses carry nosniff', async () => {
    const running = await useTestConcord();
    expect((await fetch(`${running.url}/healthz`)).headers.get('x-content-type-options')).toBe('nosniff');
    const refused = await fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a refused token gets a plain body and one structured log line', async () => {
    const { logger, lines } = capturingLogger();
    const running = await useTestConcord(CREDENTIALS, { logger });
    // A well-formed but unverifiable token: botbuilder fetches signing keys, which fails here.
    const forged = ['eyJhbGciOiJSUzI1NiIsImtpZCI6ImsiLCJ0eXAiOiJKV1QifQ', 'eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0', 'c2ln'].join('.');
    for (const authorization of [undefined, `Bearer ${forged}`]) {
      const response = await post(running.url, message(running.connector.url, 'help'), authorization ? { authorization } : {});
      expect([401, 503]).toContain(response.status);
      // botbuilder's own message names hosts and DNS errors (getaddrinfo ...); none of it is sent.
      expect(response.body).toEqual({ error: expect.stringMatching(/^The request (was not|could not be) authenticated/) });
    }
    const refusals = lines.filter((line) => line.event === 'messages.refused');
    expect(refusals).toHaveLength(2);
    expect(refusals.every((line) => typeof line.reason === 'string' && typeof line.status === 'number')).toBe(true);
    expect(running.connector.calls).toHaveLength(0);
  });
});

describe('item 7: one rate limit, checked first', () => {
  const slowDown = (running: TestConcord) => running.connector.sent().filter((call) => textOf(cardOf(call)).includes('One moment, please'));

  it('invalid Action.Submit values count against the limit', async () => {
    const running = await useTestConcord({ CONCORD_RATE_LIMIT_PER_MINUTE: '3' });
    for (let attempt = 0; attempt < 3; attempt += 1) await post(running.url, { ...message(running.connector.url, ''), value: { nonsense: attempt } });
    await post(running.url, message(running.connector.url, 'help'));
    await running.connector.waitFor(() => slowDown(running).length === 1);
    expect(running.connector.sent().some((call) => textOf(cardOf(call)).includes('Try asking'))).toBe(false);
  });

  it('installation notices are limited too', async () => {
    const running = await useTestConcord({ CONCORD_RATE_LIMIT_PER_MINUTE: '2' });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await post(running.url, installed(running.connector.url, { conversationId: `team-${attempt}` }));
    }
    expect(running.connector.sent().filter((call) => textOf(cardOf(call)).includes("Hello, I'm Concord"))).toHaveLength(2);
    expect(await running.store.getConversation('team-4')).toBeUndefined();
  });

  it('the key ignores case, as role matching does', async () => {
    const running = await useTestConcord({ CONCORD_RATE_LIMIT_PER_MINUTE: '2' });
    const id = 'AbCd0000-0000-0000-0000-000000000001';
    for (const variant of [id, id.toLowerCase(), id.toUpperCase()]) {
      await post(running.url, message(running.connector.url, 'help', { from: { aadObjectId: variant, name: 'Sam' } }));
    }
    await running.connector.waitFor(() => slowDown(running).length === 1);
    expect(running.connector.sent().filter((call) => textOf(cardOf(call)).includes('Try asking'))).toHaveLength(2);
  });
});
