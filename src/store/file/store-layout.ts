import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { AuditEvent, ConversationRecord } from '../store.js';
import { Binding, CollaborativeVersion } from '../../membership/model.js';
import { ItemStart } from '../../decisions/item-start.js';

/** The version of the on-disk layout this code writes; older ones are migrated on open (see migrations.ts). */
export const CURRENT_SCHEMA_VERSION = 2;

export const MAIN_FILE = 'concord.json';
export const POLLS_DIR = 'polls';
export const AGENDAS_DIR = 'agendas';
/**
 * One file per conversation reference, so adding one costs the same at 10,000 as at 10 (they were
 * a list in concord.json, rewritten whole for each new conversation). References already in
 * concord.json are still read; a file for the same conversation wins.
 */
export const CONVERSATIONS_DIR = 'conversations';
/** One file per collaborative: every version (issue 19). Older Concords ignore the directory. */
export const COLLABORATIVES_DIR = 'collaboratives';
/** One file per agenda with the chair's "Now" moves (issue 21). Older Concords ignore the directory. */
export const ITEM_STARTS_DIR = 'item-starts';
export const AUDIT_FILE = 'audit.jsonl';
export const QUESTIONS_FILE = 'questions.jsonl';
export const FEEDBACK_FILE = 'feedback.jsonl';
export const LOG_FILES = [AUDIT_FILE, QUESTIONS_FILE, FEEDBACK_FILE] as const;
export type LogFile = (typeof LOG_FILES)[number];
export const DOCUMENT_DIRS = [POLLS_DIR, AGENDAS_DIR, CONVERSATIONS_DIR, COLLABORATIVES_DIR, ITEM_STARTS_DIR] as const;
/** proper-lockfile's lock directory; it holds owner.json naming the process. */
export const LOCK_DIR = 'concord.lock';

/** The main file: the layout's version (its presence marks a store directory) and the small, hot conversation list. */
export const MainFile = z
  .object({
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
    conversations: z.array(ConversationRecord),
    /**
     * Which collaborative each conversation belongs to (issue 19). Defaulted, not a new layout
     * version: a store written before it simply has none yet, and app start-up binds its file.
     */
    bindings: z.array(Binding).default([]),
  })
  .superRefine((main, context) => {
    const seen = new Set<string>();
    for (const { conversationId } of main.conversations) {
      if (seen.has(conversationId)) context.addIssue({ code: 'custom', message: `conversation ${conversationId} appears twice` });
      seen.add(conversationId);
    }
  });
export type MainFile = z.infer<typeof MainFile>;

export const EMPTY_MAIN_FILE: MainFile = { schemaVersion: CURRENT_SCHEMA_VERSION, conversations: [], bindings: [] };

/** A collaborative's versions, oldest first, numbered 1, 2, 3… */
const VersionsInOrder = z.array(CollaborativeVersion).min(1).superRefine((versions, context) => {
  versions.forEach((version, index) => {
    if (version.version !== index + 1) context.addIssue({ code: 'custom', message: `version ${version.version} is in place ${index + 1}` });
    if (version.collaborativeId !== versions[0]?.collaborativeId) context.addIssue({ code: 'custom', message: 'versions of two collaboratives in one file' });
  });
});

/** An agenda's "Now" moves, oldest first, all for that agenda. */
export const ItemStartsFile = z.array(ItemStart).min(1).refine((starts) => starts.every((start) => start.agendaId === starts[0]?.agendaId), 'moves of two agendas in one file');

export function itemStartsFilePath(dataDir: string, agendaId: string): string {
  return path.join(dataDir, ITEM_STARTS_DIR, documentFileName(agendaId));
}

/**
 * A collaborative's file: its versions and the `collaborative.changed` events written with them
 * (one rename carries both). A file written before that is the bare list of versions; its events
 * are in audit.jsonl, so it is read with none of its own and nothing is counted twice.
 */
export const CollaborativeFile = z.union([
  z.object({ versions: VersionsInOrder, events: z.array(AuditEvent).default([]) }),
  VersionsInOrder.transform((versions) => ({ versions, events: [] as AuditEvent[] })),
]);

export function collaborativeFilePath(dataDir: string, collaborativeId: string): string {
  return path.join(dataDir, COLLABORATIVES_DIR, documentFileName(collaborativeId));
}

/**
 * A record's file name: a readable slug of its id plus a hash of the exact id. Ids are arbitrary
 * strings, so they cannot be used as names as they are (slashes, length), and a slug alone would
 * let "Abc" and "abc" collide on case-insensitive file systems (macOS); the hash keeps them apart.
 */
export function documentFileName(id: string): string {
  const slug = id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16);
  return `${slug ? `${slug}-` : ''}${hash}.json`;
}

export function pollFilePath(dataDir: string, pollId: string): string {
  return path.join(dataDir, POLLS_DIR, documentFileName(pollId));
}

export function conversationFilePath(dataDir: string, conversationId: string): string {
  return path.join(dataDir, CONVERSATIONS_DIR, documentFileName(conversationId));
}

export function agendaFilePath(dataDir: string, agendaId: string): string {
  return path.join(dataDir, AGENDAS_DIR, documentFileName(agendaId));
}

/**
 * Compact, not indented: opening reads every document, and indentation nearly doubles the bytes
 * (20,000 polls: ~140 MB indented, ~90 MB compact). `jq . file` makes one readable in an incident.
 */
export function serialiseDocument(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function serialiseLogLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
