import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { replaceFileAtomically, syncDirectory } from './durable-file.js';
import type { StoreSnapshot } from '../persistence.js';
import {
  agendaFilePath,
  AGENDAS_DIR,
  AUDIT_FILE,
  collaborativeFilePath,
  COLLABORATIVES_DIR,
  CURRENT_SCHEMA_VERSION,
  FEEDBACK_FILE,
  ITEM_STARTS_DIR,
  itemStartsFilePath,
  MAIN_FILE,
  pollFilePath,
  POLLS_DIR,
  QUESTIONS_FILE,
  serialiseDocument,
  serialiseLogLine,
  type MainFile,
} from './store-layout.js';

const WRITE_CONCURRENCY = 32;

/**
 * Writes a whole store in the current layout from a snapshot: used by migrations, by the memory
 * store's backup and to seed benchmarks. Each file is replaced atomically and the main file is
 * written last, so a directory interrupted part way is never taken for a finished one (migrations
 * rely on this: until the new main file lands, the old one is still the store).
 * Returns the paths written. `durable: false` skips fsync, for seeding test data only.
 */
export async function writeStoreDirectory(dataDir: string, snapshot: StoreSnapshot, options: { durable?: boolean } = {}): Promise<string[]> {
  const durable = options.durable ?? true;
  const written: string[] = [];
  const put = async (file: string, contents: string): Promise<void> => {
    await replaceFileAtomically(file, contents, { durable });
    written.push(file);
  };

  await mkdir(path.join(dataDir, POLLS_DIR), { recursive: true });
  await mkdir(path.join(dataDir, AGENDAS_DIR), { recursive: true });
  await mkdir(path.join(dataDir, COLLABORATIVES_DIR), { recursive: true });
  await mkdir(path.join(dataDir, ITEM_STARTS_DIR), { recursive: true });
  if (durable) await syncDirectory(dataDir);

  const documents: Array<[string, unknown]> = [
    ...snapshot.polls.map((record): [string, unknown] => [pollFilePath(dataDir, record.poll.id), record]),
    ...snapshot.agendas.map((agenda): [string, unknown] => [agendaFilePath(dataDir, agenda.id), agenda]),
    ...(snapshot.itemStarts ?? []).map((starts): [string, unknown] => [itemStartsFilePath(dataDir, starts[0]?.agendaId ?? ''), starts]),
    ...(snapshot.collaboratives ?? []).map((record): [string, unknown] => [collaborativeFilePath(dataDir, record.versions[0]?.collaborativeId ?? ''), { versions: record.versions, events: record.events ?? [] }]),
  ];
  await inParallel(documents, WRITE_CONCURRENCY, ([file, document]) => put(file, serialiseDocument(document)));

  await put(path.join(dataDir, AUDIT_FILE), snapshot.audit.map(serialiseLogLine).join(''));
  await put(path.join(dataDir, QUESTIONS_FILE), snapshot.questions.map(serialiseLogLine).join(''));
  await put(path.join(dataDir, FEEDBACK_FILE), snapshot.feedback.map(serialiseLogLine).join(''));

  const main: MainFile = { schemaVersion: CURRENT_SCHEMA_VERSION, conversations: snapshot.conversations, bindings: snapshot.bindings ?? [] };
  await put(path.join(dataDir, MAIN_FILE), serialiseDocument(main));
  return written;
}

async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
