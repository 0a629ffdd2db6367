'use strict';
// `npm start` runs this file as build/main.cjs (src/cli/build.mjs copies it there). It runs the
// bundle build/concord.cjs with V8's code cache, build/concord.cjs.cache, which `npm run build`
// makes: V8 then skips parsing and compiling the 7 MB bundle on every start. Node 20 has no
// compile cache of its own (`module.enableCompileCache` is Node 22's), and V8 accepts a cache
// only for a classic script, so the bundle is CommonJS, run through `vm.Script` as Node's own
// CommonJS loader would run it. Plain JavaScript: it runs before anything else is loaded.
//
// With CONCORD_CODE_CACHE=write (the build's last step) it loads the bundle, writes the cache and
// exits without starting Concord.
const { isAscii } = require('node:buffer');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, 'concord.cjs');
const cacheFile = `${bundle}.cache`;

/** Runs the bundle's top level through vm.Script with the cache, as Node's CommonJS loader would run it; returns its exports and the script. */
function loadWithCodeCache(useCache) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // No cache (a build from before caches, or a failed cache step): start without it, slower.
    }
  }
  // esbuild writes ASCII (it escapes everything else), and decoding 7 MB as Latin-1 is several
  // times faster than as UTF-8, with the same result for ASCII. Checked, not assumed.
  const bytes = readFileSync(bundle);
  const script = new vm.Script(Module.wrap(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')), { filename: bundle, cachedData });
  if (cachedData && script.cachedDataRejected) {
    // Made by another Node or V8 version, or with other V8 flags: correct but slower.
    process.stderr.write('Concord: the start-up code cache in build/ does not fit this Node; `npm run build` remakes it.\n');
  }
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  script.runInThisContext().call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, __dirname);
  return { exports: bundleModule.exports, script };
}

if (process.env.CONCORD_CODE_CACHE === 'write') {
  // After the bundle's top level ran: the cache then also holds every function compiled on the
  // way (each package's set-up code), not only the outer script. Temporary file and rename, so a
  // start never reads half a cache.
  const { script } = loadWithCodeCache(false);
  writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
  renameSync(`${cacheFile}.tmp`, cacheFile);
  process.exit(0);
} else if (process.sourceMapsEnabled) {
  // Node applies source maps (`--enable-source-maps`, TypeScript lines in stack traces) only to
  // files its own loader reads, not to a vm.Script: then the bundle is required as usual, uncached.
  require(bundle).runConcordProcess();
} else {
  loadWithCodeCache(true).exports.runConcordProcess();
}
