import type { z } from 'zod';

/** zod issues as short lines a chair or an operator can act on: "path: message". */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
  );
