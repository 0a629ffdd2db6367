import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// csv-parse is csv-stringify's sibling (installed with restify's `csv`): an independent RFC 4180 reader.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { markdownText, neutraliseFormula, outcomesToCsv, outcomesToMarkdown } from '../../src/register/export.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import { toDecisionsListData, toOutcomeCardData } from '../../src/register/outcome-view.js';
import { anOutcome } from '../store/builders.js';
import { ukDateTime } from '../../src/shared/format.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { writeCollaborative } from '../support/collaborative.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { tempDir } from '../support/temp-dir.js';
import { HOSTILE_MEMBERS, logOutcome, movableClock, saveAgenda, writeHostileCollaborative } from './drive.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BOM = '\uFEFF';
/** The cells a spreadsheet would run as a formula (OWASP CSV injection). */
const DANGEROUS = /^[=+\-@\t\r \u00A0\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Parses the CSV back into header → cell maps, one per row, checking its framing on the way. */
function readCsv(csv: string): { headers: string[]; rows: Record<string, string>[] } {
  expect(csv.startsWith(BOM)).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  const records: string[][] = parse(csv, { bom: true, relax_column_count: false });
  const [headers, ...rows] = records;
  if (!headers) throw new Error('no header row');
  return { headers, rows: rows.map((row) => Object.fromEntries(headers.map((header, index) => [header, row[index]!]))) };
}

/** What a spreadsheet shows for a cell: the leading quote on a would-be formula is not part of the text. */
const shown = (cell: string): string => (cell.startsWith("'") && DANGEROUS.test(cell.slice(1)) ? cell.slice(1) : cell);

const FIXED_HEADERS = [
  'Reference', 'Title', 'Proposal', 'Meeting', 'Meeting date', 'Date closed', 'Closed at (UTC)', 'Rule', 'Basis', 'Category',
  'Members in scope', 'Gateway', 'Result', 'Explanation', 'Status', 'Support', 'Object', 'Abstain', 'Not voted',
  'Positions', 'Closed by', 'Reasons', 'Actions', 'Declarations of interest',
];

describe('an outcome from a real closed poll', () => {
  it('carries everything the secretariat minutes, and the CSV and Markdown say all of it', { timeout: 30_000 }, async () => {
    const time = movableClock('2026-11-23T10:02:00Z');
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeCollaborative(4) }, { clock: time.clock });
    const agendaId = await saveAgenda(running, {
      title: 'Provider Leadership Board',
      date: '2026-11-23',
      items: ['P173/21 | Elective recovery: joint waiting list | Dr A Khan | decision | 15 | Approve the joint waiting list | '],
    });
    const outcome = await logOutcome(running, {
      title: 'Joint waiting list',
      proposal: 'Approve the joint waiting list across the three acute trusts',
      rule: 'consensus',
      agenda: { agendaId, itemRef: 'P173/21' },
      fields: { category: '2', affectedMembers: 'trust-1,trust-2,trust-3', gatewayProgramme: 'Elective recovery hub', gatewayStage: 'initiation' },
      votes: { 1: 'support', 2: 'object', 4: 'abstain' },
      actions: [{ who: 'Sam Patel', what: 'Convene the dispute resolution panel', when: '30 Nov 2026' }],
    });

    expect(outcome).toMatchObject({
      reference: 'P173/21',
      title: 'Joint waiting list',
      proposal: 'Approve the joint waiting list across the three acute trusts',
      meeting: { title: 'Provider Leadership Board', date: '2026-11-23' },
      rule: { kind: 'consensus' },
      category: 2,
      membersInScope: ['trust-1', 'trust-2', 'trust-3'],
      gateway: { programme: 'Elective recovery hub', stage: 'initiation' },
      counts: { support: 1, object: 1, abstain: 0, notVoted: 1 },
      result: 'not-agreed',
      status: 'referred-to-dispute-resolution',
      closedBy: { name: 'Alex Wilber' },
      closedAt: '2026-11-23T10:02:00.000Z',
      reasons: ['Trust 2 NHS FT objected (recorded by Representative 2).'],
      actions: [{ who: 'Sam Patel', what: 'Convene the dispute resolution panel', when: '30 Nov 2026', addedBy: { name: 'Alex Wilber' } }],
    });
    expect(outcome.positions.map((p) => [p.organisationName, p.position, p.binding, p.castBy?.name])).toEqual([
      ['Trust 1 NHS FT', 'support', true, 'Representative 1'],
      ['Trust 2 NHS FT', 'object', true, 'Representative 2'],
      ['Trust 3 NHS FT', 'not-voted', true, undefined],
      ['Trust 4 NHS FT', 'abstain', false, 'Representative 4'],
    ]);

    const { headers, rows } = readCsv(outcomesToCsv([outcome]));
    expect(headers).toEqual([...FIXED_HEADERS, 'Position: Trust 1 NHS FT', 'Position: Trust 2 NHS FT', 'Position: Trust 3 NHS FT', 'Position: Trust 4 NHS FT']);
    expect(rows).toEqual([{
      Reference: 'P173/21',
      Title: 'Joint waiting list',
      Proposal: 'Approve the joint waiting list across the three acute trusts',
      Meeting: 'Provider Leadership Board',
      'Meeting date': '2026-11-23',
      'Date closed': '23 Nov 2026, 10:02',
      'Closed at (UTC)': '2026-11-23T10:02:00.000Z',
      Rule: 'Consensus: agreed unless a member objects. Abstentions and members who have not voted do not block.',
      Basis: '', // consensus has no majority basis
      Category: 'Category 2: binds only Trust 1 NHS FT, Trust 2 NHS FT, Trust 3 NHS FT',
      'Members in scope': 'Trust 1 NHS FT; Trust 2 NHS FT; Trust 3 NHS FT',
      Gateway: 'Elective recovery hub: initiation stage',
      Result: 'Not agreed',
      Explanation: outcome.explanation,
      Status: 'Referred to dispute resolution',
      Support: '1',
      Object: '1',
      Abstain: '0',
      'Not voted': '1',
      Positions: [
        'Trust 1 NHS FT: Supports (recorded by Representative 1, 23 Nov 2026, 10:02)',
        'Trust 2 NHS FT: Objects (recorded by Representative 2, 23 Nov 2026, 10:02)',
        'Trust 3 NHS FT: Did not vote',
        'Trust 4 NHS FT: Abstains, non-binding view (recorded by Representative 4, 23 Nov 2026, 10:02)',
      ].join('\n'),
      'Closed by': 'Alex Wilber',
      Reasons: 'Trust 2 NHS FT objected (recorded by Representative 2).',
      Actions: 'Sam Patel: Convene the dispute resolution panel (30 Nov 2026)',
      'Declarations of interest': '',
      'Position: Trust 1 NHS FT': 'Supports (recorded by Representative 1, 23 Nov 2026, 10:02)',
      'Position: Trust 2 NHS FT': 'Objects (recorded by Representative 2, 23 Nov 2026, 10:02)',
      'Position: Trust 3 NHS FT': 'Did not vote',
      'Position: Trust 4 NHS FT': 'Abstains, non-binding view (recorded by Representative 4, 23 Nov 2026, 10:02)',
    }]);

    const markdown = outcomesToMarkdown([outcome], { from: '2026-11-01', to: '2026-11-30' });
    for (const line of [
      '# Decision register extract',
      'Outcomes closed from 1 Nov 2026 to 30 Nov 2026: 1 outcome.',
      '## P173/21 · Joint waiting list',
      '- Status: Referred to dispute resolution',
      '- Meeting: Provider Leadership Board, 2026-11-23',
      '- Gateway: Elective recovery hub: initiation stage',
      '- Closed: 23 Nov 2026, 10:02 by Alex Wilber',
      'Approve the joint waiting list across the three acute trusts',
      '- Trust 1 NHS FT: Supports (recorded by Representative 1, 23 Nov 2026, 10:02)',
      '- Trust 2 NHS FT: Objects (recorded by Representative 2, 23 Nov 2026, 10:02)',
      '- Trust 3 NHS FT: Did not vote',
      '- Trust 4 NHS FT: Abstains, non-binding view (recorded by Representative 4, 23 Nov 2026, 10:02)',
      '- Trust 2 NHS FT objected (recorded by Representative 2).',
      '- Sam Patel: Convene the dispute resolution panel (30 Nov 2026)',
    ]) expect(markdown.split('\n')).toContain(line);
  });
});

