#!/usr/bin/env node
// Entry point for `npx dockhand`: runs the bundle `npm install` builds (npm run build). CommonJS on purpose: an ES
// module importing the CommonJS bundle makes Node scan all of it for export names first (~90 ms per run).
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('dockhand: not built yet: run `npm install` (or `npm run build`) in the Dockhand checkout first.\n');
  process.exit(2);
}
require(bundle);
