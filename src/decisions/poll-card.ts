import { displayName } from '../people/model.js';
import { longDate, ukDateTime } from '../shared/format.js';
import { rolesOf, type Collaborative } from './collaborative.js';
import { stageInWords } from './gateway.js';
import { recordedByText } from './on-behalf.js';
import { conflictedMembers, declarationTexts } from './interests.js';
import type { Poll, Position, Vote } from './model.js';
import { STATUS_WORDS, statusOf } from './outcome-status.js';
import { ATTENDANCE_WORDS, quoracy, quoracyText } from './attendance.js';
import { basisProgress, describeRule, latestPerOrganisation, tally } from './rules.js';

/** Plain data for cards/poll.json: what a member sees, computed from the stored votes each time. */
export interface PollCardData {
  pollId: string;
  title: string;
  agendaText: string;
  statusText: string;
  isOpen: boolean;
  result: string;
  proposal: string;
  facts: { label: string; text: string }[];
  explanation: string;
  disputeText: string;
  reasons: { text: string }[];
  positionsHeading: string;
  positions: { name: string; state: string }[];
  /** At the `grouped` level, instead of `positions`: each state and the members in it, one line each. */
  positionGroups: { text: string }[];
  /** Set when the card leaves out who recorded each position (see PositionDetail). */
  positionsNote: string;
  countsText: string;
  views: { name: string; state: string }[];
  showOrganisationChoice: boolean;
  /**
   * The "Voting for" and "For" choices: only members with a representative or deputy who acts for
   * more than one member. No one else needs to choose (their own member is the only one they may
   * act for), and a list of every member of a 200-member collaborative would not fit in a card.
   */
  organisationChoices: { name: string; organisationId: string }[];
  /**
   * People whose Teams client fetches their own view of the card (Universal Actions refresh):
   * the representatives and deputies of members in scope. Teams takes at most 60.
   */
  refreshUserIds: string[];
  /** Declarations of interest and how the chair handled each, in the order declared. */
  declarations: { text: string }[];
  /** For the chair's handling form: each declaration, by who declared what. */
  declarationChoices: { title: string; declarationId: string }[];
}

/** Teams refreshes a card automatically for at most 60 listed users. */
export const MAX_REFRESH_USERS = 60;

const POSITION_WORDS: Record<Position, string> = { support: 'Supports', object: 'Objects', abstain: 'Abstains' };

/**
 * How much the card says about each member's position. Teams refuses a card over about 28 KB, and
 * 200 members with long names and positions recorded on their behalf (each with a note of up to
 * 500 characters) come to far more. The shell renders `full` and falls back a level at a time
 * while the card is too large: every member's position always shows; who recorded it, and the
 * note, are then left to the register and the outcome, which keep them in full.
 * - `full`: position, who recorded it (once closed, or when on a member's behalf) and the note.
 * - `no-notes`: the same without the notes of positions recorded on a member's behalf.
 * - `positions`: the position alone, marked "(on behalf)" when recorded on a member's behalf.
 * - `grouped`: one line per state ("Supports (on behalf) (67): A · B · …"), which drops the
 *   per-row markup: the last resort for very long member names.
 */
export type PositionDetail = 'full' | 'no-notes' | 'positions' | 'grouped';
export const POSITION_DETAILS: readonly PositionDetail[] = ['full', 'no-notes', 'positions', 'grouped'];

/** A note for the person who just acted, shown at the top of their own copy of the card. */
export interface ViewerNote {
  text: string;
  tone: 'good' | 'warning';
}


/**
 * The poll card. While a poll is open and the chair chose to hide positions, members see who
 * has voted but not how; once it closes every member's position is on the record.
 */
