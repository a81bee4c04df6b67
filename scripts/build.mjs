// Bundles Dockhand's own code for Node (dependencies stay in node_modules): one file per entry point, fast to start.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { cli: 'main/cli/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  define: { __DOCKHAND_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
