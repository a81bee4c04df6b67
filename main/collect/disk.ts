import path from 'node:path';
import { parse as parseShell } from 'shell-quote';
import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Fact } from '../../shared/fact';
import type { ContainerLogFact, DataRootFsFact, PruneScope, ScheduledCleanupFact } from '../../shared/facts/disk';
import type { Source } from '../../shared/source';
import type { FsStat, Host } from '../host/host';
import { HostError } from '../host/host';
import { mapLimit } from '../util/timeout';
import { type CollectContext, failure, propagate } from './context';
import { flagValue } from './daemon-config';
import { parseUnitText, SYSTEM_UNIT_DIRS } from './systemd-unit';

const DEFAULT_DATA_ROOT = '/var/lib/docker';
const MAX_TABLE_BYTES = 4 * 1024 * 1024;
const MAX_SCRIPT_BYTES = 512 * 1024;
const STAT_CONCURRENCY = 16;

// ---------------------------------------------------------------------------------------------------------------------
// Is the daemon's filesystem this host's?
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Paths the daemon reports (DockerRootDir, LogPath) are paths on the machine dockerd runs on. They mean something here
 * only when that machine is this one: a local socket of a daemon that is not Docker Desktop's VM, answering with this
 * host's name (Colima, Lima, Rancher Desktop and remote contexts also hand out local sockets).
 */
async function daemonFilesystemHere(ctx: CollectContext): Promise<{ local: boolean; why: string }> {
  const host = ctx.host;
  if (host.kind === 'rootfs') return { local: true, why: 'offline root filesystem' };
  if (host.platform !== 'linux') return { local: false, why: `on ${host.platform} the engine runs in a Linux VM (Docker Desktop); its data root is inside the VM's disk image` };
  const endpoint = await ctx.endpoint();
  const elsewhere = endpoint ? daemonElsewhere(endpoint) : null;
  if (elsewhere) return { local: false, why: elsewhere };
  // tcp to a loopback address may be a port forwarded from another machine: only a local socket is taken as this one.
  if (endpoint && endpoint.transport !== 'unix') return { local: false, why: `the endpoint ${endpoint.host} is not a local socket: the daemon's files may be on another machine` };
  if (endpoint?.flavour === 'desktop') return { local: false, why: "the endpoint is Docker Desktop's: the engine and its data root are inside Desktop's VM" };
  const info = await ctx.get('info');
  if (info.ok && info.value.name && info.value.name.toLowerCase() !== host.hostname().toLowerCase()) {
    return { local: false, why: `the daemon runs on host "${info.value.name}", not on this one ("${host.hostname()}"): a VM or a forwarded socket` };
  }
  return { local: true, why: 'local socket' };
}

// ---------------------------------------------------------------------------------------------------------------------
// dataRootFs
// ---------------------------------------------------------------------------------------------------------------------

interface DataRoot {
  path: string;
  sources: Source[];
}

/** The data root: what the running daemon reports, else what it will use when it starts (flag, daemon.json, default). */
async function locateDataRoot(ctx: CollectContext): Promise<DataRoot> {
  const info = await ctx.get('info');
  if (info.ok && info.value.dockerRootDir) return { path: info.value.dockerRootDir, sources: [{ kind: 'api', call: 'GET /info' }] };
  const why = info.ok ? 'the daemon did not report DockerRootDir' : `the daemon could not be asked (${info.error.message})`;
  const flags = await ctx.get('daemonFlags');
  if (flags.ok) {
    const fromFlag = flagValue(flags.value.args, 'data-root') ?? flagValue(flags.value.args, 'graph');
    if (fromFlag) return { path: fromFlag, sources: [...flags.sources, { kind: 'default', detail: `${why}; --data-root from dockerd's flags` }] };
  }
  const config = await ctx.get('daemonConfig');
  if (config.ok && config.value.text) {
    const fromFile = dataRootFromJson(config.value.text);
    if (fromFile) return { path: fromFile, sources: [{ kind: 'file', path: config.value.path }, { kind: 'default', detail: `${why}; "data-root" from ${config.value.path}` }] };
  }
  const endpoint = await ctx.endpoint();
  if (endpoint?.flavour === 'rootless') {
    const dataHome = ctx.host.env('XDG_DATA_HOME') || path.posix.join(ctx.host.user().home, '.local', 'share');
    return { path: path.posix.join(dataHome, 'docker'), sources: [{ kind: 'default', detail: `${why}; rootless dockerd's default data root` }] };
  }
  return { path: DEFAULT_DATA_ROOT, sources: [{ kind: 'default', detail: `${why}; no --data-root flag or "data-root" in daemon.json: dockerd's default` }] };
}

