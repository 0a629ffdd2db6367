import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The Q&A eval set: questions staff might ask with the entries that answer them, plus
 * questions that must never be answered from the KB. Either one file, test/eval/qa.json, or
 * parts in test/eval/parts/*.json (one per source document, one for out-of-scope) merged.
 */
export const InScopeCase = z.object({
  question: z.string(),
  expectIds: z.array(z.string()).min(1),
  /** Strings a right answer contains; an answer from another entry with all of them also counts. */
  facts: z.array(z.string()).default([]),
});
export type InScopeCase = z.infer<typeof InScopeCase> & { readonly part: string };

const EvalFile = z.object({
  inScope: z.array(InScopeCase).default([]),
  outOfScope: z.array(z.string()).default([]),
});

export interface EvalSet {
  readonly inScope: readonly InScopeCase[];
  readonly outOfScope: readonly { readonly question: string; readonly part: string }[];
}

export function loadEvalSet(evalDirectory: string): EvalSet {
  const single = path.join(evalDirectory, 'qa.json');
  const files = existsSync(single)
    ? [single]
    : listParts(path.join(evalDirectory, 'parts'));
  const inScope: InScopeCase[] = [];
  const outOfScope: { question: string; part: string }[] = [];
  for (const file of files) {
    const part = path.basename(file, '.json');
    const parsed = EvalFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(`${path.relative(evalDirectory, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    inScope.push(...parsed.data.inScope.map((item) => ({ ...item, part })));
    outOfScope.push(...parsed.data.outOfScope.map((question) => ({ question, part })));
  }
  return { inScope, outOfScope };
}

function listParts(partsDirectory: string): string[] {
  if (!existsSync(partsDirectory)) return [];
  return readdirSync(partsDirectory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(partsDirectory, name));
}
