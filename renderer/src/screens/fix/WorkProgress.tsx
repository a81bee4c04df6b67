import { CheckCircle2, Circle, CircleDashed, CircleX, LoaderCircle } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { FixPlan, FixStep } from '../../../../shared/fix';
import { STEP_LABEL, StepList } from '../../components/StepList';
import { CommandList } from './CommandList';
import { type PhaseOptions, type PhaseStatus, phaseStates, plannedPhases } from '../../lib/fix-phases';

const STATUS_WORD: Record<PhaseStatus, string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

function StatusIcon({ status }: { status: PhaseStatus }) {
  if (status === 'done') return <CheckCircle2 aria-hidden="true" />;
  if (status === 'failed') return <CircleX aria-hidden="true" />;
  if (status === 'running') return <LoaderCircle aria-hidden="true" className="spin" />;
  if (status === 'skipped') return <CircleDashed aria-hidden="true" />;
  return <Circle aria-hidden="true" />;
}

/** Seconds since `since`, ticking once a second while `live` (the renderer's own clock). */
function useElapsed(since: number, live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since, live]);
  return Math.max(0, Math.floor((now - since) / 1000));
}

interface WorkProgressProps {
  plan: FixPlan;
  steps: readonly FixStep[];
  options: PhaseOptions;
  /** When the last step arrived (or the work began), by this page's clock: the running step's elapsed time counts from it. */
  lastAt: number;
}

/**
 * An apply or an undo as it happens: every step of the plan from the start, each pending, running (with its elapsed
 * time), done or failed; the commands once, in a detail that opens on demand.
 */
export function WorkProgress({ plan, steps, options, lastAt }: WorkProgressProps) {
  const planned = useMemo(() => plannedPhases(plan, options), [plan, options]);
  const { phases, extra } = phaseStates(planned, steps, true);
  const running = phases.find((p) => p.status === 'running');
  const elapsed = useElapsed(lastAt, running !== undefined);
  // The controller's description (a long command line) is in the commands detail: steps say "the daemon".
  const short = (message: string) => message.split(plan.controller.detail).join('the daemon').split('\n')[0];
  const last = steps.at(-1);
  return (
    <div className="work-progress">
      <ol className="phase-list">
        {phases.map((p) => (
          <li key={p.key} className={`phase phase-${p.status}`} data-phase={p.key} data-status={p.status}>
            <StatusIcon status={p.status} />
            <span className="phase-name">
              {p.label}
              <span className="visually-hidden"> ({STATUS_WORD[p.status]})</span>
            </span>
            <span className="phase-detail">
              {p.status === 'running' ? (
                <span className="phase-clock">{elapsed} s</span>
              ) : p.steps.length > 0 ? (
                short(p.steps.at(-1)!.message)
              ) : p.status === 'pending' ? (
                'pending'
              ) : (
                ''
              )}
            </span>
          </li>
        ))}
      </ol>
      {extra.length > 0 && (
        <>
          <p>Off the plan:</p>
          <StepList steps={extra} />
        </>
      )}
      {plan.commands.length > 0 && (
        <details className="work-commands">
          <summary>Commands ({plan.commands.length})</summary>
          <CommandList commands={plan.commands} />
        </details>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {last ? `${STEP_LABEL[last.step]}: ${short(last.message)}` : 'Starting'}
      </p>
    </div>
  );
}