function dataRootFromJson(text: string): string | null {
  try {
    const value = (JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>)['data-root'];
    return typeof value === 'string' && value !== '' ? value : null;
  } catch {
    // A broken daemon.json is the pre-flight's finding; dockerd would not start with it, so the default stands.
    return null;
  }
}

export async function collectDataRootFs(ctx: CollectContext): Promise<Fact<DataRootFsFact>> {
  const here = await daemonFilesystemHere(ctx);
  if (!here.local) return failure(new HostError('unsupported', `the data root's filesystem cannot be measured from here: ${here.why}`));
  let root: DataRoot;
  try {
    root = await locateDataRoot(ctx);
  } catch (error) {
    return failure(error);
  }
  return measureDataRootFs(ctx.host, root.path, root.sources);
}

/**
 * statfs of the filesystem holding `dataRoot`, with its mount point: /proc/self/mountinfo on a live host, the image's
 * /etc/fstab on an offline root. A data root that does not exist yet (a fresh image) is measured at its nearest
 * existing parent, where dockerd will create it.
 */
export async function measureDataRootFs(host: Host, dataRoot: string, sources: Source[] = []): Promise<Fact<DataRootFsFact>> {
  const out = [...sources];
  let measured = dataRoot;
  let fs: FsStat;
  try {
    for (;;) {
      try {
        fs = await host.statfs(measured);
        break;
      } catch (error) {
        const parent = path.posix.dirname(measured);
        if (!(error instanceof HostError && error.code === 'not-found') || parent === measured) throw error;
        measured = parent;
      }
    }
  } catch (error) {
    return failure(error, out);
  }
  if (measured !== dataRoot) out.push({ kind: 'default', detail: `${dataRoot} does not exist yet; measured ${measured}, where dockerd will create it` });
  const mount = await mountOf(host, dataRoot, fs, out);
  return {
    ok: true,
    sources: out,
    value: { path: dataRoot, totalBytes: fs.totalBytes, availableBytes: fs.availableBytes, totalInodes: fs.totalInodes, freeInodes: fs.freeInodes, mountPoint: mount?.mountPoint ?? null, fsType: mount?.fsType ?? null },
  };
}

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  line: number;
  /** major:minor of the filesystem (mountinfo only). */
  device?: string;
  /** The directory of that filesystem mounted here: "/" for a whole filesystem, a subpath for a bind mount or subvolume. */
  root?: string;
}

/** /proc/self/mountinfo and fstab escape blanks in paths as octal (\040). */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** fstab(5) lines (spec, file, vfstype, ...); comments and swap skipped. */
export function parseMountTable(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    if (fields.length < 3 || !fields[1]!.startsWith('/')) return;
    out.push({ mountPoint: unescapeMount(fields[1]!), fsType: fields[2]!, line: index + 1 });
  });
  return out;
}

/** proc(5) mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS". */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(' ');
    const dash = fields.indexOf('-');
    if (fields.length < 7 || dash < 6) return;
    out.push({ device: fields[2]!, root: unescapeMount(fields[3]!), mountPoint: unescapeMount(fields[4]!), fsType: fields[dash + 1] ?? '', line: index + 1 });
  });
  return out;
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, '') || '/';
}

/** The mount holding `p`: the longest mount point that is a prefix of it; the last one wins when stacked. */
export function longestMount(entries: readonly MountEntry[], p: string): MountEntry | null {
  let best: MountEntry | null = null;
  for (const e of entries) {
    const mp = trimSlash(e.mountPoint);
    const covers = mp === '/' || p === mp || p.startsWith(`${mp}/`);
    if (covers && (!best || mp.length >= best.mountPoint.length)) best = { ...e, mountPoint: mp };
  }
  return best;
}

/**
 * The filesystem behind a mount: a bind mount or btrfs subvolume is part of a filesystem mounted elsewhere, and
 * filling one fills the other. dockerd itself bind-mounts its data root onto itself when / is not a shared mount,
 * so the longest prefix alone would call every such data root a separate partition. Same device as "/" means "/";
 * otherwise the device's whole-filesystem mount (root "/"), if it has one.
 */
