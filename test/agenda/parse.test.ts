import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatAgendaText, parseAgendaText, splitParts } from '../../src/agenda/parse.js';
import type { AgendaItem } from '../../src/agenda/model.js';

const item = (overrides: Partial<AgendaItem> = {}): AgendaItem => ({
  ref: 'P173/21', title: 'Chief Executive Report', lead: 'R Jenkins', purpose: 'decision', minutes: 15,
  recommendation: '', ...overrides,
});

describe('parseAgendaText: good item lines', () => {
  it.each<[string, AgendaItem]>([
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 15', item()],
    ['  P173/21|Chief Executive Report|R Jenkins|decision|15  ', item()],
    ['P173/21 | Chief Executive Report | R Jenkins | For Decision | 15', item()],
    ['P173/21 | Chief Executive Report | R Jenkins | D | 15', item()],
    ['P173/21 | Chief Executive Report | R Jenkins | approval | 15', item()],
    ['P173/21 | Chief Executive Report | R Jenkins | ASSURANCE | 15', item({ purpose: 'assurance' })],
    ['P173/21 | Chief Executive Report | R Jenkins | for assurance | 15', item({ purpose: 'assurance' })],
    ['P173/21 | Chief Executive Report | R Jenkins | a | 15', item({ purpose: 'assurance' })],
    ['P173/21 | Chief Executive Report | R Jenkins | Information | 15', item({ purpose: 'information' })],
    ['P173/21 | Chief Executive Report | R Jenkins | I | 15', item({ purpose: 'information' })],
    ['P173/21 | Chief Executive Report | R Jenkins | for noting | 15', item({ purpose: 'information' })],
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 15 min', item()],
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 0', item({ minutes: 0 })],
    ['P173/21 | Chief Executive Report |  | decision | 15', item({ lead: '' })],
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 15 | Approve the plan',
      item({ recommendation: 'Approve the plan' })],
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 15 | Approve the plan | https://nhs.example/p.pdf',
      item({ recommendation: 'Approve the plan', paperUrl: 'https://nhs.example/p.pdf' })],
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 15 |  | https://nhs.example/p.pdf',
      item({ paperUrl: 'https://nhs.example/p.pdf' })],
    // Six parts ending in a web address: the recommendation was skipped, not the link.
    ['P173/21 | Chief Executive Report | R Jenkins | decision | 15 | https://nhs.example/p.pdf',
      item({ paperUrl: 'https://nhs.example/p.pdf' })],
    ['P173/21 | Finance \\| Performance | R Jenkins | decision | 15', item({ title: 'Finance | Performance' })],
  ])('%s', (line, want) => {
    const parsed = parseAgendaText(line);
    expect(parsed.errors).toEqual([]);
    expect(parsed.items).toEqual([want]);
  });
});

