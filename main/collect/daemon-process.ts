import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Endpoint } from '../../shared/endpoint';
import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Fact } from '../../shared/fact';
import type { DaemonProcess } from '../../shared/facts';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { proveDaemon } from '../host/trusted-daemon';
import { failure } from './context';

export interface ProcessEntry {
  pid: number;
  argv: string[];
}

/** Every -H/--host value in a dockerd argv (-H x, -Hx, -H=x, --host x, --host=x). */
export function hostsFromArgs(args: string[]): string[] {
  const hosts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const long = /^--host(?:=(.*))?$/.exec(arg);
    const short = /^-H(?:=?(.+))?$/.exec(arg);
    const m = long ?? short;
    if (!m) continue;
    const value = m[1] ?? args[++i];
    if (value !== undefined) hosts.push(value);
  }
  return hosts;
}

/** /var/run is a symlink to /run on every current distribution; compare sockets by their /run form. */
function canonicalSocket(address: string): string {
  return address.replace(/^unix:\/\//, '').replace(/^\/var\/run\//, '/run/');
}

/** Picks the dockerd that serves `endpoint` among running ones; explains how. Pure, for tests. */
export function matchDaemon(processes: ProcessEntry[], endpoint: Endpoint | null): (ProcessEntry & { matchedBy: string }) | null {
  if (processes.length === 0) return null;
  const withHosts = processes.map((p) => ({ ...p, hosts: hostsFromArgs(p.argv.slice(1)) }));
  if (endpoint?.transport === 'unix') {
    const target = canonicalSocket(endpoint.host);
    const explicit = withHosts.find((p) => p.hosts.some((h) => h.startsWith('unix://') && canonicalSocket(h) === target));
    if (explicit) return { pid: explicit.pid, argv: explicit.argv, matchedBy: `its -H flag names ${endpoint.host}` };
    if (target === '/run/docker.sock') {
      const implicit = withHosts.find((p) => p.hosts.length === 0 || p.hosts.includes('fd://'));
      if (implicit) {
        const how = implicit.hosts.includes('fd://')
          ? 'it listens on fd:// (systemd socket activation of /run/docker.sock)'
          : 'it has no -H flag, so it listens on the default socket';
        return { pid: implicit.pid, argv: implicit.argv, matchedBy: how };
      }
    }
    return null;
  }
  if (endpoint?.transport === 'tcp') {
    if (daemonElsewhere(endpoint)) return null;
    const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
    const port = url.port || (endpoint.tls ? '2376' : '2375');
    const match = withHosts.find((p) =>
      p.hosts.some((h) => h.startsWith('tcp://') && (h.endsWith(`:${port}`) || (!/:\d+$/.test(h) && port === '2375'))),
    );
    return match ? { pid: match.pid, argv: match.argv, matchedBy: `its -H flag listens on tcp port ${port}` } : null;
  }
  return null;
}

/**
 * Pids named by the pidfiles dockerd writes by default: /run/docker.pid (rootful), docker.pid beside a rootless
 * daemon's socket in $XDG_RUNTIME_DIR, and docker.pid beside any socket. Only where to look first: each pid is then
 * proven (or matched) like any other, and a stale or forged pidfile costs one failed look.
 */
export async function pidfileCandidates(host: Host, endpoint: Endpoint | null): Promise<number[]> {
  const files = new Set(['/run/docker.pid']);
  if (endpoint?.transport === 'unix') files.add(path.posix.join(path.posix.dirname(canonicalSocket(endpoint.host)), 'docker.pid'));
  const runtime = host.env('XDG_RUNTIME_DIR');
  if (runtime) files.add(path.posix.join(runtime, 'docker.pid'));
  const pids = await Promise.all(
    [...files].map(async (file) => {
      const text = await host.readFile(file, 64).then(
        (b) => b.toString('utf8').trim(),
        () => '',
      );
      return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : null;
    }),
  );
  return [...new Set(pids.filter((p): p is number => p !== null))];
}

/**
 * Lists local dockerd processes from /proc (Linux), for the report: by the kernel's /proc/PID/exe where this account
 * may read it, else by name (another user's process). Nothing privileged trusts this list: see proveDaemon.
 *
 * The exe link comes first because it is one call: with no pidfile to start from (a tcp:// endpoint) every process is
 * looked at, and reading each one's comm was most of an audit's time on a busy workstation. comm is read only where
 * the link is not ours to read.
 */
async function listDockerdProcesses(host: Host, pids?: readonly number[]): Promise<ProcessEntry[]> {
  const entries = pids ? pids.map(String) : await host.readDir('/proc');
  const out: ProcessEntry[] = [];
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (pid) => {
        try {
          const exe = await fs.readlink(`/proc/${pid}/exe`).catch((error: NodeJS.ErrnoException) => {
            // A kernel thread has no program (ENOENT), and a process that ended has no entry: neither is a daemon.
            if (error.code === 'EACCES' || error.code === 'EPERM') return null;
            throw error;
          });
          if (exe !== null && !/\/dockerd( \(deleted\))?$/.test(exe)) return;
          if (exe === null) {
            const comm = (await host.readFile(`/proc/${pid}/comm`, 4096)).toString('utf8').trim();
            if (comm !== 'dockerd') return;
          }
          const argv = (await host.readFile(`/proc/${pid}/cmdline`, 256 * 1024)).toString('utf8').split('\0').filter(Boolean);
          if (argv.length > 0) out.push({ pid: Number(pid), argv });
        } catch {
          // Processes come and go while /proc is read; a vanished one is simply not a candidate.
        }
      }),
  );
  return out.sort((a, b) => a.pid - b.pid);
}

