// Which process serves a unix-socket endpoint, proven from what the kernel says rather than from what a process says
// about itself. A process's name (/proc/PID/comm) and command line are its own to write, so any user can call a
// process "dockerd" and give it any --config-file; what they cannot fake is /proc/PID/exe, the owners in
// /proc/PID/status and on disk, and the listening socket among the process's own file descriptors. Everything that
// root does to "the daemon" (write its daemon.json, restart it, signal it) starts from a proof made here.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';

export interface TrustedDaemon {
  pid: number;
  /** The executable, as the kernel names it (/proc/PID/exe), resolved to its real path. */
  exe: string;
  /** Its command line, from /proc/PID/cmdline: read only once the process itself is proven. */
  argv: string[];
  /** Real and effective uid (equal). 0: a system daemon; anything else: a rootless daemon of that user. */
  uid: number;
  /** The socket file, its real path. */
  socket: string;
  rootless: boolean;
  /** How it was proven, for the plan and the journal. */
  proof: string;
}

export type DaemonProof = { ok: true; daemon: TrustedDaemon } | { ok: false; why: string };

export interface ProveOptions {
  /** Whose daemon may be trusted besides root's: the invoking user's (rootless). Never set it when running as root. */
  user?: number | null;
  /** /proc, for tests that cannot change it: the default is the real one. */
  proc?: string;
  /**
   * Pids to try first (from a pidfile): only an order, never trust. Each is proven like any other; when none is the
   * daemon, /proc is scanned as without them.
   */
  candidates?: readonly number[];
}

const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

/** The uids a file in a trusted place may belong to: root, and the user whose rootless daemon this is. */
type Owners = readonly number[];

/**
 * Why the directory `dir` cannot be trusted to keep what it holds, or null when it can: it and every directory above
 * it is owned by one of `owners` and writable by nobody else, except a sticky one (/tmp), where others may add names
 * but not rename or remove what belongs to someone else (the caller checks that what it looks up there is one of
 * `owners`'). `root` prefixes every lstat: a process's /proc/PID/root for a path in another mount namespace.
 */