describe('parseAgendaText: each bad line is reported by number and good lines are kept', () => {
  const GOOD_1 = 'P1/21 | Minutes of the last meeting | Chair | decision | 5';
  const GOOD_2 = 'P3/21 | Finance report | CFO | assurance | 20';

  it.each([
    ["minutes must be a whole number, got 'ten'", 'P2/21 | Risk register | CNO | decision | ten'],
    ["minutes must be a whole number, got '15.5'", 'P2/21 | Risk register | CNO | decision | 15.5'],
    ['minutes must be at most 480 (8 hours), got 600', 'P2/21 | Risk register | CNO | decision | 600'],
    ["purpose must be decision, assurance or information (or D, A, I), got 'discussion'", 'P2/21 | Risk register | CNO | discussion | 15'],
    ["an item needs at least 5 parts separated by '|' (ref | title | lead | purpose | minutes), got 4", 'P2/21 | Risk register | CNO | decision'],
    ['an item has at most 7 parts (ref | title | lead | purpose | minutes | recommendation | paper link), got 8; write \\| for a bar inside text', 'P2/21 | a | b | decision | 5 | c | https://x.example | extra'],
    ['reference is missing', ' | Risk register | CNO | decision | 15'],
    ['title is missing', 'P2/21 |  | CNO | decision | 15'],
    ['reference must be at most 30 characters, got 31', `${'R'.repeat(31)} | Risk register | CNO | decision | 15`],
    ['title must be at most 300 characters, got 301', `P2/21 | ${'t'.repeat(301)} | CNO | decision | 15`],
    ['lead must be at most 120 characters, got 121', `P2/21 | Risk register | ${'l'.repeat(121)} | decision | 15`],
    ['recommendation must be at most 1000 characters, got 1001', `P2/21 | Risk register | CNO | decision | 15 | ${'r'.repeat(1001)}`],
    ["paper link must be a web address starting https://, got 'javascript:alert(1)'", 'P2/21 | Risk register | CNO | decision | 15 | Note | javascript:alert(1)'],
    ["paper link must be a web address starting https://, got 'www.example.com'", 'P2/21 | Risk register | CNO | decision | 15 | Note | www.example.com'],
    ["reference 'P1/21' is already used on line 1", 'P1/21 | Duplicate reference | CNO | decision | 15'],
    ["reference 'p1/21' is already used on line 1", 'p1/21 | Duplicate, other case | CNO | decision | 15'],
    ["expected an item as 'ref | title | lead | purpose | minutes' or a header line such as 'Date: 2021-09-14', got 'Risk register, CNO, decision'", 'Risk register, CNO, decision'],
  ])('line 2: %s', (problem, badLine) => {
    const parsed = parseAgendaText([GOOD_1, badLine, GOOD_2].join('\n'));
    expect(parsed.errors).toEqual([{ line: 2, text: badLine.trim(), problem }]);
    expect(parsed.items.map((good) => good.ref)).toEqual(['P1/21', 'P3/21']);
  });

  it('reports every problem on a line, each with the line number', () => {
    const parsed = parseAgendaText(`${GOOD_1}\n\nP2/21 | Risk | CNO | maybe | ten\n${GOOD_2}`);
    expect(parsed.errors.map((error) => [error.line, error.problem])).toEqual([
      [3, "purpose must be decision, assurance or information (or D, A, I), got 'maybe'"],
      [3, "minutes must be a whole number, got 'ten'"],
    ]);
    expect(parsed.items).toHaveLength(2);
  });

  it('quotes only the start of a very long bad value', () => {
    const parsed = parseAgendaText(`P2/21 | Risk | CNO | decision | ${'9x'.repeat(2_500)}`);
    expect(parsed.errors[0]!.problem).toBe(`minutes must be a whole number, got '${'9x'.repeat(20)}…'`);
  });

  it('counts lines meant as items, good and bad', () => {
    expect(parseAgendaText(`${GOOD_1}\nP2 | x | y | z | 1\n${GOOD_2}\nDate: 2021-09-14`).itemLines).toBe(3);
  });
});

