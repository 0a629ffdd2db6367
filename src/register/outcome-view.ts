import { basisFigures, describeRule } from '../decisions/rules.js';
import { stageInWords } from '../decisions/gateway.js';
import { recordedByText } from '../decisions/on-behalf.js';
import { declarationText } from '../decisions/interests.js';
import { displayName } from '../people/model.js';
import { ukDate, ukDateTime } from '../shared/format.js';
import { STATUS_LOOK, STATUS_WORDS } from '../decisions/outcome-status.js';
import type { MemberPosition, Outcome } from '../decisions/outcome.js';
import { groupByState, POSITIONS_NOTES, type PositionDetail } from '../decisions/poll-card.js';

export { STATUS_WORDS } from '../decisions/outcome-status.js';

const POSITION_WORDS: Record<MemberPosition['position'], string> = {
  support: 'Supports',
  object: 'Objects',
  abstain: 'Abstains',
  'not-voted': 'Did not vote',
};

/**
 * "Supports (recorded by Megan Bowen, 23 Nov 2026, 10:02)", or "... (recorded on behalf by Alex
 * Wilber, 23 Nov 2026, 10:02: by e-mail from the chief executive)"; non-binding views say so.
 */
export function positionText(position: MemberPosition, detail: PositionDetail = 'full'): string {
  if (position.conflicted) return `Took no part: conflicted (declaration of interest)${position.binding ? '' : ', non-binding view'}`;
  const words = `${POSITION_WORDS[position.position]}${position.binding ? '' : ', non-binding view'}`;
  if (detail === 'positions' || detail === 'grouped') return position.onBehalf ? `${words} (on behalf)` : words;
  const when = position.castAt ? ukDateTime(position.castAt) : undefined;
  const by = !position.castBy ? ''
    : detail === 'no-notes' && position.onBehalf ? ` (recorded on behalf by ${displayName(position.castBy)}${when ? `, ${when}` : ''})`
      : ` (${recordedByText(position.castBy, position.onBehalf, when)})`;
  return `${words}${by}`;
}

/** Each declaration of interest with its handling, naming members as the outcome does. */
export function declarationLines(outcome: Outcome): string[] {
  const nameOf = (id: string) => outcome.positions.find((position) => position.organisationId === id)?.organisationName ?? id;
  return (outcome.declarations ?? []).map((declaration) => declarationText(declaration, nameOf));
}

export function categoryText(outcome: Outcome, detail: PositionDetail = 'full'): string {
  if (outcome.category === 1) return 'Category 1: binds every member';
  // A card too large to name them twice says how many; the positions below name each one.
  if (detail === 'positions' || detail === 'grouped') return `Category 2: binds only the ${outcome.membersInScope.length} members in scope; the others’ views are non-binding`;
  const names = outcome.positions.filter((position) => outcome.membersInScope.includes(position.organisationId)).map((position) => position.organisationName);
  return `Category 2: binds only ${names.join(', ')}`;
}

/**
 * A majority's basis with its figures, e.g. "2 of 3 votes cast support: agreed by a majority of
 * votes cast". Recomputed from the stored counts, so outcomes recorded before bases existed state
 * it too (read as votes cast, their meaning). Empty for consensus, unanimity and no quorum.
 */
export const basisText = (outcome: Outcome): string => basisFigures(outcome.rule, outcome.counts, outcome.result) ?? '';

export interface OutcomeCardData {
  outcomeId: string;
  reference: string;
  title: string;
  proposal: string;
  statusText: string;
  statusColor: 'Good' | 'Attention' | 'Warning' | 'Default';
  statusStyle: 'good' | 'attention' | 'warning' | 'default';
  facts: { label: string; text: string }[];
  explanation: string;
  positions: { name: string; state: string }[];
  /** At the `grouped` level, instead of `positions`: each state and the members in it. */
  positionGroups: { text: string }[];
  /** Set when the card leaves out who recorded each position, or the notes. */
  positionsNote: string;
  reasons: { text: string }[];
  actions: { text: string }[];
  note: string;
  noteTone: 'good' | 'warning';
  registerUrl: string;
}


/** Reasons a card at the briefer levels shows in full; the rest are counted (the register has them all). */
const BRIEF_REASONS = 5;

