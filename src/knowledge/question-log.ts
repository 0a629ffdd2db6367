import { z } from 'zod';

/** A guidance question as asked, kept so the secretariat can grow the knowledge base. */
export const QuestionLog = z.object({
  id: z.string(),
  question: z.string().max(2000),
  answered: z.boolean(),
  entryId: z.string().optional(),
  confidence: z.number(),
  askedBy: z.string().optional(),
  at: z.string(),
  /**
   * Set when the question was refused as clinical or personal: only this category is kept, and
   * `question` is empty. Kept text has NHS numbers, e-mail addresses and phone numbers masked.
   */
  withheld: z.enum(['clinical', 'personal']).optional(),
});
export type QuestionLog = z.infer<typeof QuestionLog>;

export const Feedback = z.object({
  questionId: z.string(),
  helpful: z.boolean(),
  by: z.string(),
  at: z.string(),
});
export type Feedback = z.infer<typeof Feedback>;
