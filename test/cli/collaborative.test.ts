import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/collaborative.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { SAMPLE_PATH, sample } from '../decisions/fixtures.js';
import { tempDir } from '../support/temp-dir.js';


describe('collaborative:import and collaborative:export', () => {
  it('imports a file as version 1 (bound as told), again as version 2, and exports what it imported', async () => {
    const dataDir = tempDir('cli');
    const said: string[] = [];
    const say = (text: string) => { said.push(text); };
    expect(await run('import', [SAMPLE_PATH, '--default', '--data-dir', dataDir], say)).toBe(0);
    const renamed = { ...sample(), name: 'South Yorkshire Acute Federation' };
    const second = path.join(tempDir('cli'), 'renamed.json');
    await writeFile(second, JSON.stringify(renamed));
    expect(await run('import', [second, '--bind', 'team-1', '--data-dir', dataDir], say)).toBe(0);
    expect(said).toEqual([
      `imported ${sample().id} as version 1, bound to *\n`,
      `imported ${sample().id} as version 2, bound to team-1\n`,
    ]);

    const out = path.join(tempDir('cli'), 'out.json');
    expect(await run('export', ['--collaborative', sample().id, '--out', out, '--data-dir', dataDir], say)).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(renamed);
    said.length = 0;
    expect(await run('export', ['--data-dir', dataDir], say)).toBe(0);
    expect(said).toEqual([`${sample().id}\tversion 2\tSouth Yorkshire Acute Federation\tdefault, team-1\n`]);

    const store = await openFileStore({ dataDir });
    try {
      expect((await store.readAudit({ subject: sample().id })).map((e) => e.action)).toEqual(['collaborative.changed', 'collaborative.bound', 'collaborative.changed', 'collaborative.bound']);
    } finally {
      await store.close();
    }
  });

  it('refuses a file that is not a valid collaborative, writing nothing', async () => {
    const dataDir = tempDir('cli');
    const bad = path.join(tempDir('cli'), 'bad.json');
    await writeFile(bad, JSON.stringify({ ...sample(), chairs: [] }));
    await expect(run('import', [bad, '--data-dir', dataDir], () => undefined)).rejects.toThrow(/chairs/);
    const store = await openFileStore({ dataDir });
    try {
      expect(await store.listCollaboratives()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
