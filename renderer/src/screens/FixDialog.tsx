import { CheckCircle2, CircleX, KeyRound, RotateCw, ShieldCheck, TriangleAlert, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FixPlan, FixRecord, FixStep } from '../../../shared/fix';
import { fixParams } from '../../../shared/fix-params';
import type { JsonValue } from '../../../shared/json';
import { Banner } from '../components/Banner';
import { DiffView } from '../components/DiffView';
import { StepList } from '../components/StepList';
import { impactSummary, stillDown } from '../../../shared/restart-impact-words';
import { initialInputs, type ParamInput, readInputs } from '../lib/fix-param-values';
import { type Guidance, thrownGuidance } from '../lib/guidance';
import { asSentence } from '../lib/format';
import { useStore } from '../state/hooks';
import { CommandList } from './fix/CommandList';
import { FixParamsForm } from './fix/FixParamsForm';
import { ContainersAfterView, needsStartChoice, RestartImpactView, StartAgainChoice } from './fix/RestartImpact';
import { WorkProgress } from './fix/WorkProgress';

/** Changed parameters are planned again this long after the last keystroke. */
const REPLAN_DELAY_MS = 400;

interface FixDialogProps {
  checkId: string;
  target: string | null;
  title: string;
  /** The finding's fix: which one, and the parameters the finding gives it. */
  fix: { id: string; params: Record<string, JsonValue> } | null;
  onClose: () => void;
}

/**
 * preview: the plan for the parameters as they are (null when it cannot be made: `error` says why); stale while
 * changed parameters are planned again, or cannot be yet. Only a plan that is neither can be applied.
 */
type Phase =
  | { kind: 'planning' }
  | { kind: 'preview'; plan: FixPlan | null; error: Guidance | null; stale: boolean }
  | { kind: 'applying'; plan: FixPlan; steps: FixStep[]; lastAt: number; restartContainers: boolean }
  | { kind: 'done'; record: FixRecord }
  | { kind: 'error'; guidance: Guidance; plan: FixPlan | null };

function verificationText(plan: FixPlan): string {
  const v = plan.verification;
  if (v.kind === 'finding')
    return `Dockhand audits again: ${v.checkId}${v.target ? ` (${v.target})` : ''} must pass. If the daemon does not come back, the original files are restored and it is restarted again.`;
  if (v.kind === 'group-member') return `Dockhand reads the group database again: ${v.user} must be listed in the ${v.group} group.`;
  return v.why;
}

/** The outcome's title: the fix's, and the containers still down after its restart (never "fixed" alone while they are). */
function outcomeTitle(record: FixRecord): string {
  const down = record.containers ? stillDown(record.containers).length : 0;
  const title = OUTCOME[record.outcome].title;
  return down === 0 ? title : `${title}; ${down === 1 ? '1 container is' : `${down} containers are`} down`;
}

const OUTCOME: Record<FixRecord['outcome'], { title: string; good: boolean }> = {
  applied: { title: 'Fixed and verified', good: true },
  unverified: { title: 'Applied, but the finding does not pass yet', good: false },
  'rolled-back': { title: 'Rolled back: nothing changed', good: false },
  failed: { title: 'The fix failed', good: false },
  applying: { title: 'Still applying', good: false },
  undone: { title: 'Undone', good: true },
};