export function filesystemOf(entries: readonly MountEntry[], mount: MountEntry): MountEntry {
  if (!mount.device) return mount;
  const sameDevice = entries.filter((e) => e.device === mount.device);
  const rootFs = sameDevice.find((e) => trimSlash(e.mountPoint) === '/');
  if (rootFs) return { ...rootFs, mountPoint: '/' };
  if (mount.root === '/') return mount;
  const whole = sameDevice.find((e) => e.root === '/');
  return whole ? { ...whole, mountPoint: trimSlash(whole.mountPoint) } : mount;
}

async function mountOf(host: Host, dataRoot: string, fs: FsStat, sources: Source[]): Promise<{ mountPoint: string; fsType: string } | null> {
  if (host.platform !== 'linux') return null;
  const table = host.kind === 'rootfs' ? '/etc/fstab' : '/proc/self/mountinfo';
  let entries: MountEntry[];
  try {
    const text = (await host.readFile(table, MAX_TABLE_BYTES)).toString('utf8');
    entries = host.kind === 'rootfs' ? parseMountTable(text) : parseMountInfo(text);
  } catch (error) {
    sources.push({ kind: 'default', detail: `mount point unknown: ${(error as Error).message}` });
    return null;
  }
  const found = longestMount(entries, path.posix.normalize(dataRoot));
  if (!found) {
    sources.push({ kind: 'default', detail: `mount point unknown: no entry in ${table} covers ${dataRoot}` });
    return null;
  }
  if (host.kind !== 'rootfs' && !(await sameFilesystem(host, found.mountPoint, fs))) {
    // A symlinked path: its prefix says nothing about where the bytes live.
    sources.push({ kind: 'default', detail: `mount point unknown: ${dataRoot} is not on the filesystem mounted at ${found.mountPoint} (a symlink?)` });
    return null;
  }
  const owner = filesystemOf(entries, found);
  sources.push({ kind: 'file', path: table, line: found.line });
  if (owner.mountPoint !== found.mountPoint) {
    sources.push({ kind: 'file', path: table, line: owner.line });
    sources.push({ kind: 'default', detail: `${found.mountPoint} is a bind mount or subvolume of the filesystem mounted at ${owner.mountPoint} (same device ${found.device})` });
  }
  return { mountPoint: owner.mountPoint, fsType: owner.fsType };
}

