import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * STYLE.md §2: the decision core never imports botbuilder, restify, lowdb or adaptivecards, and
 * (§3.8) never reads the clock or makes ids itself: `now` and `newId` are passed in.
 */
const DIRECTORY = fileURLToPath(new URL('../../src/decisions/', import.meta.url));
const FILES = readdirSync(DIRECTORY).filter((name) => name.endsWith('.ts'));
const source = (name: string): string => readFileSync(`${DIRECTORY}${name}`, 'utf8');

describe('the decision core stays pure', () => {
  it.each(FILES)('%s imports no shell package', (name) => {
    const imports = [...source(name).matchAll(/from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]);
    expect(imports.filter((path) => /^(botbuilder|restify|lowdb|adaptivecards)/.test(path ?? ''))).toEqual([]);
  });

  it.each(FILES)('%s reads no clock and makes no random ids', (name) => {
    expect(source(name)).not.toMatch(/new Date\(\)|Date\.now\(|Math\.random\(|randomUUID\(/);
  });
});
