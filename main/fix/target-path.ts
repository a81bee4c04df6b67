// Where a fix's write really lands, and whether root may write there. A plan names paths as strings; what root writes
// is decided by the filesystem: each component lstat'ed, symlinks followed as the writer follows them (its target is
// written, main/util/write-file.ts), and the RESOLVED path is what is allowed. As root, every directory looked into on
// the way, link hops included, must be root's and writable by no one else (a sticky one such as /tmp only above a
// root-owned entry), so no unprivileged user can swap a component between this check and the write; the writer then
// creates its temporary file with O_EXCL|O_NOFOLLOW and refuses a directory whose real path changed, so a swap fails
// instead of redirecting.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { FixOperation } from '../../shared/fix';
import { resolveWriteTarget, WriteTargetError } from '../util/write-file';
import { isFileOperation, targetOf } from './operations';
import { type FixEnv, hostPath } from './plan';

/** A fix target that is not where, or not what, the plan says it is. */
export class TargetPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetPathError';
  }
}

export interface CheckedTarget {
  /** The path as the plan names it. */
  path: string;
  /** Where the write lands: real directory, final component not a symlink. */
  resolved: string;
}

const writableByOthers = (stat: Stats) => (stat.mode & 0o002) !== 0 || ((stat.mode & 0o020) !== 0 && stat.gid !== 0);
const sticky = (stat: Stats) => (stat.mode & 0o1000) !== 0;
/** Linux's own limit on symlinks followed in one lookup. */
const MAX_LINKS = 40;

interface Chased {
  resolved: string;
  /** null: the file does not exist yet. */
  stat: Stats | null;
}

/**
 * Resolves `file` one component at a time as root would, checking every directory it looks into, link hops
 * included: owned by root and writable by no one else, or sticky (as /tmp) with the entry in it owned by root (only
 * its owner may rename that entry). A file itself may be a user's (a Desktop settings file is): it is replaced by a
 * rename in a directory only root controls, so its owner can change its bytes but not where root's write lands. A
 * directory still to be made must go in one closed to others outright: in a sticky one, anyone could make it first.
 */
async function chaseAsRoot(file: string): Promise<Chased> {
  let dir = '/';
  const rest = file.split('/').filter((c) => c !== '' && c !== '.');
  for (let links = 0; rest.length > 0;) {
    const name = rest.shift()!;
    if (name === '..') {
      dir = path.dirname(dir);
      continue;
    }
    const dirStat = await fs.lstat(dir);
    if (dirStat.uid !== 0)
      throw new TargetPathError(`${file}: ${dir} is owned by uid ${dirStat.uid}, not root: a write there as root could be redirected`);
    const open = writableByOthers(dirStat);
    const openMessage = `${file}: ${dir} is writable by others (mode ${(dirStat.mode & 0o7777).toString(8)}): a write there as root could be redirected`;
    const next = path.join(dir, name);
    let entry: Stats;
    try {
      entry = await fs.lstat(next);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (open) throw new TargetPathError(openMessage);
      if (links > 0 && rest.length > 0)
        throw new TargetPathError(`${file}: a symlink leads to ${path.join(next, ...rest)}, whose directory does not exist`);
      if (rest.includes('..')) throw new TargetPathError(`${file}: a symlink leads through ${next}, which does not exist`);
      return { resolved: path.join(next, ...rest), stat: null };
    }
    if (open && !(sticky(dirStat) && entry.uid === 0)) throw new TargetPathError(openMessage);
    if (entry.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new TargetPathError(`${file}: too many levels of symbolic links`);
      const target = await fs.readlink(next);
      if (path.isAbsolute(target)) dir = '/';
      rest.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      continue;
    }
    if (entry.isDirectory()) {
      if (rest.length === 0) throw new TargetPathError(`cannot write ${file}: ${next} is a directory, not a file`);
      dir = next;
      continue;
    }
    if (rest.length > 0) throw new TargetPathError(`${file}: ${next} is not a directory`);
    if (entry.isFile()) return { resolved: next, stat: entry };
    const what = entry.isFIFO()
      ? 'a FIFO'
      : entry.isCharacterDevice() || entry.isBlockDevice()
        ? 'a device'
        : entry.isSocket()
          ? 'a socket'
          : 'not a regular file';
    throw new TargetPathError(`${file} resolves to ${next}, ${what}: a fix writes regular files only`);
  }
  throw new TargetPathError(`cannot write ${file}: it is a directory, not a file`);
}

/** Not root: the kernel keeps this process to what it may write anyway; only what is there is judged. */
async function resolveAsUser(file: string): Promise<Chased> {
  let target;
  try {
    target = await resolveWriteTarget(file);
  } catch (error) {
    if (error instanceof WriteTargetError) throw new TargetPathError(error.message);
    throw new TargetPathError(`cannot resolve ${file}: ${(error as Error).message}`);
  }
  if (target.kind === 'stream')
    throw new TargetPathError(
      `${file} resolves to ${target.path}, ${target.stat.isFIFO() ? 'a FIFO' : 'a device'}: a fix writes regular files only`,
    );
  return { resolved: target.path, stat: target.stat };
}

/**
 * Resolves one file a fix changes and checks it may be written: a regular file or a new one (never a directory, a
 * device, a FIFO), inside the fix's root, and, when this process is root, in a chain of directories only root controls.
 */
export async function checkTargetPath(env: FixEnv, file: string): Promise<CheckedTarget> {
  if (!path.isAbsolute(file) || (process.platform !== 'win32' && path.normalize(file) !== file))
    throw new TargetPathError(`${JSON.stringify(file)} is not a plain absolute path`);
  const host = hostPath(env, file);
  const { resolved } = process.getuid?.() === 0 ? await chaseAsRoot(host) : await resolveAsUser(host);
  if (env.root !== '/') {
    const relative = path.relative(await fs.realpath(env.root), resolved);
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
      throw new TargetPathError(`${file} resolves to ${resolved}, outside ${env.root}`);
  }
  return { path: file, resolved };
}

/** Every file a plan's operations write, checked as above before any of them is read; the first that fails refuses. */
export async function checkPlanTargets(env: FixEnv, operations: readonly FixOperation[]): Promise<CheckedTarget[]> {
  const files = new Set(operations.filter(isFileOperation).map((op) => targetOf(op, env)));
  const checked: CheckedTarget[] = [];
  for (const file of files) checked.push(await checkTargetPath(env, file));
  return checked;
}
