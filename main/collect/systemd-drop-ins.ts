import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import type { Fact } from '../../shared/fact';
import type { IgnoredDropIn, ServiceDropInsFact, ServiceUnitStateFact } from '../../shared/facts/systemd';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { failure } from './context';
import { parseUnitText, SYSTEM_UNIT_DIRS, type UnitAssignment } from './systemd-unit';

const MAX_DROPIN_BYTES = 256 * 1024;
const SYSTEMCTL_TIMEOUT_MS = 5_000;

/** The sections a service unit has (systemd.service(5)); "X-" sections are ignored by design, without a warning. */
const SERVICE_SECTIONS = new Set(['Unit', 'Service', 'Install']);

const UNIT_TYPES = new Set(['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope']);

/** Places admins put a docker.service.d by mistake: systemd reads none of them. */
const NOT_SEARCHED = ['/etc/systemd', '/etc/docker', '/lib/systemd', '/usr/lib/systemd', '/usr/local/lib/systemd'];

/** Editor and package-manager leftovers: ignored by systemd, and meant to be. */
const BACKUP = /(~|\.(bak|backup|orig|old|save|swp|dpkg-[a-z]+|rpmsave|rpmnew|ucf-[a-z]+))$/i;

async function entries(host: Host, dir: string): Promise<string[]> {
  try {
    return await host.readDir(dir);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return [];
    throw error;
  }
}

async function text(host: Host, file: string): Promise<string | null> {
  try {
    return (await host.readFile(file, MAX_DROPIN_BYTES)).toString('utf8');
  } catch (error) {
    // A directory or a file that vanished: nothing systemd could apply either.
    if (error instanceof HostError && (error.code === 'not-found' || error.code === 'malformed')) return null;
    throw error;
  }
}

/** A setting by name only: Environment= values (proxy URLs with passwords) never enter the facts. */
function settingName(a: UnitAssignment): string {
  if (a.key !== 'Environment') return a.key;
  const names = a.value
    .split(/\s+/)
    .map((w) => w.replace(/^["']/, '').split('=')[0])
    .filter(Boolean);
  return `Environment (${names.join(', ')})`;
}

/**
 * A drop-in directory name meant for `unit` but naming no unit systemd has: "docker.service.d" misspelt, or written for
 * the program ("dockerd.service.d"). A directory for another real unit (docker.socket.d) is that unit's.
 */
function meantFor(dirName: string, unit: string, units: ReadonlySet<string>): boolean {
  if (!dirName.endsWith('.d') || dirName === `${unit}.d`) return false;
  const named = dirName.slice(0, -2);
  // A unit's own directory, a per-type one (service.d) or a prefix one (docker-.service.d) is read by systemd.
  if (units.has(named) || UNIT_TYPES.has(named) || /-\.[a-z]+$/.test(named)) return false;
  return /docker/i.test(named) || distance(dirName, `${unit}.d`) <= 2;
}

/**
 * The drop-ins of `unit` that systemd applies and those it silently ignores. systemd logs the latter once, at load,
 * and then behaves as if they were not there: the proxy or flag they set never reaches dockerd.
 */
export async function collectServiceDropIns(host: Host, unit = 'docker.service'): Promise<Fact<ServiceDropInsFact>> {
  const looked: string[] = [];
  const applied: string[] = [];
  const ignored: IgnoredDropIn[] = [];
  const sources: Source[] = [];
  try {
    const units = new Set<string>();
    const dropInDirs: { dir: string; name: string }[] = [];
    const listings = await Promise.all(SYSTEM_UNIT_DIRS.map((dir) => entries(host, dir)));
    SYSTEM_UNIT_DIRS.forEach((dir, i) => {
      for (const name of listings[i]!) {
        if (name.endsWith('.d')) dropInDirs.push({ dir, name });
        else units.add(name);
      }
    });
    const unread = async (dir: string, why: string) => {
      looked.push(host.displayPath(dir));
      for (const name of (await entries(host, dir)).sort()) {
        const file = path.posix.join(dir, name);
        const content = await text(host, file);
        const settings = content === null ? [] : parseUnitText(content, file).map(settingName);
        if (settings.length > 0)
          ignored.push({ path: host.displayPath(file), line: null, reason: 'unread-directory', detail: why, settings });
      }
    };
    // Same-named drop-ins: the one in the higher-priority directory masks the others (systemd.unit(5)).
    const seen = new Set<string>();
    for (const { dir, name } of dropInDirs) {
      const full = path.posix.join(dir, name);
      if (name !== `${unit}.d`) {
        if (meantFor(name, unit, units))
          await unread(full, `systemd reads drop-ins for ${unit} only from ${unit}.d/; no unit is called ${name.slice(0, -2)}`);
        continue;
      }
      looked.push(host.displayPath(full));
      for (const file of (await entries(host, full)).sort()) {
        const filePath = path.posix.join(full, file);
        if (!file.endsWith('.conf')) {
          const content = BACKUP.test(file) ? null : await text(host, filePath);
          const settings = content === null ? [] : parseUnitText(content, filePath).map(settingName);
          if (settings.length > 0)
            ignored.push({
              path: host.displayPath(filePath),
              line: null,
              reason: 'not-conf',
              detail: `systemd reads only files ending in ".conf" from ${unit}.d/`,
              settings,
            });
          continue;
        }
        if (seen.has(file)) continue;
        seen.add(file);
        const content = await text(host, filePath);
        if (content === null) continue;
        applied.push(host.displayPath(filePath));
        sources.push({ kind: 'file', path: host.displayPath(filePath) });
        const assignments = parseUnitText(content, filePath);
        const outside = assignments.filter((a) => a.section === '');
        const unknown = assignments.filter((a) => a.section !== '' && !SERVICE_SECTIONS.has(a.section) && !a.section.startsWith('X-'));
        if (outside.length > 0) {
          ignored.push({
            path: host.displayPath(filePath),
            line: outside[0]!.line,
            reason: 'outside-section',
            detail: 'settings before any [Section] header: systemd ignores them ("Assignment outside of section")',
            settings: outside.map(settingName),
          });
        }
        for (const section of new Set(unknown.map((a) => a.section))) {
          const inSection = unknown.filter((a) => a.section === section);
          ignored.push({
            path: host.displayPath(filePath),
            line: inSection[0]!.line,
            reason: 'unknown-section',
            detail: `[${section}] is not a section of a service (section names are case-sensitive: [Unit], [Service], [Install])`,
            settings: inSection.map(settingName),
          });
        }
      }
    }
    for (const dir of NOT_SEARCHED) {
      for (const name of await entries(host, dir)) {
        if (name === `${unit}.d` || meantFor(name, unit, units))
          await unread(path.posix.join(dir, name), `${dir} is not in systemd's unit search path (${SYSTEM_UNIT_DIRS.join(', ')})`);
      }
    }
  } catch (error) {
    return failure(error, sources);
  }
  // With /lib a link to /usr/lib (merged /usr) one file is seen under both names: reported once.
  const unique = new Map(ignored.map((i) => [`${i.reason}|${i.path.split('/').slice(-2).join('/')}|${i.line}`, i]));
  if (sources.length === 0)
    sources.push({ kind: 'default', detail: `looked for ${unit} drop-ins in ${[...SYSTEM_UNIT_DIRS, ...NOT_SEARCHED].join(', ')}` });
  return { ok: true, value: { unit, applied, ignored: [...unique.values()], looked }, sources };
}

/** `systemctl show` prints one Property=value per line (systemctl(1)); DropInPaths is space-separated. */
function parseSystemctlShow(output: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 1).trimEnd());
  }
  return props;
}

