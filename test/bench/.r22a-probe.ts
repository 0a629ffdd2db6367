import { seed } from './store.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import { pino } from 'pino';
const dir = process.argv[2]!;
if (process.argv[3] === 'seed') await seed(dir);
const logger = pino({ level: 'info' });
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  const store = await openFileStore({ dataDir: dir, logger });
  const opened = performance.now() - t;
  global.gc?.();
  const m = process.memoryUsage();
  console.log(JSON.stringify({ run: i, openMs: Math.round(opened), heapMb: Math.round(m.heapUsed / 1e6), rssMb: Math.round(m.rss / 1e6) }));
  const t2 = performance.now();
  const all = await store.listOutcomes();
  const t3 = performance.now();
  const found = await store.listOutcomes({ text: 'seed-1999', limit: 20 });
  console.log(JSON.stringify({ listAllMs: Math.round(t3 - t2), n: all.length, searchMs: Math.round(performance.now() - t3), found: found.length }));
  const tc = performance.now();
  await store.close();
  console.log(JSON.stringify({ closeMs: Math.round(performance.now() - tc) }));
}