export function toPollCardData(poll: Poll, votes: readonly Vote[], collaborative: Collaborative, detail: PositionDetail = 'full'): PollCardData {
  const names = memberNames(collaborative);
  const nameOf = (id: string) => names.get(id) ?? id;
  const result = tally(poll.rule, poll.membersInScope, votes, { nameOf });
  const latest = latestPerOrganisation(votes);
  const isOpen = poll.status === 'open';
  const reveal = !isOpen || !poll.hidePositions;
  const conflicted = conflictedMembers(poll, collaborative);
  const stateOf = (organisationId: string): string => {
    const vote = latest.get(organisationId);
    if (!vote && conflicted.has(organisationId)) return 'Conflicted: no one who acts for it may take part (declaration of interest)';
    if (!vote) return isOpen ? 'Not voted yet' : 'Did not vote';
    // The note may well name the position, so while positions are hidden only its recorder shows.
    if (!reveal) {
      if (!vote.onBehalf) return 'Voted';
      return detail === 'positions' || detail === 'grouped' ? 'Voted (on behalf)' : `Voted (recorded on behalf by ${displayName(vote.castBy)})`;
    }
    const words = POSITION_WORDS[vote.position];
    if (detail === 'positions' || detail === 'grouped') return vote.onBehalf ? `${words} (on behalf)` : words;
    // A position recorded for the member says so while open too: its representative may change it.
    if (vote.onBehalf) return `${words} (${detail === 'full' ? recordedByText(vote.castBy, vote.onBehalf) : `recorded on behalf by ${displayName(vote.castBy)}`})`;
    return isOpen ? words : `${words} (${recordedByText(vote.castBy, undefined)})`;
  };

  const facts = [
    { label: 'Rule', text: describeRule(poll.rule) },
    {
      label: 'Category',
      text: poll.category === 1
        ? 'Category 1: binds every member'
        // A card too large to name them twice says how many; the members listed below are they.
        : detail === 'positions' || detail === 'grouped'
          ? `Category 2: binds only the ${poll.membersInScope.length} members listed below`
          : `Category 2: binds only ${poll.membersInScope.map(nameOf).join(', ')}`,
    },
  ];
  if (poll.gateway) facts.push({ label: 'Gateway', text: `${poll.gateway.programme}: ${stageInWords(poll.gateway.stage)} stage` });
  if (poll.closesAt && isOpen) facts.push({ label: 'Closes', text: `${ukDateTime(poll.closesAt)} (UK time), automatically` });
  if (poll.hidePositions && isOpen) facts.push({ label: 'Positions', text: 'Hidden until the poll closes' });
  // Taken in the Teams meeting as the poll opened: the quorum is known before anyone votes.
  const quorum = poll.attendance && quoracy(poll.rule, poll.membersInScope, poll.attendance);
  if (quorum) facts.push({ label: 'Quorum', text: quoracyText(quorum) });
  const attendanceOf = (organisationId: string): string => {
    const state = poll.attendance?.members.find((member) => member.organisationId === organisationId)?.state;
    return state ? ` · ${ATTENDANCE_WORDS[state]}` : '';
  };

  const counts = result.counts;
  // While open, a majority poll says where it stands on its basis; once closed the explanation does.
  const progress = reveal && isOpen ? basisProgress(poll.rule, counts) : undefined;
  const countsText = reveal
    ? `Support ${counts.support} · Object ${counts.object} · Abstain ${counts.abstain} · Not voted ${counts.notVoted}${progress ? `: ${progress}` : ''}`
    : `${poll.membersInScope.length - counts.notVoted} of ${poll.membersInScope.length} members have voted`;

  const representsSeveral = someoneActsForSeveral(collaborative);
  const rows = poll.membersInScope.map((id) => ({ name: nameOf(id), state: `${stateOf(id)}${attendanceOf(id)}` }));

  return {
    pollId: poll.id,
    title: poll.title,
    agendaText: poll.agenda
      ? `Agenda item ${poll.agenda.itemRef} · ${poll.agenda.meetingTitle}, ${longDate(poll.agenda.meetingDate)}`
      : poll.reference ? `Decision ${poll.reference}` : '',
    statusText: isOpen
      ? 'Open for positions'
      : `${STATUS_WORDS[statusOf(result)]} · closed by ${displayName(poll.closedBy ?? { aadObjectId: 'unknown', name: '' })}${poll.closedAt ? ` on ${ukDateTime(poll.closedAt)}` : ''}`,
    isOpen,
    result: result.result,
    proposal: poll.proposal,
    facts,
    explanation: result.explanation,
    disputeText: !isOpen && result.disputeResolutionOffered
      // Guidance option 4: "clear procedures for resolving disputes" follow a failed consensus.
      ? 'Consensus was not reached, so the collaborative’s agreed dispute resolution procedure now applies.'
      : '',
    reasons: poll.reopenings.map((reopening) => ({ text: `Reopened by ${displayName(reopening.by)} on ${ukDateTime(reopening.at)}: ${reopening.reason}` })),
    positionsHeading: isOpen ? 'Members' : 'Each member’s position',
    positions: detail === 'grouped' ? [] : rows,
    positionGroups: detail === 'grouped' ? groupByState(rows) : [],
    positionsNote: POSITIONS_NOTES[detail],
    countsText,
    views: result.nonBindingViews.map((view) => ({ name: nameOf(view.organisationId), state: reveal ? POSITION_WORDS[view.position] : 'View recorded' })),
    showOrganisationChoice: representsSeveral,
    organisationChoices: choosableMembers(collaborative).map((member) => ({ name: member.name, organisationId: member.id })),
    refreshUserIds: refreshUsersFor(poll, collaborative),
    declarations: declarationTexts(poll, collaborative).map((text) => ({ text })),
    declarationChoices: (poll.declarations ?? []).map((declaration) => ({
      title: `${displayName(declaration.declaredBy)} (${nameOf(declaration.organisationId)}): ${declaration.description}`,
      declarationId: declaration.id,
    })),
  };
}

