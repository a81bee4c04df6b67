import { accessSync, constants, readFileSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What dockerd checks against the host while it starts, as the pre-flight may ask it. The pre-flight itself stays pure:
 * without these facts a host-dependent rule is a warning that says what dockerd will check; with them it is a verdict.
 */
export interface HostFacts {
  /** The file's text, or null when it does not exist or cannot be read. */
  readFile(file: string): string | null;
  /** A regular file that can be executed. */
  isExecutable(file: string): boolean;
  /** systemd runs as PID 1 (its cgroup driver and journald need it). */
  systemd: boolean;
  /** journald's socket exists (the journald log driver needs it). */
  journald: boolean;
  /** The filesystem type under a path (its nearest existing parent), e.g. "ext4", "btrfs"; null when unknown. */
  filesystemOf(file: string): string | null;
  /** Filesystems the kernel knows (/proc/filesystems), e.g. "overlay", "aufs". */
  kernelFilesystems: readonly string[];
  /** dockerd's hard limit for a ulimit name ("nofile"), as it inherits it; null when unlimited or unknown. */
  hardLimit(ulimit: string): number | null;
  /** Whether dockerd may raise a hard limit above its own (CAP_SYS_RESOURCE in its effective set). */
  canRaiseLimits: boolean;
  /** A group of that name exists (/etc/group). */
  groupExists(name: string): boolean;
  /** A program on dockerd's search path (/usr/local/sbin … /bin), e.g. a containerd shim. */
  hasCommand(name: string): boolean;
}

/** ulimit names (go-units) to the rows of /proc/self/limits. */
const LIMIT_ROWS: Record<string, string> = {
  core: 'Max core file size', cpu: 'Max cpu time', data: 'Max data size', fsize: 'Max file size', locks: 'Max file locks',
  memlock: 'Max locked memory', msgqueue: 'Max msgqueue size', nice: 'Max nice priority', nofile: 'Max open files',
  nproc: 'Max processes', rss: 'Max resident set', rtprio: 'Max realtime priority', rttime: 'Max realtime timeout',
  sigpending: 'Max pending signals', stack: 'Max stack size',
};
const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const MAGIC: Record<number, string> = { 0xef53: 'ext4', 0x9123683e: 'btrfs', 0x2fc12fc1: 'zfs', 0x58465342: 'xfs', 0x794c7630: 'overlay', 0x01021994: 'tmpfs', 0x63677270: 'cgroup2' };

/** The facts of the machine this process runs on (for `dockhand daemon-config check` and the oracle test). */
export function localHostFacts(): HostFacts {
  const exists = (file: string) => {
    try {
      statSync(file);
      return true;
    } catch {
      return false;
    }
  };
  let kernelFilesystems: string[] = [];
  try {
    kernelFilesystems = readFileSync('/proc/filesystems', 'utf8').split('\n').map((l) => l.split('\t').at(-1)!.trim()).filter(Boolean);
  } catch {
    // not Linux: no kernel facts
  }
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  const isExecutable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(read('/proc/self/status') ?? '')?.[1];
  const limits = read('/proc/self/limits') ?? '';
  return {
    readFile: read,
    isExecutable,
    hardLimit(ulimit) {
      const row = LIMIT_ROWS[ulimit];
      const line = row ? limits.split('\n').find((l) => l.startsWith(row)) : undefined;
      const hard = line?.slice(row!.length).trim().split(/\s+/)[1];
      return hard && /^\d+$/.test(hard) ? Number(hard) : null;
    },
    // CAP_SYS_RESOURCE is capability 24.
    canRaiseLimits: capEff !== undefined && (BigInt(`0x${capEff}`) & (1n << 24n)) !== 0n,
    hasCommand: (name) => SEARCH_PATH.some((dir) => isExecutable(path.join(dir, name))),
    groupExists: (name) => (read('/etc/group') ?? '').split('\n').some((l) => l.startsWith(`${name}:`)),
    systemd: exists('/run/systemd/system'),
    journald: exists('/run/systemd/journal/socket'),
    filesystemOf(file) {
      let at = path.resolve(file);
      while (!exists(at) && at !== path.dirname(at)) at = path.dirname(at);
      try {
        return MAGIC[statfsSync(at).type] ?? null;
      } catch {
        return null;
      }
    },
    kernelFilesystems,
  };
}

/** The answers a HostFacts gave, by question: how the oracle's recording keeps the recorder host's facts. */
export interface HostFactsSnapshot {
  systemd: boolean;
  journald: boolean;
  kernelFilesystems: string[];
  canRaiseLimits: boolean;
  readFile: Record<string, string | null>;
  isExecutable: Record<string, boolean>;
  filesystemOf: Record<string, string | null>;
  hardLimit: Record<string, number | null>;
  hasCommand: Record<string, boolean>;
  groupExists: Record<string, boolean>;
}

/** Wraps facts so that every question asked and its answer are kept in `snapshot`. */
export function recordingHostFacts(facts: HostFacts): { facts: HostFacts; snapshot: HostFactsSnapshot } {
  const snapshot: HostFactsSnapshot = {
    systemd: facts.systemd,
    journald: facts.journald,
    kernelFilesystems: [...facts.kernelFilesystems],
    canRaiseLimits: facts.canRaiseLimits,
    readFile: {},
    isExecutable: {},
    filesystemOf: {},
    hardLimit: {},
    hasCommand: {},
    groupExists: {},
  };
  const keep = <T>(table: Record<string, T>, ask: (arg: string) => T) => (arg: string) => (table[arg] = ask(arg));
  return {
    snapshot,
    facts: {
      ...snapshot,
      readFile: keep(snapshot.readFile, (f) => facts.readFile(f)),
      isExecutable: keep(snapshot.isExecutable, (f) => facts.isExecutable(f)),
      filesystemOf: keep(snapshot.filesystemOf, (f) => facts.filesystemOf(f)),
      hardLimit: keep(snapshot.hardLimit, (u) => facts.hardLimit(u)),
      hasCommand: keep(snapshot.hasCommand, (c) => facts.hasCommand(c)),
      groupExists: keep(snapshot.groupExists, (g) => facts.groupExists(g)),
    },
  };
}

/** Answers from a snapshot; a question it does not hold is an error (the snapshot is older than the rules). */
export function replayHostFacts(snapshot: HostFactsSnapshot): HostFacts {
  const answer = <T>(table: Record<string, T>, what: string) => (arg: string): T => {
    if (!(arg in table)) throw new Error(`the recorded host facts do not say ${what}(${JSON.stringify(arg)}): re-record them (npm run oracle:record -- --facts-only)`);
    return table[arg] as T;
  };
  return {
    ...snapshot,
    readFile: answer(snapshot.readFile, 'readFile'),
    isExecutable: answer(snapshot.isExecutable, 'isExecutable'),
    filesystemOf: answer(snapshot.filesystemOf, 'filesystemOf'),
    hardLimit: answer(snapshot.hardLimit, 'hardLimit'),
    hasCommand: answer(snapshot.hasCommand, 'hasCommand'),
    groupExists: answer(snapshot.groupExists, 'groupExists'),
  };
}
