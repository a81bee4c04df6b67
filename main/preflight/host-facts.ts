import { accessSync, constants, readFileSync, type Stats, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HostAnswers } from '../../shared/facts/daemon-host';
import { resolveInRoot } from '../util/path-in-root';

export type { HostAnswers };

/**
 * What dockerd checks against the host while it starts, as the pre-flight may ask it. The pre-flight itself stays pure:
 * without these facts (or when an answer is null: this process cannot tell) a host-dependent rule is a warning that
 * says what dockerd will check; with an answer it is a verdict. Every question is answered without handing over a
 * file's contents, so the answers can be kept in a facts snapshot (a TLS key is "readable", never its bytes).
 */
export interface HostFacts {
  /** A regular file dockerd (root) can read (TLS material, a seccomp profile, a sysfs attribute). */
  readable(file: string): boolean | null;
  /** A regular file dockerd (root) can execute. */
  isExecutable(file: string): boolean | null;
  /** The file's text is JSON (a seccomp profile, decoded when each container starts). */
  holdsJson(file: string): boolean | null;
  /** systemd runs as PID 1 (its cgroup driver and journald need it). */
  systemd: boolean | null;
  /** journald's socket exists (the journald log driver needs it). */
  journald: boolean | null;
  /** The filesystem type under a path (its nearest existing parent), e.g. "ext4", "btrfs", or its magic number. */
  filesystemOf(file: string): string | null;
  /** Filesystems the kernel knows (/proc/filesystems), e.g. "overlay", "aufs". */
  kernelFilesystems: readonly string[] | null;
  /** cpu.rt_runtime_us of the root cgroup; "none" when the kernel has no real-time group scheduling (or cgroup v2). */
  realtimeBudget: number | 'none' | null;
  /** dockerd's hard limit for a ulimit name ("nofile"), as it inherits it; null when unlimited or unknown. */
  hardLimit(ulimit: string): number | null;
  /** Whether dockerd may raise a hard limit above its own (CAP_SYS_RESOURCE in its effective set). */
  canRaiseLimits: boolean | null;
  /** A group of that name exists (/etc/group). */
  groupExists(name: string): boolean | null;
  /** A program on dockerd's search path (/usr/local/sbin … /bin), e.g. a containerd shim. */
  hasCommand(name: string): boolean | null;
  /** The user has subordinate id ranges in /etc/subuid (userns-remap needs them). */
  hasSubordinateIds(user: string): boolean | null;
}

/** ulimit names (go-units) to the rows of /proc/PID/limits. */
const LIMIT_ROWS: Record<string, string> = {
  core: 'Max core file size',
  cpu: 'Max cpu time',
  data: 'Max data size',
  fsize: 'Max file size',
  locks: 'Max file locks',
  memlock: 'Max locked memory',
  msgqueue: 'Max msgqueue size',
  nice: 'Max nice priority',
  nofile: 'Max open files',
  nproc: 'Max processes',
  rss: 'Max resident set',
  rtprio: 'Max realtime priority',
  rttime: 'Max realtime timeout',
  sigpending: 'Max pending signals',
  stack: 'Max stack size',
};
const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const MAGIC: Record<number, string> = {
  0xef53: 'ext4',
  0x9123683e: 'btrfs',
  0x2fc12fc1: 'zfs',
  0x58465342: 'xfs',
  0x794c7630: 'overlay',
  0x01021994: 'tmpfs',
  0x63677270: 'cgroup2',
};
/** A seccomp profile larger than this is not read to see whether it is JSON (dockerd's own are about 20 KiB). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/** Errors that mean "there is nothing there" rather than "this process may not look". */
const absent = (error: unknown) => ['ENOENT', 'ENOTDIR', 'ELOOP'].includes((error as NodeJS.ErrnoException).code ?? '');

export interface LocalHostOptions {
  /**
   * The dockerd process whose limits and capabilities count (/proc/PID): "self" (the default) when dockerd will inherit
   * this process's (the oracle recorder starts it), null when unknown (a limit is then never judged).
   */
  pid?: number | 'self' | null;
  /**
   * An offline root (an unpacked image, a mounted disk): files are answered inside it (symlinks never leave it), and
   * what only a running kernel knows (systemd, filesystems, limits) is unknown.
   */
  root?: string | null;
}

/**
 * The facts of the machine this process runs on, as dockerd (root) would find them. As another user, a file's
 * readability and executability for root are read from its stat, so a 0600 TLS key of root's is readable to dockerd;
 * what this process cannot even stat (a file under /root) is unknown, never "missing".
 */
