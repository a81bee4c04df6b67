import path from 'node:path';
import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Fact } from '../../shared/fact';
import type { DataRootFsFact } from '../../shared/facts/disk';
import type { Source } from '../../shared/source';
import type { FsStat, Host } from '../host/host';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';
import { flagValue } from './daemon-config';
import { filesystemOf, longestMount, type MountEntry, parseMountInfo, parseMountTable } from './mount-table';
const DEFAULT_DATA_ROOT = '/var/lib/docker';
const MAX_TABLE_BYTES = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------------
// Is the daemon's filesystem this host's?
// ---------------------------------------------------------------------------------------------------------------------

/**
 * Paths the daemon reports (DockerRootDir, LogPath) are paths on the machine dockerd runs on. They mean something here
 * only when that machine is this one: a local socket of a daemon that is not Docker Desktop's VM, answering with this
 * host's name (Colima, Lima, Rancher Desktop and remote contexts also hand out local sockets).
 */
export async function daemonFilesystemHere(ctx: CollectContext): Promise<{ local: boolean; why: string }> {
  const host = ctx.host;
  if (host.kind === 'rootfs') return { local: true, why: 'offline root filesystem' };
  if (host.platform !== 'linux')
    return {
      local: false,
      why: `on ${host.platform} the engine runs in a Linux VM (Docker Desktop); its data root is inside the VM's disk image`,
    };
  const endpoint = await ctx.endpoint();
  const elsewhere = endpoint ? daemonElsewhere(endpoint) : null;
  if (elsewhere) return { local: false, why: elsewhere };
  // tcp to a loopback address may be a port forwarded from another machine: only a local socket is taken as this one.
  if (endpoint && endpoint.transport !== 'unix')
    return { local: false, why: `the endpoint ${endpoint.host} is not a local socket: the daemon's files may be on another machine` };
  if (endpoint?.flavour === 'desktop')
    return { local: false, why: "the endpoint is Docker Desktop's: the engine and its data root are inside Desktop's VM" };
  const info = await ctx.get('info');
  if (info.ok && info.value.name && info.value.name.toLowerCase() !== host.hostname().toLowerCase()) {
    return {
      local: false,
      why: `the daemon runs on host "${info.value.name}", not on this one ("${host.hostname()}"): a VM or a forwarded socket`,
    };
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
    if (fromFlag)
      return { path: fromFlag, sources: [...flags.sources, { kind: 'default', detail: `${why}; --data-root from dockerd's flags` }] };
  }
  const config = await ctx.get('daemonConfig');
  if (config.ok && config.value.text) {
    const fromFile = dataRootFromJson(config.value.text);
    if (fromFile)
      return {
        path: fromFile,
        sources: [
          { kind: 'file', path: config.value.path },
          { kind: 'default', detail: `${why}; "data-root" from ${config.value.path}` },
        ],
      };
  }
  const endpoint = await ctx.endpoint();
  if (endpoint?.flavour === 'rootless') {
    const dataHome = ctx.host.env('XDG_DATA_HOME') || path.posix.join(ctx.host.user().home, '.local', 'share');
    return {
      path: path.posix.join(dataHome, 'docker'),
      sources: [{ kind: 'default', detail: `${why}; rootless dockerd's default data root` }],
    };
  }
  return {
    path: DEFAULT_DATA_ROOT,
    sources: [{ kind: 'default', detail: `${why}; no --data-root flag or "data-root" in daemon.json: dockerd's default` }],
  };
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
  if (measured !== dataRoot)
    out.push({ kind: 'default', detail: `${dataRoot} does not exist yet; measured ${measured}, where dockerd will create it` });
  const mount = await mountOf(host, dataRoot, fs, out);
  return {
    ok: true,
    sources: out,
    value: {
      path: dataRoot,
      totalBytes: fs.totalBytes,
      availableBytes: fs.availableBytes,
      totalInodes: fs.totalInodes,
      freeInodes: fs.freeInodes,
      mountPoint: mount?.mountPoint ?? null,
      fsType: mount?.fsType ?? null,
    },
  };
}

async function mountOf(
  host: Host,
  dataRoot: string,
  fs: FsStat,
  sources: Source[],
): Promise<{ mountPoint: string; fsType: string } | null> {
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
    sources.push({
      kind: 'default',
      detail: `mount point unknown: ${dataRoot} is not on the filesystem mounted at ${found.mountPoint} (a symlink?)`,
    });
    return null;
  }
  const owner = filesystemOf(entries, found);
  sources.push({ kind: 'file', path: table, line: found.line });
  if (owner.mountPoint !== found.mountPoint) {
    sources.push({ kind: 'file', path: table, line: owner.line });
    sources.push({
      kind: 'default',
      detail: `${found.mountPoint} is a bind mount or subvolume of the filesystem mounted at ${owner.mountPoint} (same device ${found.device})`,
    });
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
