// Where a fix's write really lands, and whether root may write there. A plan names paths as strings; what root writes
// is decided by the filesystem: the parent's real path, the file lstat'ed, a symlink followed only by the writer's own
// rule (main/util/write-file.ts), and the RESOLVED path is what is checked. As root, every directory from the file up
// to / must be root's and writable by no one else (a sticky directory such as /tmp only above a root-owned entry), so
// no unprivileged user can swap a component between this check and the write; the writer then creates its temporary
// file with O_EXCL|O_NOFOLLOW and refuses a directory whose real path changed, so a swap fails instead of redirecting.
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

/** The nearest existing ancestor of `dir` (itself included), and the components below it that do not exist yet. */
async function existingAncestor(dir: string): Promise<{ base: string; missing: string[] }> {
  const missing: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      await fs.lstat(current);
      return { base: current, missing };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || current === path.dirname(current)) throw error;
      missing.unshift(path.basename(current));
    }
  }
}

/**
 * Root writes only where no one else can redirect them: every directory from `resolved`'s parent to / owned by root
 * and writable by no one else (the file itself may be a user's, as a Desktop settings file is: it is replaced by a
 * rename in a directory only root controls, so its owner can change its bytes but not where root's write lands), except a sticky directory whose entry below it is root's (only its owner may rename
 * that entry). Where directories are still to be created, the existing one they go in must be closed to others
 * outright: a sticky directory would let anyone create that name first.
 */
async function checkRootChain(file: string, resolved: string, fileStat: Stats | null): Promise<void> {
  const { base, missing } = await existingAncestor(path.dirname(resolved));
  let below: Stats | null = fileStat;
  for (let dir = base; ; dir = path.dirname(dir)) {
    const stat = await fs.lstat(dir);
    if (!stat.isDirectory()) throw new TargetPathError(`${file}: ${dir} is not a directory`);
    if (stat.uid !== 0) throw new TargetPathError(`${file}: ${dir} is owned by uid ${stat.uid}, not root: a write there as root could be redirected`);
    const createsHere = dir === base && missing.length > 0;
    const lockedBelow = sticky(stat) && !createsHere && below !== null && below.uid === 0;
    if (writableByOthers(stat) && !lockedBelow) throw new TargetPathError(`${file}: ${dir} is writable by others (mode ${(stat.mode & 0o7777).toString(8)}): a write there as root could be redirected`);
    below = stat;
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * Resolves one file a fix changes and checks it may be written: a regular file or a new one (never a directory, a
 * device, a FIFO), inside the fix's root, and, when this process is root, in a chain of directories only root controls.
 */
export async function checkTargetPath(env: FixEnv, file: string): Promise<CheckedTarget> {
  if (!path.isAbsolute(file) || (process.platform !== 'win32' && path.normalize(file) !== file)) throw new TargetPathError(`${JSON.stringify(file)} is not a plain absolute path`);
  let target;
  try {
    target = await resolveWriteTarget(hostPath(env, file));
  } catch (error) {
    if (error instanceof WriteTargetError) throw new TargetPathError(error.message);
    throw new TargetPathError(`cannot resolve ${file}: ${(error as Error).message}`);
  }
  if (target.kind === 'stream') throw new TargetPathError(`${file} resolves to ${target.path}, ${target.stat.isFIFO() ? 'a FIFO' : 'a device'}: a fix writes regular files only`);
  let resolved = target.path;
  if (!target.stat) {
    // Directories still to be made (a new drop-in's): the part that exists, in its real path.
    const { base, missing } = await existingAncestor(path.dirname(resolved));
    resolved = path.join(await fs.realpath(base), ...missing, path.basename(resolved));
  }
  if (env.root !== '/') {
    const relative = path.relative(await fs.realpath(env.root), resolved);
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) throw new TargetPathError(`${file} resolves to ${resolved}, outside ${env.root}`);
  }
  if (process.getuid?.() === 0) await checkRootChain(file, resolved, target.stat);
  return { path: file, resolved };
}

/** Every file a plan's operations write, checked as above before any of them is read; the first that fails refuses. */
export async function checkPlanTargets(env: FixEnv, operations: readonly FixOperation[]): Promise<CheckedTarget[]> {
  const files = new Set(operations.filter(isFileOperation).map((op) => targetOf(op, env)));
  const checked: CheckedTarget[] = [];
  for (const file of files) checked.push(await checkTargetPath(env, file));
  return checked;
}