export async function collectDaemonProcess(host: Host, endpoint: Endpoint | null): Promise<Fact<DaemonProcess>> {
  if (host.kind !== 'local' || host.platform !== 'linux') {
    return failure(new HostError('unsupported', 'the dockerd process can only be inspected on a live Linux host'));
  }
  if (endpoint && endpoint.transport !== 'unix' && endpoint.transport !== 'tcp') {
    return failure(new HostError('unsupported', `the daemon at ${endpoint.host} is not a local process`));
  }
  try {
    // The kernel's word first: the process holding the listening socket, as proveDaemon checks it.
    const hints = await pidfileCandidates(host, endpoint);
    if (endpoint?.transport === 'unix') {
      const uid = process.geteuid?.() ?? 0;
      const proof = await proveDaemon(endpoint.host, { user: uid === 0 ? null : uid, candidates: hints });
      if (proof.ok) {
        const { pid, argv, proof: how } = proof.daemon;
        return {
          ok: true,
          value: { pid, argv, matchedBy: how },
          sources: [{ kind: 'process', pid, detail: `/proc/${pid}/exe, /proc/${pid}/fd, /proc/${pid}/cmdline` }],
        };
      }
    }
    // Not provable from this account (another user's daemon): matched by its flags, the pidfiles' processes first.
    const hinted = hints.length > 0 ? matchDaemon(await listDockerdProcesses(host, hints), endpoint) : null;
    if (hinted) return { ok: true, value: hinted, sources: [{ kind: 'process', pid: hinted.pid, detail: `/proc/${hinted.pid}/cmdline` }] };
    const processes = await listDockerdProcesses(host);
    const match = matchDaemon(processes, endpoint);
    if (!match) {
      const why =
        processes.length === 0
          ? 'no dockerd process is visible on this host'
          : `none of the ${processes.length} dockerd process(es) serves ${endpoint?.host ?? 'the endpoint'}`;
      return failure(new HostError('not-found', why), [{ kind: 'file', path: '/proc' }]);
    }
    return { ok: true, value: match, sources: [{ kind: 'process', pid: match.pid, detail: `/proc/${match.pid}/cmdline` }] };
  } catch (error) {
    return failure(error, [{ kind: 'file', path: '/proc' }]);
  }
}
