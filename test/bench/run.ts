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
for (const name of only) {
  const started = performance.now();
  if (!json) process.stdout.write(`${name} ...`);
  Object.assign(metrics, await BENCHMARKS[name]!());
  if (!json) process.stdout.write(` ${Math.round(performance.now() - started)} ms\n`);
}

const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100) };
if (json) {
  process.stdout.write(`${JSON.stringify({ metrics, machine, at: new Date().toISOString() })}\n`);
} else {
  const width = Math.max(...Object.keys(metrics).map((key) => key.length));
  for (const [key, value] of Object.entries(metrics)) process.stdout.write(`${key.padEnd(width)}  ${value}\n`);
  process.stdout.write(`\n${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverage.join(' ')}\n`);
}
process.exit(0);
