import path from 'node:path';
import { getNodeValue } from 'jsonc-parser';
import type { Fact } from '../../shared/fact';
import type { DaemonConfigFile, DaemonFlags } from '../../shared/facts';
import type { FileStatFact } from '../../shared/facts/host-files';
import type { Source } from '../../shared/source';
import type { FileStat, Host } from '../host/host';
import { parseDockerdFlags } from '../preflight/dockerd-flags';
import { formatMinor, NEWEST_KNOWN } from '../preflight/engine-version';
import { parseJsonDocument } from '../preflight/json-document';
import { OptionIndex } from '../preflight/option-index';
import { type CollectContext, failure } from './context';
import { parseUnitText, SYSTEM_UNIT_DIRS, unitDropIns } from './systemd-unit';
import { FILE_ROLES, type FileRole } from '../../shared/facts/file-roles';
import { linuxOnly, isNotFound, readOptional } from './host-text';

/** certs.d normally holds a handful of registries; a runaway tree must not stall the audit. */
const MAX_CERT_ENTRIES = 500;
const BINARY_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];

/** The daemon settings the file list needs, from dockerd's flags (which win) and daemon.json. */
interface DaemonSettings {
  get(key: string): unknown;
  flags: readonly string[];
}

function daemonSettings(flags: Fact<DaemonFlags>, config: Fact<DaemonConfigFile>): DaemonSettings {
  const fromFlags = new Map<string, string[]>();
  const args = flags.ok ? flags.value.args : [];
  if (args.length > 0) {
    const parsed = parseDockerdFlags(args, new OptionIndex(formatMinor(NEWEST_KNOWN), 'linux'));
    for (const entry of parsed.set.values()) if (entry.key) fromFlags.set(entry.key, entry.values);
  }
  const fromFile = new Map<string, unknown>();
  if (config.ok && config.value.text != null) {
    const doc = parseJsonDocument(config.value.text.replace(/^\uFEFF/, ''));
    if (doc.ok) for (const p of doc.properties) fromFile.set(p.key, getNodeValue(p.value) as unknown);
  }
  return {
    flags: args,
    get(key) {
      const values = fromFlags.get(key);
      if (values) return values.length === 1 ? values[0] : values;
      return fromFile.get(key);
    },
  };
}

function stringSetting(settings: DaemonSettings, key: string): string | null {
  const value = settings.get(key);
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[value.length - 1] === 'string') return value[value.length - 1] as string;
  return null;
}

function booleanSetting(settings: DaemonSettings, key: string): boolean {
  const value = settings.get(key);
  return value === true || value === 'true' || value === '1';
}

/** dockerd resolves relative paths against its working directory, which systemd sets to /. */
function absolute(p: string): string {
  return path.posix.isAbsolute(p) ? path.posix.normalize(p) : path.posix.join('/', p);
}

interface Wanted {
  path: string;
  role: FileRole;
}

/** The first of `candidates`, in their order, whose stat `accept`s: all statted at once. */
async function firstFound(host: Host, candidates: string[], accept: (s: FileStat) => boolean): Promise<string | null> {
  const found = await Promise.all(candidates.map((c) => host.stat(c).then(accept, () => false)));
  const i = found.indexOf(true);
  return i < 0 ? null : candidates[i]!;
}

/** The first of systemd's unit directories holding `name`, and its drop-ins (as systemd orders them). */
async function unitFiles(host: Host, name: string, role: FileRole, dropInRole: FileRole): Promise<Wanted[]> {
  const [fragment, dropIns] = await Promise.all([
    firstFound(
      host,
      SYSTEM_UNIT_DIRS.map((dir) => path.posix.join(dir, name)),
      () => true,
    ),
    unitDropIns(host, name),
  ]);
  // Missing units are reported where systemd's packages put them, so the check can say where it looked.
  return [
    { path: fragment ?? path.posix.join('/lib/systemd/system', name), role },
    ...dropIns.map((file) => ({ path: file, role: dropInRole })),
  ];
}

