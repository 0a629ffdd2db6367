// `npm run build`: Concord as one JavaScript file, build/concord.cjs, with its source map beside
// it, V8's code cache for it (build/concord.cjs.cache) and the launcher `npm start` runs
// (build/main.cjs, from src/cli/launch-bundle.cjs). Bundled with esbuild rather than emitted file
// by file by tsc: Node then reads and links one file instead of about 2,000 (130 of ours, the rest
// in node_modules), which was most of the start-up time (see the README, "Start-up"). Types are
// checked by `npm run typecheck` and `npm test`, not here, so a build takes seconds. Plain
// JavaScript, because it runs before there is a build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');
const out = path.join(root, 'build');

/**
 * Source files find their neighbours through `import.meta.url` (cards/, data/knowledge/, the tab
 * pages, the PostgreSQL migrations). In one bundle every file would share the bundle's URL, so
 * each file's `import.meta.url` is rewritten to the URL its compiled file would have had in
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

/**
 * axios (botbuilder's HTTP client) touches `FormData` and `Request` as it loads, which makes Node
 * load its own fetch implementation (undici): about a tenth of Concord's start-up, for a fetch
 * adapter axios never uses in Node (it uses Node's http) and a FormData Concord never sends. Two
 * edits make those touches happen on first use instead, with the same results: the FormData
 * check reads the global when it is called, and the fetch adapter's cache, which axios also fills
 * on first use, is not filled at load. If a new axios no longer has either line, the build says
 * so and carries on (correct, slower to start).
 */
const AXIOS_LOAD_EDITS = [
  ["const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;", ''],
  ['if (FormDataCtor && thing instanceof FormDataCtor) return true;', "if (typeof G.FormData !== 'undefined' && thing instanceof G.FormData) return true;"],
  ['\ngetFetch();\n', '\n'],
];
const lazyAxiosGlobals = {
  name: 'lazy-axios-globals',
  setup(context) {
    context.onLoad({ filter: /[\\/]axios[\\/]dist[\\/]node[\\/]axios\.cjs$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const [from, to] of AXIOS_LOAD_EDITS) {
        if (contents.includes(from)) contents = contents.replace(from, to);
        else process.stderr.write(`build: axios has changed (no ${JSON.stringify(from.trim())}); it may load Node's fetch at start\n`);
      }
      return { contents, loader: 'js' };
    });
  },
};

// Only the bundle's own files are replaced; the rest of build/ (an app package made by
// `npm run package`, say) is left alone.
if (existsSync(out)) for (const name of readdirSync(out)) if (/\.(c?js|map|cache)$/.test(name)) rmSync(path.join(out, name));
await build({
  entryPoints: { concord: path.join(src, 'run-process.ts') },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  // CommonJS, because V8's code cache (below) is for classic scripts; Node 20 cannot cache an
  // ES module's compilation.
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // V8 keeps a script's source in memory: without whitespace the bundle is 6.7 MB, not 10.4 MB,
  // and resident memory 134 MB, not 146 MB. Names are not mangled (nothing renamed that a
  // package might look up by name); the source map gives stack traces their TypeScript lines.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // dtrace-provider: an optional native probe of restify's, loaded inside try/catch. pg and docx:
  // imported lazily (only with DATABASE_URL, only for a Word download), so they are read from
  // node_modules when first used instead of being parsed and held in memory on every start.
  external: ['dtrace-provider', 'pg', 'docx'],
  // The ES modules' `import.meta.url` (see keepFileUrls), in a CommonJS file.
  define: { 'import.meta.url': 'concordBundleUrl' },
  banner: { js: "var concordBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [keepFileUrls, lazyAxiosGlobals],
});
copyFileSync(path.join(src, 'cli', 'launch-bundle.cjs'), path.join(out, 'main.cjs'));
// Files read at run time, next to the code that reads them (see keepFileUrls).
for (const dir of ['server/tab/public', 'store/postgres/migrations']) cpSync(path.join(src, dir), path.join(out, dir), { recursive: true });

/**
 * The code cache: the launcher loads the bundle without starting Concord and saves what V8
 * compiled. V8 accepts a cache only from the same V8 version and flags, so it is made with the
 * Node flags of package.json's `start` script (START_COMMAND in src/cli/processes.ts is checked
 * against the same script). A failure here costs start-up time, not correctness: the launcher
 * runs without a cache.
 */
const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const startFlags = /node ((?:--\S+ )*)build\/main\.cjs/.exec(scripts.start)?.[1].trim().split(' ').filter(Boolean) ?? [];
const cached = spawnSync(process.execPath, [...startFlags, path.join(out, 'main.cjs')], {
  env: { ...process.env, CONCORD_CODE_CACHE: 'write' },
  stdio: 'inherit',
});
if (cached.status !== 0) process.stderr.write('build: the start-up code cache could not be made; Concord starts without it\n');
