import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DOCUMENT_IDS } from '../documents.js';

/**
 * Eval files (test/eval/*.json, test/eval/blind/*.json). Two shapes of question share them:
 *
 * - the tuned eval and held-out sets name the entries that answer each question (`expectIds`);
 * - blind sets are written from the five source documents by someone who never saw the KB, so
 *   they cannot name entries: a question is answered right when the answering entry cites the
 *   expected `document` and its text states every expected fact.
 *
 * A fact is a string, or a list of strings any one of which will do ("ICB" | "integrated care
 * board"); every fact must appear in the answer, case-insensitively.
 */
const Fact = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type Fact = z.infer<typeof Fact>;

export const QUESTION_STYLES = ['chat', 'fragment', 'long', 'scenario', 'typo'] as const;
export const OUT_OF_SCOPE_KINDS = ['clinical', 'hr-it', 'general', 'near-miss'] as const;
export type OutOfScopeKind = (typeof OUT_OF_SCOPE_KINDS)[number];

const TunedCase = z.object({
  question: z.string().min(1),
  expectIds: z.array(z.string()).min(1),
  /** Strings a right answer contains; an answer from another entry with all of them also counts. */
  facts: z.array(z.string()).default([]),
  /** The source document the question was written from, for reports. */
  document: z.enum(DOCUMENT_IDS).optional(),
}).strict();

const BlindCase = z.object({
  question: z.string().min(1),
  style: z.enum(QUESTION_STYLES),
  document: z.enum(DOCUMENT_IDS),
  facts: z.array(Fact).min(1),
  /** The source passage the question was written from and the answer its author expects: for people reading failures. */
  passage: z.string(),
  answer: z.string(),
}).strict();

const OutOfScopeCase = z.union([
  z.string().min(1).transform((question) => ({ question, kind: undefined })),
  z.object({ question: z.string().min(1), kind: z.enum(OUT_OF_SCOPE_KINDS) }).strict(),
]);

const EvalFile = z.object({
  _comment: z.string().optional(),
  /** The blind set's name, as its author gave it. */
  set: z.string().optional(),
  inScope: z.array(z.union([TunedCase, BlindCase])).default([]),
  outOfScope: z.array(OutOfScopeCase).default([]),
}).strict();

export interface InScopeCase {
  readonly question: string;
  /** Entries that answer it; empty for a blind question, which is judged on document and facts. */
  readonly expectIds: readonly string[];
  readonly facts: readonly Fact[];
  readonly document?: (typeof DOCUMENT_IDS)[number];
  readonly style?: (typeof QUESTION_STYLES)[number];
  /** The source document, or the file's name when the question does not say. */
  readonly part: string;
}

export interface OutOfScopeCase {
  readonly question: string;
  /** Why it must be refused; undefined in the older files, which do not say. */
  readonly kind?: OutOfScopeKind;
  readonly part: string;
}

export interface EvalSet {
  readonly inScope: readonly InScopeCase[];
  readonly outOfScope: readonly OutOfScopeCase[];
}

export const EVAL_FILE = 'qa.json';
export const HOLDOUT_FILE = 'holdout.json';
/** A second held-out check set, written later from the source documents; same rules as holdout.json. */
export const HOLDOUT_2_FILE = 'holdout-2.json';
/** Blind sets live here, one file per set. */
export const BLIND_DIRECTORY = 'blind';
/**
 * Blind sets kept for reporting only: scored by `npm run eval`, never tuned on and not gated, so
 * they measure how the engine generalises. Write a new set into blind/ before each tuning round.
 */
export const BLIND_REPORT_DIRECTORY = 'blind-report';

/** The eval set in `evalDirectory` (its qa.json); empty when there is none. */
export function loadEvalSet(evalDirectory: string, file: string = EVAL_FILE): EvalSet {
  const filePath = path.join(evalDirectory, file);
  if (!existsSync(filePath)) return { inScope: [], outOfScope: [] };
  return loadEvalFile(filePath);
}

/** One eval file. Each question's part is its source document, or "out-of-scope". */
export function loadEvalFile(filePath: string): EvalSet {
  const parsed = EvalFile.safeParse(JSON.parse(readFileSync(filePath, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${path.basename(filePath)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const fallback = path.basename(filePath, '.json');
  return {
    inScope: parsed.data.inScope.map((item): InScopeCase => ({
      question: item.question,
      expectIds: 'expectIds' in item ? item.expectIds : [],
      facts: item.facts,
      document: item.document,
      style: 'style' in item ? item.style : undefined,
      part: item.document ?? fallback,
    })),
    outOfScope: parsed.data.outOfScope.map(({ question, kind }) => ({ question, kind, part: 'out-of-scope' })),
  };
}

/**
 * Every eval file `npm run eval` scores, in report order: the tuned set, the held-out sets,
 * then each blind set. Paths are relative to `evalDirectory`.
 */
export function evalFiles(evalDirectory: string): string[] {
  const top = existsSync(evalDirectory) ? readdirJson(evalDirectory) : [];
  const ordered = [EVAL_FILE, ...top.filter((file) => file !== EVAL_FILE)].filter((file) => top.includes(file));
  const blindDirectory = path.join(evalDirectory, BLIND_DIRECTORY);
  const blind = existsSync(blindDirectory) ? readdirJson(blindDirectory).map((file) => path.join(BLIND_DIRECTORY, file)) : [];
  const reportDirectory = path.join(evalDirectory, BLIND_REPORT_DIRECTORY);
  const report = existsSync(reportDirectory) ? readdirJson(reportDirectory).map((file) => path.join(BLIND_REPORT_DIRECTORY, file)) : [];
  return [...ordered, ...blind, ...report];
}

function readdirJson(directory: string): string[] {
  return readdirSync(directory).filter((file) => file.endsWith('.json')).sort((a, b) => a.replace(/\.json$/, '').localeCompare(b.replace(/\.json$/, ''), 'en', { numeric: true }));
}
