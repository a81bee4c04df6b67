// One apply or undo at a time per host: a second one waits for the first, then gives up with who holds the lock.
//
// The lock is the kernel's: flock(2) on `fix.lock`, held for as long as this process keeps the file open, released by
// the kernel when it closes it or dies (a SIGKILL mid-apply included). There is no "stale lock" to take over, so there
// is no race in taking one over. Node has no flock(2), so util-linux's flock(1) takes it for us on an open file
// description we share with it: the child gets our descriptor as its fd 3, locks it and exits, and the lock stays with
// the description, that is with us (no native module to build for Node and again for Electron). Where flock(1) does
// not exist (macOS, Windows: Desktop settings only, never the root helper) the lock is an exclusively created file,
// and a holder that died is reported with the file to remove rather than taken over.
import { spawn } from 'node:child_process';
import { constants, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../util/process';

export class LockBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockBusyError';
  }
}

interface Holder {
  pid?: number;
  what?: string;
  since?: string;
}

/** Absolute paths only: root must not run whatever `flock` comes first on a PATH it was handed. */
const FLOCK = ['/usr/bin/flock', '/bin/flock'].find((p) => existsSync(p)) ?? null;
/** flock(1)'s exit status when the wait ran out (-E), told apart from its own failures. */
const CONFLICT = 75;

const busy = (holder: Holder) =>
  new LockBusyError(
    `another fix is being applied (${holder.what ?? 'unknown'}, pid ${holder.pid ?? '?'}, since ${holder.since ?? '?'}): wait for it to finish, then try again`,
  );

async function readHolder(file: string): Promise<Holder> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return value && typeof value === 'object' ? (value as Holder) : {};
  } catch {
    return {}; // Being written right now, or empty: the message says "unknown".
  }
}

/** Locks the open file description behind `fd` exclusively, waiting up to `waitMs`; false when the wait ran out. */
function flockDescriptor(flock: string, fd: number, waitMs: number): Promise<boolean> {
  const wait = waitMs > 0 ? ['-w', (waitMs / 1000).toFixed(3)] : ['-n'];
  return new Promise((resolve, reject) => {
    const child = spawn(flock, ['-x', '-E', String(CONFLICT), ...wait, '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(true);
      else if (code === CONFLICT) resolve(false);
      else reject(new Error(`cannot take the fix lock: flock exited ${code}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    });
  });
}

async function acquireKernelLock(flock: string, file: string, what: string, waitMs: number): Promise<() => Promise<void>> {
  // Never unlinked: a waiter holding the old inode open would lock a file nobody else sees.
  const handle = await fs.open(file, constants.O_RDWR | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    if (!(await flockDescriptor(flock, handle.fd, waitMs))) throw busy(await readHolder(file));
    const holder = Buffer.from(JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() }));
    await handle.truncate(0);
    await handle.write(holder, 0, holder.length, 0);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return async () => {
    await handle.truncate(0).catch(() => undefined);
    await handle.close(); // The last reference to the description: the kernel drops the lock.
  };
}

async function acquireFileLock(file: string, what: string, waitMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() }));
      await handle.close();
      return async () => fs.rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (typeof holder.pid === 'number' && !processAlive(holder.pid)) {
      // Taking it over would race another waiter doing the same; a person removing it does not.
      throw new LockBusyError(
        `the fix lock ${file} was left by process ${holder.pid} (${holder.what ?? 'unknown'}), which no longer exists: check that no fix is running, remove the file, then try again`,
      );
    }
    if (Date.now() >= deadline) throw busy(holder);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Takes the fix lock in `stateDir`, waiting up to `waitMs` for another holder. Returns the release function. */
export async function acquireFixLock(stateDir: string, what: string, waitMs: number): Promise<() => Promise<void>> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, 'fix.lock');
  return FLOCK ? acquireKernelLock(FLOCK, file, what, waitMs) : acquireFileLock(file, what, waitMs);
}
