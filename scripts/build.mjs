// `npm run build` (also run by `npm install`): everything the `dockhand` command and the desktop app run.
//  - dist/cli.cjs: the CLI (and `dockhand serve`), dependencies included, one CommonJS file: one file to read and no
//    module resolution at start-up (that alone was ~200 ms of every `dockhand` run). dockerode stays a normal
//    dependency, loaded from node_modules only for ssh:// endpoints; native addons stay external (ssh2 treats them as
//    optional), and so do ws's optional native helpers.
//  - dist/vendor/*.cjs: the libraries an audit or `disk` never runs (zod, systeminformation, yaml, ws, diff: ~2 MB, 60% of
//    the CLI's code), each its own CommonJS file that dist/cli.cjs requires when a module using it is first initialised.
//    Every `dockhand` run reads and hashes its whole bundle before it runs anything (~5 ms per MB here); the code that
//    uses these libraries is already initialised lazily (esbuild wraps the modules behind the CLI's lazy commands), so
//    only their bytes were paid for, on every run.
//  - dist/renderer/: the React UI (Vite), served by `dockhand serve` and loaded by the desktop app.
//  - dist/electron/: the desktop app's main process and preload (Electron itself is provided at run time), and the
//    tray and window icons they load.
// `node scripts/build.mjs cli` builds the CLI alone.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build as viteBuild } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const only = process.argv[2];
const define = { __DOCKHAND_VERSION__: JSON.stringify(pkg.version), 'import.meta.dirname': '__dirname' };

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // ESM builds first: jsonc-parser's UMD build resolves its modules with a dynamic require esbuild cannot follow.
  mainFields: ['module', 'main'],
  sourcemap: true,
  define,
  logLevel: 'warning',
};

/** The libraries dist/cli.cjs loads from dist/vendor/ (see above). */
const VENDOR = ['zod', 'systeminformation', 'yaml', 'ws', 'diff'];
const VENDOR_FILTER = new RegExp(`^(${VENDOR.join('|')})$`);
const cliExternal = ['dockerode', 'cpu-features', '*.node', 'bufferutil', 'utf-8-validate'];

/**
 * In dist/cli.cjs, each vendored library is a one-line CommonJS module requiring its file: bundled as a module (not
 * marked external), so `await import('systeminformation')` stays a lazy require rather than becoming a dynamic
 * import(), which the code-cached bundle cannot run (bin/dockhand.cjs).
 */
const vendorShims = {
  name: 'vendor-shims',
  setup(b) {
    b.onResolve({ filter: VENDOR_FILTER }, (args) => ({ path: args.path, namespace: 'vendor-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'vendor-shim' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./vendor/${args.path}.cjs`)});`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^\.\/vendor\//, namespace: 'vendor-shim' }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * Makes a bundle pure ASCII. esbuild escapes strings but leaves regular expressions and comments as written (`µs` in
 * Go's duration grammar, localised state names, `→` in doc comments), and one such character makes Node decode the
 * whole file as UTF-8 into a two-byte string: ~7 ms of every run for dist/cli.cjs, against ~2 ms for ASCII read as
 * latin1 (bin/dockhand.cjs). A \\uXXXX escape means the same character in a regular expression (with or without the u
 * flag, surrogate pairs included) and changes nothing in a comment; strings were already escaped. Only the columns
 * after it on those few lines move in the source map.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

async function buildCli() {
  await Promise.all([
    build({
      ...common,
      entryPoints: { cli: 'main/cli/index.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
      external: cliExternal,
      plugins: [vendorShims],
    }),
    build({
      ...common,
      // Each library whole, as its own CommonJS module (its exports object is what the shim hands on).
      entryPoints: Object.fromEntries(VENDOR.map((name) => [name, `vendor-entry:${name}`])),
      outdir: 'dist/vendor',
      outExtension: { '.js': '.cjs' },
      external: cliExternal,
      plugins: [
        {
          name: 'vendor-entries',
          setup(b) {
            b.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
              path: args.path.slice('vendor-entry:'.length),
              namespace: 'vendor-entry',
            }));
            b.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({
              contents: `module.exports = require(${JSON.stringify(args.path)});`,
              loader: 'js',
              resolveDir: process.cwd(),
            }));
          },
        },
      ],
    }),
  ]);
  asciiOnly('dist/cli.cjs');
  for (const name of readdirSync('dist/vendor')) if (name.endsWith('.cjs')) asciiOnly(`dist/vendor/${name}`);
}

async function buildRenderer() {
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
}

async function buildElectron() {
  await build({
    ...common,
    entryPoints: { main: 'main/electron/main.ts', preload: 'main/electron/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
    // Electron's Node is newer than ours; its own modules come from the runtime.
    target: 'node22',
    external: ['electron', 'dockerode', 'cpu-features', '*.node'],
  });
  mkdirSync('dist/electron/tray', { recursive: true });
  cpSync('build/tray', 'dist/electron/tray', { recursive: true });
}

if (only === 'cli') await buildCli();
else await Promise.all([buildCli(), buildRenderer(), buildElectron()]);
