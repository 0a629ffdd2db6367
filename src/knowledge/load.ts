import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { KnowledgeEntry, KnowledgeFile } from './schema.js';

/**
 * Loads data/knowledge/*.json. Synchronous on purpose: it runs once at startup, reads a few
 * hundred kilobytes, and nothing else can usefully happen before the knowledge base exists.
 *
 * Any problem fails the whole load. A knowledge base that silently dropped a bad entry would
 * answer "I don't know" to questions the authors believe are covered.
 */
export class KnowledgeBaseError extends Error {
  override readonly name = 'KnowledgeBaseError';
}

export interface KnowledgeBase {
  readonly entries: readonly KnowledgeEntry[];
  /** Entry id → the file it came from, for error messages and reports. */
  readonly fileOf: ReadonlyMap<string, string>;
}

export function loadKnowledgeBase(directory: string): KnowledgeBase {
  const files = listJsonFiles(directory);
  const entries: KnowledgeEntry[] = [];
  const fileOf = new Map<string, string>();

  for (const file of files) {
    for (const entry of readEntries(path.join(directory, file), file)) {
      const earlier = fileOf.get(entry.id);
      if (earlier !== undefined) {
        throw new KnowledgeBaseError(`${file}: entry "${entry.id}": duplicate id (also in ${earlier})`);
      }
      fileOf.set(entry.id, file);
      entries.push(entry);
    }
  }

  for (const entry of entries) {
    for (const target of entry.followUps) {
      if (!fileOf.has(target)) {
        throw new KnowledgeBaseError(`${fileOf.get(entry.id)}: entry "${entry.id}": followUp "${target}" is not an entry id`);
      }
    }
  }
  return { entries, fileOf };
}

function listJsonFiles(directory: string): string[] {
  try {
    return readdirSync(directory).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new KnowledgeBaseError(`cannot read knowledge directory ${directory}: ${messageOf(error)}`);
  }
}

function readEntries(filePath: string, file: string): KnowledgeEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new KnowledgeBaseError(`${file}: not valid JSON: ${messageOf(error)}`);
  }
  const parsedFile = KnowledgeFile.safeParse(raw);
  if (!parsedFile.success) throw new KnowledgeBaseError(`${file}: ${describe(parsedFile.error)}`);

  return parsedFile.data.entries.map((candidate, index) => {
    const parsed = KnowledgeEntry.safeParse(candidate);
    if (parsed.success) return parsed.data;
    throw new KnowledgeBaseError(`${file}: entry ${labelOf(candidate, index)}: ${describe(parsed.error)}`);
  });
}

/** The entry's id if it has a usable one, else its position, so authors can find it. */
function labelOf(candidate: unknown, index: number): string {
  if (typeof candidate === 'object' && candidate !== null && 'id' in candidate && typeof candidate.id === 'string') {
    return `"${candidate.id}" (#${index})`;
  }
  return `#${index}`;
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** data/knowledge/ in this repository, wherever the process was started from. */
export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../data/knowledge/', import.meta.url));
