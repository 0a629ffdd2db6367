import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { replaceFileAtomically } from './durable-file.js';
import { parseDocument, readTextIfPresent } from './json-document-file.js';
import type { StoreSnapshot } from '../persistence.js';
import { compareText, PollRecord } from '../poll-record.js';
import { StoreFileV1 } from './schema-v1.js';
import { CURRENT_SCHEMA_VERSION, MAIN_FILE } from './store-layout.js';
import { StoreOpenError } from '../store.js';
import { writeStoreDirectory } from './write-store-directory.js';

/**
 * One step from version N to N + 1. It must validate everything it reads before writing anything
 * (a refused file is left untouched), and write the new main file last: that rename is the step's
 * commit point, so a crash part way leaves version N in charge and the step simply runs again.
 */
type MigrationStep = (context: { dataDir: string; mainFile: string; text: string }) => Promise<void>;

const STEPS: Record<number, MigrationStep> = {
  1: splitSingleFileStore,
};

const Versioned = z.object({ schemaVersion: z.number().int().positive() });

/** Brings the store in `dataDir` forward to the current layout; returns the version it started from, if it was older. */
export async function migrateStoreDirectory(dataDir: string, logger?: Logger): Promise<number | undefined> {
  const mainFile = path.join(dataDir, MAIN_FILE);
  let text = await readTextIfPresent(mainFile);
  if (text === undefined) return undefined;
  const startedAt = schemaVersionOf(mainFile, text);
  if (startedAt > CURRENT_SCHEMA_VERSION) {
    throw new StoreOpenError(
      `${mainFile} has schemaVersion ${startedAt}, written by a newer Concord; this one reads up to ${CURRENT_SCHEMA_VERSION}`,
    );
  }
  for (let version = startedAt; version < CURRENT_SCHEMA_VERSION; version = schemaVersionOf(mainFile, text)) {
    const step = STEPS[version];
    if (!step) throw new StoreOpenError(`${mainFile} has schemaVersion ${version}, which this Concord cannot migrate`);
    logger?.info({ dataDir, from: version, to: version + 1 }, 'migrating the store');
    await step({ dataDir, mainFile, text });
    text = (await readTextIfPresent(mainFile)) ?? '';
  }
  return startedAt === CURRENT_SCHEMA_VERSION ? undefined : startedAt;
}

function schemaVersionOf(file: string, text: string): number {
  return parseDocument(file, text, Versioned).schemaVersion;
}

/**
 * 1 → 2: the single file is split into the current layout (see file-store.ts), polls gain
 * `reopenings: []`, and each vote moves from the store-wide `${pollId}:${organisationId}` map into
 * its poll's record. The original file is kept beside the store as concord.v1.json.
 */
async function splitSingleFileStore({ dataDir, mainFile, text }: Parameters<MigrationStep>[0]): Promise<void> {
  const v1 = parseDocument(mainFile, text, StoreFileV1);
  const snapshot = toVersion2(mainFile, v1);
  await replaceFileAtomically(path.join(dataDir, 'concord.v1.json'), text);
  await writeStoreDirectory(dataDir, snapshot);
}

function toVersion2(mainFile: string, v1: StoreFileV1): StoreSnapshot {
  const records = new Map<string, PollRecord>();
  refuseDuplicates(mainFile, 'poll', v1.polls.map((poll) => poll.id));
  refuseDuplicates(mainFile, 'agenda', v1.agendas.map((agenda) => agenda.id));
  for (const poll of v1.polls) records.set(poll.id, { poll: { ...poll, reopenings: [] }, votes: [], outcomes: [] });
  const recordFor = (pollId: string, what: string): PollRecord => {
    const record = records.get(pollId);
    if (!record) throw new StoreOpenError(`${mainFile}: ${what} names poll ${pollId}, which is not in the file`);
    return record;
  };

  for (const [key, vote] of Object.entries(v1.votes)) {
    const separator = key.indexOf(':');
    if (separator <= 0 || separator === key.length - 1) throw new StoreOpenError(`${mainFile}: vote key "${key}" is not pollId:organisationId`);
    const pollId = key.slice(0, separator);
    const organisationId = key.slice(separator + 1);
    recordFor(pollId, `vote ${key}`).votes.push({ ...vote, pollId, organisationId });
  }
  for (const outcome of v1.outcomes) recordFor(outcome.pollId, `outcome ${outcome.id}`).outcomes.push(outcome);

  const polls = [...records.values()].map((record) => {
    record.votes.sort((a, b) => compareText(a.organisationId, b.organisationId));
    record.outcomes.sort((a, b) => compareText(a.closedAt, b.closedAt));
    const checked = PollRecord.safeParse(record);
    if (!checked.success) throw new StoreOpenError(`${mainFile}: poll ${record.poll.id} cannot be migrated:\n${z.prettifyError(checked.error)}`);
    return checked.data;
  });
  // A conversation reference is only the latest address of a chat: keep the last one saved.
  const conversations = [...new Map(v1.conversations.map((record) => [record.conversationId, record])).values()];
  return { polls, agendas: v1.agendas, conversations, audit: v1.audit, questions: v1.questions, feedback: v1.feedback };
}

/** Two records under one id cannot both be kept in the new layout; which one is right is for a person to decide. */
function refuseDuplicates(mainFile: string, kind: string, ids: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new StoreOpenError(`${mainFile}: two ${kind}s have id ${id}; fix the file by hand, then start Concord`);
    seen.add(id);
  }
}