export function localHostFacts(options: LocalHostOptions = {}): HostFacts {
  const root = options.root ? path.resolve(options.root) : null;
  const asRoot = process.getuid?.() === 0;
  // A symlink loop inside the root is a path that leads nowhere, as it is for dockerd.
  const where = (file: string) => {
    const at = root ? resolveInRoot(root, file) : file;
    if (at === null) throw Object.assign(new Error(`${file}: too many levels of symbolic links`), { code: 'ELOOP' });
    return at;
  };
  const stat = (file: string): Stats | 'absent' | null => {
    try {
      return statSync(where(file));
    } catch (error) {
      return absent(error) ? 'absent' : null;
    }
  };
  const fileAnswer = (file: string, mode: number, bits: number): boolean | null => {
    const st = stat(file);
    if (st === 'absent') return false;
    if (st === null) return null;
    if (!st.isFile()) return false;
    if (!asRoot) return bits === 0 || (st.mode & bits) !== 0;
    try {
      accessSync(where(file), mode);
      return true;
    } catch {
      return false;
    }
  };
  const text = (file: string): string | 'absent' | null => {
    try {
      return readFileSync(where(file), 'utf8');
    } catch (error) {
      return absent(error) ? 'absent' : null;
    }
  };
  const lines = (file: string) => {
    const t = text(file);
    return t === null ? null : t === 'absent' ? [] : t.split('\n');
  };
  const isExecutable = (file: string) => fileAnswer(file, constants.X_OK, 0o111);
  const hasCommand = (name: string) => {
    const answers = SEARCH_PATH.map((dir) => isExecutable(path.join(dir, name)));
    return answers.includes(true) ? true : answers.includes(null) ? null : false;
  };
  const common = {
    readable: (file: string) => fileAnswer(file, constants.R_OK, 0),
    isExecutable,
    holdsJson(file: string) {
      const st = stat(file);
      if (st === 'absent') return false;
      if (st === null || !st.isFile() || st.size > MAX_JSON_BYTES) return null;
      const t = text(file);
      if (t === null || t === 'absent') return null;
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    },
    hasCommand,
    groupExists: (name: string) => lines('/etc/group')?.some((l) => l.startsWith(`${name}:`)) ?? null,
    hasSubordinateIds: (user: string) => lines('/etc/subuid')?.some((l) => l.startsWith(`${user}:`)) ?? null,
  };
  if (root) {
    return {
      ...common,
      systemd: null,
      journald: null,
      kernelFilesystems: null,
      realtimeBudget: null,
      canRaiseLimits: null,
      filesystemOf: () => null,
      hardLimit: () => null,
    };
  }
  const read = (file: string) => {
    const t = text(file);
    return t === 'absent' ? null : t;
  };
  const proc = options.pid === undefined ? '/proc/self' : options.pid === null ? null : `/proc/${options.pid}`;
  const capEff = proc ? /^CapEff:\s*([0-9a-f]+)$/m.exec(read(`${proc}/status`) ?? '')?.[1] : undefined;
  const limits = proc ? read(`${proc}/limits`) : null;
  const budget = text('/sys/fs/cgroup/cpu/cpu.rt_runtime_us');
  return {
    ...common,
    hardLimit(ulimit) {
      const row = LIMIT_ROWS[ulimit];
      const line = row ? limits?.split('\n').find((l) => l.startsWith(row)) : undefined;
      const hard = line?.slice(row!.length).trim().split(/\s+/)[1];
      return hard && /^\d+$/.test(hard) ? Number(hard) : null;
    },
    // CAP_SYS_RESOURCE is capability 24.
    canRaiseLimits: capEff === undefined ? null : (BigInt(`0x${capEff}`) & (1n << 24n)) !== 0n,
    systemd: stat('/run/systemd/system') === null ? null : stat('/run/systemd/system') !== 'absent',
    journald: stat('/run/systemd/journal/socket') === null ? null : stat('/run/systemd/journal/socket') !== 'absent',
    filesystemOf(file) {
      let at = path.resolve(file);
      while (stat(at) === 'absent' && at !== path.dirname(at)) at = path.dirname(at);
      try {
        const type = statfsSync(at).type;
        return MAGIC[type] ?? `0x${type.toString(16)}`;
      } catch {
        return null;
      }
    },
    kernelFilesystems:
      read('/proc/filesystems')
        ?.split('\n')
        .map((l) => l.split('\t').at(-1)!.trim())
        .filter(Boolean) ?? null,
    realtimeBudget: budget === 'absent' ? 'none' : budget === null || !/^\d+\s*$/.test(budget) ? null : Number(budget),
  };
}

const QUESTIONS = [
  'readable',
  'isExecutable',
  'holdsJson',
  'filesystemOf',
  'hardLimit',
  'hasCommand',
  'groupExists',
  'hasSubordinateIds',
] as const;
type Question = (typeof QUESTIONS)[number];

/** Wraps facts so that every question asked and its answer are kept in `snapshot`. */
export function recordingHostFacts(facts: HostFacts): { facts: HostFacts; snapshot: HostAnswers } {
  const snapshot: HostAnswers = {
    systemd: facts.systemd,
    journald: facts.journald,
    kernelFilesystems: facts.kernelFilesystems ? [...facts.kernelFilesystems] : null,
    canRaiseLimits: facts.canRaiseLimits,
    realtimeBudget: facts.realtimeBudget,
    readable: {},
    isExecutable: {},
    holdsJson: {},
    filesystemOf: {},
    hardLimit: {},
    hasCommand: {},
    groupExists: {},
    hasSubordinateIds: {},
  };
  const recording = { ...facts };
  for (const question of QUESTIONS) {
    const table = snapshot[question] as Record<string, unknown>;
    const ask = facts[question] as (arg: string) => unknown;
    (recording as Record<Question, unknown>)[question] = (arg: string) => (table[arg] = ask(arg));
  }
  return { snapshot, facts: recording };
}

/**
 * Answers from a snapshot. A question it does not hold is an error when `strict` (the oracle's recording is older
 * than the rules), else unknown (a facts snapshot judged by a newer Dockhand whose rules ask more).
 */
export function replayHostFacts(snapshot: HostAnswers, { strict = true }: { strict?: boolean } = {}): HostFacts {
  const replay: Record<string, unknown> = { ...snapshot };
  for (const question of QUESTIONS) {
    const table = snapshot[question] as Record<string, unknown>;
    replay[question] = (arg: string) => {
      if (Object.hasOwn(table, arg)) return table[arg];
      if (strict)
        throw new Error(
          `the recorded host facts do not say ${question}(${JSON.stringify(arg)}): re-record them (npm run oracle:record -- --facts-only)`,
        );
      return null;
    };
  }
  return replay as unknown as HostFacts;
}
