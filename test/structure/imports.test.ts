import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * STYLE.md §2: folders import downwards only, and the cores take and return plain data. The rule
 * lives in one declared map, src/structure.json; this test reads every source file's imports
 * (static, side-effect, re-exports, dynamic and require) and fails on any the map does not allow.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const Structure = z.object({
  shellPackages: z.array(z.string()),
  folders: z.record(z.string(), z.object({
    imports: z.array(z.string()),
    shell: z.boolean(),
    pure: z.boolean().optional(),
  })),
});
type Structure = z.infer<typeof Structure>;
const structure = Structure.parse(JSON.parse(readFileSync(path.join(SRC, 'structure.json'), 'utf8')));

const sourceFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
  const full = path.join(dir, entry.name);
  if (entry.isDirectory()) return sourceFiles(full);
  return /\.(ts|cjs|mjs)$/.test(entry.name) ? [full] : [];
});

/** The folder a file belongs to: the first segment under src/, or '.' for src/app.ts and src/main.ts. */
const folderOf = (file: string): string => {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? '.' : parts[0] ?? '.';
};

// A statement that starts with import/export and names a module, or a dynamic import()/require().
const IMPORT = /^\s*(?:import|export)\s+(?:[\w\s{},*$]*?\bfrom\s*)?['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm;
const importsOf = (text: string): string[] => [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? '');

const isShellPackage = (specifier: string): boolean => structure.shellPackages.some((name) =>
  specifier === name || specifier.startsWith(`${name}/`) || (name === 'adaptivecards' && specifier.startsWith('adaptivecards-')));

/** Every import of `file` that the map forbids, as "specifier (why)". */
export function violations(file: string, text: string, map: Structure = structure): string[] {
  const from = folderOf(file);
  const rule = map.folders[from];
  if (!rule) return [`${from} (folder not declared in src/structure.json)`];
  return importsOf(text).flatMap((specifier) => {
    if (specifier.startsWith('.')) {
      const to = folderOf(path.resolve(path.dirname(file), specifier));
      return to === from || rule.imports.includes(to) ? [] : [`${specifier} (${from} may not import ${to})`];
    }
    return isShellPackage(specifier) && !rule.shell ? [`${specifier} (${from} may not import shell packages)`] : [];
  });
}

const CLOCK_OR_RANDOM = /new Date\(\)|Date\.now\(|Math\.random\(|randomUUID\(/;
const FILES = sourceFiles(SRC);
const relative = (file: string): string => path.relative(SRC, file);

describe('src/structure.json: which folder may import which', () => {
  it('covers every source folder', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect([...new Set(FILES.map(folderOf))].filter((folder) => !structure.folders[folder])).toEqual([]);
  });

  it('declares no cycle between folders', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (folder: string, trail: string[]): void => {
      if (done.has(folder)) return;
      if (visiting.has(folder)) { cycles.push([...trail, folder].join(' → ')); return; }
      visiting.add(folder);
      for (const next of structure.folders[folder]?.imports ?? []) visit(next, [...trail, folder]);
      visiting.delete(folder);
      done.add(folder);
    };
    Object.keys(structure.folders).forEach((folder) => visit(folder, []));
    expect(cycles).toEqual([]);
  });

  it.each(FILES.map(relative))('%s imports only what its folder may', (file) => {
    const full = path.join(SRC, file);
    expect(violations(full, readFileSync(full, 'utf8'))).toEqual([]);
  });

  const pureFiles = FILES.filter((file) => structure.folders[folderOf(file)]?.pure).map(relative);
  it.each(pureFiles)('%s reads no clock and makes no random ids', (file) => {
    expect(readFileSync(path.join(SRC, file), 'utf8')).not.toMatch(CLOCK_OR_RANDOM);
  });

  // The check itself must be able to fail: the cycles issue 16 removed, and shell packages in a core.
  it.each([
    ['bot/features.ts', "import { mountRegisterTab } from '../server/register-tab.js';", 'bot may not import server'],
    ['decisions/close.ts', "import type { Outcome } from '../register/model.js';", 'decisions may not import register'],
    ['knowledge/report.ts', "import type { Feedback } from '../store/store.js';", 'knowledge may not import store'],
    ['agenda/agenda.ts', "import { TurnContext } from 'botbuilder';", 'agenda may not import shell packages'],
    ['register/export.ts', "export * from 'adaptivecards-templating';", 'register may not import shell packages'],
    ['knowledge/load.ts', "const pg = await import('pg');", 'knowledge may not import shell packages'],
    ['store/store.ts', "import { Turn } from '../bot/verb.js';", 'store may not import bot'],
  ])('%s: %s is refused', (file, line, why) => {
    expect(violations(path.join(SRC, file), line)).toEqual([expect.stringContaining(why)]);
  });

  it.each([
    ["import {\n  a,\n  b,\n} from '../server/x.js';"],
    ["import '../server/x.js';"],
    ["import type { A } from '../server/x.js';"],
    ["export * as x from '../server/x.js';"],
    ["export { a } from '../server/x.js';"],
    ["const x = require('../server/x.js');"],
  ])('sees the import in %j', (text) => {
    expect(violations(path.join(SRC, 'bot/x.ts'), text)).toEqual([expect.stringContaining('bot may not import server')]);
  });

  it('allows what the map allows', () => {
    expect(violations(path.join(SRC, 'register/export.ts'), "import { z } from 'zod';\nimport type { Outcome } from '../decisions/outcome.js';")).toEqual([]);
  });
});
