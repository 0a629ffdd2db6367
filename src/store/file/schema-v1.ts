import { z } from 'zod';
import { Agenda } from '../../agenda/model.js';
import { Poll, Vote } from '../../decisions/model.js';
import { Outcome } from '../../decisions/outcome.js';
import { AuditEvent, ConversationRecord } from '../store.js';
import { Feedback, QuestionLog } from '../../knowledge/question-log.js';

/**
 * Layout version 1, as the first Concord wrote it: the whole store in one lowdb file, concord.json.
 * It differs from today's records in two ways: polls had no `reopenings` (reopening came later),
 * and votes were one store-wide map keyed `${pollId}:${organisationId}` holding the rest of the vote.
 *
 * Built from today's models plus those differences. If a model later changes incompatibly, copy the
 * old shape in here (this file must keep reading version-1 files) and add a new migration step.
 */
export const PollV1 = Poll.omit({ reopenings: true });
export const VoteV1 = Vote.omit({ pollId: true, organisationId: true });

export const StoreFileV1 = z.object({
  schemaVersion: z.literal(1),
  polls: z.array(PollV1),
  votes: z.record(z.string(), VoteV1),
  agendas: z.array(Agenda),
  outcomes: z.array(Outcome),
  conversations: z.array(ConversationRecord),
  audit: z.array(AuditEvent),
  questions: z.array(QuestionLog),
  feedback: z.array(Feedback),
});
export type StoreFileV1 = z.infer<typeof StoreFileV1>;
