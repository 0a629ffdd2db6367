/**
 * The vote bench's load generator, run in a process of its own: an HTTP client sending 200 requests
 * a second spends about as much CPU as the server answering them, and on the same event loop it
 * would queue Concord's turns behind its own work and count that wait as Concord's latency.
 *
 * Protocol: one JSON job per line on stdin, `{ url, arrival, intervalMs, bodies }`; one JSON line
 * on stdout per job, the results in the order of `bodies`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { post } from '../support/activities.js';

/**
 * Spread: one request every `intervalMs`; burst: all at the same instant; one-by-one: each sent when
 * the previous one is answered, so every vote is a group commit of its own however loaded the machine.
 */
export type Arrival = 'spread' | 'burst' | 'one-by-one';

export interface Job {
  url: string;
  arrival: Arrival;
  intervalMs: number;
  bodies: unknown[];
}

export interface Sent {
  ms: number;
  status: number;
  /** Size of the reply body (for a vote, the card the voter gets back). */
  bytes: number;
  /** The reply body, for the caller to read what was acknowledged. */
  body: unknown;
}

async function sendOne(url: string, body: unknown): Promise<Sent> {
  const startedAt = performance.now();
  const response = await post(url, body);
  const ms = performance.now() - startedAt;
  return { ms, status: response.status, bytes: Buffer.byteLength(JSON.stringify(response.body ?? '')), body: response.body };
}

async function sendRound(job: Job): Promise<Sent[]> {
  if (job.arrival === 'one-by-one') {
    const sent: Sent[] = [];
    for (const body of job.bodies) sent.push(await sendOne(job.url, body));
    return sent;
  }
  const roundStart = performance.now();
  return Promise.all(job.bodies.map(async (body, index) => {
    if (job.arrival === 'spread') {
      const due = roundStart + index * job.intervalMs;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    return sendOne(job.url, body);
  }));
}

/** The parent's handle on a load-generator process: one round at a time. */
export class LoadClient {
  private readonly pending: { resolve: (results: Sent[]) => void; reject: (error: Error) => void }[] = [];

  private constructor(private readonly child: ChildProcess) {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => this.pending.shift()?.resolve(JSON.parse(line) as Sent[]));
    child.once('exit', (code) => {
      for (const waiting of this.pending.splice(0)) waiting.reject(new Error(`bench load client exited (${code})`));
    });
  }

  static start(): LoadClient {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--import', 'tsx', self], { cwd: path.resolve(path.dirname(self), '../..'), stdio: ['pipe', 'pipe', 'inherit'] });
    return new LoadClient(child);
  }

  round(job: Job): Promise<Sent[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin!.write(`${JSON.stringify(job)}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    await exited;
  }
}

// Run as the child: answer jobs until stdin closes.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    process.stdout.write(`${JSON.stringify(await sendRound(JSON.parse(line) as Job))}\n`);
  }
}
