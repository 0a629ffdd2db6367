import { z } from 'zod';
import { DOCUMENT_IDS } from './documents.js';
import { UPDATE_IDS } from './updates.js';

/** Answers are short by design: a card in a busy channel, not a briefing paper. */
export const MAX_ANSWER_WORDS = 130;

const wordCount = (text: string): number => text.trim().split(/\s+/).filter(Boolean).length;

export const SourceRef = z.object({
  document: z.enum(DOCUMENT_IDS),
  /** The heading, slide or page exactly as it appears in the source document. */
  section: z.string().trim().min(1).max(200),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const KnowledgeEntry = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case'),
  question: z.string().trim().min(5).max(200),
  /** Other ways staff ask the same thing; they feed the search index. */
  phrasings: z.array(z.string().trim().min(3).max(200)).default([]),
  answer: z
    .string()
    .trim()
    .min(20)
    .refine((text) => wordCount(text) <= MAX_ANSWER_WORDS, `answers are at most ${MAX_ANSWER_WORDS} words`),
  tags: z.array(z.string().trim().min(2).max(40)).min(1),
  sources: z.array(SourceRef).min(1),
  followUps: z.array(z.string()).default([]),
  /** Later facts that overtook this 2021 answer (see updates.ts); the answer says so. */
  updates: z.array(z.enum(UPDATE_IDS)).default([]),
}).strict();
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

/** One file in data/knowledge/: a list of entries. */
export const KnowledgeFile = z.object({
  entries: z.array(z.unknown()),
}).strict();