export async function untrustedChain(dir: string, owners: Owners, root = ''): Promise<string | null> {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const here = `/${parts.slice(0, i).join('/')}`;
    let st: Stats;
    try {
      st = await fs.lstat(root + here);
    } catch (error) {
      return `${here} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
    if (st.isSymbolicLink()) return `${here} is a symbolic link (resolve it first)`;
    if (!st.isDirectory()) return `${here} is not a directory`;
    if (!owners.includes(st.uid)) return `${here} belongs to uid ${st.uid}`;
    if ((st.mode & WRITABLE_BY_OTHERS) !== 0 && (st.mode & STICKY) === 0)
      return `${here} is writable by others (mode ${(st.mode & 0o7777).toString(8)})`;
  }
  return null;
}

/** Why a directory (which may not exist yet: its nearest existing ancestor then) is not `owners`' alone, or null. */
export async function untrustedDirectory(dir: string, owners: Owners): Promise<string | null> {
  let existing = path.resolve(dir);
  for (;;) {
    const real = await fs.realpath(existing).catch(() => null);
    if (real) return untrustedChain(real, owners);
    const parent = path.dirname(existing);
    if (parent === existing) return `${dir} cannot be resolved`;
    existing = parent;
  }
}

/** Why a file (and the directories above it) cannot be trusted as one of `owners`' own, or null. */
export async function untrustedFile(file: string, owners: Owners, root = ''): Promise<string | null> {
  let st: Stats;
  try {
    st = await fs.lstat(root + file);
  } catch (error) {
    return `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  if (!st.isFile()) return `${file} is not a regular file`;
  if (!owners.includes(st.uid)) return `${file} belongs to uid ${st.uid}`;
  if ((st.mode & WRITABLE_BY_OTHERS) !== 0) return `${file} is writable by others (mode ${(st.mode & 0o7777).toString(8)})`;
  return untrustedChain(path.dirname(file), owners, root);
}

/** Real, effective, saved and filesystem uids from /proc/PID/status. */
async function uidsOf(proc: string, pid: number): Promise<number[]> {
  const status = await fs.readFile(`${proc}/${pid}/status`, 'utf8');
  const line = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/m.exec(status);
  if (!line) throw new Error(`/proc/${pid}/status has no Uid line`);
  return line.slice(1, 5).map(Number);
}

/**
 * Listening unix stream sockets bound to a path, from a /proc/PID/net/unix table (one network namespace). A bound path
 * may itself hold a newline and forge a line, so an inode is kept only when it appears on exactly one line.
 */
export function listeningSockets(table: string): { inode: number; path: string }[] {
  const seen = new Map<number, number>();
  const bound: { inode: number; path: string }[] = [];
  for (const line of table.split('\n').slice(1)) {
    const m = /^[0-9a-f]+: [0-9A-F]{8} [0-9A-F]{8} ([0-9A-F]{8}) ([0-9A-F]{4}) ([0-9A-F]{2}) +(\d+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const inode = Number(m[4]);
    seen.set(inode, (seen.get(inode) ?? 0) + 1);
    const listening = (parseInt(m[1]!, 16) & 0x10000) !== 0 && m[2] === '0001';
    if (listening && m[5]?.startsWith('/')) bound.push({ inode, path: m[5] });
  }
  return bound.filter((s) => seen.get(s.inode) === 1);
}

/** fds read at once while looking for a socket: dockerd holds several per running container (pipes, logs, shims). */
const FD_BATCH = 64;

/**
 * Whether one of a process's open file descriptors is one of the socket inodes `wanted`. Read in ascending fd order
 * and stopped at the first hit: dockerd opens its listening sockets at start, so with thousands of descriptors of
 * running containers after them only the first batch is read.
 */
async function holdsSocket(proc: string, pid: number, wanted: ReadonlySet<number>): Promise<boolean> {
  if (wanted.size === 0) return false;
  const fds = (await fs.readdir(`${proc}/${pid}/fd`))
    .map(Number)
    .filter(Number.isInteger)
    .sort((a, b) => a - b);
  for (let start = 0; start < fds.length; start += FD_BATCH) {
    const targets = await Promise.all(
      fds.slice(start, start + FD_BATCH).map((fd) => fs.readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '')),
    );
    for (const target of targets) {
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && wanted.has(Number(m[1]))) return true;
    }
  }
  return false;
}

interface CandidateScan {
  unreadable: number;
  /** Processes whose executable is not dockerd: asked for their own name only if no daemon is proven (a refusal names impostors). */
  others: { pid: number; exe: string }[];
}

/** Pids read from /proc per batch: dockerd usually started before its containers, so the first batches hold it. */
const SCAN_BATCH = 128;

/**
 * Processes whose executable is named dockerd, by /proc/PID/exe, in ascending pid order, a batch at a time: the caller
 * stops at the first it proves, so thousands of container processes started after dockerd are not read at all. The
 * ones this user may not inspect are counted.
 */
async function* dockerdCandidates(
  proc: string,
  scan: CandidateScan,
  pids?: readonly number[],
): AsyncGenerator<{ pid: number; exeLink: string }> {
  const all =
    pids ??
    (await fs.readdir(proc))
      .filter((e) => /^\d+$/.test(e))
      .map(Number)
      .sort((a, b) => a - b);
  for (let start = 0; start < all.length; start += SCAN_BATCH) {
    const batch = await Promise.all(
      all.slice(start, start + SCAN_BATCH).map(async (pid) => {
        let exeLink: string;
        try {
          exeLink = await fs.readlink(`${proc}/${pid}/exe`);
        } catch (error) {
          // Kernel threads have no exe (ENOENT); another user's process is EACCES here, and cannot be proven anyway.
          if ((error as NodeJS.ErrnoException).code === 'EACCES' || (error as NodeJS.ErrnoException).code === 'EPERM') scan.unreadable++;
          return null;
        }
        if (path.basename(exeLink.replace(/ \(deleted\)$/, '')) === 'dockerd') return { pid, exeLink };
        scan.others.push({ pid, exe: exeLink });
        return null;
      }),
    );
    for (const candidate of batch) if (candidate) yield candidate;
  }
}