/** Every file and directory under certs.d (registry CA certificates, client certificates and keys). */
async function certsDirEntries(host: Host, dir: string): Promise<Wanted[]> {
  const out: Wanted[] = [{ path: dir, role: FILE_ROLES.certsDir }];
  const queue: { dir: string; depth: number }[] = [{ dir, depth: 0 }];
  while (queue.length > 0 && out.length < MAX_CERT_ENTRIES) {
    const next = queue.shift()!;
    const entries = await host.readDir(next.dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const p = path.posix.join(next.dir, entry);
      const st = await host.stat(p).catch(() => null);
      if (st?.isDirectory) {
        if (next.depth < 3) queue.push({ dir: p, depth: next.depth + 1 });
        out.push({ path: p, role: FILE_ROLES.certsDir });
      } else {
        out.push({ path: p, role: FILE_ROLES.registryCert });
      }
    }
  }
  return out;
}

/** The sockets dockerd listens on: -H unix:// paths, and docker.socket's ListenStream when it is socket-activated. */
async function configuredSockets(host: Host, settings: DaemonSettings, socketUnit: Wanted): Promise<string[]> {
  const hosts = settings.get('hosts');
  const list = (Array.isArray(hosts) ? hosts : hosts ? [hosts] : []).map(String);
  const sockets = list
    .filter((h) => h.startsWith('unix://'))
    .map((h) => h.slice('unix://'.length))
    .filter(Boolean);
  const activated = list.length === 0 || list.some((h) => h.startsWith('fd://'));
  if (activated) {
    const text = await readOptional(host, socketUnit.path).catch(() => null);
    if (text) {
      for (const a of parseUnitText(text, socketUnit.path)) {
        if (a.section === 'Socket' && a.key === 'ListenStream' && a.value.startsWith('/')) sockets.push(a.value);
      }
    }
  }
  return sockets.length > 0 ? [...new Set(sockets)] : ['/var/run/docker.sock'];
}

/** TLS material dockerd uses: explicit paths always; the ~/.docker defaults only when TLS is on. */
function tlsFiles(settings: DaemonSettings, certDir: string): Wanted[] {
  const verify = booleanSetting(settings, 'tlsverify');
  const tls = verify || booleanSetting(settings, 'tls');
  const out: Wanted[] = [];
  const add = (key: string, fallback: string, role: FileRole, used: boolean) => {
    const explicit = stringSetting(settings, key);
    if (explicit) out.push({ path: absolute(explicit), role });
    else if (used) out.push({ path: path.posix.join(certDir, fallback), role });
  };
  add('tlscacert', 'ca.pem', FILE_ROLES.tlsCa, verify);
  add('tlscert', 'cert.pem', FILE_ROLES.tlsCert, tls);
  add('tlskey', 'key.pem', FILE_ROLES.tlsKey, tls);
  return out;
}

async function findBinary(host: Host, name: string): Promise<string> {
  const found = await firstFound(
    host,
    BINARY_DIRS.map((dir) => path.posix.join(dir, name)),
    (s) => s.isFile,
  );
  return found ?? path.posix.join('/usr/bin', name);
}

/** The dockerd program: the running process's or the unit's absolute argv[0], else wherever it is installed. */
async function dockerdBinary(ctx: CollectContext): Promise<string> {
  const [proc, unit] = await Promise.all([ctx.get('daemonProcess'), ctx.get('serviceUnit')]);
  const candidates = [proc.ok ? proc.value.argv[0] : undefined, unit.ok ? unit.value.execStart?.argv[0] : undefined];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.startsWith('/'));
  return found ?? findBinary(ctx.host, 'dockerd');
}

