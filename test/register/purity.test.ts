import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * STYLE.md §2: the register core (outcomes, their views and the exports) never imports botbuilder,
 * restify, lowdb or adaptivecards, and never reads the clock: the exports are text from data.
 */
const DIRECTORY = fileURLToPath(new URL('../../src/register/', import.meta.url));
const FILES = readdirSync(DIRECTORY).filter((name) => name.endsWith('.ts'));
const source = (name: string): string => readFileSync(`${DIRECTORY}${name}`, 'utf8');

describe('the register core stays pure', () => {
  it('includes the exports', () => expect(FILES).toContain('export.ts'));

  it.each(FILES)('%s imports no shell package', (name) => {
    const imports = [...source(name).matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]);
    expect(imports.filter((path) => /^(botbuilder|restify|lowdb|adaptivecards)/.test(path ?? ''))).toEqual([]);
  });

  it.each(FILES)('%s reads no clock and makes no random ids', (name) => {
    expect(source(name)).not.toMatch(/new Date\(\)|Date\.now\(|Math\.random\(|randomUUID\(/);
  });
});
