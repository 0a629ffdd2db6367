import type { z } from 'zod';

/** What zod calls a type, as a person writing the file would say it. */
const TYPE_WORDS: Record<string, string> = {
  array: 'a list ([...])',
  object: 'an object ({...})',
  string: 'text in quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** One issue in plain words: zod's type wording ("Invalid input: expected array, received undefined") rewritten. */
const plainMessage = (issue: z.core.$ZodIssue): string => {
  if (issue.code !== 'invalid_type') return issue.message;
  const wanted = TYPE_WORDS[issue.expected] ?? issue.expected;
  const received = /received (\w+)/.exec(issue.message)?.[1];
  if (received === 'undefined') return `missing: add it, as ${wanted}`;
  return `must be ${wanted}${received ? `, not ${TYPE_WORDS[received] ?? received}` : ''}`;
};

/** zod issues as short lines a chair or an operator can act on: "path: message". */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${plainMessage(issue)}` : plainMessage(issue),
  );