/**
 * Processes named dockerd by themselves but not by the kernel: worth naming in a refusal. Read only when no daemon was
 * proven, so a host with thousands of container processes does not read each one's name on every audit.
 */
async function impostors(proc: string, others: readonly { pid: number; exe: string }[]): Promise<{ pid: number; exe: string }[]> {
  const named = await Promise.all(
    others.map(async (o) => ((await fs.readFile(`${proc}/${o.pid}/comm`, 'utf8').catch(() => '')).trim() === 'dockerd' ? o : null)),
  );
  return named.filter((o): o is { pid: number; exe: string } => o !== null);
}

/** Why `pid` (whose exe link reads `exeLink`) is not a trusted dockerd serving `socket` (whose file is `socketStat`), or the daemon. */
async function proveCandidate(
  proc: string,
  pid: number,
  exeLink: string,
  socket: string,
  socketStat: Stats,
  owners: Owners,
): Promise<TrustedDaemon | string> {
  if (exeLink.endsWith(' (deleted)'))
    return `pid ${pid}: its executable ${exeLink} was replaced on disk since it started (restart it first)`;
  const uids = await uidsOf(proc, pid);
  if (uids[0] !== uids[1] || !owners.includes(uids[0]!))
    return `pid ${pid} runs as uid ${uids[0]} (effective ${uids[1]}), not ${owners.map((o) => (o === 0 ? 'root' : `uid ${o}`)).join(' or ')}`;
  const uid = uids[0]!;
  // In another mount namespace (rootless dockerd runs inside rootlesskit's) its paths are read through its root.
  const [ours, theirs] = await Promise.all([fs.readlink(`${proc}/self/ns/mnt`), fs.readlink(`${proc}/${pid}/ns/mnt`)]);
  const root = ours === theirs ? '' : `${proc}/${pid}/root`;
  const exeReal = root ? exeLink : await fs.realpath(exeLink);
  // The file the kernel runs (stat through the magic link) must be the file at that path, not one put there since.
  const [running, onDisk] = await Promise.all([fs.stat(`${proc}/${pid}/exe`), fs.stat(root + exeReal).catch(() => null)]);
  if (!onDisk || onDisk.dev !== running.dev || onDisk.ino !== running.ino) return `pid ${pid}: ${exeReal} is no longer the file it runs`;
  if (path.basename(exeReal) !== 'dockerd') return `pid ${pid}: its executable ${exeReal} is not dockerd`;
  // A rootless daemon's binary may be the user's own; a system daemon's must be root's.
  const exeProblem = await untrustedFile(exeReal, uid === 0 ? [0] : [0, uid], root);
  if (exeProblem) return `pid ${pid}: its executable is not a trusted dockerd: ${exeProblem}`;
  // The listening socket must be one of its own descriptors, bound to the very file the endpoint names (compared by
  // device and inode: the bound path may go through /var/run where the endpoint says /run). Only sockets bound under
  // the endpoint's file name are looked at: the table also lists every container shim's socket.
  const name = path.basename(socket);
  const bound = new Set<number>();
  for (const s of listeningSockets(await fs.readFile(`${proc}/${pid}/net/unix`, 'utf8'))) {
    if (path.basename(s.path) !== name) continue;
    const st = await fs.lstat(root + s.path).catch(() => null);
    if (st && st.dev === socketStat.dev && st.ino === socketStat.ino) bound.add(s.inode);
  }
  if (!(await holdsSocket(proc, pid, bound))) return `pid ${pid} (${exeReal}) holds no socket listening on ${socket}`;
  const argv = (await fs.readFile(`${proc}/${pid}/cmdline`)).toString('utf8').split('\0');
  if (argv.at(-1) === '') argv.pop();
  return {
    pid,
    exe: exeReal,
    argv,
    uid,
    socket,
    rootless: uid !== 0,
    proof: `pid ${pid} runs ${exeReal} (owned by ${uid === 0 ? 'root' : `uid ${uid}`} in a directory only its owner writes) as ${uid === 0 ? 'root' : `uid ${uid}`}, and holds the socket listening on ${socket}`,
  };
}

