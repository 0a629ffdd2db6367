import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// STYLE.md §2: the core never imports the Teams/HTTP/storage shell.
const FORBIDDEN = /from\s+['"](botbuilder|restify|lowdb|adaptivecards)[^'"]*['"]/;

it('keeps src/knowledge free of botbuilder, restify, lowdb and adaptivecards', () => {
  const dir = fileURLToPath(new URL('../../src/knowledge/', import.meta.url));
  const offenders = readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => FORBIDDEN.test(readFileSync(`${dir}${file}`, 'utf8')));
  expect(offenders).toEqual([]);
});
