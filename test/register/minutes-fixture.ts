import type { Outcome } from '../../src/decisions/outcome.js';
import type { MinutesInput } from '../../src/register/minutes.js';
import { anAgenda, anOutcome, aPoll, CHAIR, REPRESENTATIVE } from '../store/builders.js';

/** Text a board member might type that must reach the minutes literally. */
export const HOSTILE = {
  markdown: '**Bold** _claim_ [click](https://evil.example) # not a heading',
  html: '<script>alert("x")</script><b>loud</b>',
  formula: '=HYPERLINK("https://evil.example","Open")',
  longName: `Trust ${'Very-Long-Name '.repeat(12).trim()} NHS Foundation Trust`.slice(0, 200),
  control: 'Bell\u0007 and form feed\u000C inside',
};

export const MEMBERS = [
  { id: 'org-a', name: 'Alpha NHS FT' },
  { id: 'org-b', name: HOSTILE.longName },
  { id: 'org-c', name: 'Gamma Community Trust' },
];

/** A meeting with two decision items (one closed, one still open) and one for information. */
export function minutesInput(overrides: Partial<MinutesInput> = {}): MinutesInput {
  const agenda = anAgenda('agenda-1', 1, { conversationId: 'meeting-chat' });
  agenda.current.meeting = { title: `Board ${HOSTILE.markdown}`, date: '2025-03-01', startTime: '10:00', place: 'Teams', chair: 'Dr Chair' };
  agenda.current.items = [
    { ref: 'P173/21', title: 'Elective recovery hub', lead: HOSTILE.html, purpose: 'decision', minutes: 20, recommendation: HOSTILE.formula },
    { ref: 'P174/21', title: 'Finance report', lead: 'CFO', purpose: 'information', minutes: 10, recommendation: '' },
    { ref: 'P175/21', title: 'Pathology network', lead: 'COO', purpose: 'decision', minutes: 15, recommendation: '' },
  ];
  const link = (itemRef: string) => ({ agendaId: 'agenda-1', itemRef, meetingTitle: 'Board', meetingDate: '2025-03-01' });
  const closed = aPoll({
    id: 'poll-1', conversationId: 'meeting-chat', agenda: link('P173/21'), status: 'closed', rule: { kind: 'majority', basis: 'members', quorum: 2 },
    attendance: { meetingId: 'meeting-1', takenAt: '2025-03-01T10:00:00.000Z', members: [
      { organisationId: 'org-a', state: 'present' }, { organisationId: 'org-b', state: 'present' }, { organisationId: 'org-c', state: 'absent' },
    ] },
  });
  const open = aPoll({ id: 'poll-2', conversationId: 'meeting-chat', agenda: link('P175/21'), title: 'Pathology network', proposal: 'Join the network' });
  const outcome: Outcome = anOutcome('poll-1', {
    title: `Hub ${HOSTILE.html}`,
    rule: { kind: 'majority', basis: 'members', quorum: 2 },
    positions: [
      { organisationId: 'org-a', organisationName: 'Alpha NHS FT', position: 'support', binding: true, castBy: REPRESENTATIVE, castAt: '2025-03-01T10:05:00.000Z' },
      { organisationId: 'org-b', organisationName: HOSTILE.longName, position: 'object', binding: true, castBy: { aadObjectId: 'x', name: HOSTILE.control }, castAt: '2025-03-01T10:06:00.000Z' },
      { organisationId: 'org-c', organisationName: 'Gamma Community Trust', position: 'not-voted', binding: true },
    ],
    counts: { support: 1, object: 1, abstain: 0, notVoted: 1 },
    result: 'not-agreed', status: 'not-agreed', explanation: 'Not agreed: 1 of 3 members support.',
    reasons: [HOSTILE.formula],
    actions: [{ who: HOSTILE.markdown, what: 'Bring a revised case', when: 'April board', addedBy: CHAIR, addedAt: '2025-03-01T11:00:00.000Z' }],
  });
  return { agenda, polls: [closed, open], outcomes: [outcome], members: MEMBERS, endedAt: '2025-03-01T11:30:00.000Z', ...overrides };
}
