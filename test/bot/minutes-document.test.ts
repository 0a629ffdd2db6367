import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { minutesFileName, minutesToDocx, minutesToMarkdown } from '../../src/bot/minutes-document.js';
import { buildMinutes } from '../../src/register/minutes.js';
import { HOSTILE, minutesInput } from '../register/minutes-fixture.js';

// The chair marked P174/21 "Now" with one member in the call (issue 21).
const minutes = buildMinutes(minutesInput({ itemStarts: [{
  agendaId: 'agenda-1', itemRef: 'P174/21', startedAt: '2025-03-01T10:20:00.000Z', by: { aadObjectId: 'chair', name: 'Chair' },
  attendance: { meetingId: 'meeting-1', takenAt: '2025-03-01T10:20:00.000Z', members: [{ organisationId: 'org-a', state: 'present' }, { organisationId: 'org-c', state: 'absent' }] },
}] }));

describe('minutes as a Word document', () => {
  it('opens in a .docx reader and holds every section, item, position and action', async () => {
    const file = await minutesToDocx(minutes);
    expect(file.subarray(0, 2).toString()).toBe('PK');
    const { value: text, messages } = await mammoth.extractRawText({ buffer: file });
    expect(messages.filter((message) => message.type === 'error')).toEqual([]);
    for (const want of ['Draft minutes: Board', 'Attendance', 'Declarations of interest', 'P173/21 Elective recovery hub', 'P174/21 Finance report',
      'Decision: Hub', 'Outcome: Not agreed', 'Quorum before the vote: Quorate', 'Alpha NHS FT: Supports', 'Did not vote', 'Poll still open',
      'Actions', 'Bring a revised case (by April board)', 'At the start of the item: Taken up', 'Present: Alpha NHS FT · Absent: Gamma Community Trust.']) {
      expect(text).toContain(want);
    }
  });

  it.each(Object.entries(HOSTILE).filter(([name]) => name !== 'control'))('%s text reads back literally', async (_name, hostile) => {
    const { value: text } = await mammoth.extractRawText({ buffer: await minutesToDocx(minutes) });
    expect(text).toContain(hostile);
  });

  it('HTML typed by a member stays text in the converted document, never markup', async () => {
    const { value: html } = await mammoth.convertToHtml({ buffer: await minutesToDocx(minutes) });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('control characters, which XML cannot hold, are dropped and the rest of the text kept', async () => {
    const { value: text } = await mammoth.extractRawText({ buffer: await minutesToDocx(minutes) });
    expect(text).toContain('Bell and form feed inside');
  });
});

describe('minutes as Markdown', () => {
  const markdown = minutesToMarkdown(minutes);

  it.each([
    ['title', '# Draft minutes: Board \\*\\*Bold\\*\\* \\_claim\\_ \\[click\\](https://evil.example) # not a heading'],
    ['HTML is not markup', '\\<script>alert("x")\\</script>'],
    ['formula kept as text', '=HYPERLINK("https://evil.example","Open")'],
    ['a position', `- ${HOSTILE.longName}: Objects (recorded by Bell and form feed inside, 1 Mar 2025, 10:06) (Present)`],
    ['an action', '- P173/21: **\\*\\*Bold\\*\\* \\_claim\\_ \\[click\\](https://evil.example) # not a heading**: Bring a revised case (by April board)'],
  ])('%s', (_name, line) => expect(markdown).toContain(line));

  it('no line starts a heading or list from user text', () => {
    expect(markdown.split('\n').filter((line) => /^#/.test(line)).every((line) => /^#{1,3} (Draft minutes|Attendance|Declarations|Actions|Decision|P17\d\/21)/.test(line))).toBe(true);
  });

  it('names the file from the date and a safe form of the title', () => {
    expect(minutesFileName(minutes, 'docx')).toBe('minutes-2025-03-01-board-bold-claim-click-https-evil-example-not-a-heading.docx');
  });
});