/**
 * Two outcomes from the same positions (2 of 5 trusts support, 1 objects, 2 silent): one counted
 * as the guidance words it, one stored before bases existed (read as votes cast). Every view of the
 * register states the basis with its figures, computed from the stored counts.
 */
describe('the majority basis in the register', () => {
  const counts = { support: 2, object: 1, abstain: 0, notVoted: 2 };
  const byTrusts = anOutcome('poll-trusts', { rule: { kind: 'majority', basis: 'members' }, counts, result: 'not-agreed', status: 'not-agreed' });
  const stored = anOutcome('poll-old', { rule: { kind: 'majority' }, counts, result: 'agreed', status: 'agreed' });
  const consensus = anOutcome('poll-consensus');
  const TRUSTS = '2 of 5 member trusts support: not agreed, as a majority of trusts needs 3';
  const CAST = '2 of 3 votes cast support: agreed by a majority of votes cast';

  it('CSV: a Basis column beside the rule', () => {
    const { rows } = readCsv(outcomesToCsv([byTrusts, stored, consensus]));
    expect(rows.map((row) => [row.Rule?.split(':')[0], row.Basis])).toEqual([
      ['Majority of trusts', TRUSTS],
      ['Majority of votes cast', CAST],
      ['Consensus', ''],
    ]);
  });

  it('Markdown minutes: a Basis line after the rule', () => {
    const lines = outcomesToMarkdown([byTrusts, stored, consensus]).split('\n');
    expect(lines).toContain(`- Basis: ${TRUSTS}`);
    expect(lines).toContain(`- Basis: ${CAST}`);
    expect(lines.filter((line) => line.startsWith('- Basis:'))).toHaveLength(2);
  });

  it('outcome card (and so the register tab) and the decisions list', () => {
    expect(toOutcomeCardData(byTrusts).facts.slice(0, 2)).toEqual([
      { label: 'Rule', text: expect.stringMatching(/^Majority of trusts:/) },
      { label: 'Basis', text: TRUSTS },
    ]);
    expect(toOutcomeCardData(consensus).facts.map((fact) => fact.label)).not.toContain('Basis');
    const list = toDecisionsListData([byTrusts, stored, consensus], { words: '', shown: 3 });
    expect(list.items.map((item) => item.detail.split(' · ').slice(2))).toEqual([
      ['support 2, object 1, abstain 0, not voted 2', TRUSTS],
      ['support 2, object 1, abstain 0, not voted 2', CAST],
      ['support 3, object 0, abstain 0, not voted 0'],
    ]);
  });
});

