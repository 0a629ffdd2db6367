// `npm run build`: Concord as one JavaScript file, build/main.js, with its source map beside it.
// Bundled with esbuild rather than emitted file by file by tsc: Node then reads and links one file
// instead of about 2,000 (130 of ours, the rest in node_modules), which was most of the start-up time (see the
// README, "Start-up"). Types are checked by `npm run typecheck` and `npm test`, not here, so a
// build takes seconds. Plain JavaScript, because it runs before there is a build.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');
const out = path.join(root, 'build');

/**
 * Source files find their neighbours through `import.meta.url` (cards/, data/knowledge/, the tab
 * pages, the PostgreSQL migrations). In one bundle every file would share build/main.js's URL,
 * so each file's `import.meta.url` is rewritten to the URL its compiled file would have had in
 * build/ (src/bot/render.ts → build/bot/render.js), and relative paths keep working unchanged.
 */
const keepFileUrls = {
  name: 'keep-file-urls',
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!args.path.startsWith(src + path.sep)) return undefined;
      const contents = await readFile(args.path, 'utf8');
      const compiled = `./${path.relative(src, args.path).split(path.sep).join('/').replace(/\.ts$/, '.js')}`;
      return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(compiled)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

// Chunk names carry a content hash, so the previous build's chunks are removed; the rest of
// build/ (an app package made by `npm run package`, say) is left alone.
if (existsSync(out)) for (const name of readdirSync(out)) if (/\.js(\.map)?$/.test(name)) rmSync(path.join(out, name));
await build({
  entryPoints: { main: path.join(src, 'main.ts') },
  outdir: out,
  bundle: true,
  // Lazily imported modules (the PostgreSQL store and its client) become their own files, read
  // only when used: a single instance on the embedded store never parses them.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // V8 keeps a script's source in memory: without whitespace the bundle is 6.7 MB, not 10.4 MB,
  // and resident memory 134 MB, not 146 MB. Names are not mangled (nothing renamed that a
  // package might look up by name); the source map gives stack traces their TypeScript lines.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // An optional native probe of restify's; it loads it inside try/catch and runs without it.
  external: ['dtrace-provider'],
  // Bundled CommonJS packages call require() for Node's own modules; an ES module has none.
  banner: { js: "import { createRequire as concordCreateRequire } from 'node:module'; const require = concordCreateRequire(import.meta.url);" },
  plugins: [keepFileUrls],
});
// Files read at run time, next to the code that reads them (see keepFileUrls).
for (const dir of ['server/tab/public', 'store/postgres/migrations']) cpSync(path.join(src, dir), path.join(out, dir), { recursive: true });
