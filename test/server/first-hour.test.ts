import { describe, expect, it } from 'vitest';
import { readableLine } from '../../src/shared/logger.js';
import { startBanner } from '../../src/server/start-banner.js';
import { useTestConcord } from '../support/concord.js';

describe('what a newcomer sees', () => {
  it('GET / says what this is, its health, and links to the register tab and the README', async () => {
    const running = await useTestConcord();
    const response = await fetch(`${running.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('Concord 0.0.0-test');
    expect(page).toMatch(/Health: <strong>ok<\/strong>/);
    expect(page).toContain('href="/tab/register"');
    expect(page).toContain('href="/README.md#chat-with-it-locally"');
    const readme = await fetch(`${running.url}/README.md`);
    expect(readme.status).toBe(200);
    expect(await readme.text()).toContain('## Chat with it locally');
  });

  it('the terminal banner names the address, store, collaborative and the next step', () => {
    const banner = startBanner({
      url: 'http://127.0.0.1:3978', version: '1.2.3', localMode: true, store: 'embedded, in data/store',
      collaborative: { name: 'South Yorkshire Acute Federation (sample)', members: 5, file: 'data/collaborative.json' },
      knowledgeEntries: 224,
    });
    expect(banner).toContain('Concord 1.2.3 is listening on http://127.0.0.1:3978 (local mode');
    expect(banner).toContain('Store: embedded, in data/store');
    expect(banner).toContain('South Yorkshire Acute Federation (sample), 5 members (data/collaborative.json)');
    expect(banner).toContain('npm run playground');
    expect(banner).toContain('http://127.0.0.1:3978/ for health');
  });

  it.each([
    ['{"level":30,"time":"2026-11-29T10:00:01.000Z","service":"concord","url":"http://127.0.0.1:3978","msg":"Concord is listening"}', '10:00:01 info  Concord is listening url=http://127.0.0.1:3978'],
    ['{"level":40,"time":"2026-11-29T10:00:02.000Z","service":"concord","status":405,"msg":"request refused"}', '10:00:02 warn  request refused status=405'],
    ['not json', 'not json'],
  ])('a log line on a terminal reads %s → %s', (json, line) => {
    expect(readableLine(json)).toBe(line);
  });
});
