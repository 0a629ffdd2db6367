/**
 * The register as the secretariat takes it away: a CSV for spreadsheets and board-paper
 * appendices, and a Markdown minutes extract. Pure: outcomes in, text out.
 *
 * Filtering (dates, words) happens in one place, the store query (`Store.listOutcomes`), so the
 * tab, the CLI and the exports select outcomes identically; these functions export what they are
 * given, in the order given (newest first, as the store returns them).
 *
 * Wording comes from outcome-view.ts (STATUS_WORDS, positionText, categoryText, the card's facts)
 * so an exported outcome reads exactly as its card and the tab do.
 */
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { describeRule } from '../decisions/rules.js';
import { stageInWords } from '../decisions/gateway.js';
import { ukDate, ukDateTime } from '../shared/format.js';
import type { MemberPosition, Outcome } from '../decisions/outcome.js';
import { STATUS_WORDS, basisText, categoryText, declarationLines, positionText } from './outcome-view.js';
import { displayName } from '../people/model.js';



const membersInScopeText = (outcome: Outcome): string =>
  outcome.membersInScope.map((id) => outcome.positions.find((position) => position.organisationId === id)?.organisationName ?? id).join('; ');

const gatewayText = (outcome: Outcome): string =>
  (outcome.gateway ? `${outcome.gateway.programme}: ${stageInWords(outcome.gateway.stage)} stage` : '');

const actionText = (action: Outcome['actions'][number]): string => `${action.who}: ${action.what} (${action.when})`;

const memberLine = (position: MemberPosition): string => `${position.organisationName}: ${positionText(position)}`;

/**
 * An export's period as the tab's query and the CLI's flags give it: calendar days, inclusive, on
 * closedAt (the store query's meaning). One schema, so both refuse the same bad dates the same way.
 */
export const ExportPeriod = z.object({
  from: z.iso.date('from: give a date as YYYY-MM-DD').optional(),
  to: z.iso.date('to: give a date as YYYY-MM-DD').optional(),
}).refine((period) => !period.from || !period.to || period.from <= period.to, 'from: must be on or before to');
export type ExportPeriod = z.infer<typeof ExportPeriod>;

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

interface Column {
  readonly header: string;
  readonly value: (outcome: Outcome) => string;
}

/** One row per outcome; multi-value fields are one line per value inside the cell. */
const COLUMNS: readonly Column[] = [
  { header: 'Reference', value: (o) => o.reference },
  { header: 'Title', value: (o) => o.title },
  { header: 'Proposal', value: (o) => o.proposal },
  { header: 'Meeting', value: (o) => o.meeting?.title ?? '' },
  { header: 'Meeting date', value: (o) => o.meeting?.date ?? '' },
  { header: 'Date closed', value: (o) => ukDateTime(o.closedAt) },
  // ISO as stored: sorts correctly in a spreadsheet and is the instant the --from/--to filter uses.
  { header: 'Closed at (UTC)', value: (o) => o.closedAt },
  { header: 'Rule', value: (o) => describeRule(o.rule) },
  // A majority's basis with its figures ("3 of 5 member trusts support: ..."); blank for other rules.
  { header: 'Basis', value: basisText },
  { header: 'Category', value: (o) => categoryText(o) },
  { header: 'Members in scope', value: membersInScopeText },
  { header: 'Gateway', value: gatewayText },
  // The tally's result in the same words as a status (one vocabulary, outcome-status.ts).
  { header: 'Result', value: (o) => STATUS_WORDS[o.result] },
  { header: 'Explanation', value: (o) => o.explanation },
  { header: 'Status', value: (o) => STATUS_WORDS[o.status] },
  { header: 'Support', value: (o) => String(o.counts.support) },
  { header: 'Object', value: (o) => String(o.counts.object) },
  { header: 'Abstain', value: (o) => String(o.counts.abstain) },
  { header: 'Not voted', value: (o) => String(o.counts.notVoted) },
  { header: 'Positions', value: (o) => o.positions.map(memberLine).join('\n') },
  { header: 'Closed by', value: (o) => displayName(o.closedBy) },
  { header: 'Reasons', value: (o) => o.reasons.join('\n') },
  { header: 'Actions', value: (o) => o.actions.map(actionText).join('\n') },
  { header: 'Declarations of interest', value: (o) => declarationLines(o).join('\n') },
];

