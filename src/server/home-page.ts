import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type restify from 'restify';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

export interface HomePageData {
  readonly version: string;
  /** The store's state as /healthz reports it ("ready" when it takes writes). */
  readonly store: string;
  readonly localMode: boolean;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * `GET /`: what this server is, whether it is healthy, and where to go next. A person who opens
 * the address `npm start` printed lands here rather than on a 404.
 */
export function homePage(data: HomePageData): string {
  const healthy = data.store === 'ready';
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Concord</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Concord ${escapeHtml(data.version)}</h1>
<p>A Microsoft Teams bot for NHS provider collaboratives: guidance answers, meeting agendas, polls for aligned decisions, and a decision register.
It talks to Teams through <code>/api/messages</code>; there is nothing to chat with on this page.</p>
<p>Health: <strong>${healthy ? 'ok' : 'degraded'}</strong> (store ${escapeHtml(data.store)}) · <a href="/healthz">/healthz</a>${data.localMode ? ' · local mode (no Bot Framework credentials)' : ''}</p>
<ul>
<li><a href="/tab/register">The decision register tab</a></li>
<li><a href="/README.md#chat-with-it-locally">README: Chat with it locally</a> (run <code>npm run playground</code> and open the page it prints)</li>
</ul>
</body>
</html>
`;
}

export function mountHomePage(server: restify.Server, state: () => HomePageData): void {
  server.get('/', async (_req, res) => {
    const body = homePage(state());
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.get('/README.md', async (_req, res) => {
    const body = await readFile(README, 'utf8').catch(() => undefined);
    if (body === undefined) {
      res.send(404, { error: 'README.md is not shipped with this installation.' });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}
