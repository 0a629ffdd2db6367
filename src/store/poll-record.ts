import { z } from 'zod';
import { Poll, Vote } from '../decisions/model.js';
import { Outcome } from '../decisions/outcome.js';
import { AuditEvent } from './store.js';

/**
 * A poll with its votes and outcomes: the unit the store writes in one atomic step, so a vote is
 * never separated from its poll and closing a poll lands its status and its outcome together.
 * Votes are kept ordered by organisationId, one per organisation (the key of STYLE §5); outcomes in
 * the order they were recorded (a reopened and re-closed poll has more than one); events in the
 * order written.
 */
export const PollRecord = z
  .object({
    poll: Poll,
    votes: z.array(Vote),
    outcomes: z.array(Outcome),
    /**
     * The audit events of this poll's own writes (opened, votes, closed and outcome logged,
     * reopened), kept in the same file so a vote and its event land in one rename: the audit
     * trail cannot miss a vote that is on the record. Absent in stores written before issue 15,
     * whose poll events are all in audit.jsonl. readAudit merges both.
     */
    events: z.array(AuditEvent).optional(),
  })
  .superRefine((record, context) => {
    const organisations = new Set<string>();
    for (const vote of record.votes) {
      if (vote.pollId !== record.poll.id) {
        context.addIssue({ code: 'custom', message: `vote for ${vote.organisationId} names poll ${vote.pollId}, not ${record.poll.id}` });
      }
      if (organisations.has(vote.organisationId)) {
        context.addIssue({ code: 'custom', message: `two votes for organisation ${vote.organisationId}` });
      }
      organisations.add(vote.organisationId);
    }
    for (const outcome of record.outcomes) {
      if (outcome.pollId !== record.poll.id) {
        context.addIssue({ code: 'custom', message: `outcome ${outcome.id} names poll ${outcome.pollId}, not ${record.poll.id}` });
      }
    }
  });
export type PollRecord = z.infer<typeof PollRecord>;

/**
 * The record with each of `votes` as its organisation's one vote, replacing any earlier one (a later
 * vote in the list replaces an earlier one for the same organisation), and what each replaced. One
 * pass and one sort for the batch: a group commit of 200 votes on a 200-member poll.
 */
export function withVotes(record: PollRecord, votes: readonly Vote[]): { record: PollRecord; previous: (Vote | undefined)[] } {
  const byOrganisation = new Map(record.votes.map((vote) => [vote.organisationId, vote]));
  const previous = votes.map((vote) => {
    const replaced = byOrganisation.get(vote.organisationId);
    byOrganisation.set(vote.organisationId, vote);
    return replaced;
  });
  const merged = [...byOrganisation.values()].sort((a, b) => compareText(a.organisationId, b.organisationId));
  return { record: { ...record, votes: merged }, previous };
}

export function latestOutcome(record: PollRecord): Outcome | undefined {
  return record.outcomes[record.outcomes.length - 1];
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The record with `events` appended to its own audit history. */
export function withEvents(record: PollRecord, events: readonly AuditEvent[]): PollRecord {
  return events.length === 0 ? record : { ...record, events: [...(record.events ?? []), ...events] };
}
