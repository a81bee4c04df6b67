// `npm test`: makes sure what the tests need is installed (dockerd, busybox-static, Chromium for the UI's end-to-end
// tests), then checks the import layers, type-checks (every tsconfig), builds (CLI, renderer, desktop shell), runs every
// test with node's test runner and says how long each file took. Tests start their own private dockerd; nothing is
// skipped when a part is missing. It runs under tsx (package.json) for scripts/test-tiers.ts, which finds the test files.
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { installEngines } from './install-engines.mjs';
import { enough, notEnough } from './node-version.mjs';
import { findTests } from './test-tiers.ts';

const APT_PACKAGES = {
  dockerd: 'docker.io',
  '/bin/busybox': 'busybox-static',
  unshare: 'util-linux',
  docker: 'docker.io',
  chattr: 'e2fsprogs',
  setpriv: 'util-linux',
  nsenter: 'util-linux',
  // The firewall collector reads `nft list ruleset` where iptables-save is missing; its test flushes rules with nft.
  nft: 'nftables',
  // Debian's Chromium drives the browser tests (Playwright's own browser download cannot run here), with real fonts.
  '/usr/bin/chromium': 'chromium',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf': 'fonts-liberation',
};

function has(tool) {
  if (tool.startsWith('/')) {
    try {
      return statSync(tool).isFile();
    } catch {
      return false;
    }
  }
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function ensurePrerequisites() {
  const missing = [
    ...new Set(
      Object.entries(APT_PACKAGES)
        .filter(([tool]) => !has(tool))
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `The tests need ${missing.join(', ')} (Debian packages) and root to run a private dockerd. Install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} ...`);
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!enough()) {
  console.error(notEnough());
  process.exit(1);
}
ensurePrerequisites();
// Engines 26.1 and 28.5 beside the system's 20.10 (cached under /opt/dockhand-engines): a failure here fails the run.
for (const [name, dockerd] of Object.entries(installEngines())) console.log(`engine ${name}: ${dockerd}`);
if (process.getuid?.() !== 0) {
  console.error('The tests start private dockerd instances and must run as root.');
  process.exit(1);
}
// Style, lint (its type-aware rules read the same three projects the type-check does), then the layers and no import
// cycles (.dependency-cruiser.cjs): a moved module fails there before the type-check.
run('npm', ['run', '--silent', 'format:check']);
run('npm', ['run', '--silent', 'lint']);
run('npm', ['run', '--silent', 'lint:deps']);
for (const project of ['.', 'renderer', 'e2e']) run('npx', ['tsc', '-p', project]);
run('node', ['scripts/build.mjs']);
const files = findTests('.', process.argv.slice(2));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// spec for the run, then each file's time (scripts/test-durations.mjs), both on stdout.
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-durations.mjs',
  '--test-reporter-destination=stdout',
];
const since = String(Date.now());
const suite = spawnSync('node', ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...files], { stdio: 'inherit' });
// Last, whatever the tests' outcome: nothing of this run may be left running, mounted or on disk.
const leftovers = spawnSync('node', ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/suite-leftovers.ts'], {
  stdio: 'inherit',
  env: { ...process.env, DOCKHAND_SUITE_SINCE: since },
});
if (suite.status !== 0 || leftovers.status !== 0) process.exit(suite.status || leftovers.status || 1);