/**
 * Member positions go out twice, on purpose:
 * - "Positions": every member's position and who recorded it, one line each, in one readable
 *   cell. This is what is pasted into minutes, and it needs no knowledge of who the members were.
 * - One "Position: <organisation>" column per organisation found in the export, so a board paper
 *   can filter or pivot on how a given trust voted across decisions. Membership changes over time,
 *   so the set is the union over the outcomes exported; a blank cell means that organisation was
 *   not a member when the poll closed. Ordered by name, then id, so the same outcomes always give
 *   the same columns.
 */
function memberColumns(outcomes: readonly Outcome[]): Column[] {
  const names = new Map<string, string>();
  // Outcomes come newest first: the first name seen for an organisation is its latest.
  for (const outcome of outcomes) {
    for (const position of outcome.positions) if (!names.has(position.organisationId)) names.set(position.organisationId, position.organisationName);
  }
  const ids = [...names.keys()].sort((a, b) => compare(names.get(a)!, names.get(b)!) || compare(a, b));
  const nameCounts = new Map<string, number>();
  for (const name of names.values()) nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
  return ids.map((id) => {
    const name = names.get(id)!;
    // Two organisations under one name (a merger, a typo) must still be told apart.
    const label = nameCounts.get(name)! > 1 ? `${name} (${id})` : name;
    return {
      header: `Position: ${label}`,
      value: (outcome: Outcome) => {
        const position = outcome.positions.find((candidate) => candidate.organisationId === id);
        return position ? positionText(position) : '';
      },
    };
  });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * OWASP "CSV Injection": a cell that starts with = + - @ (or a tab or carriage return, which some
 * spreadsheets skip before reading a formula) is run as a formula when the file is opened. A
 * leading space or no-break space is skipped the same way by some spreadsheets, and some read the
 * full-width ＝ ＋ － ＠ as their ASCII forms, so those are guarded too. A leading single quote makes
 * the spreadsheet show the cell as text. Applied to every cell, headers too (organisation names
 * come from a file people edit).
 */
export const FORMULA_START = /^[=+\-@\t\r \u00A0\uFF1D\uFF0B\uFF0D\uFF20]/;

export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * The CSV dialect (README, "Decision register"): RFC 4180, records end in CRLF, every field that
 * holds a comma, a double quote, a CR or an LF is quoted and its quotes doubled, and a UTF-8 byte
 * order mark leads (without it Excel reads the file as ANSI and mangles names and typographic
 * quotes). csv-stringify on its own quotes a field only when it holds the record delimiter (CRLF),
 * so a cell with a bare LF (positions, reasons and actions are one per line) or a lone CR would go
 * out unquoted and a strict reader (Python's csv, Excel's import, PostgreSQL COPY) would split the
 * row: `quoted_match` quotes those too. The byte order mark is part of the string, so writers keep
 * it as is.
 */
export function outcomesToCsv(outcomes: readonly Outcome[]): string {
  const columns = [...COLUMNS, ...memberColumns(outcomes)];
  const rows = [
    columns.map((column) => column.header),
    ...outcomes.map((outcome) => columns.map((column) => column.value(outcome))),
  ].map((row) => row.map(neutraliseFormula));
  return stringify(rows, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/** The period the outcomes were selected for (YYYY-MM-DD, inclusive); it only titles the extract. */
export type MarkdownPeriod = ExportPeriod;

/**
 * Characters that start Markdown (CommonMark + GFM) inline markup anywhere on a line: emphasis,
 * code, links and images, raw HTML, entities, tables, strikethrough, maths, headings' closing #s.
 */
const INLINE_SPECIAL = /[\\`*_[\]<>|~&$#]/g;

function escapeLine(line: string): string {
  const escaped = line.replace(INLINE_SPECIAL, '\\$&');
  // At the start of a line these begin a block: an ordered list item ("1." / "1)", escaped on its
  // punctuation), a bullet, or a setext underline. (# and > are already escaped above.)
  const ordered = /^(\d+)([.)])/.exec(escaped);
  if (ordered) return `${ordered[1]}\\${escaped.slice(ordered[1]!.length)}`;
  return /^[+\-=]/.test(escaped) ? `\\${escaped}` : escaped;
}

/**
 * User text as one Markdown paragraph (or list item body) that renders exactly as typed, minus
 * layout: line breaks become hard breaks, blank lines are dropped and leading spaces trimmed, so
 * nothing a person typed can end the list item, start a code block or a new block of its own.
 * The CSV keeps the text exactly.
 */
export function markdownText(text: string, continuationIndent = ''): string {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (lines.length === 0) return '';
  return lines.map(escapeLine).join(`\\\n${continuationIndent}`);
}

/** A heading must stay on one line. */
const headingText = (text: string): string => escapeLine(text.replace(/\s+/g, ' ').trim());

const bullets = (items: readonly string[]): string[] => items.map((item) => `- ${markdownText(item, '  ')}`);

function periodText(period: MarkdownPeriod): string {
  if (period.from && period.to) return `Outcomes closed from ${ukDate(period.from)} to ${ukDate(period.to)}`;
  if (period.from) return `Outcomes closed on or after ${ukDate(period.from)}`;
  if (period.to) return `Outcomes closed on or before ${ukDate(period.to)}`;
  return 'All outcomes logged';
}

function outcomeMarkdown(outcome: Outcome): string[] {
  const facts: [string, string][] = [['Status', STATUS_WORDS[outcome.status]]];
  if (outcome.meeting) facts.push(['Meeting', `${outcome.meeting.title}, ${outcome.meeting.date}`]);
  facts.push(['Rule', describeRule(outcome.rule)]);
  if (basisText(outcome)) facts.push(['Basis', basisText(outcome)]);
  facts.push(['Category', categoryText(outcome)]);
  if (outcome.gateway) facts.push(['Gateway', gatewayText(outcome)]);
  facts.push(['Closed', `${ukDateTime(outcome.closedAt)} by ${displayName(outcome.closedBy)}`]);
  const { support, object, abstain, notVoted } = outcome.counts;
  return [
    `## ${headingText(outcome.reference)} · ${headingText(outcome.title)}`,
    '',
    ...bullets(facts.map(([label, text]) => `${label}: ${text}`)),
    '',
    '**Proposal**',
    '',
    markdownText(outcome.proposal),
    '',
    `**Positions** (support ${support}, object ${object}, abstain ${abstain}, not voted ${notVoted})`,
    '',
    ...bullets(outcome.positions.map(memberLine)),
    '',
    // The rule's own account of the result, as the outcome card shows it.
    markdownText(outcome.explanation),
    '',
    '**Reasons**',
    '',
    ...(outcome.reasons.length > 0 ? bullets(outcome.reasons) : ['None recorded.']),
    '',
    ...(declarationLines(outcome).length > 0 ? ['**Declarations of interest**', '', ...bullets(declarationLines(outcome)), ''] : []),
    '**Actions**',
    '',
    ...(outcome.actions.length > 0 ? bullets(outcome.actions.map(actionText)) : ['None recorded.']),
    '',
  ];
}

/** A minutes extract: one section per outcome, every member's position, reasons and actions. */
export function outcomesToMarkdown(outcomes: readonly Outcome[], period: MarkdownPeriod = {}): string {
  const count = outcomes.length === 1 ? '1 outcome' : `${outcomes.length} outcomes`;
  const lines = ['# Decision register extract', '', `${periodText(period)}: ${count}.`, ''];
  for (const outcome of outcomes) lines.push(...outcomeMarkdown(outcome));
  return `${lines.join('\n').trimEnd()}\n`;
}
