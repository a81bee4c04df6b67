// A test's handle on one moment inside a run: with DOCKHAND_TEST_HOOK naming a point (and, after "=", the path it
// concerns), the process says on stderr that it reached that point and stops itself (SIGSTOP). The test then kills it
// exactly there, or resumes it with SIGCONT, instead of guessing a time. It can only tell and pause: it opens nothing,
// changes nothing of what is written, and without the variable it does nothing at all.
import { writeSync } from 'node:fs';

/** The moments a test can stop a run at. */
export type HookPoint =
  /** The temporary copy is written and synced, not yet renamed over the file: a kill here leaves it behind. */
  'write-file:before-rename';

export function testHook(point: HookPoint, detail: string): void {
  const wanted = process.env.DOCKHAND_TEST_HOOK;
  if (!wanted || (wanted !== point && wanted !== `${point}=${detail}`)) return;
  try {
    // The point, what it concerns, and the pid to kill.
    writeSync(2, `dockhand-test-hook: ${point}=${detail} pid ${process.pid}\n`);
  } catch {
    // No stderr to tell: still stop, the test finds the process stopped.
  }
  process.kill(process.pid, 'SIGSTOP');
}
