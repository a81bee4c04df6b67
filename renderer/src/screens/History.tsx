import { History as HistoryIcon, RefreshCw, Undo2 } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FixHistory, UndoResult } from '../../../shared/api';
import type { FixRecord, FixStep } from '../../../shared/fix';
import type { RestartImpact } from '../../../shared/restart-impact';
import { Banner } from '../components/Banner';
import { DiffView } from '../components/DiffView';
import { RelativeTime } from '../components/RelativeTime';
import { StepList } from '../components/StepList';
import { type Guidance, thrownGuidance } from '../lib/guidance';
import { asSentence } from '../lib/format';
import { useStore } from '../state/hooks';
import { ContainersAfterView, needsStartChoice, RestartImpactView, StartAgainChoice } from './fix/RestartImpact';
import { WorkProgress } from './fix/WorkProgress';

const OUTCOME_LABEL: Record<FixRecord['outcome'], string> = {
  applying: 'Applying',
  applied: 'Applied',
  unverified: 'Applied, unverified',
  'rolled-back': 'Rolled back',
  failed: 'Failed',
  undone: 'Undone',
};
const OUTCOME_TONE: Record<FixRecord['outcome'], string> = {
  applying: 'info',
  applied: 'pass',
  unverified: 'warn',
  'rolled-back': 'warn',
  failed: 'fail',
  undone: 'skipped',
};
const undoable = (r: FixRecord) => r.outcome === 'applied' || r.outcome === 'unverified' || r.outcome === 'applying';