/** The real path of a unix socket endpoint (unix:///run/docker.sock or a plain path), or why it is not one. */
async function socketPath(endpoint: string): Promise<string | { why: string }> {
  const raw = endpoint.replace(/^unix:\/\//, '');
  if (!raw.startsWith('/')) return { why: `${endpoint} is not a local unix socket` };
  try {
    // The directory may be a symlink (/var/run → /run); the socket itself must not be.
    return path.join(await fs.realpath(path.dirname(raw)), path.basename(raw));
  } catch (error) {
    return { why: `${path.dirname(raw)} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}

/**
 * Proves which dockerd serves the unix socket `endpoint`: a dockerd binary (by /proc/PID/exe) owned by root (or, with
 * `user`, by that user or root) in directories only their owner writes, run as root (or that user), holding among its
 * own descriptors the socket that listens on that path in its network namespace; the socket file belongs to the
 * same owner, in directories nobody else can change.
 */
export async function proveDaemon(endpoint: string, options: ProveOptions = {}): Promise<DaemonProof> {
  const proc = options.proc ?? '/proc';
  const owners: Owners = options.user != null && options.user !== 0 ? [0, options.user] : [0];
  const socket = await socketPath(endpoint);
  if (typeof socket !== 'string') return { ok: false, why: socket.why };
  const socketStat = await fs.lstat(socket).catch(() => null);
  if (!socketStat) return { ok: false, why: `${socket} does not exist: no daemon listens there` };
  if (!socketStat.isSocket()) return { ok: false, why: `${socket} is not a socket` };
  if (!owners.includes(socketStat.uid)) {
    const rootless = options.user == null ? " (a rootless daemon's fixes never need root: run dockhand as that user, without sudo)" : '';
    return {
      ok: false,
      why: `${socket} belongs to uid ${socketStat.uid}, not ${owners.length > 1 ? `root or uid ${owners[1]}` : 'root'}${rootless}`,
    };
  }
  const chain = await untrustedChain(path.dirname(socket), owners);
  if (chain) return { ok: false, why: `${socket} is in a place others can change: ${chain}` };
  // A socket in a user's directory may only be served by that user's daemon (and root's only from root's places).
  const serving: Owners = socketStat.uid === 0 ? owners : [socketStat.uid];
  const reasons: string[] = [];
  const tried = new Set<number>();
  const prove = async ({ pid, exeLink }: { pid: number; exeLink: string }): Promise<TrustedDaemon | null> => {
    if (tried.has(pid)) return null;
    tried.add(pid);
    try {
      const result = await proveCandidate(proc, pid, exeLink, socket, socketStat, serving);
      if (typeof result !== 'string') return result;
      reasons.push(result);
    } catch (error) {
      // Exited while being read, or not ours to read.
      reasons.push(`pid ${pid} could not be inspected (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return null;
  };
  const hinted: CandidateScan = { unreadable: 0, others: [] };
  for await (const candidate of dockerdCandidates(proc, hinted, options.candidates ?? [])) {
    const daemon = await prove(candidate);
    if (daemon) return { ok: true, daemon };
  }
  // Reasons about a hinted pid that is not the daemon would only confuse the refusal: the scan below names it again.
  reasons.length = 0;
  tried.clear();
  const scan: CandidateScan = { unreadable: 0, others: [] };
  for await (const candidate of dockerdCandidates(proc, scan)) {
    const daemon = await prove(candidate);
    if (daemon) return { ok: true, daemon };
  }
  reasons.push(...(await impostors(proc, scan.others)).map(({ pid, exe }) => `pid ${pid} calls itself dockerd but runs ${exe}`));
  if (tried.size === 0 && scan.unreadable > 0)
    reasons.push(`${scan.unreadable} process(es) of other users cannot be inspected from this account`);
  return {
    ok: false,
    why: `no process is proven to be the dockerd serving ${socket}${reasons.length ? `: ${reasons.join('; ')}` : ': no dockerd is running'}`,
  };
}
