// One apply or undo at a time per host: a second one waits for the first, then gives up with who holds the lock.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../util/process';

export class LockBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockBusyError';
  }
}

/**
 * Takes the fix lock in `stateDir`, waiting up to `waitMs` for another holder; a lock left by a process that no
 * longer exists (killed mid-apply) is taken over. Returns the release function.
 */
export async function acquireFixLock(stateDir: string, what: string, waitMs: number): Promise<() => Promise<void>> {
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, 'fix.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      await handle.writeFile(JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() }));
      await handle.close();
      return async () => {
        await fs.rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: { pid?: number; what?: string; since?: string } = {};
    try {
      holder = JSON.parse(await fs.readFile(file, 'utf8'));
    } catch {
      // Being written or removed right now: look again.
    }
    if (typeof holder.pid === 'number' && !processAlive(holder.pid)) {
      await fs.rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockBusyError(`another fix is being applied (${holder.what ?? 'unknown'}, pid ${holder.pid ?? '?'}, since ${holder.since ?? '?'}): wait for it to finish, then try again`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
