import { escapeMentionName } from './mention-text.js';
import { memberName, type Collaborative } from './collaborative.js';
import { excludedByInterest } from './interests.js';
import type { Poll, Vote } from './model.js';

/** The representatives and deputy of `member` who may cast its position on this poll. */
export const chaseable = (poll: Poll, member: Collaborative['members'][number]): string[] =>
  [...member.representatives, ...(member.deputy ? [member.deputy] : [])].filter((aadObjectId) => !excludedByInterest(poll, aadObjectId, member.id));

/** One person to @mention: their Entra object id (Teams accepts it as `mentioned.id`) and the text shown. */
export interface Mention {
  aadObjectId: string;
  text: string;
}

/** A reminder as plain data: the message text, with `<at>…</at>` spans matching `mentions` one for one. */
export interface ReminderMessage {
  text: string;
  mentions: Mention[];
  /** Members in scope with no position on record, in member order. */
  organisationIds: string[];
}

/**
 * Whom a reminder chases: the representatives and deputy of each member in scope with no position
 * on record. Category 2 members outside the scope are not chased (their view is welcome, not awaited).
 * Nor is a person the chair excluded after a declaration of interest, for that member; a member
 * none of whose people may take part (conflicted) has no one to chase, so is left out.
 * Undefined when everyone is on record, or the poll is not open: there is no one to remind.
 */
export function reminderFor(poll: Poll, votes: readonly Vote[], collaborative: Collaborative, closesText?: string): ReminderMessage | undefined {
  if (poll.status !== 'open') return undefined;
  const onRecord = new Set(votes.map((vote) => vote.organisationId));
  const missing = collaborative.members.filter((member) => poll.membersInScope.includes(member.id) && !onRecord.has(member.id) && chaseable(poll, member).length > 0);
  if (missing.length === 0) return undefined;
  const mentions: Mention[] = [];
  const lines = missing.map((member) => {
    const people = [...member.representatives, ...(member.deputy ? [member.deputy] : [])];
    const name = escapeMentionName(memberName(collaborative, member.id));
    const spans = people.filter((aadObjectId) => !excludedByInterest(poll, aadObjectId, member.id)).map((aadObjectId) => {
      const index = people.indexOf(aadObjectId);
      // Teams shows the text inside <at>; the collaborative file has ids, not people's names.
      const text = `${name} ${member.deputy === aadObjectId ? 'deputy' : `representative${people.length > 2 ? ` ${index + 1}` : ''}`}`;
      mentions.push({ aadObjectId, text: `<at>${text}</at>` });
      return `<at>${text}</at>`;
    });
    return `- ${spans.join(', ')}`;
  });
  const title = escapeMentionName(poll.title);
  const when = closesText ? ` It closes ${closesText}.` : '';
  return {
    text: [`Reminder: “${title}” is waiting for a position from ${missing.length === 1 ? 'this member' : `these ${missing.length} members`}.${when} Record it on the poll card, or type "pending" to me.`, '', ...lines].join('\n'),
    mentions,
    organisationIds: missing.map((member) => member.id),
  };
}
