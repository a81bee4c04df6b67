// `npm run build` (also run by `npm install`): everything the `dockhand` command and the desktop app run.
//  - dist/cli.cjs: the CLI (and `dockhand serve`), dependencies included, one CommonJS file: one file to read and no
//    module resolution at start-up (that alone was ~200 ms of every `dockhand` run). dockerode stays a normal
//    dependency, loaded from node_modules only for ssh:// endpoints; native addons stay external (ssh2 treats them as
//    optional), and so do ws's optional native helpers.
//  - dist/renderer/: the React UI (Vite), served by `dockhand serve` and loaded by the desktop app.
//  - dist/electron/: the desktop app's main process and preload (Electron itself is provided at run time), and the
//    tray and window icons they load.
// `node scripts/build.mjs cli` builds the CLI alone.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
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

async function buildCli() {
  await build({
    ...common,
    entryPoints: { cli: 'main/cli/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    external: ['dockerode', 'cpu-features', '*.node', 'bufferutil', 'utf-8-validate'],
  });
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
