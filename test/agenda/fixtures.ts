import { createAgenda, type AgendaFormInput } from '../../src/agenda/agenda.js';
import type { Agenda, Purpose } from '../../src/agenda/model.js';
import type { Person } from '../../src/people/model.js';

export const CHAIR: Person = { aadObjectId: 'aad-chair', name: 'Dame Jane Smith' };
export const SECRETARIAT: Person = { aadObjectId: 'aad-sec', name: 'Sam Patel' };
export const CREATED_AT = new Date('2021-09-01T09:00:00Z');
export const EDITED_AT = new Date('2021-09-10T09:32:00Z');
export const AGENDA_ID = '3f2b8c1e-5b7a-4c1e-9a2e-1d2c3b4a5f60';

export const MEETING_FIELDS = {
  title: 'Provider Leadership Board',
  date: '2021-09-14',
  startTime: '09:30',
  place: 'Boardroom, Trust HQ',
  link: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
  chair: 'Dame Jane Smith',
} as const satisfies AgendaFormInput;

const PURPOSE_CYCLE: Purpose[] = ['decision', 'assurance', 'information', 'assurance', 'decision', 'information'];

/** Realistic board items: a mix of purposes, most with papers, some with recommendations. */
export function itemLines(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const purpose = PURPOSE_CYCLE[index % PURPOSE_CYCLE.length]!;
    const recommendation = index % 3 === 0 ? 'The board is asked to approve the recommendations in the paper.' : '';
    const paper = index % 4 === 3 ? '' : `https://nhs.example/papers/P${173 + index}-21.pdf`;
    return `P${173 + index}/21 | ${TITLES[index % TITLES.length]} | ${LEADS[index % LEADS.length]} | ${purpose} | ${[5, 10, 15, 20][index % 4]} | ${recommendation} | ${paper}`;
  });
}

const TITLES = [
  'Chief Executive Report', 'Elective recovery: joint waiting list', 'Integrated performance report',
  'Financial plan 2021/22 month 5', 'Clinical services strategy: case for change', 'Risk register and board assurance framework',
];
const LEADS = ['R Jenkins', 'Dr A Khan', 'M O\'Brien', 'S Wright'];

let counter = 0;
export const newId = (): string => `id-${(counter += 1)}`;

export function agendaWith(items: string[], meeting: AgendaFormInput = MEETING_FIELDS): Agenda {
  const result = createAgenda({
    input: { ...meeting, items: items.join('\n') },
    by: CHAIR,
    now: CREATED_AT,
    newId: () => AGENDA_ID,
    conversationId: '19:channel@thread.tacv2',
  });
  if (!result.ok) throw new Error(`fixture agenda refused: ${JSON.stringify(result.error)}`);
  return result.value;
}
