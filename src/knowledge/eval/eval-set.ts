import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DOCUMENT_IDS } from '../documents.js';

/**
 * The Q&A eval set, test/eval/qa.json: questions staff might ask with the entries that answer
 * them, plus questions that must never be answered from the KB. test/eval/holdout.json has the
 * same shape: a check set that is never tuned against (see its _comment).
 */
export const InScopeCase = z.object({
  question: z.string(),
  expectIds: z.array(z.string()).min(1),
  /** Strings a right answer contains; an answer from another entry with all of them also counts. */
  facts: z.array(z.string()).default([]),
  /** The source document the question was written from, for reports. */
  document: z.enum(DOCUMENT_IDS).optional(),
});
export type InScopeCase = z.infer<typeof InScopeCase> & { readonly part: string };

const EvalFile = z.object({
  _comment: z.string().optional(),
  inScope: z.array(InScopeCase).default([]),
  outOfScope: z.array(z.string()).default([]),
}).strict();

export interface EvalSet {
  readonly inScope: readonly InScopeCase[];
  readonly outOfScope: readonly { readonly question: string; readonly part: string }[];
}

export const EVAL_FILE = 'qa.json';
export const HOLDOUT_FILE = 'holdout.json';
/** A second held-out check set, written later from the source documents; same rules as holdout.json. */
export const HOLDOUT_2_FILE = 'holdout-2.json';

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
    inScope: parsed.data.inScope.map((item) => ({ ...item, part: item.document ?? fallback })),
    outOfScope: parsed.data.outOfScope.map((question) => ({ question, part: 'out-of-scope' })),
  };
}
