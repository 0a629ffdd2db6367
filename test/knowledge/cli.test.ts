import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function ask(args: string[], input?: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const CONTRACT_KEYS = ['answered', 'answer', 'confidence', 'sources', 'suggestions'];

function expectContractShape(line: string): Record<string, unknown> {
  const parsed = JSON.parse(line) as Record<string, unknown>;
  expect(Object.keys(parsed)).toEqual(CONTRACT_KEYS);
  expect(typeof parsed.answered).toBe('boolean');
  expect(typeof parsed.answer).toBe('string');
  expect(typeof parsed.confidence).toBe('number');
  for (const source of parsed.sources as Record<string, unknown>[]) expect(Object.keys(source)).toEqual(['document', 'section']);
  for (const suggestion of parsed.suggestions as unknown[]) expect(typeof suggestion).toBe('string');
  return parsed;
}

describe('npm run ask', () => {
  it('prints one JSON line for --json "question"', () => {
    const { status, stdout } = ask(['--json', 'what is a locked gateway']);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const answer = expectContractShape(lines[0] ?? '');
    expect(answer.answered).toBe(true);
    expect(answer.sources).toContainEqual({ document: 'trft-board-2021', section: expect.any(String) });
  });

  it('answers stdin line by line with --json --batch, blank lines included', () => {
    const questions = ['what is a committee in common', '', 'what is the capital of France', 'gatway'];
    const { status, stdout } = ask(['--json', '--batch'], `${questions.join('\n')}\n`);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(questions.length);
    const answers = lines.map(expectContractShape);
    expect(answers.map((a) => a.answered)).toEqual([true, false, false, true]);
  });

  it('prints the answer and its sources for a person without --json', () => {
    const { status, stdout } = ask(['what', 'is', 'a', 'committee', 'in', 'common']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Sources:\n {2}- .+: .+/);
  });

  it('shows suggestions when it cannot answer', () => {
    const { stdout } = ask(['how do I reset my password']);
    expect(stdout).toMatch(/You could ask:\n {2}- /);
  });

  it('answers stdin line by line in readable text with --batch alone (issue 18)', () => {
    const { status, stdout, stderr } = ask(['--batch'], 'what is a committee in common\nhow do I reset my password\n');
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^Q: what is a committee in common\n[^]+?\n\nSources:\n {2}- /);
    expect(stdout).toMatch(/\nQ: how do I reset my password\n[^]*You could ask:\n {2}- /);
    expect(stdout).not.toContain('{"answered"');
  });

  it('names the knowledge base it read on its first line of stderr', () => {
    const { stderr } = ask(['--json', 'what is a locked gateway']);
    expect(stderr).toMatch(/^ask: reading the knowledge base in .*data[/\\]knowledge\n$/);
  });

  it.each([
    [[], 'no question given'],
    [['--json'], 'no question given'],
    [['--nonsense', 'q'], 'unknown option --nonsense; ask accepts --json, --batch'],
    [['--json', '--batch', 'extra'], '--batch reads its questions from stdin, one a line, so it takes no question on the command line (got "extra")'],
  ])('exits 2 with one line naming the problem for %j', (args, message) => {
    const { status, stdout, stderr } = ask(args, '');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^ask: .+ usage: /);
    expect(stderr).toContain(message);
  });
});

describe('npm run eval', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/eval.ts', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

  it('scores one file given with --set, with correct, wrong, declined, one-click and refusals per kind', () => {
    const { status, stdout } = run(['--json', '--set', 'test/eval/blind/blind-1.json']);
    expect(status).toBe(0);
    const [summary, ...rest] = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({ set: 'blind/blind-1.json', inScope: 64, refusedByKind: { clinical: expect.any(Object), 'near-miss': expect.any(Object) } });
    const { correct = 0, wrong = 0, declined = 0, inScope } = summary as Record<string, number>;
    expect(correct + wrong + declined).toBe(inScope);
  });

  it('scores every set by default and refuses an unknown flag', () => {
    const { stdout } = run([]);
    expect(stdout.split('\n').map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['qa.json', 'holdout.json', 'holdout-2.json', 'blind/blind-1.json']));
    expect(run(['--bogus']).status).toBe(2);
  });
});
