#!/usr/bin/env node
// Entry point for `npx dockhand`: runs the bundle `npm install` builds (npm run build). CommonJS on purpose: an ES
// module importing the CommonJS bundle makes Node scan all of it for export names first (~90 ms per run).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('dockhand: not built yet: run `npm install` (or `npm run build`) in the Dockhand checkout first.\n');
  process.exit(2);
}

/**
 * A per-user directory for V8's code cache, or null when it is not safe to use: the cache is bytecode this process
 * will run (as root, often), so it must live in a directory only this user can write.
 */
function cacheDir() {
  if (process.env.DOCKHAND_NO_COMPILE_CACHE) return null;
  try {
    const os = require('node:os');
    const base =
      process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : null) || path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'dockhand', 'compile-cache');
    // Made only the first time: a recursive mkdir of a path that exists still walks it (~2 ms of every run).
    let st = fs.statSync(dir, { throwIfNoEntry: false });
    if (!st) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      st = fs.statSync(dir);
    }
    if (!st.isDirectory()) return null;
    if (process.platform !== 'win32' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return null;
    return dir;
  } catch {
    return null;
  }
}

/**
 * The command this run is for, which names its cache: a cache holds the functions the run that wrote it compiled, so
 * `disk` run from a cache written by `audit` would compile its own code anew on every run.
 */
function commandName() {
  const word = process.argv.slice(2).find((a) => !a.startsWith('-'));
  return word && /^[a-z][a-z-]{0,30}$/.test(word) ? word : 'other';
}

/**
 * Runs the bundle from V8's code cache when one matches (Node 22's module.enableCompileCache does the same): compiling
 * the bundle and its lazily compiled functions is a fixed ~30 ms of every run. The cache is written at exit, after the
 * run compiled what it needed; V8 itself rejects a cache made from other source or by another V8.
 */
function runCached(dir) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const stat = fs.statSync(bundle);
  const build = `${process.version}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}`;
  const file = path.join(dir, `${build}-${commandName()}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  // latin1: the build makes the bundle pure ASCII (scripts/build.mjs, asciiOnly), which reads the same either way, and
  // skipping UTF-8 validation of 1.4 MB is ~2 ms of every run.
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'latin1')), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
        // Caches of earlier builds are dead weight: each rebuild has a new size or mtime.
        for (const name of fs.readdirSync(dir))
          if (name.endsWith('.bin') && !name.startsWith(`${build}-`)) fs.rmSync(path.join(dir, name), { force: true });
      } catch {
        // A cache that cannot be written only costs the next run its start-up time.
      }
    });
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const moduleRequire = Module.createRequire(bundle);
  script.runInThisContext()(mod.exports, moduleRequire, mod, bundle, path.dirname(bundle));
}

const dir = cacheDir();
if (dir) runCached(dir);
else require(bundle);