describe('hostile text in the exports', () => {
  const TITLE = '=HYPERLINK("http://evil","x")';
  const PROPOSAL = '+1,"quoted"\nnew line';
  const MARKUP_TITLE = '-2+3 *bold* [link](http://x) <script>alert(1)</script> `code` | # 1. &amp;';
  const MARKUP_PROPOSAL = '@SUM(A1:A9)\n\n    indented code?\n# heading?\n1. list?\n---';
  const ACTION = { who: '=cmd|\' /C calc\'!A0', what: 'line one, "quoted"\r\nline two', when: '-1 day' };

  async function hostileOutcomes(): Promise<{ running: TestConcord; outcomes: [Outcome, Outcome] }> {
    const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: writeHostileCollaborative() });
    const first = await logOutcome(running, {
      title: TITLE,
      proposal: PROPOSAL,
      // Category 2 naming "=Evil…" first, so "Members in scope" starts with a formula character.
      fields: { category: '2', affectedMembers: 'trust-2,trust-3' },
      votes: { 2: 'support', 3: 'object' },
      actions: [ACTION],
    });
    const second = await logOutcome(running, { title: MARKUP_TITLE, proposal: MARKUP_PROPOSAL, votes: { 1: 'support', 2: 'abstain' } });
    return { running, outcomes: [first, second] };
  }

  it.each([
    ['=1+2', "'=1+2"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['1-2', '1-2'],
    [' =1', "' =1"],
    ['\u00A0=1', "'\u00A0=1"],
    ['\uFF1D1+2', "'\uFF1D1+2"],
    ['\uFF0B1', "'\uFF0B1"],
    ['a =1', 'a =1'],
    ["'quoted", "'quoted"],
    ['', ''],
  ])('neutraliseFormula(%j) → %j', (cell, want) => expect(neutraliseFormula(cell)).toBe(want));

  it('CSV: every value round-trips exactly; only would-be formulas gain a leading quote', { timeout: 30_000 }, async () => {
    const { running, outcomes } = await hostileOutcomes();
    const csv = outcomesToCsv(await running.store.listOutcomes());
    const { headers, rows } = readCsv(csv);

    // No cell, header or value, reaches a spreadsheet as a formula.
    for (const cell of [...headers, ...rows.flatMap((row) => Object.values(row))]) expect(cell, cell).not.toMatch(DANGEROUS);

    expect(rows).toHaveLength(2);
    const [second, first] = rows as [Record<string, string>, Record<string, string>]; // newest first
    expect(first.Title).toBe(`'${TITLE}`);
    expect(first.Proposal).toBe(`'${PROPOSAL}`);
    expect(first['Members in scope']).toBe(`'${HOSTILE_MEMBERS[1]}; ${HOSTILE_MEMBERS[2]}`);
    expect(first.Actions).toBe(`'${ACTION.who}: ${ACTION.what} (${ACTION.when})`);
    expect(first.Reference).toBe(outcomes[0].reference);
    expect(first.Status).toBe('Not agreed');
    expect(second.Title).toBe(`'${MARKUP_TITLE}`);
    expect(second.Proposal).toBe(`'${MARKUP_PROPOSAL}`);
    expect(second.Positions!.startsWith('Trust 1 NHS FT: Supports')).toBe(true);
    expect(second.Positions).toContain(`\n${HOSTILE_MEMBERS[1]}: Abstains`);
    expect(second.Status).toBe('Agreed');
    // Hostile organisation names get their own columns, labelled safely.
    expect(headers).toContain(`Position: ${HOSTILE_MEMBERS[1]}`);
    expect(first[`Position: ${HOSTILE_MEMBERS[1]}`]).toMatch(/^Supports \(recorded by Representative 2/);

    // Stripping the guard gives back exactly what people typed, for every user-text column.
    for (const [row, outcome] of [[first, outcomes[0]], [second, outcomes[1]]] as const) {
      expect(shown(row.Title!)).toBe(outcome.title);
      expect(shown(row.Proposal!)).toBe(outcome.proposal);
    }
    expect(shown(first.Actions!)).toBe(`${ACTION.who}: ${ACTION.what} (${ACTION.when})`);
  });

  it('Markdown: user text is escaped, so it cannot become links, HTML, headings, lists or code', { timeout: 30_000 }, async () => {
    const { running, outcomes: [first, second] } = await hostileOutcomes();
    const lines = outcomesToMarkdown(await running.store.listOutcomes()).split('\n');
    const when = ukDateTime(first.closedAt);
    // Each \\ below is one backslash in the Markdown.
    const expected = [
      `## ${first.reference} · \\=HYPERLINK("http://evil","x")`,
      // A line break typed in the proposal is a hard break, never a new block.
      '\\+1,"quoted"\\',
      'new line',
      `- \\=Evil, "Quoted" Trust: Supports (recorded by Representative 2, ${when})`,
      `- @Third \\*Trust\\* \\<b\\>: Objects (recorded by Representative 3, ${when})`,
      '- \\=cmd\\|\' /C calc\'!A0: line one, "quoted"\\',
      '  line two (-1 day)',
      `## ${second.reference} · \\-2+3 \\*bold\\* \\[link\\](http://x) \\<script\\>alert(1)\\</script\\> \\\`code\\\` \\| \\# 1. \\&amp;`,
      // Blank lines and indentation are dropped; each line's block marker is escaped.
      '@SUM(A1:A9)\\',
      'indented code?\\',
      '\\# heading?\\',
      '1\\. list?\\',
      '\\---',
    ];
    for (const line of expected) expect(lines, line).toContain(line);
    // Outside the extract's own structure (headings, bullets, bold labels), no line starts with markup.
    const structure = /^(# Decision register extract$|## D-\d{4}-\d{3} · |- |  |\*\*[A-Z][a-z]+\*\*( \(support \d)?|$)/;
    expect(lines.filter((line) => !structure.test(line) && /^([<>#*+=\-|`~_[]|\d+[.)]| {4})/.test(line))).toEqual([]);
  });

  it.each([
    ['plain text', 'plain text'],
    ['a\\b', 'a\\\\b'],
    ['*x* _y_ `z`', '\\*x\\* \\_y\\_ \\`z\\`'],
    ['[a](b) ![c](d)', '\\[a\\](b) !\\[c\\](d)'],
    ['<b>x</b> &amp; $x$ ~~y~~ | z', '\\<b\\>x\\</b\\> \\&amp; \\$x\\$ \\~\\~y\\~\\~ \\| z'],
    ['# h', '\\# h'],
    ['> q', '\\> q'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['===', '\\==='],
    ['12. item', '12\\. item'],
    ['3) item', '3\\) item'],
    ['line 1\n\n   line 2', 'line 1\\\nline 2'],
  ])('markdownText(%j) → %j', (text, want) => expect(markdownText(text)).toBe(want));
});

/** Runs the CLI as `npm run register:export --` does, capturing stdout byte for byte. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/register-export.ts', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  })));
}

describe('npm run register:export', () => {
  const TITLE_WITH_FORMULA = '=1+1 Theatre lists';

  async function concordWithTwoOutcomes() {
    const dataDir = tempDir('export-data');
    const time = movableClock('2026-11-02T09:00:00Z');
    const running = await useTestConcord(
      { CONCORD_COLLABORATIVE_FILE: writeCollaborative(3), CONCORD_DATA_DIR: dataDir },
      { store: await openFileStore({ dataDir }), clock: time.clock },
    );
    const early = await logOutcome(running, { title: 'Shared pathology network', proposal: 'Join the network', votes: { 1: 'support', 2: 'support' } });
    time.set('2026-11-20T15:30:00Z');
    const late = await logOutcome(running, { title: TITLE_WITH_FORMULA, proposal: 'Agree, "with" commas\nand lines', votes: { 1: 'object', 3: 'support' } });
    return { running, dataDir, early, late };
  }

  it('exports CSV from a data directory a running Concord holds, the same bytes as outcomesToCsv', { timeout: 60_000 }, async () => {
    const { running, dataDir } = await concordWithTwoOutcomes();
    // Concord is still running and holds the directory's lock: the CLI must read a copy.
    const result = await runCli(['--format', 'csv', '--data-dir', dataDir]);
    // The one line on stderr names the store read (issue 15: never another register unawares).
    expect(result.stderr).toBe(`register:export: reading the embedded store in ${path.resolve(dataDir)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(outcomesToCsv(await running.store.listOutcomes()));
    expect(readCsv(result.stdout).rows.map((row) => row.Title)).toEqual([`'${TITLE_WITH_FORMULA}`, 'Shared pathology network']);
    // The copy was removed and the live store is untouched.
    expect(running.store.state()).toBe('ready');
  });

  it('filters by --from/--to and writes Markdown to --out', { timeout: 60_000 }, async () => {
    const { running, dataDir, early, late } = await concordWithTwoOutcomes();
    const out = path.join(tempDir('export-out'), 'minutes.md');
    const result = await runCli(['--format', 'md', '--from', '2026-11-10', '--to', '2026-11-30', '--data-dir', dataDir, '--out', out]);
    expect(result.stderr).toBe(`register:export: reading the embedded store in ${path.resolve(dataDir)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const markdown = readFileSync(out, 'utf8');
    expect(markdown).toBe(outcomesToMarkdown(await running.store.listOutcomes({ from: '2026-11-10', to: '2026-11-30' }), { from: '2026-11-10', to: '2026-11-30' }));
    expect(markdown).toContain(`## ${late.reference} · \\=1+1 Theatre lists`);
    expect(markdown).not.toContain(early.reference);
    expect(markdown).toContain('Outcomes closed from 10 Nov 2026 to 30 Nov 2026: 1 outcome.');

    const csv = await runCli(['--format', 'csv', '--to', '2026-11-02', '--data-dir', dataDir]);
    expect(readCsv(csv.stdout).rows.map((row) => row.Reference)).toEqual([early.reference]);
  });

  it.each([
    ['no arguments', [], '--format is required: --format csv for a spreadsheet or --format md for minutes.'],
    ['no format', ['--data-dir', 'x'], '--format is required'],
    ['an unknown format', ['--format', 'xlsx'], '--format xlsx is not a format it writes; use --format csv or --format md.'],
    ['an impossible date', ['--format', 'csv', '--from', '2026-02-30'], '--from 2026-02-30 is not a date; give a calendar day as YYYY-MM-DD'],
    ['a date in another shape', ['--format', 'csv', '--to', '23/11/2026'], '--to 23/11/2026 is not a date; give a calendar day as YYYY-MM-DD'],
    ['from after to', ['--format', 'csv', '--from', '2026-11-10', '--to', '2026-11-01'], '--from 2026-11-10 is after --to 2026-11-01, so no day is in between; give a --from on or before the --to.'],
    ['a flag without its value', ['--format', 'csv', '--out'], '--out needs a value (--out FILE)'],
    ['an unknown flag', ['--format', 'csv', '--into', 'x'], 'unknown option --into; register:export accepts --format csv|md, --from YYYY-MM-DD, --to YYYY-MM-DD, --data-dir DIR, --out FILE'],
    ['a flag given twice', ['--format', 'csv', '--format', 'md'], '--format is given twice; give it once.'],
  ])('refuses %s with one line naming the problem and exit code 2', { timeout: 30_000 }, async (_case, args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^register:export: .+ usage: npm run register:export -- --format csv\|md .*\n$/);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says plainly when the directory holds no store (exit 1, no stack trace)', { timeout: 30_000 }, async () => {
    const result = await runCli(['--format', 'csv', '--data-dir', tempDir('export-empty')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^register:export: reading the embedded store in .*\nregister:export failed: .*holds no Concord store.*\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