/** systemd's own record of the unit. Only a host where systemd is PID 1 (sd_booted: /run/systemd/system exists) has one. */
export async function collectServiceUnitState(host: Host, unit = 'docker.service'): Promise<Fact<ServiceUnitStateFact>> {
  const args = ['show', unit, '--property=LoadState,NeedDaemonReload,FragmentPath,DropInPaths'];
  const sources: Source[] = [{ kind: 'command', command: `systemctl ${args.join(' ')}` }];
  if (host.kind === 'rootfs') return failure(new HostError('unsupported', 'an offline root has no running systemd to ask'), sources);
  const booted = await host.stat('/run/systemd/system').then(
    (s) => s.isDirectory,
    () => false,
  );
  if (!booted) return failure(new HostError('unsupported', 'systemd is not the init system here (no /run/systemd/system)'), sources);
  try {
    const result = await host.run('systemctl', args, { timeoutMs: SYSTEMCTL_TIMEOUT_MS, maxBytes: 64 * 1024 });
    if (result.code !== 0)
      throw new HostError(
        result.timedOut ? 'timeout' : 'failed',
        `systemctl show ${unit} failed: ${result.stderr.trim() || `exit ${result.code}`}`,
      );
    const props = parseSystemctlShow(result.stdout);
    const need = props.get('NeedDaemonReload');
    if (need !== 'yes' && need !== 'no') throw new HostError('malformed', `systemctl show ${unit} gave no NeedDaemonReload=yes|no`);
    return {
      ok: true,
      sources,
      value: {
        unit,
        loadState: props.get('LoadState') || null,
        needDaemonReload: need === 'yes',
        fragmentPath: props.get('FragmentPath') || null,
        dropInPaths: (props.get('DropInPaths') ?? '').split(/\s+/).filter(Boolean),
      },
    };
  } catch (error) {
    return failure(error, sources);
  }
}