describe('parseAgendaText: header lines, blanks and comments', () => {
  it('reads the documented header lines into the meeting', () => {
    const parsed = parseAgendaText([
      'Meeting: Provider Leadership Board',
      'Date: 2021-09-14',
      'Start: 09:30',
      'Place: Boardroom, Trust HQ',
      'Link: https://teams.microsoft.com/l/meetup-join/abc',
      'Chair: Dame Jane Smith',
      '',
      '# Opening business',
      'P173/21 | Chief Executive Report | R Jenkins | decision | 15',
    ].join('\n'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.meeting).toEqual({
      title: 'Provider Leadership Board', date: '2021-09-14', startTime: '09:30', place: 'Boardroom, Trust HQ',
      link: 'https://teams.microsoft.com/l/meetup-join/abc', chair: 'Dame Jane Smith',
    });
    expect(parsed.items).toEqual([item()]);
  });

  it.each([
    ['Date: 14/09/2021', { date: '2021-09-14' }],
    ['date: 4/9/2021', { date: '2021-09-04' }],
    ['Date: 29/02/2024', { date: '2024-02-29' }],
    ['Start: 9:30', { startTime: '09:30' }],
    ['Start time: 14.15', { startTime: '14:15' }],
    ['Time: 2pm', { startTime: '14:00' }],
    ['Start: 12:30am', { startTime: '00:30' }],
    ['MEETING: Committees in Common', { title: 'Committees in Common' }],
    ['Venue: Room 3: East Wing', { place: 'Room 3: East Wing' }],
  ])('%s → %o', (line, want) => {
    const parsed = parseAgendaText(line);
    expect(parsed.errors).toEqual([]);
    expect(parsed.meeting).toEqual(want);
  });

  it.each([
    ['Date: 2021-13-01', "date '2021-13-01' is not a real calendar date"],
    ['Date: 31/02/2022', "date '31/02/2022' is not a real calendar date"],
    ['Date: next Tuesday', "date must be a date like 2021-09-14 or 14/09/2021, got 'next Tuesday'"],
    ['Start: 25:00', "start time must be a 24-hour time like 09:30, got '25:00'"],
    ['Start: half nine', "start time must be a 24-hour time like 09:30, got 'half nine'"],
    ['Link: teams.microsoft.com/l/abc', "meeting link must be a web address starting https://, got 'teams.microsoft.com/l/abc'"],
    ['Meeting:', 'meeting title is missing'],
  ])('line 1: %s → %s', (line, problem) => {
    const parsed = parseAgendaText(`${line}\nP1 | Welcome | Chair | information | 5`);
    expect(parsed.errors).toEqual([{ line: 1, text: line, problem }]);
    expect(parsed.items).toHaveLength(1);
  });

  it('refuses a header given twice, naming the first line', () => {
    const parsed = parseAgendaText('Date: 2021-09-14\nStart: 09:30\nDate: 2021-09-15');
    expect(parsed.errors).toEqual([{ line: 3, text: 'Date: 2021-09-15', problem: 'Date is given again; it was already given on line 1' }]);
    expect(parsed.meeting).toEqual({ date: '2021-09-14', startTime: '09:30' });
  });

  it('ignores blank and # lines but counts them in line numbers, across CRLF and non-breaking spaces', () => {
    const parsed = parseAgendaText('# Part 1\r\n\r\n   \r\nP1\u00a0| Welcome | Chair | I | 5\r\nP2 | Risk | CNO | X | 5');
    expect(parsed.items.map((good) => good.ref)).toEqual(['P1']);
    expect(parsed.errors.map((error) => error.line)).toEqual([5]);
  });

  it('returns no meeting when there are no header lines', () => {
    expect(parseAgendaText('P1 | Welcome | Chair | I | 5').meeting).toBeUndefined();
    expect(parseAgendaText('')).toEqual({ items: [], errors: [], itemLines: 0 });
  });
});

describe('splitParts and formatAgendaText', () => {
  it.each([
    ['a | b | c', ['a', 'b', 'c']],
    ['a \\| b | c', ['a | b', 'c']],
    ['a \\\\| b', ['a \\| b']],
    ['back\\slash | c', ['back\\slash', 'c']],
    ['a | | c |', ['a', '', 'c', '']],
  ])('splitParts(%s) → %o', (line, want) => expect(splitParts(line)).toEqual(want));

  it('formats text that parses back to the same meeting and items', () => {
    const meeting = {
      title: 'Board | Committees in common', date: '2021-09-14', startTime: '23:30', place: 'Room 1',
      link: 'https://teams.microsoft.com/l/abc', chair: 'Dame Jane Smith',
    };
    const items: AgendaItem[] = [
      item(),
      item({ ref: 'P2', title: 'Finance | performance \\| odd', lead: '', purpose: 'assurance', minutes: 0 }),
      item({ ref: 'P3', title: 'Ends in a backslash\\', purpose: 'information', recommendation: 'Note **this** _x_' }),
      item({ ref: 'P4', title: 'Paper only', paperUrl: 'https://nhs.example/p4.pdf' }),
      item({ ref: 'P5', title: 'Both', recommendation: 'Approve | agree', paperUrl: 'https://nhs.example/p5.pdf' }),
      item({ ref: 'P6', title: '${1+1} <script>alert(1)</script>', recommendation: 'https://looks.like/a-link' }),
    ];
    const parsed = parseAgendaText(formatAgendaText({ meeting, items }));
    expect(parsed.errors).toEqual([]);
    expect(parsed.meeting).toEqual(meeting);
    expect(parsed.items).toEqual(items);
  });
});

describe('formatAgendaText round trip, property', () => {
  // Every stored item came out of parseAgendaText (the form uses it too), so the invariant is:
  // whatever the parser accepted, formatting and parsing again gives the same items back.
  const piece = fc.constantFrom('P1', 'a', ' ', '|', '\\', '\\|', '#', ':', 'Date:', '*', '_', '${1+1}', 'D', '15',
    'https://x.example/p', 'decision', '\t', '<b>', '- ', '1. ');
  const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
  const itemLine = fc.tuple(
    text, text, text,
    fc.constantFrom('decision', 'D', 'For assurance', 'i', 'discussion'),
    fc.constantFrom('0', '15', '480 min', 'ten'),
    fc.option(text), fc.option(fc.constantFrom('https://nhs.example/p.pdf', '', 'ftp://x')),
  ).map(([ref, title, lead, purpose, minutes, recommendation, paper]) =>
    [ref, title, lead, purpose, minutes, ...(recommendation === null ? [] : [recommendation]), ...(paper === null ? [] : [paper])]
      .join(' | '));
  const line = fc.oneof(itemLine, itemLine, text);

  it('format(parse(text).items) parses back to the same items', () => {
    let produced = 0;
    fc.assert(fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
      const first = parseAgendaText(lines.join('\n'));
      produced += first.items.length;
      const again = parseAgendaText(formatAgendaText({ items: first.items }));
      expect(again.errors).toEqual([]);
      expect(again.items).toEqual(first.items);
    }), { numRuns: 2_000 });
    expect(produced).toBeGreaterThan(300);
  });
});
