/**
 * The register CSV read by a strict RFC 4180 reader: Python's `csv` module with `strict=True`
 * (the reader Excel's import and PostgreSQL COPY behave like), not the lenient parser the export's
 * own round trip uses. Outcomes are made by the pure core (closePoll), from hostile text.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCollaborative, type Collaborative } from '../../src/decisions/collaborative.js';
import { closePoll } from '../../src/decisions/close.js';
import type { Poll, Position, Vote } from '../../src/decisions/model.js';
import { neutraliseFormula, outcomesToCsv } from '../../src/register/export.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import { positionText } from '../../src/register/outcome-view.js';

const CHAIR = { aadObjectId: 'chair-1', name: 'Chair =One' };
const NOW = new Date('2026-11-23T10:00:00.000Z');

/** Member names as hostile as a collaborative file allows: line breaks, CR alone, quotes, commas, formulas. */
const HOSTILE_NAMES = ['Line\nBreak NHS FT', 'Carriage\rReturn Trust', '"Quoted", Trust', '=SUM(A1) Trust', ' Leading space', '\u00A0No-break', '\uFF1DFull-width'];

function collaborative(size: number): Collaborative {
  const parsed = parseCollaborative({
    id: 'strict-csv',
    name: 'Strict CSV Collaborative',
    members: Array.from({ length: size }, (_, index) => ({
      id: `trust-${index + 1}`,
      name: HOSTILE_NAMES[index] ?? `Trust ${index + 1}, NHS FT`,
      representatives: [`rep-${index + 1}`],
    })),
    chairs: [CHAIR.aadObjectId],
    secretariat: [CHAIR.aadObjectId],
    defaultRule: { kind: 'majority' },
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

function outcome(members: Collaborative, id: string, text: { title: string; proposal: string }, positions: Record<number, Position>): Outcome {
  const poll: Poll = {
    id, conversationId: 'c', title: text.title, proposal: text.proposal, rule: { kind: 'majority' }, category: 1,
    membersInScope: members.members.map((member) => member.id), hidePositions: false, status: 'open',
    openedBy: CHAIR, openedAt: NOW.toISOString(), reopenings: [],
  };
  const votes: Vote[] = Object.entries(positions).map(([n, position]) => ({
    pollId: id, organisationId: `trust-${n}`, position, binding: true,
    castBy: { aadObjectId: `rep-${n}`, name: `Rep\r\n${n}, "the" =rep` }, castAt: NOW.toISOString(),
  }));
  const closed = closePoll({ poll, votes, collaborative: members, by: CHAIR, now: NOW, newOutcomeId: () => `outcome-${id}` });
  if (!closed.ok) throw new Error(closed.error.kind);
  return {
    ...closed.value.outcome,
    reasons: ['reason one\nreason two', 'a lone\rCR', '"quoted, with comma"'],
    actions: [{ who: '=cmd|calc', what: 'first\r\nsecond\nthird', when: '-1 day', addedBy: CHAIR, addedAt: NOW.toISOString() }],
  };
}

/** Python's csv module, strict: a malformed field is an error, not a guess. Returns the records. */
function strictRead(csv: string): string[][] {
  const script = [
    'import csv, io, json, sys',
    "data = sys.stdin.buffer.read().decode('utf-8-sig')",
    'rows = list(csv.reader(io.StringIO(data, newline=""), strict=True))',
    'json.dump(rows, sys.stdout)',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: Buffer.from(csv, 'utf8'), maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 csv (strict) refused the file: ${run.stderr.toString()}`);
  return JSON.parse(run.stdout.toString('utf8')) as string[][];
}

/** Outside quoted fields, only CRLF may appear: a bare LF or CR there would end a record early for some reader. */
function lineBreaksOutsideQuotes(csv: string): string[] {
  const found: string[] = [];
  let quoted = false;
  for (let index = 0; index < csv.length; index += 1) {
    const char = csv[index]!;
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\r' && csv[index + 1] === '\n') index += 1;
    else if (!quoted && (char === '\n' || char === '\r')) found.push(`${JSON.stringify(char)} at ${index}`);
  }
  return found;
}

describe('the register CSV under a strict RFC 4180 reader', () => {
  const hostile = collaborative(HOSTILE_NAMES.length);
  const large = collaborative(200);
  const votesOfAll: Record<number, Position> = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [index + 1, (['support', 'object', 'abstain'] as const)[index % 3]!]));
  const cases: [string, Outcome[]][] = [
    ['hostile text and names, some voted', [outcome(hostile, 'p1', { title: '=HYPERLINK("x")\nsecond line', proposal: 'a, "b"\rc' }, { 1: 'support', 2: 'object', 4: 'abstain' })]],
    ['nobody voted', [outcome(hostile, 'p2', { title: 'Nobody voted', proposal: 'plain' }, {})]],
    ['200 members, every one voted, with the hostile outcomes', [
      outcome(large, 'p3', { title: '200 members', proposal: 'line\nbreaks\nin\nthe\nproposal' }, votesOfAll),
      outcome(hostile, 'p1', { title: '+1\n-1', proposal: '@x' }, { 3: 'support' }),
      outcome(hostile, 'p2', { title: 'Nobody voted', proposal: ' ' }, {}),
    ]],
  ];

  it.each(cases)('%s: one record per outcome, every cell as exported', (_name, outcomes) => {
    const csv = outcomesToCsv(outcomes);
    expect(lineBreaksOutsideQuotes(csv.replace(/\r\n$/, ''))).toEqual([]);
    const records = strictRead(csv);
    expect(records).toHaveLength(outcomes.length + 1);
    const [headers, ...rows] = records as [string[], ...string[][]];
    for (const row of rows) expect(row).toHaveLength(headers.length);
    outcomes.forEach((exported, index) => {
      const row = Object.fromEntries(headers.map((header, column) => [header, rows[index]![column]!]));
      expect(row.Reference).toBe(neutraliseFormula(exported.reference));
      expect(row.Title).toBe(neutraliseFormula(exported.title));
      expect(row.Proposal).toBe(neutraliseFormula(exported.proposal));
      expect(row['Not voted']).toBe(String(exported.counts.notVoted));
      expect(row.Reasons).toBe(neutraliseFormula(exported.reasons.join('\n')));
      expect(row.Positions).toBe(neutraliseFormula(exported.positions.map((p) => `${p.organisationName}: ${positionText(p)}`).join('\n')));
      // The per-trust columns land in this outcome's row: each member's cell holds its own position.
      for (const position of exported.positions) {
        expect(row[`Position: ${position.organisationName}`], position.organisationName).toBe(neutraliseFormula(positionText(position)));
      }
    });
  });
});
