// The Node.js this project needs is written once: package.json's engines.node, as ">=MAJOR.MINOR.PATCH" (Electron's
// tooling sets the floor: @electron/get, @electron/rebuild and electron itself ask for 22.12, ESLint 10 for 22.13). `npm test` and .ci/run
// read it from here. Plain JavaScript: .ci/run runs it before anything is installed, on whatever Node the machine has.
//   node scripts/node-version.mjs          exit 0 when this Node is enough, else 1 with the reason on stderr
//   node scripts/node-version.mjs major    the major to install when it is not (22 for ">=22.13.0")
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
export const REQUIRED = pkg.engines.node;
const floor = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(REQUIRED)?.slice(1).map(Number);
if (!floor) throw new Error(`package.json engines.node must read ">=MAJOR.MINOR.PATCH", not ${JSON.stringify(REQUIRED)}`);
export const REQUIRED_MAJOR = floor[0];

/** Whether a Node version ("22.12.0" or "v22.12.0") is at least the floor. */
export function enough(version = process.versions.node) {
  const have = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) if (have[i] !== floor[i]) return have[i] > floor[i];
  return true;
}

/** The message when it is not. */
export function notEnough(version = process.versions.node) {
  return `Dockhand needs Node.js ${REQUIRED} (package.json engines); this is ${version}: install the newest Node.js ${REQUIRED_MAJOR} or a later one.`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'major') console.log(REQUIRED_MAJOR);
  else if (!enough()) {
    console.error(notEnough());
    process.exit(1);
  }
}
