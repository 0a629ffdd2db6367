/**
 * Draft minutes (register/minutes.ts) as the secretariat receives them: Markdown for the chat and
 * a Word document to finish in Word. Every value in a Minutes is text someone typed or the record
 * holds, so each is written as literal text: Markdown control characters escaped, and characters
 * XML 1.0 cannot hold dropped (a single one would make Word refuse the whole file).
 * The Word writer (docx, about a twentieth of the bundle) is imported only when a document is
 * asked for, so it is not parsed at every start (README, "Start-up").
 */
import type { Paragraph } from 'docx';
import type { Minutes } from '../register/minutes.js';
import { escapeMarkdown } from './markdown.js';

// eslint-disable-next-line no-control-regex -- the point is to remove control characters
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One line of literal text: control characters dropped, runs of whitespace (newlines too) made one space. */
const plain = (text: string): string => text.replace(NOT_XML, '').replace(/\s+/g, ' ').trim();

/** Literal in Markdown: escapeMarkdown, plus "<" so nothing reads as HTML. */
const md = (text: string): string => escapeMarkdown(plain(text)).replace(/</g, '\\<');

export const minutesFileName = (minutes: Minutes, extension: 'md' | 'docx'): string =>
  // The date is a validated ISO date; the title is reduced to [a-z0-9-] so the name is safe in a header.
  `minutes-${minutes.date}-${plain(minutes.title).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'meeting'}.${extension}`;

export function minutesToMarkdown(minutes: Minutes): string {
  const lines: string[] = [`# Draft minutes: ${md(minutes.title)}`, ''];
  for (const fact of minutes.facts) lines.push(`- **${md(fact.label)}:** ${md(fact.text)}`);
  lines.push('', '## Attendance', '', md(minutes.attendanceNote));
  if (minutes.attendance.length > 0) lines.push('', ...minutes.attendance.map((entry) => `- ${md(entry.member)}: ${md(entry.state)}`));
  lines.push('', '## Declarations of interest', '');
  if (minutes.declarationsNote) lines.push(md(minutes.declarationsNote));
  lines.push(...minutes.declarations.map((declaration) => `- ${md(declaration)}`));
  for (const item of minutes.items) {
    lines.push('', `## ${md(item.ref)} ${md(item.title)}`, '');
    lines.push(`- **Purpose:** ${md(item.purpose)}`);
    if (item.time) lines.push(`- **Time:** ${md(item.time)}`);
    if (item.lead) lines.push(`- **Lead:** ${md(item.lead)}`);
    if (item.recommendation) lines.push(`- **Recommendation:** ${md(item.recommendation)}`);
    if (item.attendanceAtStart) lines.push(`- **At the start of the item:** ${md(item.attendanceAtStart)}`);
    for (const decision of item.decisions) {
      lines.push('', `### Decision: ${md(decision.title)}`, '', `**Proposal:** ${md(decision.proposal)}`, '');
      lines.push(`- **Outcome:** ${md(decision.outcome)}`, `- **Rule:** ${md(decision.rule)}`);
      if (decision.basis) lines.push(`- **Basis:** ${md(decision.basis)}`);
      lines.push(`- **Category:** ${md(decision.category)}`);
      if (decision.quorum) lines.push(`- **Quorum before the vote:** ${md(decision.quorum)}`);
      lines.push(`- **Explanation:** ${md(decision.explanation)}`);
      if (decision.positions.length > 0) {
        lines.push('', "**Members' positions**", '');
        for (const position of decision.positions) {
          lines.push(`- ${md(position.member)}: ${md(position.position)}${position.attendance ? ` (${md(position.attendance)})` : ''}`);
        }
      }
      if (decision.reasons.length > 0) lines.push('', '**Reasons recorded**', '', ...decision.reasons.map((reason) => `- ${md(reason)}`));
    }
  }
  lines.push('', '## Actions', '');
  if (minutes.actions.length === 0) lines.push('No actions were recorded against the decisions.');
  lines.push(...minutes.actions.map((action) => `- ${md(action.ref)}: **${md(action.who)}**: ${md(action.what)} (by ${md(action.when)})`));
  return `${lines.join('\n')}\n`;
}

/** The Word document (docx stamps its own creation time in the file's properties). */
export async function minutesToDocx(minutes: Minutes): Promise<Buffer> {
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } = await import('docx');
  const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ heading: level, children: [new TextRun(plain(text))] });
  const para = (text: string) => new Paragraph({ children: [new TextRun(plain(text))] });
  const labelled = (label: string, text: string, bullet = true) => new Paragraph({
    ...(bullet ? { bullet: { level: 0 } } : {}),
    children: [new TextRun({ text: `${plain(label)}: `, bold: true }), new TextRun(plain(text))],
  });
  const bullet = (text: string) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(plain(text))] });
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.LEFT, children: [new TextRun(`Draft minutes: ${plain(minutes.title)}`)] }),
    ...minutes.facts.map((fact) => labelled(fact.label, fact.text, false)),
    heading('Attendance', HeadingLevel.HEADING_1),
    para(minutes.attendanceNote),
    ...minutes.attendance.map((entry) => labelled(entry.member, entry.state)),
    heading('Declarations of interest', HeadingLevel.HEADING_1),
    ...(minutes.declarationsNote ? [para(minutes.declarationsNote)] : []),
    ...minutes.declarations.map(bullet),
  ];
  for (const item of minutes.items) {
    children.push(heading(`${item.ref} ${item.title}`, HeadingLevel.HEADING_1), labelled('Purpose', item.purpose));
    if (item.time) children.push(labelled('Time', item.time));
    if (item.lead) children.push(labelled('Lead', item.lead));
    if (item.recommendation) children.push(labelled('Recommendation', item.recommendation));
    if (item.attendanceAtStart) children.push(labelled('At the start of the item', item.attendanceAtStart));
    for (const decision of item.decisions) {
      children.push(heading(`Decision: ${decision.title}`, HeadingLevel.HEADING_2), labelled('Proposal', decision.proposal, false));
      children.push(labelled('Outcome', decision.outcome), labelled('Rule', decision.rule));
      if (decision.basis) children.push(labelled('Basis', decision.basis));
      children.push(labelled('Category', decision.category));
      if (decision.quorum) children.push(labelled('Quorum before the vote', decision.quorum));
      children.push(labelled('Explanation', decision.explanation));
      if (decision.positions.length > 0) {
        children.push(heading("Members' positions", HeadingLevel.HEADING_3));
        children.push(...decision.positions.map((position) => labelled(position.member, `${position.position}${position.attendance ? ` (${position.attendance})` : ''}`)));
      }
      if (decision.reasons.length > 0) children.push(heading('Reasons recorded', HeadingLevel.HEADING_3), ...decision.reasons.map(bullet));
    }
  }
  children.push(heading('Actions', HeadingLevel.HEADING_1));
  if (minutes.actions.length === 0) children.push(para('No actions were recorded against the decisions.'));
  children.push(...minutes.actions.map((action) => labelled(`${action.ref}: ${action.who}`, `${action.what} (by ${action.when})`)));

  const document = new Document({
    creator: 'Concord',
    title: plain(`Draft minutes: ${minutes.title}`).slice(0, 250),
    description: 'Draft minutes generated by Concord from the decision register',
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