/** Preview → apply (live steps) → outcome, for one finding's fix, in a modal dialog that keeps focus inside. */
export function FixDialog({ checkId, target, title, fix, onClose }: FixDialogProps) {
  const store = useStore();
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'planning' });
  const [restartContainers, setRestartContainers] = useState(true);
  const busy = phase.kind === 'applying' || phase.kind === 'planning';
  const params = useMemo(() => (fix ? fixParams(fix.id) : []), [fix]);
  const [inputs, setInputs] = useState<Record<string, ParamInput>>(() => initialInputs(params, fix?.params ?? {}));
  const { set, errors } = useMemo(() => readInputs(params, inputs), [params, inputs]);
  // What to plan with; null while a parameter cannot be used as typed.
  const planKey = set ? JSON.stringify(set) : null;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  // The first plan at once, then again whenever the parameters change (debounced); an answer to older parameters
  // is dropped. Re-plans keep the dialog in its preview, so focus stays in the field being typed in.
  const planned = useRef(false);
  useEffect(() => {
    const markStale = () =>
      setPhase((cur) =>
        cur.kind === 'preview'
          ? { ...cur, stale: true }
          : cur.kind === 'planning' && planKey === null
            ? { kind: 'preview', plan: null, error: null, stale: true }
            : cur,
      );
    markStale();
    if (planKey === null) return;
    let live = true;
    const overrides = JSON.parse(planKey) as Record<string, JsonValue>;
    const timer = setTimeout(
      () => {
        store.client
          .call('fix.plan', { checkId, ...(target !== null && { target }), ...(params.length > 0 && { set: overrides }) })
          .then((plan) => live && setPhase({ kind: 'preview', plan, error: null, stale: false }))
          .catch(
            (e: unknown) =>
              live && setPhase({ kind: 'preview', plan: null, error: thrownGuidance(e, 'plan the fix', store.client.kind), stale: false }),
          );
      },
      planned.current ? REPLAN_DELAY_MS : 0,
    );
    planned.current = true;
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [store, checkId, target, params, planKey]);

  // Each new phase is announced by its heading: focus moves there (the dialog's content changed under the user).
  useEffect(() => {
    if (phase.kind !== 'applying') heading.current?.focus();
  }, [phase.kind]);

  const apply = async (plan: FixPlan) => {
    setPhase({ kind: 'applying', plan, steps: [], lastAt: Date.now(), restartContainers });
    const off = store.client.on('fix.progress', (p) => {
      if (p.planId === plan.id)
        setPhase((cur) => (cur.kind === 'applying' ? { ...cur, steps: [...cur.steps, p.step], lastAt: Date.now() } : cur));
    });
    try {
      const record = await store.client.call('fix.apply', { planId: plan.id, restartContainers });
      setPhase({ kind: 'done', record });
      // The finding was re-checked by the apply; refresh the whole report so every screen shows it.
      void store.runAudit();
    } catch (e) {
      setPhase({ kind: 'error', plan, guidance: thrownGuidance(e, 'apply the fix', store.client.kind) });
    } finally {
      off();
    }
  };

  const close = () => {
    if (busy && phase.kind === 'applying') return;
    dialog.current?.close();
  };

  return (
    <dialog
      ref={dialog}
      className="dialog fix-dialog"
      aria-labelledby="fix-dialog-title"
      onCancel={(e) => {
        // Escape does not abandon a fix half-way: the daemon may be restarting.
        if (phase.kind === 'applying') e.preventDefault();
      }}
      onClose={onClose}
    >
      <header className="dialog-head">
        <h2 id="fix-dialog-title" ref={heading} tabIndex={-1}>
          {phase.kind === 'done' ? outcomeTitle(phase.record) : phase.kind === 'applying' ? `Applying: ${title}` : `Fix: ${title}`}
        </h2>
        <button type="button" className="button icon-only" onClick={close} aria-label="Close" disabled={phase.kind === 'applying'}>
          <X aria-hidden="true" />
        </button>
      </header>
      {/* Focusable so keyboard users can scroll a long diff. */}
      <div className="dialog-body" tabIndex={0} role="group" aria-label="Fix details">
        {phase.kind === 'planning' && (
          <p className="loading" role="status">
            Planning the fix: reading the files it would change…
          </p>
        )}
        {phase.kind === 'error' && <Banner guidance={phase.guidance} />}
        {phase.kind === 'preview' && params.length > 0 && (
          <FixParamsForm
            params={params}
            inputs={inputs}
            errors={errors}
            onChange={(key, value) => setInputs((cur) => ({ ...cur, [key]: value }))}
            disabled={false}
          />
        )}
        {phase.kind === 'preview' && phase.stale && (
          <p className="notice" role="status">
            {planKey === null
              ? 'Correct the parameters marked above: the preview below is for the previous ones and cannot be applied.'
              : 'Planning again with these parameters…'}
          </p>
        )}
        {phase.kind === 'preview' && phase.error && <PlanError guidance={phase.error} />}
        {phase.kind === 'preview' && phase.plan && <PlanPreview plan={phase.plan} />}
        {phase.kind === 'applying' && (
          <Applying plan={phase.plan} steps={phase.steps} lastAt={phase.lastAt} restartContainers={phase.restartContainers} />
        )}
        {phase.kind === 'done' && <Outcome record={phase.record} />}
      </div>
      <footer className="dialog-foot">
        {phase.kind === 'preview' && (
          <>
            {phase.plan?.restart && needsStartChoice(phase.plan.restartImpact) && (
              <StartAgainChoice checked={restartContainers} onChange={setRestartContainers} />
            )}
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="button primary"
              onClick={() => phase.plan && void apply(phase.plan)}
              disabled={!phase.plan || phase.stale || phase.error !== null}
            >
              {phase.plan?.elevation.needed ? <KeyRound aria-hidden="true" /> : <ShieldCheck aria-hidden="true" />} Apply fix
            </button>
          </>
        )}
        {(phase.kind === 'done' || phase.kind === 'error') && (
          <button type="button" className="button primary" onClick={close}>
            Close
          </button>
        )}
      </footer>
    </dialog>
  );
}

