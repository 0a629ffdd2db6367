import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * STYLE.md §2: the core takes and returns plain data. src/agenda must not reach for the bot
 * framework, the web server, the store or the card renderer, directly or via src/bot.
 */
const AGENDA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/agenda');
const FORBIDDEN = /^(botbuilder|restify|lowdb|adaptivecards)(\b|[-/])|\/(bot|server|store)\//;
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

const sources = readdirSync(AGENDA_DIR).filter((file) => file.endsWith('.ts'));

describe('src/agenda stays pure', () => {
  it('has sources to check', () => expect(sources.length).toBeGreaterThan(5));

  it.each(sources)('%s imports no botbuilder, restify, lowdb or adaptivecards', (file) => {
    const text = readFileSync(path.join(AGENDA_DIR, file), 'utf8');
    const specifiers = [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
    expect(specifiers.filter((specifier) => FORBIDDEN.test(specifier))).toEqual([]);
  });

  it('the check catches the imports it is for', () => {
    const specifiers = [...readFileSync(path.join(AGENDA_DIR, 'agenda.ts'), 'utf8').matchAll(IMPORT)].map((match) => match[1]);
    expect(specifiers).toContain('zod');
    for (const bad of ['botbuilder', 'restify', 'lowdb', 'lowdb/node', 'adaptivecards', 'adaptivecards-templating', '../bot/render.js']) {
      expect(FORBIDDEN.test(bad), bad).toBe(true);
    }
    expect(FORBIDDEN.test('zod')).toBe(false);
  });
});
