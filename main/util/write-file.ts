// The one way Dockhand writes a file (reports, facts, settings, the last audit, fix changes, the fix journal), so that
// every writer treats what is already at the path the same way:
//  - a regular file (or a new one) is replaced atomically: a temporary file in the same directory, fsync, rename over
//    it, fsync the directory; a reader, a kill or a power cut sees the old bytes or the new, never a mix;
//  - a FIFO or a character device (`-o /dev/stdout`, a pipe, /dev/null) is written straight through, never renamed
//    over: renaming over /dev/null as root leaves a regular file there and breaks the host;
//  - a symlink is followed and its target written the same way, so the link stays (config management, NixOS);
//    a dangling link gets its target created when the target's directory exists;
//  - a directory, a socket or a block device is refused with a message saying what is there.
import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { processAlive, processStartTicks } from './process';
import { testHook } from './test-hook';

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** What is at a path cannot be written as a file (a directory, a socket, a block device, a link loop). */
export class WriteTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteTargetError';
  }
}

export interface FileState {
  exists: boolean;
  bytes: Buffer | null;
  sha256: string | null;
  mode: number | null;
  uid: number | null;
  gid: number | null;
}

/** The file's bytes and ownership now (through symlinks, as it is written); a missing file is a state, not an error. */
export async function readFileState(file: string): Promise<FileState> {
  try {
    const [bytes, stat] = await Promise.all([fs.readFile(file), fs.stat(file)]);
    return { exists: true, bytes, sha256: sha256(bytes), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { exists: false, bytes: null, sha256: null, mode: null, uid: null, gid: null };
    throw error;
  }
}

/** Where a write to a path lands once symlinks are followed, and how it is written there. */
export type WriteTarget =
  /** Replaced (or created) atomically; `stat` is null for a file that does not exist yet. */
  | { kind: 'replace'; path: string; stat: Stats | null; viaLink: boolean }
  /** Opened and written in place: a FIFO or a character device. */
  | { kind: 'stream'; path: string; stat: Stats; viaLink: boolean };

/** Linux's own limit on symlinks followed in one lookup (ELOOP past it). */
const MAX_LINKS = 40;

function describe(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** `file` in its parent's real path (no symlinked directory left in it); a missing parent stays as it is. */
async function realParent(file: string): Promise<string> {
  const dir = await fs.realpath(path.dirname(file)).catch(() => path.dirname(file));
  return path.join(dir, path.basename(file));
}

/**
 * Follows `file` through symlinks to what a write would change. A missing target behind a link is created only in a
 * directory that exists (no directories are made on a link's say-so). As root, a link another user owns is followed
 * only to a file that user owns, so a link planted in a user's directory cannot aim root's write at a system file
 * (the kernel's protected_symlinks does this for sticky directories only). `followLinks: false` refuses any link: for
 * Dockhand's own state, where a link can only be someone else's doing.
 */
export async function resolveWriteTarget(file: string, followLinks = true): Promise<WriteTarget> {
  let current = path.resolve(file);
  const linkOwners = new Set<number>();
  const linkAllowed = (target: Stats | null) => {
    if (process.getuid?.() !== 0) return;
    for (const uid of linkOwners) {
      if (uid !== 0 && target?.uid !== uid)
        throw new WriteTargetError(
          `${file} is a symlink owned by uid ${uid} to ${current}${target ? `, owned by uid ${target.uid}` : ''}: root does not follow a link another user controls to a file that user does not own`,
        );
    }
  };
  for (let links = 0; ;) {
    let stat: Stats;
    try {
      stat = await fs.lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (links > 0) {
        const dir = await fs.stat(path.dirname(current)).catch(() => null);
        if (!dir?.isDirectory())
          throw new WriteTargetError(
            `${file} is a symlink to ${current}, whose directory does not exist: create it, or point the link elsewhere`,
          );
      }
      linkAllowed(null);
      return { kind: 'replace', path: await realParent(current), stat: null, viaLink: links > 0 };
    }
    if (stat.isSymbolicLink()) {
      if (!followLinks) throw new WriteTargetError(`${file} is a symlink: not followed for Dockhand's own files`);
      if (++links > MAX_LINKS) throw new WriteTargetError(`${file}: too many levels of symbolic links`);
      linkOwners.add(stat.uid);
      current = path.resolve(path.dirname(current), await fs.readlink(current));
      continue;
    }
    if (stat.isFile() || stat.isFIFO() || stat.isCharacterDevice()) linkAllowed(stat);
    if (stat.isFile()) return { kind: 'replace', path: await realParent(current), stat, viaLink: links > 0 };
    if (stat.isFIFO() || stat.isCharacterDevice()) return { kind: 'stream', path: await realParent(current), stat, viaLink: links > 0 };
    throw new WriteTargetError(`cannot write ${file}: ${current === path.resolve(file) ? 'it' : current} is ${describe(stat)}, not a file`);
  }
}

export interface WriteOptions {
  /** Mode of the file; default: an existing file's own mode, 0644 for a new one. */
  mode?: number | null;
  /** Owner to give the file when running as root; default: an existing file's own owner. */
  uid?: number | null;
  gid?: number | null;
  /** Create missing parent directories (of a plain path, never of a link's target) with this mode. */
  mkdirMode?: number;
  /** false: refuse a symlink at the path instead of writing its target (Dockhand's own state: the journal). */
  followLinks?: boolean;
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Not every platform can open a directory (Windows): there the rename is as durable as the OS makes it.
  const handle = await fs.open(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0)).catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** What a file is written from: all of it at once, or pieces in order (a big report, never one string in memory). */
export type FileData = Buffer | string | Uint8Array | Iterable<string>;

async function writeData(handle: fs.FileHandle, data: Buffer | string | Iterable<string>): Promise<void> {
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    await handle.writeFile(data);
    return;
  }
  // writeFile on a handle writes from the current position, all of it: the pieces follow each other.
  for (const piece of data) await handle.writeFile(piece);
}

/** Writes into a FIFO or a device as it is; no temporary file, no rename, no fsync (neither has anything to sync). */
async function writeThrough(target: WriteTarget & { kind: 'stream' }, data: Buffer | string | Iterable<string>): Promise<void> {
  const handle = await fs.open(target.path, constants.O_WRONLY | (constants.O_NOCTTY ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    // Checked on the open descriptor: what was opened is what was looked at, not something swapped in since.
    const opened = await handle.stat();
    if (opened.dev !== target.stat.dev || opened.ino !== target.stat.ino)
      throw new WriteTargetError(`${target.path} changed while it was being opened: not written`);
    await writeData(handle, data);
  } finally {
    await handle.close();
  }
}

async function replaceAtomically(
  target: WriteTarget & { kind: 'replace' },
  data: Buffer | string | Iterable<string>,
  options: WriteOptions,
): Promise<void> {
  const dir = path.dirname(target.path);
  // The writer's pid and start time name it: a leftover is provably a dead writer's even once its pid is reused.
  const tmp = path.join(dir, `.${path.basename(target.path)}.dockhand-${process.pid}-${ownStart()}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = options.mode ?? (target.stat ? target.stat.mode & 0o7777 : 0o644);
  const uid = options.uid ?? target.stat?.uid ?? null;
  const gid = options.gid ?? target.stat?.gid ?? null;
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    try {
      // The directory was resolved to its real path; one swapped for a symlink since would redirect the rename.
      if ((await fs.realpath(dir)) !== dir)
        throw new WriteTargetError(`${dir} changed while ${target.path} was being written: not written`);
      await writeData(handle, data);
      // Ownership first, mode second: chown clears setuid bits, and the mode must be the one asked for.
      if (uid !== null && gid !== null && process.getuid?.() === 0) await handle.chown(uid, gid);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    testHook('write-file:before-rename', target.path);
    await fs.rename(tmp, target.path);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await removeStaleTemporaries(dir, path.basename(target.path));
  await fsyncDirectory(dir);
}

/** This process's start time, in the leftovers' names ("0" where there is no /proc to read it from). */
let ownStartTicks: string | undefined;
const ownStart = () => (ownStartTicks ??= processStartTicks(process.pid) ?? '0');

/**
 * A writer killed (SIGKILL, a power cut) between creating its temporary file and renaming it leaves that file behind:
 * nothing can prevent it. The next write of the same file removes such leftovers: ours by name, made by a process that
 * no longer runs (no process has that pid, or the one that has it started at another time: the pid was reused), and
 * owned by this user (never anyone else's file, even as root).
 */
async function removeStaleTemporaries(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.dockhand-`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const writer = /^(\d+)(?:-(\d+))?-[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (!writer || writerRuns(Number(writer[1]), writer[2])) continue;
    const file = path.join(dir, name);
    const stat = await fs.lstat(file).catch(() => null);
    if (stat?.isFile() && stat.uid === process.geteuid?.()) await fs.rm(file, { force: true }).catch(() => undefined);
  }
}

/** Whether the writer of a temporary file may still be at work; unsure (no start time to compare) counts as yes. */
function writerRuns(pid: number, startTicks: string | undefined): boolean {
  if (pid !== process.pid && !processAlive(pid)) return false;
  if (startTicks === undefined || startTicks === '0') return true;
  const now = pid === process.pid ? ownStart() : processStartTicks(pid);
  return now === null || now === startTicks;
}

/** Writes `data` to `file` by the rules at the top of this module. */
export async function writeFile(file: string, data: FileData, options: WriteOptions = {}): Promise<void> {
  const bytes = typeof data === 'string' || Buffer.isBuffer(data) ? data : data instanceof Uint8Array ? Buffer.from(data) : data;
  if (options.mkdirMode !== undefined) {
    const there = await fs.lstat(file).catch(() => null);
    if (!there) await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: options.mkdirMode });
  }
  const target = await resolveWriteTarget(file, options.followLinks ?? true);
  if (target.kind === 'stream') await writeThrough(target, bytes);
  else await replaceAtomically(target, bytes, options);
}

/** For settings and reports kept by the app: they describe the host's weak points and are nobody else's business. */
export const PRIVATE: WriteOptions = { mode: 0o600, mkdirMode: 0o700 };

/** JSON for a file a person may read or edit, private to its owner. */
export function writeJsonFile(file: string, value: unknown): Promise<void> {
  return writeFile(file, `${JSON.stringify(value, null, 2)}\n`, PRIVATE);
}

/**
 * Removes what a write to `file` created, durably: through a symlink, the target goes and the link stays (the shape
 * before a fix created the target). Absent is fine; a FIFO or a device is never removed.
 */
export async function removeFile(file: string): Promise<void> {
  const target = await resolveWriteTarget(file);
  if (target.kind === 'stream') throw new WriteTargetError(`${file} is a ${target.stat.isFIFO() ? 'FIFO' : 'device'}: not removed`);
  await fs.rm(target.path, { force: true });
  await fsyncDirectory(path.dirname(target.path));
}
