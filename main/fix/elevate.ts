// Running a plan as root from an unprivileged Dockhand: one helper invocation through pkexec (a graphical password
// prompt where a polkit agent runs) or sudo, which re-validates the plan against the allowlist and applies it. The CLI
// and the app's API both come through here, so there is one way in to root.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type FixPlan, type FixRecord, FixRecordSchema } from '../../shared/fix';

/** Elevation is impossible or the helper gave no result: the message says what to do instead. */
export class ElevationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElevationError';
  }
}

/** This dockhand as a scheduled job or the elevated helper would run it: the bin it was started as (a symlink on PATH stays one). */
export function selfPath(argv: readonly string[] = process.argv): string | null {
  const bin = argv[1];
  return bin && /dockhand(\.c?js)?$/.test(bin) ? path.resolve(bin) : null;
}

/** pkexec first (it can ask through the desktop's polkit agent), else sudo; null when neither is on PATH. */
export function findLauncher(pathEnv: string = process.env.PATH ?? ''): 'pkexec' | 'sudo' | null {
  const dirs = pathEnv.split(path.delimiter).filter(Boolean);
  return (['pkexec', 'sudo'] as const).find((tool) => dirs.some((dir) => existsSync(path.join(dir, tool)))) ?? null;
}

/** Whether this process must go through the helper to apply the plan. */
export function needsHelper(plan: FixPlan): boolean {
  return plan.elevation.needed && process.getuid?.() !== 0;
}

/**
 * Runs `dockhand fix helper` as root with the plan on stdin and returns the journal record it prints. `selfPath` is the
 * dockhand script to run with this Node (the helper must be the same Dockhand that made the plan).
 */
export async function applyElevated(plan: FixPlan, selfPath: string | null, stderr: 'inherit' | 'pipe' = 'inherit'): Promise<FixRecord> {
  const launcher = findLauncher();
  if (!launcher) throw new ElevationError(`this fix needs root (${plan.elevation.why}) and neither pkexec nor sudo is installed: run dockhand as root`);
  if (!selfPath) throw new ElevationError(`this fix needs root (${plan.elevation.why}) and this Dockhand cannot start its helper: run \`dockhand fix apply ${plan.checkId}\` as root`);
  const child = spawn(launcher, [process.execPath, selfPath, 'fix', 'helper'], { stdio: ['pipe', 'pipe', stderr] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr?.on('data', (c) => (err += c));
  child.stdin!.end(JSON.stringify(plan));
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  try {
    return FixRecordSchema.parse(JSON.parse(out));
  } catch {
    const why = err.trim().split('\n').at(-1);
    throw new ElevationError(`the elevated helper (${launcher}) ended with code ${code}${why ? ` (${why})` : ''} and no result: nothing was confirmed as changed`);
  }
}
