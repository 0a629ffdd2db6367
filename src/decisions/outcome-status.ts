import { z } from 'zod';
import type { Tally } from './rules.js';

/**
 * The register's one status vocabulary (issue 15): every view (the poll and outcome cards, the
 * `decisions` list, the register tab, the CSV and the Markdown minutes) names a decision's status
 * with these words and nothing else, so "no quorum" can never read as a rejection in one place
 * and as "nothing decided" in another.
 *
 * - agreed: the rule's test was met.
 * - not-agreed: voted on with a quorum, and the rule's test was not met.
 * - no-quorum: too few binding members recorded a position, so nothing was decided either way.
 * - referred-to-dispute-resolution: consensus failed on an objection; the collaborative's dispute
 *   resolution procedure applies (guidance, "Options for strengthening decision-making", option 4).
 * - superseded: the poll was reopened; a later outcome replaces this one.
 */
export const OUTCOME_STATUSES = ['agreed', 'not-agreed', 'no-quorum', 'referred-to-dispute-resolution', 'superseded'] as const;
export const OutcomeStatus = z.enum(OUTCOME_STATUSES);
export type OutcomeStatus = z.infer<typeof OutcomeStatus>;

export const STATUS_WORDS: Record<OutcomeStatus, string> = {
  agreed: 'Agreed',
  'not-agreed': 'Not agreed',
  'no-quorum': 'No quorum: nothing decided',
  'referred-to-dispute-resolution': 'Referred to dispute resolution',
  superseded: 'Superseded (poll reopened)',
};

/** How a card colours each status (Adaptive Cards' colour and container style names). */
export const STATUS_LOOK: Record<OutcomeStatus, { color: 'Good' | 'Attention' | 'Warning' | 'Default'; style: 'good' | 'attention' | 'warning' | 'default' }> = {
  agreed: { color: 'Good', style: 'good' },
  'not-agreed': { color: 'Attention', style: 'attention' },
  'no-quorum': { color: 'Warning', style: 'warning' },
  'referred-to-dispute-resolution': { color: 'Warning', style: 'warning' },
  superseded: { color: 'Default', style: 'default' },
};

/** The status a close gives, from the tally. */
export const statusOf = (result: Pick<Tally, 'result' | 'disputeResolutionOffered'>): OutcomeStatus =>
  result.result === 'agreed' ? 'agreed'
    : result.result === 'no-quorum' ? 'no-quorum'
      : result.disputeResolutionOffered ? 'referred-to-dispute-resolution' : 'not-agreed';
