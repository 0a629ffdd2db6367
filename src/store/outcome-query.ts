import type { Outcome } from '../decisions/outcome.js';
import type { OutcomeQuery } from './store.js';
import { compareText } from './poll-record.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/*
 * The register search every store implements the same way: inclusive dates on closedAt's calendar
 * day (as written, i.e. UTC for `toISOString` timestamps), all words present somewhere in
 * reference, title, proposal or meeting, newest first, at most `limit`. The helpers below are
 * what the stores share of it.
 */

export function newestFirst(a: Pick<Outcome, 'closedAt' | 'id'>, b: Pick<Outcome, 'closedAt' | 'id'>): number {
  return compareText(b.closedAt, a.closedAt) || compareText(b.id, a.id);
}

/** The lowercased text a register search looks for words in (the PostgreSQL store keeps it in a column). */
export function searchableText(outcome: Outcome): string {
  const meeting = outcome.meeting ? `${outcome.meeting.title} ${outcome.meeting.date}` : '';
  return [outcome.reference, outcome.title, outcome.proposal, meeting].join('\n').toLowerCase();
}

/** A malformed query is a caller bug: fail loudly rather than return a quietly wrong register. */
export function checkQuery(query: OutcomeQuery): void {
  for (const [name, value] of [['from', query.from], ['to', query.to]] as const) {
    if (value !== undefined && !ISO_DATE.test(value)) throw new Error(`outcome query: ${name} must be YYYY-MM-DD, got ${value}`);
  }
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
    throw new Error(`outcome query: limit must be a whole number ≥ 0, got ${query.limit}`);
  }
}

/** The query's words, lowercased: each must appear in an outcome's searchable text. */
export function queryWords(query: OutcomeQuery): string[] {
  return (query.text ?? '').toLowerCase().split(/\s+/).filter((word) => word.length > 0);
}