function cardReasons(reasons: readonly string[], detail: PositionDetail): { text: string }[] {
  if ((detail !== 'positions' && detail !== 'grouped') || reasons.length <= BRIEF_REASONS + 1) return reasons.map((text) => ({ text }));
  return [...reasons.slice(0, BRIEF_REASONS).map((text) => ({ text })), { text: `… and ${reasons.length - BRIEF_REASONS} more reasons, in the register.` }];
}

export interface OutcomeCardOptions {
  note?: string;
  noteTone?: 'good' | 'warning';
  registerUrl?: string;
  /** How much to say about each position (see PositionDetail): less when the card is too large for Teams. */
  detail?: PositionDetail;
}

/** One outcome as the secretariat minutes it: every member's position, reasons and actions. */
export function toOutcomeCardData(outcome: Outcome, options: OutcomeCardOptions = {}): OutcomeCardData {
  const detail = options.detail ?? 'full';
  const facts = [
    { label: 'Rule', text: describeRule(outcome.rule) },
    { label: 'Category', text: categoryText(outcome, detail) },
  ];
  const basis = basisText(outcome);
  if (basis) facts.splice(1, 0, { label: 'Basis', text: basis });
  if (outcome.meeting) facts.push({ label: 'Meeting', text: `${outcome.meeting.title}, ${outcome.meeting.date}` });
  if (outcome.gateway) facts.push({ label: 'Gateway', text: `${outcome.gateway.programme}: ${stageInWords(outcome.gateway.stage)} stage` });
  facts.push({ label: 'Closed', text: `${ukDateTime(outcome.closedAt)} by ${displayName(outcome.closedBy)}` });
  const declarations = declarationLines(outcome);
  // A fact, so the tab (which lists the card's facts) shows it too.
  if (declarations.length > 0) facts.push({ label: 'Declarations of interest', text: declarations.join('\n') });
  const look = STATUS_LOOK[outcome.status];
  const rows = outcome.positions.map((position) => ({ name: position.organisationName, state: positionText(position, detail) }));
  return {
    outcomeId: outcome.id,
    reference: outcome.reference,
    title: outcome.title,
    proposal: outcome.proposal,
    statusText: STATUS_WORDS[outcome.status],
    statusColor: look.color,
    statusStyle: look.style,
    facts,
    explanation: outcome.explanation,
    positions: detail === 'grouped' ? [] : rows,
    positionGroups: detail === 'grouped' ? groupByState(rows) : [],
    positionsNote: POSITIONS_NOTES[detail],
    reasons: cardReasons(outcome.reasons, detail),
    actions: outcome.actions.map((action) => ({ text: `${action.who}: ${action.what} (${action.when})` })),
    note: options.note ?? '',
    noteTone: options.noteTone ?? 'good',
    registerUrl: options.registerUrl ?? '',
  };
}

export interface DecisionsListData {
  heading: string;
  emptyText: string;
  items: { outcomeId: string; headline: string; detail: string; color: 'Good' | 'Attention' | 'Warning' | 'Default' }[];
  moreText: string;
  registerUrl: string;
}

/**
 * The `decisions` command's list: newest first, each opening its full outcome card. `total` is how
 * many matched, when the store was asked for only the first `shown` (a register of thousands).
 */
export function toDecisionsListData(outcomes: readonly Outcome[], options: { words: string; shown: number; total?: number; registerUrl?: string }): DecisionsListData {
  const shown = outcomes.slice(0, options.shown);
  const total = Math.max(options.total ?? outcomes.length, shown.length);
  return {
    heading: options.words ? `Decisions matching “${options.words}”` : 'Recent decisions',
    emptyText: options.words
      ? 'No logged outcome matches those words. Try fewer or different words, or type "decisions" for the latest.'
      : 'No outcomes are logged yet. When the chair closes a poll, its outcome appears here.',
    items: shown.map((outcome) => ({
      outcomeId: outcome.id,
      headline: `${outcome.reference} · ${outcome.title}`,
      detail: [
        `${STATUS_WORDS[outcome.status]} · ${ukDate(outcome.closedAt)} · support ${outcome.counts.support}, object ${outcome.counts.object}, abstain ${outcome.counts.abstain}, not voted ${outcome.counts.notVoted}`,
        basisText(outcome),
      ].filter((part) => part !== '').join(' · '),
      color: STATUS_LOOK[outcome.status].color,
    })),
    moreText: total > shown.length ? `Showing ${shown.length} of ${total}. Add words to narrow the search.` : '',
    registerUrl: options.registerUrl ?? '',
  };
}
