import type { Poll, Vote } from '../decisions/model.js';
import type { Outcome } from '../decisions/outcome.js';
import type { AuditEvent, Store } from './store.js';

/** What the audit trail must show for one poll's record. */
export interface PollOnRecord {
  poll: Poll;
  votes: readonly Vote[];
  outcomes: readonly Outcome[];
}

/**
 * Every fact on the record has its audit event (issue 15): each poll was opened, each vote on
 * record is the position its organisation's last vote event names, each close, reopening and
 * outcome has one. Pure: records and events in, one plain sentence per gap out (empty when the
 * trail is complete). Events for records no longer present are not gaps.
 */
export function auditGaps(records: readonly PollOnRecord[], events: readonly AuditEvent[]): string[] {
  const bySubject = new Map<string, AuditEvent[]>();
  for (const event of events) bySubject.set(event.subject, [...(bySubject.get(event.subject) ?? []), event]);
  const gaps: string[] = [];
  for (const { poll, votes, outcomes } of records) {
    const ofPoll = bySubject.get(poll.id) ?? [];
    const count = (action: AuditEvent['action']) => ofPoll.filter((event) => event.action === action).length;
    const name = `poll ${poll.id} (“${poll.title}”)`;
    if (count('poll.opened') === 0) gaps.push(`${name}: no poll.opened event`);
    // Each close wrote one outcome; each reopening is on the poll.
    if (count('poll.closed') !== outcomes.length) gaps.push(`${name}: ${outcomes.length} outcome(s) on record but ${count('poll.closed')} poll.closed event(s)`);
    if (count('poll.reopened') !== poll.reopenings.length) gaps.push(`${name}: ${poll.reopenings.length} reopening(s) on record but ${count('poll.reopened')} poll.reopened event(s)`);
    for (const outcome of outcomes) {
      if (!(bySubject.get(outcome.id) ?? []).some((event) => event.action === 'outcome.logged')) gaps.push(`${name}: outcome ${outcome.id} has no outcome.logged event`);
    }
    const lastPosition = new Map<string, unknown>();
    for (const event of ofPoll) {
      if (event.action === 'vote.cast' || event.action === 'vote.changed') lastPosition.set(String(event.detail.organisationId), event.detail.position);
    }
    for (const vote of votes) {
      const logged = lastPosition.get(vote.organisationId);
      if (logged === undefined) gaps.push(`${name}: ${vote.organisationId}'s vote (${vote.position}) has no vote event`);
      else if (logged !== vote.position) gaps.push(`${name}: ${vote.organisationId}'s vote is ${vote.position} but its last vote event says ${String(logged)}`);
    }
  }
  return gaps;
}

/** Reads every poll, its votes and outcomes, and the audit trail from `store`, and checks them. */
export async function checkStoreAudit(store: Store): Promise<{ polls: number; votes: number; events: number; gaps: string[] }> {
  const polls = await store.listPolls();
  const outcomes = await store.listOutcomes();
  const records: PollOnRecord[] = [];
  for (const poll of polls) {
    records.push({ poll, votes: await store.votes(poll.id), outcomes: outcomes.filter((outcome) => outcome.pollId === poll.id) });
  }
  const events = await store.readAudit();
  return { polls: polls.length, votes: records.reduce((total, record) => total + record.votes.length, 0), events: events.length, gaps: auditGaps(records, events) };
}