async function sameFilesystem(host: Host, mountPoint: string, fs: FsStat): Promise<boolean> {
  try {
    const other = await host.statfs(mountPoint);
    return other.totalBytes === fs.totalBytes && other.totalInodes === fs.totalInodes;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// containerLogs
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Each container's log with its rotated files (json-file keeps NAME.1, NAME.2…, compressed as .gz): together they are
 * what the container's logging costs on disk. A log already gone (container removed meanwhile) is skipped; one that
 * cannot be read fails the fact, because a partial list would understate the total.
 */
export async function collectContainerLogs(ctx: CollectContext): Promise<Fact<ContainerLogFact[]>> {
  const containers = await ctx.get('containers');
  if (!containers.ok) return propagate(containers);
  const here = await daemonFilesystemHere(ctx);
  const sources: Source[] = [...containers.sources];
  if (!here.local) return failure(new HostError('unsupported', `container log files cannot be measured from here: ${here.why}`), sources);
  const host = ctx.host;
  const withLogs = containers.value.filter((c) => c.logPath);
  try {
    const sizes = await mapLimit(withLogs, STAT_CONCURRENCY, async (c): Promise<ContainerLogFact | null> => {
      const bytes = await logBytes(host, c.logPath);
      return bytes === null ? null : { container: c.name, path: host.displayPath(c.logPath), bytes };
    });
    return { ok: true, value: sizes.filter((s): s is ContainerLogFact => s !== null), sources };
  } catch (error) {
    return failure(error, sources);
  }
}

/** A container id as the daemon names its directory: anything else is not looked up (no path from the daemon's words). */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * Containers' log files found in their directories under the data root, without one inspect per container: json-file
 * writes <data-root>/containers/<id>/<id>-json.log, local writes local-logs/container.log there (each with rotated
 * siblings). `dockhand disk` measures every container this way; a container with neither has no log file to count.
 * The result names each container by id.
 */
export async function collectLogsByDirectory(ctx: CollectContext, dataRoot: string, ids: readonly string[]): Promise<Fact<ContainerLogFact[]>> {
  const here = await daemonFilesystemHere(ctx);
  const sources: Source[] = [{ kind: 'file', path: ctx.host.displayPath(path.posix.join(dataRoot, 'containers')) }];
  if (!here.local) return failure(new HostError('unsupported', `container log files cannot be measured from here: ${here.why}`), sources);
  const host = ctx.host;
  try {
    const sizes = await mapLimit(
      ids.filter((id) => CONTAINER_ID.test(id)),
      STAT_CONCURRENCY,
      async (id): Promise<ContainerLogFact | null> => {
        const dir = path.posix.join(dataRoot, 'containers', id);
        // One listing per container says which log files exist: a created container has none, and asking for each
        // file by name costs two failed lookups per container on a host of thousands.
        const names = await listOrNone(host, dir);
        if (names === null) return null;
        const json = await rotatedBytes(host, dir, `${id}-json.log`, names);
        const localDir = path.posix.join(dir, 'local-logs');
        const local = names.includes('local-logs') ? await rotatedBytes(host, localDir, 'container.log', (await listOrNone(host, localDir)) ?? []) : null;
        if (json === null && local === null) return null;
        return { container: id, path: host.displayPath(json !== null ? path.posix.join(dir, `${id}-json.log`) : path.posix.join(localDir, 'container.log')), bytes: (json ?? 0) + (local ?? 0) };
      },
    );
    return { ok: true, value: sizes.filter((s): s is ContainerLogFact => s !== null), sources };
  } catch (error) {
    return failure(error, sources);
  }
}

/** A log file and its rotated siblings (NAME.1, NAME.2.gz…), given the directory's listing; null when there is no log. */
async function rotatedBytes(host: Host, dir: string, base: string, names: readonly string[]): Promise<number | null> {
  if (!names.includes(base)) return null;
  let bytes: number;
  try {
    bytes = (await host.stat(path.posix.join(dir, base))).size;
  } catch (error) {
    // Removed since the listing (the container went away): nothing to count.
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
  return bytes + (await siblingBytes(host, dir, base, names));
}

/** The rotated files of the log `base` among a directory's entries. */
async function siblingBytes(host: Host, dir: string, base: string, names: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const name of names) {
    if (!/^\.\d+(\.gz)?$/.test(name.slice(base.length)) || !name.startsWith(base)) continue;
    bytes += await host.stat(path.posix.join(dir, name)).then((s) => s.size, () => 0);
  }
  return bytes;
}

/** A directory's entries; null when it does not exist (the container was removed meanwhile). */
async function listOrNone(host: Host, dir: string): Promise<string[] | null> {
  try {
    return await host.readDir(dir);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
}

/** A log path the daemon named: the file itself first (an unreadable one fails with its own path), then its siblings. */
async function logBytes(host: Host, logPath: string): Promise<number | null> {
  let bytes: number;
  try {
    bytes = (await host.stat(logPath)).size;
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
  const dir = path.posix.dirname(logPath);
  return bytes + (await siblingBytes(host, dir, path.posix.basename(logPath), await host.readDir(dir).catch(() => [] as string[])));
}

// ---------------------------------------------------------------------------------------------------------------------
// scheduledCleanup
// ---------------------------------------------------------------------------------------------------------------------

const CRON_TABLES = ['/etc/crontab'];
/** /etc/cron.d holds system tables (with a user field); the spool holds users' own tables (Debian: crontabs/, RHEL: directly). */
const CRON_TABLE_DIRS = ['/etc/cron.d', '/var/spool/cron/crontabs', '/var/spool/cron'];
const CRON_SCRIPT_DIRS = ['/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly'];
const PRUNE_SUBCOMMANDS = new Set(['system', 'image', 'container', 'builder', 'buildx', 'volume']);
/** docker's global options that take a value (so the value is not mistaken for the subcommand). */
const DOCKER_VALUE_OPTIONS = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

/** Programs that run the command after them (and their options that take a value). */
const WRAPPERS: Record<string, { valueOptions: string[]; positional: number }> = {
  sudo: { valueOptions: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U'], positional: 0 },
  env: { valueOptions: ['-u', '-C', '-S'], positional: 0 },
  nice: { valueOptions: ['-n'], positional: 0 },
  ionice: { valueOptions: ['-c', '-n', '-p'], positional: 0 },
  nohup: { valueOptions: [], positional: 0 },
  exec: { valueOptions: ['-a'], positional: 0 },
  command: { valueOptions: [], positional: 0 },
  chronic: { valueOptions: [], positional: 0 },
  timeout: { valueOptions: ['-s', '-k', '--signal', '--kill-after'], positional: 1 },
  flock: { valueOptions: ['-w', '-E', '--timeout', '--conflict-exit-code'], positional: 1 },
};
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);

export interface FoundPrune {
  /** The command's words from its program on, joined. */
  command: string;
  scope: PruneScope;
}

/**
 * The prune command in a shell command line, or null: `docker [global options] (system|image|container|builder|volume)
 * prune`, `docker buildx prune` and `dockhand prune`, as the program of a command (after sudo, env, nice, timeout…, full
 * paths allowed), in `&&`/`;`/`|` chains and in the script of `sh -c "…"`. A mention in an argument (`echo docker
 * system prune`) is not a run.
 */
export function findPrune(line: string, depth = 0): FoundPrune | null {
  let tokens: ReturnType<typeof parseShell>;
  try {
    tokens = parseShell(line, (name) => `$${name}`);
  } catch {
    return null;
  }
  let words: string[] = [];
  for (const token of [...tokens, { op: ';' as const }]) {
    if (typeof token === 'string') words.push(token);
    else if ('pattern' in token) words.push(String(token.pattern));
    else if ('comment' in token || 'op' in token) {
      const hit = pruneInCommand(words, depth);
      if (hit) return hit;
      words = [];
      if ('comment' in token) break;
    }
  }
  return null;
}

export function findPruneCommand(line: string): string | null {
  return findPrune(line)?.command ?? null;
}

function pruneInCommand(words: readonly string[], depth: number): FoundPrune | null {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  for (let wrapper = WRAPPERS[path.posix.basename(words[i] ?? '')]; wrapper; wrapper = WRAPPERS[path.posix.basename(words[i] ?? '')]) {
    i++;
    while (i < words.length && (words[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) i += wrapper.valueOptions.includes(words[i]!) ? 2 : 1;
    i += wrapper.positional;
  }
  const program = path.posix.basename(words[i] ?? '');
  const args = words.slice(i + 1);
  const command = words.slice(i).join(' ');
  if (SHELLS.has(program)) {
    const script = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    return script >= 0 && depth < 2 && args[script + 1] ? findPrune(args[script + 1]!, depth + 1) : null;
  }
  if (program === 'dockhand') return args.find((a) => !a.startsWith('-')) === 'prune' ? { command, scope: dockhandPruneScope(args) } : null;
  if (program !== 'docker') return null;
  let j = 0;
  while (j < args.length && args[j]!.startsWith('-')) j += DOCKER_VALUE_OPTIONS.has(args[j]!) ? 2 : 1;
  const sub = args[j] ?? '';
  return PRUNE_SUBCOMMANDS.has(sub) && args[j + 1] === 'prune' ? { command, scope: dockerPruneScope(sub, args.slice(j + 2)) } : null;
}

/** A boolean option's value in docker's flag syntax: `--all`, `--all=true`, or a letter in a cluster (`-af`). */
function hasFlag(args: readonly string[], long: string, short: string | null): boolean {
  let on = false;
  for (const a of args) {
    if (a === `--${long}` || a === `--${long}=true`) on = true;
    else if (a === `--${long}=false`) on = false;
    else if (short && /^-[A-Za-z]+$/.test(a) && a.includes(short)) on = true;
  }
  return on;
}

/** The values of `--filter X` and `--filter=X`. */
function filters(args: readonly string[]): string[] {
  return args.flatMap((a, k) => (a === '--filter' ? [args[k + 1] ?? ''] : a.startsWith('--filter=') ? [a.slice('--filter='.length)] : []));
}

/** `--filter until=…` or a size to keep (builder's --keep-storage, --reserved-space…): a prune that keeps recent cache. */
function keepsSome(args: readonly string[]): boolean {
  return args.some((a) => /^--(keep-storage|reserved-space|max-used-space|min-free-space)(=|$)/.test(a)) || filters(args).some((f) => f.startsWith('until='));
}

function dockerPruneScope(sub: string, args: readonly string[]): PruneScope {
  const all = hasFlag(args, 'all', 'a');
  return {
    volumes: sub === 'volume' || (sub === 'system' && hasFlag(args, 'volumes', null)),
    wholeBuildCache: (sub === 'system' || sub === 'builder' || sub === 'buildx') && all && !keepsSome(args),
    cleans: sub !== 'volume',
  };
}

function dockhandPruneScope(args: readonly string[]): PruneScope {
  const volumes = args.some((a) => /^--volumes?(=|$)/.test(a));
  const others = args.some((a) => /^--(containers|images|build-cache|networks)(=|$)/.test(a));
  return {
    volumes,
    wholeBuildCache: args.includes('--build-cache') && !args.some((a) => /^--until(=|$)/.test(a)),
    cleans: others || !volumes,
  };
}

/** The command of a crontab line: after the five time fields (or an @keyword), and the user in system tables. */
export function cronCommand(line: string, hasUser: boolean): string | null {
  const m = /^(?:@\w+|(?:\S+\s+){4}\S+)\s+(.*)$/.exec(line);
  if (!m) return null;
  if (!hasUser) return m[1]!;
  const user = /^\S+\s+(.*)$/.exec(m[1]!);
  return user ? user[1]! : null;
}

type Entry = ScheduledCleanupFact['entries'][number];

interface Scan {
  entries: Entry[];
  looked: string[];
  /** Places that exist but could not be read: with no entry found, the answer would be a guess. */
  unreadable: string[];
}

async function readText(host: Host, file: string): Promise<string | null> {
  try {
    return (await host.readFile(file, MAX_SCRIPT_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof HostError && (error.code === 'not-found' || error.code === 'malformed')) return null;
    throw error;
  }
}

async function listDir(host: Host, dir: string, scan: Scan): Promise<string[]> {
  try {
    return await host.readDir(dir);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return [];
    if (error instanceof HostError && error.code === 'permission-denied') scan.unreadable.push(`${dir} (${error.message})`);
    else throw error;
    return [];
  }
}

/** 'system' tables (/etc/crontab, /etc/cron.d) have a user field; 'user' tables (crontab -e) do not; scripts are plain shell. */
async function scanFile(host: Host, file: string, kind: 'system' | 'user' | 'script', scan: Scan): Promise<void> {
  let text: string | null;
  try {
    text = await readText(host, file);
  } catch (error) {
    if (error instanceof HostError && error.code === 'permission-denied') {
      scan.unreadable.push(`${host.displayPath(file)} (${error.message})`);
      return;
    }
    throw error;
  }
  if (text === null) return;
  scan.looked.push(host.displayPath(file));
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    // crontab(5): comments and VAR=value lines; in scripts, comments.
    if (!line || line.startsWith('#') || (kind !== 'script' && /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line))) return;
    const commandLine = kind === 'script' ? line : cronCommand(line, kind === 'system');
    const found = commandLine === null ? null : findPrune(commandLine);
    if (found) scan.entries.push({ kind: 'cron', path: host.displayPath(file), line: index + 1, command: found.command, scope: found.scope });
  });
}

/**
 * Debian's run-parts runs only executable files whose names are made of letters, digits, '_' and '-': a
 * `docker-prune.sh` in /etc/cron.daily is silently never run there. Other distributions' run-parts have no name rule.
 */
async function runPartsSkips(host: Host, file: string, debian: boolean): Promise<string | null> {
  const name = path.posix.basename(file);
  if (debian && !/^[A-Za-z0-9_-]+$/.test(name)) return "Debian's run-parts ignores names with other characters than letters, digits, '_' and '-'";
  try {
    const st = await host.stat(file);
    if (!st.isFile) return 'not a regular file';
    if ((st.mode & 0o111) === 0) return 'not executable: run-parts skips it';
  } catch {
    return 'cannot be examined';
  }
  return null;
}

async function scanCron(host: Host, scan: Scan): Promise<void> {
  for (const file of CRON_TABLES) await scanFile(host, file, 'system', scan);
  for (const dir of CRON_TABLE_DIRS) {
    for (const name of await listDir(host, dir, scan)) {
      const file = path.posix.join(dir, name);
      // /var/spool/cron holds RHEL's user crontabs and Debian's crontabs/ directory: only files are tables.
      const st = await host.stat(file).catch(() => null);
      if (st?.isFile && !name.startsWith('.')) await scanFile(host, file, dir === '/etc/cron.d' ? 'system' : 'user', scan);
    }
  }
  const debian = await host.stat('/etc/debian_version').then(() => true, () => false);
  for (const dir of CRON_SCRIPT_DIRS) {
    for (const name of await listDir(host, dir, scan)) {
      const file = path.posix.join(dir, name);
      const before = scan.entries.length;
      await scanFile(host, file, 'script', scan);
      if (scan.entries.length === before) continue;
      const skipped = await runPartsSkips(host, file, debian);
      if (skipped) {
        // Found, but it never runs: reporting it as cleanup would be a false pass.
        scan.entries.splice(before);
        scan.looked.push(`${host.displayPath(file)} (runs a prune, but is never run: ${skipped})`);
      }
    }
  }
}

/** Unit files by name, the highest-priority directory first (systemd.unit(5)). */
async function unitFiles(host: Host, scan: Scan): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const dir of SYSTEM_UNIT_DIRS) {
    for (const name of await listDir(host, dir, scan)) if (!byName.has(name)) byName.set(name, path.posix.join(dir, name));
  }
  return byName;
}

/** A timer counts only when enabled: a symlink to it in some *.wants directory (`systemctl enable`). */
async function enabledUnits(host: Host, scan: Scan): Promise<Set<string>> {
  const enabled = new Set<string>();
  for (const dir of SYSTEM_UNIT_DIRS) {
    for (const name of await listDir(host, dir, scan)) {
      if (!name.endsWith('.wants')) continue;
      for (const unit of await listDir(host, path.posix.join(dir, name), scan)) enabled.add(unit);
    }
  }
  return enabled;
}

async function scanTimers(host: Host, scan: Scan): Promise<void> {
  const units = await unitFiles(host, scan);
  const timers = [...units.keys()].filter((n) => n.endsWith('.timer'));
  if (timers.length === 0) return;
  const enabled = await enabledUnits(host, scan);
  for (const timer of timers) {
    const timerPath = units.get(timer)!;
    const timerText = await readText(host, timerPath).catch(() => null);
    if (timerText === null) continue;
    scan.looked.push(host.displayPath(timerPath));
    const unitName = parseUnitText(timerText, timerPath).find((a) => a.section === 'Timer' && a.key === 'Unit')?.value ?? timer.replace(/\.timer$/, '.service');
    const servicePath = units.get(unitName);
    const serviceText = servicePath ? await readText(host, servicePath).catch(() => null) : null;
    if (!servicePath || serviceText === null) continue;
    const execs = parseUnitText(serviceText, servicePath).filter((a) => a.section === 'Service' && (a.key === 'ExecStart' || a.key === 'ExecStartPre'));
    for (const exec of execs) {
      const found = findPrune(exec.value.replace(/^[@\-:+!]+/, ''));
      if (!found) continue;
      if (!enabled.has(timer)) {
        scan.looked.push(`${host.displayPath(timerPath)} (runs a prune, but is not enabled: no *.wants link)`);
        continue;
      }
      scan.entries.push({ kind: 'systemd-timer', path: host.displayPath(servicePath), line: exec.line, command: `${found.command} (timer ${timer})`, scope: found.scope });
    }
  }
}

export async function collectScheduledCleanup(ctx: CollectContext): Promise<Fact<ScheduledCleanupFact>> {
  const host = ctx.host;
  if (host.platform !== 'linux') return failure(new HostError('unsupported', `cron and systemd timers are looked for on Linux only (this host is ${host.platform})`));
  const scan: Scan = { entries: [], looked: [], unreadable: [] };
  try {
    await scanCron(host, scan);
    await scanTimers(host, scan);
  } catch (error) {
    return failure(error, scan.looked.map((p) => ({ kind: 'file' as const, path: p })));
  }
  const sources: Source[] = scan.entries.length > 0 ? scan.entries.map((e) => ({ kind: 'file', path: e.path, line: e.line ?? undefined })) : [{ kind: 'default', detail: `looked in ${scan.looked.length} cron files and timers` }];
  if (scan.entries.length === 0 && scan.unreadable.length > 0) {
    return failure(new HostError('permission-denied', `no scheduled prune found, but ${scan.unreadable.length} place(s) could not be read: ${scan.unreadable.join('; ')}`), sources);
  }
  return { ok: true, value: { entries: scan.entries, looked: scan.looked }, sources };
}
