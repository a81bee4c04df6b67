// The steps an apply or an undo will go through, known from the plan before it starts, and where the steps reported so
// far put each one: pending, running, done, failed (or skipped, when a later one came first). The progress shows the
// whole list from the first moment, so a restart's wait is a named, timed step rather than a silent spinner.
import type { FixPlan, FixStep } from '../../../shared/fix';

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface PlannedPhase {
  key: string;
  label: string;
  /** The reported step kinds that belong to this phase. */
  kinds: readonly FixStep['step'][];
  /** How many steps complete it (one per file for backups and writes). */
  expected: number;
}

export interface PhaseState extends PlannedPhase {
  status: PhaseStatus;
  steps: FixStep[];
}

export interface PhaseOptions {
  work: 'apply' | 'undo';
  /** Goes through the root helper: the first step is asking for the password. */
  elevated: boolean;
  restartContainers: boolean;
}

/** The phases of applying (or undoing) `plan`, in the order the apply reports them. */
export function plannedPhases(
  plan: Pick<FixPlan, 'files' | 'operations' | 'restart' | 'verification'>,
  options: PhaseOptions,
): PlannedPhase[] {
  const files = plan.files.length;
  const schedule = plan.operations.some((op) => op.op === 'cleanup-schedule.enable');
  const reloads = plan.restart && plan.operations.some((op) => op.op === 'daemon.reload') ? 1 : 0;
  const phases: (PlannedPhase | false)[] = [
    options.elevated && { key: 'root', label: 'Ask for root', kinds: ['note'], expected: 1 },
    ...(options.work === 'apply'
      ? [
          files > 0 && {
            key: 'backup',
            label: files === 1 ? 'Back up the file' : `Back up ${files} files`,
            kinds: ['backup'],
            expected: files,
          },
          files > 0 && {
            key: 'write',
            label: files === 1 ? 'Write the file' : `Write ${files} files`,
            kinds: ['write', 'remove'],
            expected: files,
          },
          (schedule || reloads > 0) && { key: 'reload', label: 'Reload', kinds: ['reload'], expected: (schedule ? 2 : 0) + reloads },
        ]
      : [
          files > 0 && {
            key: 'restore',
            label: files === 1 ? 'Restore the file' : `Restore ${files} files`,
            kinds: ['restore'],
            expected: files,
          },
        ]),
    plan.restart && { key: 'restart', label: 'Restart the daemon', kinds: ['restart'], expected: 1 },
    plan.restart && { key: 'wait', label: 'Wait for the daemon', kinds: ['wait'], expected: 1 },
    options.work === 'apply' && plan.verification.kind !== 'none' && { key: 'verify', label: 'Verify', kinds: ['verify'], expected: 1 },
    options.work === 'undo' && { key: 'undo', label: 'Finish the undo', kinds: ['undo'], expected: 1 },
    plan.restart && {
      key: 'containers',
      label: options.restartContainers ? 'Start the stopped containers again' : 'Check the containers',
      kinds: ['containers'],
      expected: 1,
    },
  ] as (PlannedPhase | false)[];
  return phases.filter((p): p is PlannedPhase => p !== false);
}

/**
 * Puts the reported steps into the planned phases, in order; a step no phase expects next (a rollback) goes to
 * `extra`. While `working`, the phase after the last completed one is running, unless something failed or went off plan.
 */
export function phaseStates(
  planned: readonly PlannedPhase[],
  steps: readonly FixStep[],
  working: boolean,
): { phases: PhaseState[]; extra: FixStep[] } {
  const phases: PhaseState[] = planned.map((p) => ({ ...p, status: 'pending', steps: [] }));
  const extra: FixStep[] = [];
  let cursor = 0;
  for (const step of steps) {
    const at = phases.findIndex((p, i) => i >= cursor && p.kinds.includes(step.step));
    if (at < 0) {
      extra.push(step);
      continue;
    }
    cursor = at;
    phases[at]!.steps.push(step);
  }
  let last = -1;
  phases.forEach((p, i) => {
    if (p.steps.length === 0) return;
    last = i;
    p.status = p.steps.some((s) => !s.ok) ? 'failed' : p.steps.length >= p.expected ? 'done' : 'running';
  });
  for (let i = 0; i < last; i++) if (phases[i]!.status === 'pending') phases[i]!.status = 'skipped';
  const offPlan = extra.length > 0 || phases.some((p) => p.status === 'failed');
  if (working && !offPlan && !phases.some((p) => p.status === 'running')) {
    const next = phases.find((p) => p.status === 'pending');
    if (next) next.status = 'running';
  }
  return { phases, extra };
}
