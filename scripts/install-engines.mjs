// The Docker engines the tests run on, side by side: Debian bookworm's docker.io (Engine 20.10, /usr/sbin/dockerd,
// installed by apt like any other prerequisite) and the newer docker.io builds of trixie (26.1) and sid (28.5), which
// run on bookworm with bookworm's containerd. The newer ones are never installed as packages (that would upgrade the
// system's docker): their suites are added with a low pin priority so nothing else moves, each .deb is downloaded and
// unpacked into its own folder under ENGINES_DIR, named by its version, with a link per suite. A folder that is already
// there is used as it is (the cache): no network on a second run.
//
// Run as root: `node scripts/install-engines.mjs` prints the engines, one `name version dockerd` line each.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root-owned, outside the repo and /tmp: the root helper's tests prove a dockerd by its binary's owner and folder. */
export const ENGINES_DIR = '/opt/dockhand-engines';

/** The suites whose docker.io is unpacked, by the engine name the tests use. */
export const UNPACKED = { 26.1: 'trixie', 28.5: 'sid' };

const sourceFile = (suite) => `/etc/apt/sources.list.d/dockhand-${suite}.sources`;
const pinFile = (suite) => `/etc/apt/preferences.d/dockhand-${suite}`;

function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, ...options });
}

/** The folder an engine was unpacked into, through its suite link; null when it is not there yet. */
export function unpackedEngine(name) {
  const link = path.join(ENGINES_DIR, UNPACKED[name]);
  try {
    const dir = path.join(ENGINES_DIR, readlinkSync(link));
    return existsSync(path.join(dir, 'usr/sbin/dockerd')) ? dir : null;
  } catch {
    return null;
  }
}

function addSuite(suite) {
  writeFileSync(
    sourceFile(suite),
    `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${suite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  // Pinned below bookworm's 500: nothing is ever upgraded from these suites unless asked for by -t.
  writeFileSync(pinFile(suite), `Package: *\nPin: release n=${suite}\nPin-Priority: 100\n`);
}

function install(name) {
  const suite = UNPACKED[name];
  const work = mkdtempSync(path.join(os.tmpdir(), `engine-${suite}-`));
  // apt downloads as _apt: it must be able to write here.
  chmodSync(work, 0o755);
  try {
    sh('apt-get', ['download', '-q', '-t', suite, 'docker.io'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download -t ${suite} docker.io gave no .deb`);
    const version = sh('dpkg-deb', ['-f', path.join(work, deb), 'Version']).trim();
    const dir = path.join(ENGINES_DIR, version.replace(/[^A-Za-z0-9.+~-]/g, '_'));
    if (!existsSync(path.join(dir, 'usr/sbin/dockerd'))) {
      const tmp = `${dir}.partial`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp, { recursive: true, mode: 0o755 });
      sh('dpkg-deb', ['-x', path.join(work, deb), tmp]);
      renameSync(tmp, dir);
    }
    const link = path.join(ENGINES_DIR, suite);
    rmSync(link, { force: true });
    symlinkSync(path.basename(dir), link);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function installEngines() {
  const missing = Object.keys(UNPACKED).filter((name) => !unpackedEngine(name));
  if (missing.length > 0) {
    if (process.getuid?.() !== 0)
      throw new Error(
        `Engines ${missing.join(', ')} are not installed under ${ENGINES_DIR}: run \`sudo node scripts/install-engines.mjs\``,
      );
    mkdirSync(ENGINES_DIR, { recursive: true, mode: 0o755 });
    for (const name of missing) addSuite(UNPACKED[name]);
    sh('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (const name of missing) install(name);
  }
  const engines = { '20.10': '/usr/sbin/dockerd' };
  for (const name of Object.keys(UNPACKED)) {
    const dir = unpackedEngine(name);
    if (!dir) throw new Error(`engine ${name} did not install under ${ENGINES_DIR}`);
    engines[name] = path.join(dir, 'usr/sbin/dockerd');
  }
  return engines;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, dockerd] of Object.entries(installEngines())) {
    const version = sh(dockerd, ['--version']).trim();
    console.log(`${name} ${version} ${dockerd}`);
  }
}
