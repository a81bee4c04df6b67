// A test's handle on one moment inside a run: with DOCKHAND_TEST_HOOK naming a point (and, after "=", the path it
// concerns), the process says on stderr that it reached that point and stops itself (SIGSTOP). The test then kills it
// exactly there, or resumes it with SIGCONT, instead of guessing a time. It can only tell and pause: it opens nothing,
// changes nothing of what is written, and without the variable it does nothing at all.
import { writeSync } from 'node:fs';

/** The moments a test can stop a run at. */
export type HookPoint =
  /** The temporary copy is written and synced, not yet renamed over the file: a kill here leaves it behind. */
  'write-file:before-rename';

/** The line a stopped process writes on stderr: the point, what it concerns, and its pid (the one to kill). */
export const hookLine = (point: HookPoint, detail: string, pid: number): string => `dockhand-test-hook: ${point}=${detail} pid ${pid}\n`;

export function testHook(point: HookPoint, detail: string): void {
  const wanted = process.env.DOCKHAND_TEST_HOOK;
  if (!wanted || (wanted !== point && wanted !== `${point}=${detail}`)) return;
  try {
    writeSync(2, hookLine(point, detail, process.pid));
  } catch {
    // No stderr to tell: still stop, the test finds the process stopped.
  }
  process.kill(process.pid, 'SIGSTOP');
}
