/**
 * `npm run bench`: every benchmark, one after another (they would skew each other in parallel on
 * two cores). `npm run --silent bench -- --json` prints one JSON object: { metrics, machine, at }.
 * `--only qa,votes` runs a subset.
 */
import os from 'node:os';
import { benchCollaboratives } from './collaboratives.js';
import { benchConversations } from './conversations.js';
import { benchPostgresVotes } from './postgres-votes.js';
import { benchQa } from './qa.js';
import { benchStartup } from './startup.js';
import { benchStore } from './store.js';
import { benchVotes } from './votes.js';

const BENCHMARKS: Record<string, () => Promise<Record<string, number>>> = {
  qa: benchQa,
  store: benchStore,
  votes: benchVotes,
  startup: benchStartup,
  postgres: benchPostgresVotes,
  conversations: benchConversations,
  collaboratives: benchCollaboratives,
};

/** Printed under the table, so a run reads on its own (README "Performance" has the targets). */
const LEGEND = [
  'How to read this: *_ms are wall-clock milliseconds seen by the bench client, which shares the CPU with Concord, so',
  'they move with the machine\'s load (printed above; a load average above the core count means requests queue for',
  'the CPU). *_over_echo and *_over_fsync are ratios to baselines measured in the same run, interleaved with the votes:',
  'an echo bot on the same server and adapter, and a bare write+fsync in the store\'s directory. Compare runs by those.',
  'vote.reply_bytes is the invoke reply to one voter in a 200-member poll; Teams refuses a card over about 28,672 B.',
  'vote.lost and vote.doubled must be 0. rss.* are megabytes resident after start-up and a few questions.',
].join('\n');

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : Object.keys(BENCHMARKS);
const unknown = only.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}\n`);
  process.exit(2);
}

const metrics: Record<string, number> = {};
const loadAtStart = os.loadavg().map((load) => Math.round(load * 100) / 100);
for (const name of only) {
  const started = performance.now();
  if (!json) process.stdout.write(`${name} ...`);
  Object.assign(metrics, await BENCHMARKS[name]!());
  if (!json) process.stdout.write(` ${Math.round(performance.now() - started)} ms\n`);
}

const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart, loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100) };
if (json) {
  process.stdout.write(`${JSON.stringify({ metrics, machine, at: new Date().toISOString() })}\n`);
} else {
  const width = Math.max(...Object.keys(metrics).map((key) => key.length));
  for (const [key, value] of Object.entries(metrics)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
  process.stdout.write(`\n${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')} at the start, ${machine.loadAverage.join(' ')} at the end\n`);
  process.stdout.write(`${LEGEND}\n`);
}
process.exit(0);
