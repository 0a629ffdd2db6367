import { z } from 'zod';
import { PollStatus } from '../decisions/model.js';
import { DELIVERY_STATES } from '../decisions/outcome.js';
import { searchableText } from './outcome-query.js';
import type { PollRecord } from './poll-record.js';

/**
 * What the embedded store keeps in memory of a poll that is no longer open (issue 22): enough to
 * list, order, filter and search without reading its file, and nothing more. Its body (the poll,
 * its votes, outcomes and events) stays on disk and is read, and validated, when asked for. A
 * closed poll only changes through the store's own writes, which replace its summary in the same
 * step, so a summary can never describe an older file than the one on disk.
 */
export const OutcomeKey = z.object({
  id: z.string().min(1),
  closedAt: z.string(),
  /** The outcome's stored reference (a legacy outcome's is its poll's id, replaced at read). */
  reference: z.string(),
  /** Lowercased title, proposal and meeting: the rest of the register search's text. */
  text: z.string(),
  delivery: z.enum(DELIVERY_STATES),
  gateway: z.boolean(),
});
export type OutcomeKey = z.infer<typeof OutcomeKey>;

export const PollSummary = z.object({
  id: z.string(),
  status: PollStatus,
  openedAt: z.string(),
  /** The stored decision reference; for a legacy poll the one derived at open. */
  reference: z.string().optional(),
  /** Opened before decision references (no agenda, no reference): its reference is derived at read. */
  legacy: z.boolean(),
  /** The collaborative it names (a register view filters on it without reading the file). */
  collaborativeId: z.string().optional(),
  /** The agenda it was opened from (a meeting's minutes list its polls without reading every file). */
  agendaId: z.string().optional(),
  outcomes: z.array(OutcomeKey),
  /** The subjects of the audit events kept in the poll's file (readAudit reads only those files). */
  eventSubjects: z.array(z.string()),
});
export type PollSummary = z.infer<typeof PollSummary>;

export function summarisePoll(record: PollRecord): PollSummary {
  const { poll } = record;
  return {
    id: poll.id,
    status: poll.status,
    openedAt: poll.openedAt,
    ...(poll.reference === undefined ? {} : { reference: poll.reference }),
    legacy: poll.agenda === undefined && poll.reference === undefined,
    ...(poll.collaborativeId === undefined ? {} : { collaborativeId: poll.collaborativeId }),
    ...(poll.agenda === undefined ? {} : { agendaId: poll.agenda.agendaId }),
    outcomes: record.outcomes.map((outcome) => ({
      id: outcome.id,
      closedAt: outcome.closedAt,
      reference: outcome.reference,
      // searchableText starts with the reference line; the rest is kept apart so a derived reference can replace it.
      text: searchableText({ ...outcome, reference: '' }).slice(1),
      delivery: outcome.delivery.state,
      gateway: outcome.gateway !== undefined,
    })),
    eventSubjects: [...new Set((record.events ?? []).map((event) => (event.subject === poll.id ? poll.id : event.subject)))],
  };
}

/** The text a register search matches an outcome's key against: the same as searchableText of its body. */
export function keyText(key: OutcomeKey, reference: string): string {
  return `${reference.toLowerCase()}\n${key.text}`;
}

/** A summarised poll's body as the store hands it out: a legacy poll gets the reference derived for it. */
export function withDerivedReference(record: PollRecord, summary: PollSummary): PollRecord {
  if (!summary.legacy || summary.reference === undefined || record.poll.reference !== undefined) return record;
  const reference = summary.reference;
  const outcomes = record.outcomes.map((outcome) => (outcome.reference === record.poll.id ? { ...outcome, reference } : outcome));
  return { ...record, poll: { ...record.poll, reference }, outcomes };
}
