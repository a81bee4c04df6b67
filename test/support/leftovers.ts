// What a test's private daemons leave when they stop, and what the whole suite left: processes told apart by what the
// kernel says of them (/proc/PID/exe, their arguments, their parent), mounts by /proc/self/mountinfo, directories by
// the prefix every test's temporary directory has. Used to stop a daemon's whole tree, and by the suite's last check.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processStartTicks } from '../../main/util/process';

/** Every temporary directory of the suite starts with this, under the temporary directory (os.tmpdir()). */
export const SUITE_PREFIX = 'dkh-';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The program the kernel runs (/proc/PID/exe), by its base name: not what the process calls itself. */
  program: string;
  argv: string[];
}

/** The processes now, read from /proc; one that ends while it is read is left out. */
export function processTable(): ProcessEntry[] {
  const table: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      let program = '';
      try {
        program = path.basename(readlinkSync(`/proc/${entry}/exe`).replace(/ \(deleted\)$/, ''));
      } catch {
        // a kernel thread, or one that is exiting: no program to judge
      }
      table.push({ pid: Number(entry), ppid, program, argv });
    } catch {
      // gone while being read
    }
  }
  return table;
}

/** `roots` and every process below them, the deepest first. */
export function withDescendants(table: readonly ProcessEntry[], roots: readonly number[]): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const visit = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    for (const p of table) if (p.ppid === pid) visit(p.pid);
    out.push(pid);
  };
  for (const pid of roots) visit(pid);
  return out;
}

const DAEMON_PROGRAMS = /^(dockerd|containerd|containerd-shim\S*|docker-proxy)$/;

/**
 * What one private daemon runs, by its directory: dockerd, its containerd and the shims (whose `-address` is the
 * containerd socket under the daemon's exec-root), each a program the kernel names and given a path under `dir`;
 * with the containers' processes below them.
 */
export function daemonTree(dir: string, table = processTable()): number[] {
  const under = `${dir}/`;
  const roots = table
    .filter((p) => DAEMON_PROGRAMS.test(p.program) && p.argv.some((a) => a.startsWith(under) || a.includes(`=${under}`)))
    .map((p) => p.pid);
  return withDescendants(table, roots);
}

/** Sends `sig` to each of `pids` that is still there. */
export function signalAll(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

/** Whether any of `pids` still runs (a zombie does not: it only waits for its parent to reap it). */
export const anyAlive = (pids: readonly number[]): boolean => pids.some(alive);

/** SIGKILL at once, without waiting: for a process that is exiting and cannot wait any more. */
export function killTreeNow(dir: string): void {
  signalAll(daemonTree(dir), 'SIGKILL');
}

/** Mount points under `dir`, the deepest first (/proc/self/mountinfo; spaces and the like octal-escaped there). */
export function mountsUnder(dir: string): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((m) => m.startsWith(`${dir}/`) || m === dir)
    .sort((a, b) => b.length - a.length);
}

/** Unmounts (lazily: a busy mount goes once nothing uses it) and removes a directory, synchronously. */
export function removeDirNow(dir: string): void {
  for (const m of mountsUnder(dir)) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      // gone already
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** When a process started, in ms since the epoch (its start in clock ticks after boot; USER_HZ is 100 on Linux). */
function startedAt(pid: number): number | null {
  const ticks = processStartTicks(pid);
  const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
  return ticks === null || btime === undefined ? null : Number(btime) * 1000 + Number(ticks) * 10;
}

export interface SuiteLeftovers {
  processes: string[];
  mounts: string[];
  dirs: string[];
}

/**
 * How far before `since` a leftover may seem made: the kernel's boot time is whole seconds (a process's start), and a
 * file's times come from a clock that lags the one Date.now() reads by a tick.
 */
const SLACK_MS = 1000;

/**
 * What the suite left, made since `since` (ms since the epoch, less SLACK_MS): processes of the programs the tests
 * start (daemons, shims, sshd, Chromium) whose arguments name a suite directory, with what runs below them; mounts
 * under a suite directory; suite directories.
 */
export function suiteLeftovers(since = 0, tmp = os.tmpdir()): SuiteLeftovers {
  const prefix = path.join(tmp, SUITE_PREFIX);
  const table = processTable();
  const programs = /^(dockerd|containerd|containerd-shim\S*|docker-proxy|sshd|chromium|chrome|headless_shell|node)$/;
  const roots = table.filter(
    (p) =>
      p.pid !== process.pid &&
      programs.test(p.program) &&
      p.argv.some((a) => a.includes(prefix)) &&
      (startedAt(p.pid) ?? Infinity) >= since - SLACK_MS,
  );
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const processes = withDescendants(
    table,
    roots.map((p) => p.pid),
  ).map((pid) => `${pid} ${byPid.get(pid)?.argv.join(' ').slice(0, 300) ?? ''}`);
  const dirs: string[] = [];
  for (const name of readdirSync(tmp)) {
    if (!name.startsWith(SUITE_PREFIX)) continue;
    try {
      const stat = statSync(path.join(tmp, name));
      const made = stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.ctimeMs;
      if (made >= since - SLACK_MS) dirs.push(path.join(tmp, name));
    } catch {
      // removed while being looked at
    }
  }
  const mounts = mountsUnder(tmp).filter((m) => m.startsWith(prefix));
  return { processes, mounts, dirs };
}