async function wantedFiles(ctx: CollectContext): Promise<Wanted[]> {
  const { host } = ctx;
  const [flags, config, unit, endpoint] = await Promise.all([
    ctx.get('daemonFlags'),
    ctx.get('daemonConfig'),
    ctx.get('serviceUnit'),
    ctx.get('endpoint'),
  ]);
  const settings = daemonSettings(flags, config);
  // Everything found by looking is looked for at once; the list keeps its order.
  const binaries: [string, FileRole][] = [
    ['containerd', FILE_ROLES.containerdBinary],
    ['containerd-shim', FILE_ROLES.containerdShim],
    ['containerd-shim-runc-v1', FILE_ROLES.containerdShimV1],
    ['containerd-shim-runc-v2', FILE_ROLES.containerdShimV2],
    ['runc', FILE_ROLES.runcBinary],
  ];
  const [service, socket, certs, dockerd, binaryPaths] = await Promise.all([
    unitFiles(host, 'docker.service', FILE_ROLES.serviceUnit, FILE_ROLES.serviceDropIn),
    unitFiles(host, 'docker.socket', FILE_ROLES.socketUnit, FILE_ROLES.socketDropIn),
    certsDirEntries(host, '/etc/docker/certs.d'),
    dockerdBinary(ctx),
    Promise.all(binaries.map(([name]) => findBinary(host, name))),
  ]);
  const wanted: Wanted[] = [...service, ...socket];

  // A live endpoint names the socket actually in use; otherwise (offline root, no daemon) judge the configured one.
  if (endpoint.ok && host.kind !== 'rootfs') {
    if (endpoint.value.transport === 'unix')
      wanted.push({ path: endpoint.value.host.slice('unix://'.length), role: FILE_ROLES.dockerSocket });
  } else {
    for (const s of await configuredSockets(host, settings, socket[0]!)) wanted.push({ path: s, role: FILE_ROLES.dockerSocket });
  }
  if (config.ok) wanted.push({ path: config.value.path, role: FILE_ROLES.daemonJson });
  wanted.push({ path: '/etc/docker', role: FILE_ROLES.etcDocker });
  wanted.push(...certs);
  const certEnv = unit.ok ? unit.value.environment.filter((e) => e.name === 'DOCKER_CERT_PATH').pop()?.value : undefined;
  wanted.push(...tlsFiles(settings, certEnv || '/root/.docker'));
  wanted.push({ path: '/etc/default/docker', role: FILE_ROLES.defaultDocker });
  wanted.push({ path: '/etc/sysconfig/docker', role: FILE_ROLES.sysconfigDocker });
  wanted.push({
    path: absolute(stringSetting(settings, 'containerd') ?? '/run/containerd/containerd.sock'),
    role: FILE_ROLES.containerdSocket,
  });

  wanted.push({ path: dockerd, role: FILE_ROLES.dockerdBinary });
  wanted.push({
    path: absolute(stringSetting(settings, 'data-root') ?? stringSetting(settings, 'graph') ?? '/var/lib/docker'),
    role: FILE_ROLES.dataRoot,
  });
  wanted.push({ path: '/run/containerd', role: FILE_ROLES.containerdRunDir });
  wanted.push({ path: '/etc/containerd/config.toml', role: FILE_ROLES.containerdConfig });
  binaries.forEach(([, role], i) => wanted.push({ path: binaryPaths[i]!, role }));
  return wanted;
}

async function statOne(
  host: Host,
  want: Wanted,
  names: { users: Map<number, string>; groups: Map<number, string> },
): Promise<FileStatFact> {
  const base = { path: host.displayPath(want.path), role: want.role };
  try {
    const st = await host.stat(want.path);
    const kind = st.isSocket ? 'socket' : st.isDirectory ? 'directory' : st.isFile ? 'file' : 'other';
    return {
      ...base,
      exists: true,
      kind,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      owner: names.users.get(st.uid) ?? null,
      group: names.groups.get(st.gid) ?? null,
      error: null,
    };
  } catch (error) {
    const empty = { kind: null, mode: null, uid: null, gid: null, owner: null, group: null };
    if (isNotFound(error)) return { ...base, exists: false, ...empty, error: null };
    // It may well exist (a parent directory we cannot enter): say why it could not be judged.
    return { ...base, exists: true, ...empty, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function collectFiles(ctx: CollectContext): Promise<Fact<FileStatFact[]>> {
  const unsupported = linuxOnly(ctx.host, 'host file permissions');
  if (unsupported) return failure(unsupported);
  try {
    const [wanted, accounts] = await Promise.all([wantedFiles(ctx), ctx.get('accounts')]);
    const names = {
      users: new Map(accounts.ok ? accounts.value.users.map((u) => [u.uid, u.name] as const).reverse() : []),
      groups: new Map(accounts.ok ? accounts.value.groups.map((g) => [g.gid, g.name] as const).reverse() : []),
    };
    const seen = new Set<string>();
    const unique = wanted.filter((w) => {
      const key = `${w.role}\0${w.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const stats = await Promise.all(unique.map((w) => statOne(ctx.host, w, names)));
    const sources: Source[] = stats.filter((s) => s.exists).map((s) => ({ kind: 'file', path: s.path }));
    return { ok: true, value: stats, sources };
  } catch (error) {
    return failure(error);
  }
}
