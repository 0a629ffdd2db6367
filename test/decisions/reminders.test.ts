import { describe, expect, it } from 'vitest';
import type { Poll, Vote } from '../../src/decisions/model.js';
import { reminderFor } from '../../src/decisions/reminders.js';
import { escapeMentionName } from '../../src/decisions/mention-text.js';
import { ALL_MEMBERS, poll, sample, vote } from './fixtures.js';

const collaborative = sample();
const ALEX_ID = '00000000-0000-0000-0000-0000000000020';
const excluded = (aadObjectId: string, organisationId: string) => ({
  id: `d-${organisationId}`, organisationId, declaredBy: { aadObjectId, name: 'Alex Wilber' }, description: 'Director of a bidder', declaredAt: '2025-03-04T10:00:00.000Z',
  handling: { kind: 'no-part' as const, by: { aadObjectId, name: 'Alex Wilber' }, at: '2025-03-04T10:00:00.000Z' } as { kind: 'no-part'; by: { aadObjectId: string; name: string }; at: string } | undefined,
});
const onRecordExcept = (...missing: string[]): Vote[] => ALL_MEMBERS.filter((id) => !missing.includes(id)).map((id) => vote(id, 'support'));

describe('reminderFor: whom a reminder chases', () => {
  it.each<[string, Poll, Vote[], string[] | undefined]>([
    ['everyone on record: no reminder', poll(), onRecordExcept(), undefined],
    ['a closed poll: no reminder', poll({ status: 'closed' }), [], undefined],
    ['one member missing', poll(), onRecordExcept('rotherham'), ['rotherham']],
    ['category 2: only affected members are chased', poll({ category: 2, membersInScope: ['barnsley', 'rotherham'] }), [], ['barnsley', 'rotherham']],
    ['a conflicted member (its only representative excluded by the chair) is not chased', poll({ declarations: [excluded(ALEX_ID, 'rotherham')] }), onRecordExcept('rotherham', 'barnsley'), ['barnsley']],
    ['a declaration awaiting the chair changes nothing', poll({ declarations: [{ ...excluded(ALEX_ID, 'rotherham'), handling: undefined }] }), onRecordExcept('rotherham'), ['rotherham']],
  ])('%s', (_name, onPoll, votes, want) => {
    expect(reminderFor(onPoll, votes, collaborative)?.organisationIds).toEqual(want);
  });

  it('mentions each representative and the deputy, every <at> span with its mention', () => {
    // Barnsley: Megan Bowen represents it, Alex Wilber deputises.
    const reminder = reminderFor(poll(), onRecordExcept('barnsley'), collaborative, '5 Mar 2025, 17:00 (UK time)');
    expect(reminder?.mentions.map((m) => m.aadObjectId)).toEqual(['00000000-0000-0000-0000-0000000000021', '00000000-0000-0000-0000-0000000000020']);
    for (const mention of reminder?.mentions ?? []) expect(reminder?.text).toContain(mention.text);
    expect(reminder?.text.match(/<at>/g)).toHaveLength(2);
    expect(reminder?.text).toContain('It closes 5 Mar 2025, 17:00 (UK time).');
  });

  it('does not mention a person the chair excluded for that member; the member’s other people are still chased', () => {
    const reminder = reminderFor(poll({ declarations: [excluded(ALEX_ID, 'barnsley')] }), onRecordExcept('barnsley'), collaborative);
    expect(reminder?.mentions.map((m) => m.aadObjectId)).toEqual(['00000000-0000-0000-0000-0000000000021']);
    expect(reminder?.text.match(/<at>/g)).toHaveLength(1);
  });

  it('a title cannot forge a mention or formatting', () => {
    const reminder = reminderFor(poll({ title: '<at>Everyone</at> *now*' }), onRecordExcept('rotherham'), collaborative);
    expect(reminder?.text.match(/<at>/g)).toHaveLength(reminder?.mentions.length ?? -1);
    expect(escapeMentionName('<b>x</b> *y*')).toBe('‹b›x‹/b› \\*y\\*');
  });
});
