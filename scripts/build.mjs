// Bundles the CLI, dependencies included, into one CommonJS file: one file to read and no module resolution at
// start-up (that alone was ~200 ms of every `dockhand` run). dockerode stays a normal dependency, loaded from
// node_modules only for ssh:// endpoints; native addons stay external (ssh2 treats them as optional).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { cli: 'main/cli/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ESM builds first: jsonc-parser's UMD build resolves its modules with a dynamic require esbuild cannot follow.
  mainFields: ['module', 'main'],
  external: ['dockerode', 'cpu-features', '*.node'],
  sourcemap: true,
  define: { __DOCKHAND_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
