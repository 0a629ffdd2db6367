import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Member } from './activities.js';
import { ALEX } from './activities.js';
import { tempDir } from './temp-dir.js';

/** The representative of member n in a generated collaborative. */
export function representative(n: number): Member {
  return { aadObjectId: `rep-${String(n).padStart(4, '0')}`, name: `Representative ${n}` };
}

/**
 * A collaborative of `size` trusts (or of trusts with the given names), each with one
 * representative, chaired by Alex; written to a temp file for CONCORD_COLLABORATIVE_FILE,
 * removed when the test finishes.
 */
export function writeCollaborative(size: number | readonly string[], defaultRule: Record<string, unknown> = { kind: 'majority' }): string {
  const names = typeof size === 'number' ? Array.from({ length: size }, (_, index) => `Trust ${index + 1} NHS FT`) : size;
  const members = names.map((name, index) => ({
    id: `trust-${index + 1}`,
    name,
    representatives: [representative(index + 1).aadObjectId],
  }));
  const file = path.join(tempDir('collab'), 'collaborative.json');
  writeFileSync(file, JSON.stringify({
    id: 'test-collaborative',
    name: 'Test Collaborative',
    members,
    chairs: [ALEX.aadObjectId],
    secretariat: [ALEX.aadObjectId],
    defaultRule,
  }));
  return file;
}
