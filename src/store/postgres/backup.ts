/**
 * Store.backup for PostgreSQL: a consistent export in the embedded store's file layout, so a backup
 * of the shared database opens as a lowdb store (`CONCORD_DATA_DIR=<backup> npm start`), and
 * readStoreDirectory checks it like any other. Everything is read in one REPEATABLE READ, READ ONLY
 * transaction: one snapshot, so a vote and its poll, or a closed poll and its outcome, are never
 * separated, whatever other instances write meanwhile. It holds the whole register in memory while
 * it writes (as the embedded store always does); for large databases and point-in-time recovery,
 * back up with pg_dump or the database service's own backups, which are the tools for that job.
 */
import { mkdir, readdir } from 'node:fs/promises';
import type { Pool } from 'pg';
import { Agenda } from '../../agenda/model.js';
import { Poll, Vote } from '../../decisions/model.js';
import type { StoreSnapshot } from '../persistence.js';
import { PollRecord } from '../poll-record.js';
import { AuditEvent, ConversationRecord } from '../store.js';
import { writeStoreDirectory } from '../file/write-store-directory.js';
import { outcomesByPoll } from './outcome-queries.js';
import { listFeedback, listQuestions } from './record-queries.js';
import { inTransaction, parseDocs, parseRow, type DocRow } from './sql.js';
import { CollaborativeVersion } from '../../membership/model.js';
import { listBindings } from './collaborative-queries.js';
import { allItemStarts } from './item-start-queries.js';

export async function backupDatabase(pool: Pool, directory: string): Promise<string[]> {
  await requireEmptyDirectory(directory);
  const snapshot = await inTransaction(pool, async (client) => {
    const polls = parseDocs(Poll, (await client.query<DocRow>('SELECT doc FROM polls ORDER BY opened_at, id')).rows, 'polls row');
    const votes = parseDocs(Vote, (await client.query<DocRow>('SELECT doc FROM votes ORDER BY poll_id, organisation_id')).rows, 'votes row');
    const outcomes = await outcomesByPoll(client);
    const votesByPoll = new Map<string, Vote[]>();
    for (const vote of votes) votesByPoll.set(vote.pollId, [...(votesByPoll.get(vote.pollId) ?? []), vote]);
    const records = polls.map((poll) =>
      parseRow(PollRecord, { poll, votes: votesByPoll.get(poll.id) ?? [], outcomes: outcomes.get(poll.id) ?? [] }, `poll record ${poll.id}`));
    const contents: StoreSnapshot = {
      polls: records,
      agendas: parseDocs(Agenda, (await client.query<DocRow>('SELECT doc FROM agendas ORDER BY id')).rows, 'agendas row'),
      itemStarts: await allItemStarts(client),
      conversations: parseDocs(ConversationRecord, (await client.query<DocRow>('SELECT doc FROM conversations ORDER BY conversation_id')).rows, 'conversations row'),
      audit: parseDocs(AuditEvent, (await client.query<DocRow>('SELECT doc FROM audit_events ORDER BY seq')).rows, 'audit_events row'),
      questions: await listQuestions(client),
      feedback: await listFeedback(client),
      collaboratives: groupVersions(parseDocs(CollaborativeVersion,
        (await client.query<DocRow>('SELECT doc FROM collaborative_versions ORDER BY collaborative_id, version')).rows, 'collaborative_versions row')),
      bindings: await listBindings(client),
    };
    return contents;
  }, { isolation: 'REPEATABLE READ', readOnly: true });
  return writeStoreDirectory(directory, snapshot);
}

/** Their events are in audit_events (the same transaction wrote both), so the records carry none. */
function groupVersions(versions: CollaborativeVersion[]): { versions: CollaborativeVersion[] }[] {
  const byId = new Map<string, CollaborativeVersion[]>();
  for (const version of versions) byId.set(version.collaborativeId, [...(byId.get(version.collaborativeId) ?? []), version]);
  return [...byId.values()].map((grouped) => ({ versions: grouped }));
}

/** Like the embedded store's backup: never mixes a backup into files already there. */
async function requireEmptyDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  if ((await readdir(directory)).length > 0) throw new Error(`backup target ${directory} is not empty`);
}
