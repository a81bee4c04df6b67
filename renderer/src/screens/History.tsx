import { History as HistoryIcon, RefreshCw, Undo2 } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FixHistory, UndoResult } from '../../../shared/api';
import type { FixRecord, FixStep } from '../../../shared/fix';
import { Banner } from '../components/Banner';
import { DiffView } from '../components/DiffView';
import { RelativeTime } from '../components/RelativeTime';
import { StepList } from '../components/StepList';
import { type Guidance, thrownGuidance } from '../lib/guidance';
import { asSentence } from '../lib/format';
import { useStore } from '../state/hooks';

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
  const [busy, setBusy] = useState<{ record: FixRecord; steps: FixStep[] } | null>(null);
  const [result, setResult] = useState<{ record: FixRecord; undo: UndoResult } | null>(null);
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

  const undo = async (record: FixRecord, force: boolean) => {
    setBusy({ record, steps: [] });
    setError(null);
    const off = store.client.on('fix.progress', (p) => {
      if (p.planId === record.plan.id) setBusy((cur) => (cur ? { ...cur, steps: [...cur.steps, p.step] } : cur));
    });
    try {
      const undoResult = await store.client.call('fix.undo', { id: record.id, force });
      setResult({ record, undo: undoResult });
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
      <p className="muted lead">Every fix Dockhand applied on this host, newest first. Undo restores the files byte for byte from the backup taken before the fix, and restarts the daemon where the fix did.</p>
      {error && <Banner guidance={error} onDismiss={() => setError(null)} />}
      {result && <UndoOutcome result={result.undo} headingRef={resultHeading} busy={busy !== null} onForce={() => void undo(result.record, true)} onDismiss={() => setResult(null)} />}
      {busy && (
        <div className="notice undo-progress" data-testid="undo-progress">
          <p role="status">
            <span className="spinner" aria-hidden="true" /> Undoing {busy.record.id}: restoring the files and waiting for the daemon…
            {busy.record.elevated && ' It was applied as root: the system asks for your password.'}
          </p>
          <StepList steps={busy.steps} />
        </div>
      )}
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
                      <button type="button" className="button" disabled={busy !== null} onClick={() => void undo(r, false)} aria-label={`Undo ${r.plan.title} (${r.id})`}>
                        <Undo2 aria-hidden="true" /> Undo
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {history.damaged.length > 0 && <p className="form-error">Journal entries that could not be read (not shown): {history.damaged.join(', ')}</p>}
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
    <section className={`card undo-result ${result.undone ? 'undo-ok' : 'undo-refused'}`} aria-labelledby="undo-title" data-testid="undo-result">
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
      {result.undone && <StepList steps={result.record.steps.filter((s) => s.step === 'restore' || s.step === 'undo' || s.step === 'restart' || s.step === 'wait')} />}
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