/** Why no plan can be made with these parameters: the planner's own words, in full, where the parameters are. */
function PlanError({ guidance }: { guidance: Guidance }) {
  return (
    <div className="plan-error" role="alert" data-testid="fix-plan-error">
      <CircleX aria-hidden="true" />
      <div>
        <strong>{guidance.title}</strong>
        <p>{guidance.detail}</p>
      </div>
    </div>
  );
}

function PlanPreview({ plan }: { plan: FixPlan }) {
  return (
    <div className="plan-preview" data-testid="fix-preview">
      <p>
        Nothing has changed yet. This is exactly what <strong>{plan.fixId}</strong> will do on this host
        {Object.keys(plan.params).length > 0 && (
          <>
            {' '}
            (with{' '}
            {Object.entries(plan.params)
              .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
              .join(', ')}
            )
          </>
        )}
        .
      </p>
      <ul className="plan-facts">
        <li className={plan.elevation.needed ? 'plan-fact-warn' : undefined}>
          {plan.elevation.needed ? <KeyRound aria-hidden="true" /> : <ShieldCheck aria-hidden="true" />}
          {plan.elevation.needed ? (
            <span>
              <strong>Needs administrator rights</strong> ({plan.elevation.why}). The system will ask for your password (pkexec or sudo)
              when you apply.
            </span>
          ) : (
            <span>
              <strong>No password needed</strong>: Dockhand already has the rights this needs.
            </span>
          )}
        </li>
        <li className={plan.restart ? 'plan-fact-warn' : undefined}>
          <RotateCw aria-hidden="true" />
          {plan.restart ? (
            <div>
              <strong>Restarts the Docker daemon</strong> at <code>{plan.restartImpact?.daemon.endpoint ?? plan.endpoint}</code>.{' '}
              {plan.restartImpact ? impactSummary(plan.restartImpact) : 'Running containers may stop: Dockhand could not tell which.'}
            </div>
          ) : (
            <span>
              <strong>No daemon restart</strong>.
            </span>
          )}
        </li>
      </ul>

      <h3>Files</h3>
      {plan.files.length === 0 ? (
        <p className="muted">No file changes.</p>
      ) : (
        plan.files.map((f) => (
          <section key={f.path} aria-label={f.path}>
            <p className="file-action">
              {f.after === null ? 'Removes' : f.existed ? 'Changes' : 'Creates'} this file (the original is backed up first):
            </p>
            <DiffView diff={f.diff} label={f.path} />
          </section>
        ))
      )}

      {/* The containers after the diff: the summary above says what stops, and the diff stays in view. */}
      {plan.restartImpact && plan.restartImpact.running.length > 0 && (
        <>
          <h3>Running containers</h3>
          <RestartImpactView impact={plan.restartImpact} summary={false} />
        </>
      )}

      <h3>Commands</h3>
      {plan.commands.length === 0 ? <p className="muted">No commands.</p> : <CommandList commands={plan.commands} />}

      <h3>How it is verified</h3>
      <p>{verificationText(plan)}</p>

      {plan.notes.length > 0 && (
        <>
          <h3>Notes</h3>
          <ul className="notes">
            {plan.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Applying({
  plan,
  steps,
  lastAt,
  restartContainers,
}: {
  plan: FixPlan;
  steps: readonly FixStep[];
  lastAt: number;
  restartContainers: boolean;
}) {
  const options = useMemo(
    () => ({ work: 'apply' as const, elevated: plan.elevation.needed, restartContainers }),
    [plan, restartContainers],
  );
  return (
    <div data-testid="fix-progress">
      {plan.elevation.needed && <p className="notice">The system asks for your password in a separate prompt.</p>}
      <WorkProgress plan={plan} steps={steps} options={options} lastAt={lastAt} />
    </div>
  );
}

function Outcome({ record }: { record: FixRecord }) {
  const o = OUTCOME[record.outcome];
  return (
    <div data-testid="fix-outcome" data-outcome={record.outcome}>
      <p className={`outcome ${o.good ? 'outcome-good' : 'outcome-bad'}`} role="status">
        {o.good ? (
          <CheckCircle2 aria-hidden="true" />
        ) : record.outcome === 'unverified' ? (
          <TriangleAlert aria-hidden="true" />
        ) : (
          <CircleX aria-hidden="true" />
        )}
        <span>{asSentence(record.message)}</span>
      </p>
      {record.before && record.after && (
        <p>
          The finding was <strong>{record.before}</strong> before and is <strong>{record.after}</strong> now (checked by a fresh audit).
        </p>
      )}
      {record.containers && <ContainersAfterView after={record.containers} />}
      <details className="work-steps" open={record.outcome !== 'applied'}>
        <summary>What happened, step by step</summary>
        <StepList steps={record.steps} />
      </details>
      {(record.outcome === 'applied' || record.outcome === 'unverified') && <p className="muted">Undo it any time from History.</p>}
    </div>
  );
}
