import type { Host } from '../host/host';
import { parseMinor } from '../preflight/engine-version';

/** The Debian/Ubuntu packages that ship dockerd, Docker's own first. */
const ENGINE_PACKAGES = ['docker-ce', 'docker.io', 'moby-engine'];
const DPKG_STATUS = '/var/lib/dpkg/status';
const MAX_STATUS_BYTES = 32 * 1024 * 1024;

export interface InstalledEngine {
  package: string;
  version: string;
  path: string;
}

/**
 * The Engine version an offline root (an unpacked image, a mounted disk) has installed, from dpkg's record of its
 * dockerd package: its dockerd cannot be asked, and the build machine's engine says nothing about the image's.
 * Null when no installed engine package is recorded (another package manager, a static binary).
 */
export async function installedEngine(host: Host): Promise<InstalledEngine | null> {
  const text = await host.readFile(DPKG_STATUS, MAX_STATUS_BYTES).then(
    (b) => b.toString('utf8'),
    () => null,
  );
  if (text === null) return null;
  const found = new Map<string, string>();
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(stanza)?.[1]?.trim();
    const pkg = field('Package');
    const version = field('Version');
    if (!pkg || !version || !ENGINE_PACKAGES.includes(pkg) || !/\binstall ok installed\b/.test(field('Status') ?? '')) continue;
    // Debian versions carry an epoch ("5:28.5.2-1~debian.12~bookworm") that is not part of the Engine's version.
    const engineVersion = version.replace(/^\d+:/, '');
    if (parseMinor(engineVersion)) found.set(pkg, engineVersion);
  }
  const pkg = ENGINE_PACKAGES.find((p) => found.has(p));
  return pkg ? { package: pkg, version: found.get(pkg)!, path: DPKG_STATUS } : null;
}
