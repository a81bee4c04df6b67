import type { FactErrorCode } from '../../shared/fact';

export interface FileStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  isFile: boolean;
  isDirectory: boolean;
  isSocket: boolean;
  mtimeMs: number;
  /** The inode number where the host can tell (a /proc/PID/ns/* link stats as its namespace's inode). */
  ino?: number;
}

/** Space and inodes of the filesystem holding a path (statfs(2)). */
export interface FsStat {
  totalBytes: number;
  availableBytes: number;
  totalInodes: number;
  freeInodes: number;
}

export interface CommandResult {
  /** null when the process was killed (timeout) or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Output beyond maxBytes was dropped. */
  truncated: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  maxBytes?: number;
  /** Decode stdout as UTF-16LE (wsl.exe) instead of UTF-8. */
  encoding?: 'utf8' | 'utf16le';
}

export interface HostUser {
  username: string;
  uid: number | null;
  gid: number | null;
  home: string;
  processGroups: number[];
}

/**
 * Everything collectors may ask of a machine. Implementations: the local machine, a root-prefixed
 * filesystem (an offline golden image), recorded fixtures for platforms that cannot run here.
 */
export interface Host {
  readonly kind: 'local' | 'rootfs' | 'fixture';
  readonly platform: 'linux' | 'darwin' | 'win32';
  /** Reads a whole file; throws HostError ('too-large' past maxBytes). */
  readFile(path: string, maxBytes?: number): Promise<Buffer>;
  stat(path: string): Promise<FileStat>;
  readDir(path: string): Promise<string[]>;
  statfs(path: string): Promise<FsStat>;
  /** Runs a program without a shell; throws HostError('unsupported') where commands cannot run (offline root). */
  run(command: string, args: string[], options: RunOptions): Promise<CommandResult>;
  env(name: string): string | undefined;
  user(): HostUser;
  hostname(): string;
  /** How a path is shown to the user (relative to the root for an offline root). */
  displayPath(path: string): string;
}

export class HostError extends Error {
  constructor(
    readonly code: FactErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** Maps a Node system error to a HostError whose message names what failed. */
export function toHostError(error: unknown, what: string): HostError {
  if (error instanceof HostError) return error;
  const err = error as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new HostError('not-found', `${what}: no such file or directory`, err.path);
    case 'EACCES':
    case 'EPERM':
      return new HostError('permission-denied', `${what}: permission denied`, err.path);
    case 'EISDIR':
      return new HostError('malformed', `${what}: is a directory, not a file`, err.path);
    default:
      return new HostError('failed', `${what}: ${err?.message ?? String(error)}`, err?.path);
  }
}
