import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { z } from 'zod';
import { replaceFileAtomically } from './durable-file.js';
import { serialiseDocument } from './store-layout.js';
import { StoreOpenError } from '../store.js';

/**
 * A lowdb adapter for one JSON document: reads are validated with a zod schema (the store file is
 * a boundary, STYLE §3.2) and writes replace the file atomically and durably. lowdb's own JSONFile
 * (steno) renames without fsync, so an acknowledged write could vanish in a power cut.
 */
export class JsonDocumentFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  /** The document, or null when the file does not exist; a StoreOpenError naming the file when it is not valid. */
  async read(): Promise<T | null> {
    const text = await readTextIfPresent(this.file);
    return text === undefined ? null : parseDocument(this.file, text, this.schema);
  }

  async write(data: T): Promise<void> {
    await replaceFileAtomically(this.file, serialiseDocument(data));
  }
}

export async function readTextIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw new StoreOpenError(`cannot read ${file}: ${describe(error)}`);
  }
}

/** Parses and validates; the message names the file and what is wrong with it, and nothing is written. */
export function parseDocument<T>(file: string, text: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(parseJson(file, text));
  if (!result.success) throw new StoreOpenError(`${file} does not match the expected shape:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreOpenError(`${file} is not valid JSON (${describe(error)})`);
  }
}

export function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
