import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

/**
 * The files and folders the settings point to, checked before anything reads them, so a wrong
 * path is reported with the setting that names it rather than as ENOENT. Empty when all exist.
 */
export function missingPaths(config: Pick<Config, 'collaborativeFile' | 'knowledgeDir'>): string[] {
  const problems: string[] = [];
  const check = (setting: string, value: string, kind: 'file' | 'folder', what: string) => {
    const absolute = path.resolve(value);
    const found = existsSync(absolute) ? (statSync(absolute).isDirectory() ? 'folder' : 'file') : undefined;
    if (found === kind) return;
    problems.push(found
      ? `${setting} must name a ${kind} (${what}), but ${absolute} is a ${found}`
      : `${setting} names ${absolute}, which does not exist; set it to ${what}`);
  };
  // `none` starts with no collaborative: teams set one up in Teams (`setup`).
  if (config.collaborativeFile !== 'none') check('CONCORD_COLLABORATIVE_FILE', config.collaborativeFile, 'file', 'your collaborative\'s JSON file (the sample is data/collaborative.json)');
  check('CONCORD_KNOWLEDGE_DIR', config.knowledgeDir, 'folder', 'the knowledge-base folder (the shipped one is data/knowledge)');
  return problems;
}
