import { CheckCircle2, CircleX } from 'lucide-react';
import type { FixStep } from '../../../shared/fix';

export const STEP_LABEL: Record<FixStep['step'], string> = {
  backup: 'Back up',
  write: 'Write',
  remove: 'Remove',
  reload: 'Reload',
  restart: 'Restart the daemon',
  wait: 'Wait for the daemon',
  verify: 'Verify',
  rollback: 'Roll back',
  restore: 'Restore',
  undo: 'Undo',
  note: 'Note',
  containers: 'Containers',
};

/** The steps of an apply or undo, as they happened: what, whether it worked (icon and word), and the detail. */
export function StepList({ steps }: { steps: readonly FixStep[] }) {
  return (
    <ol className="step-list">
      {steps.map((s, i) => (
        <li key={`${s.at}-${i}`} className={s.ok ? 'step-ok' : 'step-bad'}>
          {s.ok ? <CheckCircle2 aria-hidden="true" /> : <CircleX aria-hidden="true" />}
          <span className="step-name">
            {STEP_LABEL[s.step]}
            <span className="visually-hidden">{s.ok ? ' (done)' : ' (failed)'}</span>
          </span>
          <span className="step-message">{s.message}</span>
        </li>
      ))}
    </ol>
  );
}
