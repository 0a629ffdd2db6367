import { describe, expect, it } from 'vitest';
import { editAgenda } from '../../src/agenda/agenda.js';
import { toAgendaCardData, toAgendaFormData } from '../../src/agenda/card-data.js';
import { Agenda } from '../../src/agenda/model.js';
import { parseAgendaText } from '../../src/agenda/parse.js';
import { AGENDA_ID, EDITED_AT, MEETING_FIELDS, SECRETARIAT, agendaWith, itemLines } from './fixtures.js';

const typical = agendaWith(itemLines(6));

describe('toAgendaCardData', () => {
  it('gives the header: title, date as papers print it, start–end and duration, place, chair, link', () => {
    const data = toAgendaCardData(typical);
    expect(data).toMatchObject({
      agendaId: AGENDA_ID,
      title: 'Provider Leadership Board',
      whenLabel: 'Tuesday 14 September 2021 · 09:30–10:35 (1 hr 5 min)',
      facts: [{ name: 'Place', text: 'Boardroom, Trust HQ' }, { name: 'Chair', text: 'Dame Jane Smith' }],
      hasFacts: true,
      meetingUrl: MEETING_FIELDS.link,
      hasMeetingUrl: true,
      hasItems: true,
      version: 1,
      isEdited: false,
      editedNote: '',
      editable: true,
    });
  });

  it('gives each item its running start time, purpose look and actions', () => {
    const items = toAgendaCardData(typical).items;
    expect(items.map((item) => [item.start, item.ref, item.purposeLabel, item.purposeColor, item.rowStyle, item.minutesLabel])).toEqual([
      ['09:30', 'P173/21', 'For decision', 'Attention', 'emphasis', '5 min'],
      ['09:35', 'P174/21', 'For assurance', 'Accent', 'default', '10 min'],
      ['09:45', 'P175/21', 'For information', 'Default', 'default', '15 min'],
      ['10:00', 'P176/21', 'For assurance', 'Accent', 'default', '20 min'],
      ['10:20', 'P177/21', 'For decision', 'Attention', 'emphasis', '5 min'],
      ['10:25', 'P178/21', 'For information', 'Default', 'default', '10 min'],
    ]);
    expect(items[0]).toMatchObject({
      itemRefValue: 'P173/21', isDecision: true, hasActions: true, lead: 'R Jenkins',
      recommendation: 'The board is asked to approve the recommendations in the paper.', hasRecommendation: true,
      paperUrl: 'https://nhs.example/papers/P173-21.pdf', hasPaper: true,
    });
    // No poll and no paper: nothing to press, so no empty ActionSet.
    expect(items[3]).toMatchObject({ isDecision: false, hasPaper: false, paperUrl: '', hasActions: false, hasRecommendation: true });
  });

  it('counts items per purpose, labelling only the purposes present', () => {
    expect(toAgendaCardData(agendaWith(itemLines(2))).countLabels.map((count) => count.label)).toEqual(['1 for decision', '1 for assurance']);
    const data = toAgendaCardData(typical);
    expect(data.counts).toEqual({ decision: 2, assurance: 2, information: 2 });
    expect(data.countLabels).toEqual([
      { label: '2 for decision', color: 'Attention' },
      { label: '2 for assurance', color: 'Accent' },
      { label: '2 for information', color: 'Default' },
    ]);
  });

  it('marks items after midnight and says when the meeting ends', () => {
    const late = agendaWith(['P1 | Urgent item | CEO | decision | 45', 'P2 | Close | Chair | information | 30'], { ...MEETING_FIELDS, startTime: '23:30' });
    const data = toAgendaCardData(late);
    expect(data.items.map((item) => item.start)).toEqual(['23:30', '00:15 (+1)']);
    expect(data.whenLabel).toBe('Tuesday 14 September 2021 · 23:30–00:45 next day (1 hr 15 min)');
  });

  it('says who edited it and when, in UK time, from version 2', () => {
    const edited = editAgenda({ agenda: typical, input: { ...MEETING_FIELDS, items: itemLines(3).join('\n'), expectedVersion: typical.current.version }, by: SECRETARIAT, now: EDITED_AT });
    if (!edited.ok) throw new Error('setup');
    expect(toAgendaCardData(edited.value)).toMatchObject({
      version: 2, isEdited: true, editedNote: 'Version 2, edited by Sam Patel on 10 September 2021 at 10:32',
    });
    expect(toAgendaCardData(edited.value, { timeZone: 'UTC' }).editedNote).toBe('Version 2, edited by Sam Patel on 10 September 2021 at 09:32');
  });

  it('handles a meeting with no items, place, chair or link', () => {
    const bare = Agenda.parse({
      id: 'a-empty', conversationId: 'c',
      current: { version: 1, meeting: { title: 'Board', date: '2022-01-04', startTime: '14:00' }, items: [], by: SECRETARIAT, at: EDITED_AT.toISOString() },
    });
    expect(toAgendaCardData(bare)).toMatchObject({
      whenLabel: 'Tuesday 4 January 2022 · from 14:00', facts: [], hasFacts: false, hasMeetingUrl: false, meetingUrl: '',
      items: [], hasItems: false, counts: { decision: 0, assurance: 0, information: 0 }, countLabels: [],
    });
  });

  it('can leave recommendations off (to fit Teams) and says so', () => {
    const data = toAgendaCardData(typical, { showRecommendations: false, editable: false });
    expect(data.items.every((item) => !item.hasRecommendation && item.recommendation === '')).toBe(true);
    expect(data).toMatchObject({ recommendationsOmitted: true, editable: false });
    expect(toAgendaCardData(typical).recommendationsOmitted).toBe(false);
  });
});

describe('toAgendaFormData', () => {
  it('is empty for a new agenda', () => {
    expect(toAgendaFormData()).toEqual({
      heading: 'New meeting agenda', isEdit: false, agendaId: '', expectedVersion: 0,
      titleValue: '', dateValue: '', startTimeValue: '', placeValue: '', linkValue: '', chairValue: '', itemsValue: '',
      maxItems: 30, problems: [], hasProblems: false, submitTitle: 'Post agenda',
    });
  });

  it('is prefilled from the current version for an edit, items in the paste format', () => {
    const data = toAgendaFormData(typical);
    expect(data).toMatchObject({
      heading: 'Edit agenda: Provider Leadership Board', isEdit: true, agendaId: AGENDA_ID, expectedVersion: 1,
      titleValue: MEETING_FIELDS.title, dateValue: '2021-09-14', startTimeValue: '09:30', placeValue: MEETING_FIELDS.place,
      linkValue: MEETING_FIELDS.link, chairValue: MEETING_FIELDS.chair, submitTitle: 'Save changes',
    });
    expect(parseAgendaText(data.itemsValue).items).toEqual(typical.current.items);
  });

  it('shows a refused save again exactly as typed, with the problems', () => {
    const data = toAgendaFormData(typical, {
      input: { title: 'Board', date: '14/09/2021', startTime: 'half nine', items: 'P1 | x | y | z | 5' },
      problems: ["line 1: purpose must be decision, assurance or information (or D, A, I), got 'z'"],
    });
    expect(data).toMatchObject({
      titleValue: 'Board', dateValue: '2021-09-14', startTimeValue: '', placeValue: '', chairValue: '', itemsValue: 'P1 | x | y | z | 5',
      problems: [{ text: "line 1: purpose must be decision, assurance or information (or D, A, I), got 'z'" }], hasProblems: true,
      agendaId: AGENDA_ID, expectedVersion: 1,
    });
  });
});
