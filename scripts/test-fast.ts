// `npm run test:fast [-- words]`: the fast tier (scripts/test-tiers.ts), the test files that need no root, dockerd,
// Chromium, sshd or build. They run in this one process, each file as a suite named by its path: node --test starts a
// process per file, and loading Node, tsx and the shared modules again for each file was half the tier's CPU (61 files:
// 37 s of CPU as a process each, 19 s in one; node 20: 65 s against 19 s), which is what counts on a busy two-core
// machine. No type-check and no build: `npm test` does both.
import path from 'node:path';
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fastTests, findTests } from './test-tiers';

const root = path.resolve(import.meta.dirname, '..');
const all = findTests(root, process.argv.slice(2));
const files = fastTests(all, root);
if (files.length === 0) {
  console.error(all.length === 0 ? 'no test files found' : `none of ${all.length} test files is in the fast tier: ${all.join(', ')}`);
  process.exit(1);
}
console.log(
  `fast tier: ${files.length} of ${all.length} test files (the others need root, dockerd, Chromium, sshd or a build; \`node --import tsx scripts/test-tiers.ts\` says which)`,
);
for (const file of files) describe(file, () => import(pathToFileURL(path.join(root, file)).href));