/** Every applied fix, newest first, each with Undo; an undo refused over hand edits shows both diffs and asks again. */
export function HistoryScreen() {
  const store = useStore();
  const [history, setHistory] = useState<FixHistory | null>(null);
  const [error, setError] = useState<Guidance | null>(null);
  /** The fix being undone, and its steps so far (they arrive as fix.progress events for its plan). */
  const [busy, setBusy] = useState<{ record: FixRecord; steps: FixStep[]; lastAt: number; restartContainers: boolean } | null>(null);
  const [result, setResult] = useState<{ record: FixRecord; undo: UndoResult; restartContainers: boolean } | null>(null);
  /** An undo asked for and not confirmed yet: what its restart would do (impact undefined while main looks). */
  const [asking, setAsking] = useState<{ record: FixRecord; impact: RestartImpact | null | undefined } | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      setHistory(await store.client.call('fix.history', {}));
    } catch (e) {
      setError(thrownGuidance(e, 'read the fix history', store.client.kind));
    }
  }, [store]);
  useEffect(() => void load(), [load]);
  useEffect(() => resultHeading.current?.focus(), [result]);

  /** Undo asks first, as Apply does: what the undo's restart stops, and whether to start those containers again. */
  const ask = async (record: FixRecord) => {
    setResult(null);
    setError(null);
    setAsking({ record, impact: record.plan.restart ? undefined : null });
    if (!record.plan.restart) return;
    try {
      const found = await store.client.call('fix.undo-impact', { id: record.id });
      setAsking((cur) => (cur?.record.id === record.id ? { record, impact: found?.impact ?? null } : cur));
    } catch (e) {
      setAsking(null);
      setError(thrownGuidance(e, 'look at what the undo restarts', store.client.kind));
    }
  };

  const undo = async (record: FixRecord, force: boolean, restartContainers: boolean) => {
    setAsking(null);
    setBusy({ record, steps: [], lastAt: Date.now(), restartContainers });
    setError(null);
    const off = store.client.on('fix.progress', (p) => {
      if (p.planId === record.plan.id) setBusy((cur) => (cur ? { ...cur, steps: [...cur.steps, p.step], lastAt: Date.now() } : cur));
    });
    try {
      const undoResult = await store.client.call('fix.undo', { id: record.id, force, restartContainers });
      setResult({ record, undo: undoResult, restartContainers });
      await load();
      if (undoResult.undone) void store.runAudit();
    } catch (e) {
      setError(thrownGuidance(e, 'undo the fix', store.client.kind));
    } finally {
      off();
      setBusy(null);
    }
  };

  return (
    <div className="screen history">
      <div className="screen-head">
        <h1>History</h1>
        <button type="button" className="button" onClick={() => void load()}>
          <RefreshCw aria-hidden="true" /> Refresh
        </button>
      </div>
      <p className="muted lead">
        Every fix Dockhand applied on this host, newest first. Undo restores the files byte for byte from the backup taken before the fix,
        and restarts the daemon where the fix did.
      </p>
      {error && <Banner guidance={error} onDismiss={() => setError(null)} />}
      {asking && (
        <UndoConfirm
          record={asking.record}
          impact={asking.impact}
          onUndo={(restartContainers) => void undo(asking.record, false, restartContainers)}
          onCancel={() => setAsking(null)}
        />
      )}
      {result && (
        <UndoOutcome
          result={result.undo}
          headingRef={resultHeading}
          busy={busy !== null}
          onForce={() => void undo(result.record, true, result.restartContainers)}
          onDismiss={() => setResult(null)}
        />
      )}
      {busy && <UndoProgress busy={busy} />}
      {!history ? (
        !error && (
          <p className="loading" role="status">
            Loading the fix journal…
          </p>
        )
      ) : history.records.length === 0 ? (
        <section className="card empty-state">
          <HistoryIcon aria-hidden="true" className="empty-icon" />
          <h2>No fixes applied yet</h2>
          <p>Open a failing finding and choose Fix: every fix you apply is listed here and can be undone.</p>
        </section>
      ) : (
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title" className="visually-hidden">
            Applied fixes
          </h2>
          <table className="table history-table">
            <thead>
              <tr>
                <th scope="col">Outcome</th>
                <th scope="col">Fix</th>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.records.map((r) => (
                <tr key={r.id} data-record-id={r.id}>
                  <td>
                    <span className={`badge status-${OUTCOME_TONE[r.outcome]}`}>
                      <span className="dot" aria-hidden="true" />
                      {OUTCOME_LABEL[r.outcome]}
                    </span>
                  </td>
                  <th scope="row">
                    <span className="history-title">{r.plan.title}</span>
                    <code className="muted">{r.plan.findingId ?? r.plan.checkId}</code>
                  </th>
                  <td>
                    <RelativeTime iso={r.startedAt} />
                  </td>
                  <td className="history-message">
                    {asSentence(r.message)}
                    {r.elevated && <span className="muted history-elevated">Applied as root: Undo asks for your password.</span>}
                  </td>
                  <td>
                    {undoable(r) && (
                      <button
                        type="button"
                        className="button"
                        disabled={busy !== null}
                        onClick={() => void ask(r)}
                        aria-label={`Undo ${r.plan.title} (${r.id})`}
                      >
                        <Undo2 aria-hidden="true" /> Undo
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {history.damaged.length > 0 && (
            <p className="form-error">Journal entries that could not be read (not shown): {history.damaged.join(', ')}</p>
          )}
        </section>
      )}
    </div>
  );
}

interface UndoOutcomeProps {
  result: UndoResult;
  headingRef: React.Ref<HTMLHeadingElement>;
  busy: boolean;
  onForce: () => void;
  onDismiss: () => void;
}

function UndoOutcome({ result, headingRef, busy, onForce, onDismiss }: UndoOutcomeProps) {
  const conflicted = !result.undone && result.conflicts.length > 0;
  return (
    <section
      className={`card undo-result ${result.undone ? 'undo-ok' : 'undo-refused'}`}
      aria-labelledby="undo-title"
      data-testid="undo-result"
    >
      <h2 id="undo-title" ref={headingRef} tabIndex={-1}>
        {result.undone ? 'Undone' : conflicted ? 'Not undone: the files were edited since the fix' : 'Not undone'}
      </h2>
      <p role="status">{asSentence(result.message).replace(/ \(see the differences; --force to undo anyway\)$/, '')}</p>
      {conflicted && (
        <>
          <p>Undoing now would throw away the later edits below. Compare them, then undo anyway or leave the file as it is.</p>
          {result.conflicts.map((c) => (
            <div key={c.path} className="conflict">
              <h3>What the fix changed</h3>
              <DiffView diff={c.fixDiff} label={c.path} />
              <h3>What changed since</h3>
              <DiffView diff={c.sinceDiff} label={c.path} />
            </div>
          ))}
        </>
      )}
      {result.containers && <ContainersAfterView after={result.containers} />}
      {result.undone && (
        <StepList
          steps={result.record.steps.filter((s) => s.step === 'restore' || s.step === 'undo' || s.step === 'restart' || s.step === 'wait')}
        />
      )}
      <div className="form-actions">
        {conflicted && (
          <button type="button" className="button danger" onClick={onForce} disabled={busy}>
            <Undo2 aria-hidden="true" /> Undo anyway
          </button>
        )}
        <button type="button" className="button" onClick={onDismiss}>
          {conflicted ? 'Keep the file as it is' : 'Dismiss'}
        </button>
      </div>
    </section>
  );
}

/** The undo's own confirmation: the fix by its title, what its restart stops, and the choice to start them again. */
function UndoConfirm({
  record,
  impact,
  onUndo,
  onCancel,
}: {
  record: FixRecord;
  impact: RestartImpact | null | undefined;
  onUndo: (restartContainers: boolean) => void;
  onCancel: () => void;
}) {
  const [restartContainers, setRestartContainers] = useState(true);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card undo-confirm" aria-labelledby="undo-confirm-title" data-testid="undo-confirm">
      <h2 id="undo-confirm-title" ref={heading} tabIndex={-1}>
        Undo: {record.plan.title}
      </h2>
      <p>
        Restores {record.plan.files.map((f) => f.path).join(', ') || 'what the fix changed'} from the backup taken before the fix
        {record.plan.restart ? ', then restarts the Docker daemon.' : '. The daemon is not restarted.'}
        {record.elevated && ' It was applied as root: the system asks for your password.'}
      </p>
      {impact === undefined && (
        <p className="loading" role="status">
          Looking at the running containers…
        </p>
      )}
      {impact && <RestartImpactView impact={impact} />}
      <div className="form-actions">
        {needsStartChoice(impact) && <StartAgainChoice checked={restartContainers} onChange={setRestartContainers} />}
        <button type="button" className="button primary" disabled={impact === undefined} onClick={() => onUndo(restartContainers)}>
          <Undo2 aria-hidden="true" /> Undo fix
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** The undo as it happens, headed by the fix's title: every step from the start. */
function UndoProgress({ busy }: { busy: { record: FixRecord; steps: FixStep[]; lastAt: number; restartContainers: boolean } }) {
  const { record } = busy;
  // The password prompt is said above: the undo reports no step of its own for it.
  const options = useMemo(
    () => ({ work: 'undo' as const, elevated: false, restartContainers: busy.restartContainers }),
    [busy.restartContainers],
  );
  return (
    <section className="card undo-progress" data-testid="undo-progress" aria-labelledby="undo-progress-title">
      <h2 id="undo-progress-title">Undoing: {record.plan.title}</h2>
      {record.elevated && <p className="notice">It was applied as root: the system asks for your password.</p>}
      <WorkProgress plan={record.plan} steps={busy.steps} options={options} lastAt={busy.lastAt} />
    </section>
  );
}