/** What a card at each level says it left out, and where to find it. */
export const POSITIONS_NOTES: Record<PositionDetail, string> = {
  full: '',
  'no-notes': 'Too many members to show every note here: the notes on positions recorded on a member’s behalf are in the register.',
  positions: 'Too many members to show who recorded each position here: the register shows who recorded each one, and any note.',
  grouped: 'Too many members to show who recorded each position here: the register shows who recorded each one, and any note.',
};

/** "Supports (2): A · B", one line per state, states in the order members first show them. */
export function groupByState(rows: readonly { name: string; state: string }[]): { text: string }[] {
  const groups = new Map<string, string[]>();
  for (const { name, state } of rows) {
    const names = groups.get(state);
    if (names) names.push(name);
    else groups.set(state, [name]);
  }
  return [...groups].map(([state, names]) => ({ text: `${state} (${names.length}): ${names.join(' · ')}` }));
}

/** Data for cards/on-behalf-form.json: the chair or secretariat chooses any member, so all are listed (one list, on a card of its own). */
export interface OnBehalfFormData {
  pollId: string;
  title: string;
  organisationChoices: { name: string; organisationId: string }[];
}

export function toOnBehalfFormData(poll: Poll, collaborative: Collaborative): OnBehalfFormData {
  return {
    pollId: poll.id,
    title: `On a member’s behalf: ${poll.title}`,
    organisationChoices: collaborative.members.map((member) => ({ name: member.name, organisationId: member.id })),
  };
}

/** The first MAX_REFRESH_USERS people, in member order: it stops there rather than listing all of a 200-member collaborative for every card. */
function refreshUsersFor(poll: Poll, collaborative: Collaborative): string[] {
  const inScope = new Set(poll.membersInScope);
  const people = new Set<string>();
  for (const member of collaborative.members) {
    if (!inScope.has(member.id)) continue;
    for (const person of [...member.representatives, ...(member.deputy ? [member.deputy] : [])]) {
      people.add(person);
      if (people.size === MAX_REFRESH_USERS) return [...people];
    }
  }
  return [...people];
}

/**
 * What a representative sees in their own copy of the card: their organisations' positions as
 * stored, even while positions are hidden from everyone else.
 */
export function ownPositionsNote(poll: Poll, votes: readonly Vote[], collaborative: Collaborative, aadObjectId: string): string | undefined {
  const representing = rolesOf(collaborative, aadObjectId).representing;
  if (representing.length === 0) return undefined;
  const names = memberNames(collaborative);
  const latest = latestPerOrganisation(votes);
  const parts = representing.map((organisationId) => {
    const vote = latest.get(organisationId);
    const name = names.get(organisationId) ?? organisationId;
    return vote ? `${name} ${POSITION_WORDS[vote.position].toLowerCase()} (${recordedByText(vote.castBy, vote.onBehalf)})` : `${name} has not voted yet`;
  });
  return `On record for you: ${parts.join('; ')}.`;
}

/**
 * Per-collaborative lookups, computed once: a poll card is rendered for every vote, and a
 * regional collaborative may have hundreds of members, so nothing here may be quadratic per vote.
 */
const lookups = new WeakMap<Collaborative, { names: Map<string, string>; actsForSeveral: boolean; choosable: Collaborative['members'] }>();

function lookupsOf(collaborative: Collaborative) {
  let found = lookups.get(collaborative);
  if (!found) {
    const names = new Map(collaborative.members.map((member) => [member.id, member.name]));
    // The organisation choice is only clutter unless someone can act for more than one member.
    const organisationsPerPerson = new Map<string, number>();
    for (const member of collaborative.members) {
      for (const person of new Set([...member.representatives, ...(member.deputy ? [member.deputy] : [])].map((id) => id.toLowerCase()))) {
        organisationsPerPerson.set(person, (organisationsPerPerson.get(person) ?? 0) + 1);
      }
    }
    const severalPeople = new Set([...organisationsPerPerson].filter(([, count]) => count > 1).map(([person]) => person));
    const choosable = collaborative.members.filter((member) =>
      [...member.representatives, ...(member.deputy ? [member.deputy] : [])].some((id) => severalPeople.has(id.toLowerCase())));
    found = { names, actsForSeveral: severalPeople.size > 0, choosable };
    lookups.set(collaborative, found);
  }
  return found;
}

const choosableMembers = (collaborative: Collaborative) => lookupsOf(collaborative).choosable;

const memberNames = (collaborative: Collaborative) => lookupsOf(collaborative).names;
export const someoneActsForSeveral = (collaborative: Collaborative) => lookupsOf(collaborative).actsForSeveral;
