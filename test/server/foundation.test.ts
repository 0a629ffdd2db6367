import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { NODE_FLAGS, START_COMMAND } from '../../src/cli/processes.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { cardAction, installed, message, post } from '../support/activities.js';
import { useTestConcord } from '../support/concord.js';

describe('Concord over HTTP', () => {
  it('answers "help" with the help card, sent to the activity serviceUrl', async () => {
    const running = await useTestConcord();
    const response = await post(running.url, message(running.connector.url, 'help'));
    expect(response.status).toBe(200);
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    const card = cardOf(running.connector.sent()[0]);
    expect(textOf(card)).toContain('agenda');
    expect(textOf(card)).toContain('decisions');
  });

  it('strips the @mention Teams adds in channels', async () => {
    const running = await useTestConcord();
    await post(running.url, message(running.connector.url, 'help', { mention: true }));
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    expect(textOf(cardOf(running.connector.sent()[0]))).toContain('Try asking');
  });

  it('greets a team when Concord is installed', async () => {
    const running = await useTestConcord();
    await post(running.url, installed(running.connector.url, { conversationId: 'team-general' }));
    await running.connector.waitFor(() => running.connector.sent('team-general').length === 1);
    expect(textOf(cardOf(running.connector.sent('team-general')[0]))).toContain("Hello, I'm Concord");
    expect(await running.store.getConversation('team-general')).toBeDefined();
  });

  it('reports health with version and store state', async () => {
    const running = await useTestConcord();
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: '0.0.0-test', store: 'ready' });
  });

  it('refuses a body that is not an activity with 400, and stays up', async () => {
    const running = await useTestConcord();
    expect((await post(running.url, '{"not":"an activity"}')).status).toBe(400);
    expect((await post(running.url, '{broken json')).status).toBe(400);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });

  it('refuses a body over the size limit with 413', async () => {
    const running = await useTestConcord({ CONCORD_MAX_BODY_BYTES: '2048' });
    const response = await post(running.url, message(running.connector.url, 'x'.repeat(5000)));
    expect(response.status).toBe(413);
  });

  it('answers an unknown verb with a 400 invoke response and a polite card', async () => {
    const running = await useTestConcord();
    const response = await post(running.url, cardAction(running.connector.url, 'poll.explode', {}));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    await running.connector.waitFor(() => running.connector.sent().length === 1);
    expect(textOf(cardOf(running.connector.sent()[0]))).toContain("couldn't use that");
  });

  it('answers malformed card data with a 400, never a 500', async () => {
    const running = await useTestConcord();
    const malformed = { ...cardAction(running.connector.url, 'answer.feedback', {}), value: { action: 'nonsense' } };
    const response = await post(running.url, malformed);
    expect(response.status).toBe(400);
    const badData = await post(running.url, cardAction(running.connector.url, 'answer.feedback', { questionId: 42 }));
    expect(badData.status).toBe(400);
  });

  it('requires a Bot Framework token once an app id is configured', async () => {
    const running = await useTestConcord({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'secret', CONCORD_ALLOWED_TENANTS: 'tenant-1' });
    const response = await post(running.url, message(running.connector.url, 'help'));
    expect(response.status).toBe(401);
    expect(running.connector.calls).toHaveLength(0);
  });

  it('limits each person’s commands per minute, saying so once, and others carry on', async () => {
    const running = await useTestConcord({ CONCORD_RATE_LIMIT_PER_MINUTE: '3' });
    for (let attempt = 0; attempt < 6; attempt += 1) await post(running.url, message(running.connector.url, 'help'));
    await running.connector.waitFor(() => running.connector.sent().length === 4);
    const texts = running.connector.sent().map((call) => textOf(cardOf(call)));
    expect(texts.filter((text) => text.includes('Try asking'))).toHaveLength(3);
    expect(texts.filter((text) => text.includes('One moment, please'))).toHaveLength(1);
    const invoke = await post(running.url, cardAction(running.connector.url, 'answer.ask', { questionValue: 'what is a lead provider model' }));
    expect(invoke.status).toBe(429);
    const someoneElse = await post(running.url, cardAction(running.connector.url, 'answer.ask', { questionValue: 'what is a lead provider model' }, { from: { aadObjectId: 'other-person', name: 'Other' } }));
    expect(someoneElse.status).toBe(200);
  });

  it('refuses activities from tenants not on the allow-list', async () => {
    const running = await useTestConcord({ CONCORD_ALLOWED_TENANTS: 'tenant-allowed' });
    await post(running.url, message(running.connector.url, 'help'));
    const invoke = await post(running.url, cardAction(running.connector.url, 'answer.ask', { questionValue: 'x' }));
    expect(invoke.status).toBe(403);
    expect(running.connector.calls).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('defaults to local mode on 127.0.0.1:3978', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3978, localMode: true, dataDir: 'data/store' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ CONCORD_LOG_LEVEL: 'loud' }, 'CONCORD_LOG_LEVEL'],
    [{ MicrosoftAppId: 'id-only' }, 'MicrosoftAppPassword'],
    [{ NODE_ENV: 'production' }, 'MicrosoftAppId'],
    [{ CONCORD_PUBLIC_URL: 'not a url' }, 'CONCORD_PUBLIC_URL'],
  ])('%o is refused naming %s', (environment, variable) => {
    expect(() => parseConfig(environment)).toThrow(ConfigError);
    expect(() => parseConfig(environment)).toThrow(variable);
  });

  it('a bad setting stops npm start with one line and no stack trace', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('npm start runs the compiled build the way the start-up benchmark measures it', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${START_COMMAND.join(' ')}`);
    expect(scripts.start).toMatch(/^node src\/cli\/build-if-stale\.mjs && /);
  });

  it.each([
    ['DEP0111 (restify\'s http_parser binding)', false, "process.binding('http_parser')"],
    ['any other deprecation', true, "process.emitWarning('old', 'DeprecationWarning', 'DEP0999')"],
    ['any other warning', true, "process.emitWarning('careful')"],
  ])('with npm start\'s Node flags, %s is shown: %s', (_name, shown, code) => {
    const result = spawnSync(process.execPath, [...NODE_FLAGS, '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(0);
    expect(/Warning/.test(result.stderr)).toBe(shown);
  });

  it('production without credentials refuses to start, saying what is missing', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('MicrosoftAppId: required in production');
  });
});
