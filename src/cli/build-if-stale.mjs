// `npm start`'s first step: compiles src/ into build/ only when a source changed since the last
// build, so a start of an unchanged tree costs a few milliseconds instead of a TypeScript build.
// Plain JavaScript, because it runs before there is a build. "Changed" is by modification time:
// any file or folder under src/ (a folder's time changes when a file is added, removed or
// renamed), or package.json, package-lock.json or either tsconfig.json, newer than the stamp
// that a successful build leaves in build/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = path.join(root, 'build', '.build-stamp');
const inputs = ['src', 'package.json', 'package-lock.json', 'tsconfig.json'].map((name) => path.join(root, name));

/** The newest modification time under the given files and folders, in milliseconds. */
function newest(paths) {
  let latest = 0;
  const pending = [...paths];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!existsSync(current)) continue;
    const stats = statSync(current);
    latest = Math.max(latest, stats.mtimeMs);
    if (stats.isDirectory()) for (const name of readdirSync(current)) pending.push(path.join(current, name));
  }
  return latest;
}

const stale = !existsSync(stamp) || !existsSync(path.join(root, 'build', 'main.cjs')) || newest(inputs) > statSync(stamp).mtimeMs;
if (stale) {
  process.stderr.write('Building Concord (src/ changed since the last build)...\n');
  const startedAt = new Date();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // Dated when the build began, so a source saved during the build makes the next start build again.
  writeFileSync(stamp, `${startedAt.toISOString()}\n`);
  utimesSync(stamp, startedAt, startedAt);
}
