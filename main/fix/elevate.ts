// Running a plan (or an undo) as root from an unprivileged Dockhand: one helper invocation through pkexec (a graphical
// password prompt where a polkit agent runs) or sudo, which re-validates what it is handed and does the work. The CLI
// and the app's API both come through here, so there is one way in to root. The helper reports each step as it
// happens (one JSON object per line), so the app shows progress while the root side works.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type FixPlan, type FixRecord, type FixStep, type HelperMessage, HelperMessageSchema, type UndoResult } from '../../shared/fix';
import type { SelfCommand } from '../util/self-command';

/** Elevation is impossible or the helper gave no result: the message says what to do instead. */
export class ElevationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElevationError';
  }
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

export interface HelperOptions {
  onStep?: (step: FixStep) => void;
  /** inherit: the terminal sees the helper's errors as they happen (the CLI); pipe: they end up in the error (the app). */
  stderr?: 'inherit' | 'pipe';
}

/**
 * Starts `dockhand fix helper ARGS` as root, writes `input` to its stdin, passes each step on as it arrives and returns
 * the final message. Lines that are not the helper's protocol (a launcher's chatter) are ignored, never trusted.
 */
async function runHelper(
  self: SelfCommand,
  args: string[],
  input: string,
  task: { action: string; asRoot: string },
  options: HelperOptions,
): Promise<HelperMessage> {
  const { action, asRoot } = task;
  const launcher = findLauncher();
  if (!launcher) throw new ElevationError(`${action} needs root and neither pkexec nor sudo is installed: run \`${asRoot}\` as root`);
  if (!self.ok) throw new ElevationError(`${action} needs root and ${self.why}: run \`${asRoot}\` as root instead`);
  const stderr = options.stderr ?? 'inherit';
  const child = spawn(launcher, [...self.argv, 'fix', 'helper', ...args], { stdio: ['pipe', 'pipe', stderr] });
  // Set from the line handler: a holder, so the checks after the child exits see what it set.
  const seen: { final: HelperMessage | null; lastStep: FixStep | null } = { final: null, lastStep: null };
  let err = '';
  child.stderr?.on('data', (c) => (err = (err + c).slice(-8192)));
  // A helper that dies before reading its input must not take this process down with EPIPE.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(input);
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let parsed: ReturnType<typeof HelperMessageSchema.safeParse>;
    try {
      parsed = HelperMessageSchema.safeParse(JSON.parse(line));
    } catch {
      return;
    }
    if (!parsed.success) return;
    if (parsed.data.type === 'step') {
      seen.lastStep = parsed.data.step;
      options.onStep?.(parsed.data.step);
    } else seen.final = parsed.data;
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  if (seen.final) return seen.final;
  const why = err.trim().split('\n').at(-1);
  const reached = seen.lastStep;
  throw new ElevationError(
    `the elevated helper (${launcher}) ended with code ${code}${why ? ` (${why})` : ''} and no result${reached ? `; its last step: ${reached.message}` : ''}: nothing was confirmed as changed`,
  );
}

/** Applies the plan through the helper; returns the journal record the helper kept (in root's journal). */
export async function applyElevated(plan: FixPlan, self: SelfCommand, options: HelperOptions = {}): Promise<FixRecord> {
  if (!plan.elevation.needed) throw new ElevationError('this plan does not need root: apply it directly');
  const message = await runHelper(
    self,
    [],
    JSON.stringify(plan),
    { action: `this fix (${plan.elevation.why})`, asRoot: `dockhand fix apply ${plan.checkId}` },
    options,
  );
  if (message.type !== 'record') throw new ElevationError(`the elevated helper answered with ${message.type}, not the record of the apply`);
  return message.record;
}

/** Undoes a fix the helper applied, from root's journal. */
export async function undoElevated(id: string, force: boolean, self: SelfCommand, options: HelperOptions = {}): Promise<UndoResult> {
  const message = await runHelper(
    self,
    ['--undo', id, ...(force ? ['--force'] : [])],
    '',
    { action: `undoing ${id} (it was applied as root)`, asRoot: `dockhand fix undo ${id}` },
    options,
  );
  if (message.type !== 'undo') throw new ElevationError(`the elevated helper answered with ${message.type}, not the result of the undo`);
  return message.result;
}
