#!/usr/bin/env node
// Entry point for `npx dockhand`: runs the bundle `npm install` builds (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('dockhand: not built yet: run `npm install` (or `npm run build`) in the Dockhand checkout first.\n');
  process.exit(2);
}
await import(bundle);
