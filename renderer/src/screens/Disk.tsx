import { Eraser, Eye, HardDrive, RefreshCw } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiskUsage, PruneForm } from '../../../shared/api';
import type { PrunePlan, PruneProgress, PruneResult } from '../../../shared/prune';
import { Banner } from '../components/Banner';
import { DEFAULT_FORM, freedBytes, partialPruneGuidance, planCounts, shortId, STATUS_LABEL, TYPE_LABEL, usageRows } from '../lib/disk-model';
import { formatBytes, groupDigits } from '../lib/format';
import { type Guidance, thrownGuidance } from '../lib/guidance';
import { useStore } from '../state/hooks';

/** Rows rendered at once in the plan's tables; more on request, so a host with thousands of images stays responsive. */
const PAGE = 200;

type Stage = { kind: 'form' } | { kind: 'planning' } | { kind: 'plan'; plan: PrunePlan } | { kind: 'applying'; plan: PrunePlan; progress: PruneProgress | null } | { kind: 'done'; plan: PrunePlan; result: PruneResult };


/** Docker's disk: usage by type and what is reclaimable, then a prune planned exactly, applied with progress. */
export function DiskScreen() {
  const store = useStore();
  const [usage, setUsage] = useState<DiskUsage | null>(null);
  const [loadingUsage, setLoadingUsage] = useState(true);
  const [error, setError] = useState<Guidance | null>(null);
  const [form, setForm] = useState<PruneForm>(DEFAULT_FORM);
  const [stage, setStage] = useState<Stage>({ kind: 'form' });
  const stageHeading = useRef<HTMLHeadingElement>(null);

  /** quiet: a failure keeps what is shown (after a partial prune, whose own banner already says the daemon is gone). */
  const loadUsage = useCallback(async (quiet = false) => {
    setLoadingUsage(true);
    try {
      setUsage(await store.client.call('disk.usage', {}));
      setError(null);
    } catch (e) {
      if (!quiet) setError(thrownGuidance(e, 'measure disk usage', store.client.kind));
    } finally {
      setLoadingUsage(false);
    }
  }, [store]);
  useEffect(() => void loadUsage(), [loadUsage]);
  useEffect(() => {
    if (stage.kind === 'plan' || stage.kind === 'done') stageHeading.current?.focus();
  }, [stage.kind]);

  const preview = async () => {
    setStage({ kind: 'planning' });
    setError(null);
    try {
      setStage({ kind: 'plan', plan: await store.client.call('prune.plan', { options: form }) });
    } catch (e) {
      setStage({ kind: 'form' });
      setError(thrownGuidance(e, 'plan the prune', store.client.kind));
    }
  };

  const apply = async (plan: PrunePlan) => {
    setStage({ kind: 'applying', plan, progress: null });
    setError(null);
    const off = store.client.on('prune.progress', (p) => {
      if (p.planId === plan.planId) setStage((cur) => (cur.kind === 'applying' ? { ...cur, progress: p } : cur));
    });
    try {
      const result = await store.client.call('prune.apply', { plan });
      setStage({ kind: 'done', plan, result });
      void loadUsage(!result.complete);
    } catch (e) {
      setStage({ kind: 'plan', plan });
      setError(thrownGuidance(e, 'prune', store.client.kind));
    } finally {
      off();
    }
  };

  return (
    <div className="screen disk">
      <div className="screen-head">
        <h1>Disk</h1>
        <button type="button" className="button" onClick={() => void loadUsage()} disabled={loadingUsage}>
          <RefreshCw aria-hidden="true" className={loadingUsage ? 'spin' : undefined} /> {loadingUsage ? 'Measuring…' : 'Measure again'}
        </button>
      </div>
      {error && <Banner guidance={error} onRerun={undefined} onDismiss={() => setError(null)} />}
      {usage ? <Usage usage={usage} /> : loadingUsage ? <p className="loading" role="status">Measuring Docker's disk usage…</p> : null}

      <section className="card" aria-labelledby="prune-title">
        <h2 id="prune-title">Clean up</h2>
        <p className="muted">Choose what may go. Preview lists the exact objects first; nothing is removed until you apply. Running containers, what they use, and anything labelled dockhand.protect=true always stay.</p>
        <PruneFormFields form={form} onChange={setForm} disabled={stage.kind === 'planning' || stage.kind === 'applying'} />
        <div className="form-actions">
          <button type="button" className="button primary" onClick={() => void preview()} disabled={stage.kind === 'planning' || stage.kind === 'applying'}>
            <Eye aria-hidden="true" /> {stage.kind === 'planning' ? 'Planning…' : 'Preview'}
          </button>
        </div>
      </section>

      {stage.kind === 'plan' && <PlanView plan={stage.plan} headingRef={stageHeading} onApply={() => void apply(stage.plan)} />}
      {stage.kind === 'applying' && <ApplyProgress plan={stage.plan} progress={stage.progress} />}
      {stage.kind === 'done' && <ResultView result={stage.result} headingRef={stageHeading} />}
    </div>
  );
}

function Usage({ usage }: { usage: DiskUsage }) {
  const rows = usageRows(usage);
  const root = usage.report.dataRoot;
  const reclaimable = rows.reduce((a, r) => a + r.reclaimable, 0);
  return (
    <section className="card disk-usage" aria-labelledby="usage-title">
      <div className="card-head">
        <h2 id="usage-title">Usage by type</h2>
        <span className="muted">
          {formatBytes(usage.report.total)} in all · {formatBytes(reclaimable)} reclaimable by a default cleanup
        </span>
      </div>
      {/* The chart is a picture of the table below it: hidden from screen readers, which read the table. */}
      <div className="usage-chart" aria-hidden="true">
        {rows.map((r) => (
          <div className="usage-row" key={r.type}>
            <span className="usage-label">{r.label}</span>
            <span className="usage-track">
              <span className="usage-used" style={{ width: `${r.share * 100}%` }}>
                <span className="usage-reclaim" style={{ width: r.share > 0 ? `${(r.reclaimShare / r.share) * 100}%` : 0 }} />
              </span>
            </span>
            <span className="usage-value">
              {r.bytes === null ? 'unknown' : formatBytes(r.bytes)}
              {r.reclaimable > 0 && <span className="muted"> · {formatBytes(r.reclaimable)} reclaimable</span>}
            </span>
          </div>
        ))}
        <p className="usage-legend">
          <span className="swatch swatch-used" /> in use or kept <span className="swatch swatch-reclaim" /> reclaimable (striped)
        </p>
      </div>
      <table className="table usage-table">
        <caption className="visually-hidden">Docker disk usage by type, and what a default cleanup would free</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col" className="num">
              Objects
            </th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Reclaimable
            </th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.type}>
              <th scope="row">{r.label}</th>
              <td className="num">{groupDigits(r.count)}</td>
              <td className="num">{r.bytes === null ? 'unknown' : formatBytes(r.bytes)}</td>
              <td className="num">{formatBytes(r.reclaimable)}</td>
              <td className="muted">{r.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {root && (
        <p className="muted disk-root-line">
          <HardDrive aria-hidden="true" className="inline-icon" /> Data root <code>{root.path}</code>: {formatBytes(root.availableBytes)} free of {formatBytes(root.totalBytes)}
        </p>
      )}
    </section>
  );
}

function PruneFormFields({ form, onChange, disabled }: { form: PruneForm; onChange: (f: PruneForm) => void; disabled: boolean }) {
  const [until, setUntil] = useState(form.until ?? '');
  const untilValid = until.trim() === '' || /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(until.trim());
  return (
    <fieldset className="prune-form" disabled={disabled}>
      <legend className="visually-hidden">What to remove</legend>
      <div className="prune-grid">
        <div className="field">
          <label htmlFor="prune-images">Images</label>
          <select id="prune-images" value={form.images} onChange={(e) => onChange({ ...form, images: e.target.value as PruneForm['images'] })}>
            <option value="none">Keep all images</option>
            <option value="dangling">Dangling (untagged) only</option>
            <option value="unused">All unused images</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="prune-volumes">Volumes</label>
          <select id="prune-volumes" value={form.volumes} onChange={(e) => onChange({ ...form, volumes: e.target.value as PruneForm['volumes'] })} aria-describedby="volumes-help">
            <option value="none">Keep all volumes</option>
            <option value="anonymous">Unused anonymous volumes</option>
            <option value="all">All unused volumes (named too)</option>
          </select>
          <p className="help" id="volumes-help">
            Volumes hold data: they are kept unless you choose otherwise.
          </p>
        </div>
        <div className="field narrow">
          <label htmlFor="prune-until">Only older than</label>
          <input
            id="prune-until"
            type="text"
            value={until}
            placeholder="e.g. 168h"
            aria-invalid={!untilValid}
            aria-describedby="until-help"
            onChange={(e) => {
              setUntil(e.target.value);
              const v = e.target.value.trim();
              if (v === '' || /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) onChange({ ...form, until: v === '' ? null : v });
            }}
          />
          <p className="help" id="until-help">
            {untilValid ? 'A duration such as 168h (a week) or 30m; empty: any age.' : 'Not a duration: use a number and a unit, such as 168h or 30m.'}
          </p>
        </div>
      </div>
      <div className="prune-checks">
          <label className="checkbox">
            <input type="checkbox" checked={form.containers} onChange={(e) => onChange({ ...form, containers: e.target.checked })} /> Stopped containers
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={form.buildCache} onChange={(e) => onChange({ ...form, buildCache: e.target.checked })} /> Build cache not in use
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={form.networks} onChange={(e) => onChange({ ...form, networks: e.target.checked })} /> Unused networks
          </label>
      </div>
    </fieldset>
  );
}

function PlanView({ plan, headingRef, onApply }: { plan: PrunePlan; headingRef: React.Ref<HTMLHeadingElement>; onApply: () => void }) {
  const [removeShown, setRemoveShown] = useState(PAGE);
  const [keepShown, setKeepShown] = useState(PAGE);
  const kept = plan.keep.filter((k) => k.reason !== 'builtin');
  const p = plan.predicted;
  return (
    <section className="card prune-plan" aria-labelledby="plan-title" data-testid="prune-plan">
      <div className="card-head">
        <h2 id="plan-title" ref={headingRef} tabIndex={-1}>
          Preview: {groupDigits(plan.remove.length)} to remove, {formatBytes(p.total)} to free
        </h2>
        <button type="button" className="button primary" onClick={onApply} disabled={plan.remove.length === 0}>
          <Eraser aria-hidden="true" /> Remove {groupDigits(plan.remove.length)} object{plan.remove.length === 1 ? '' : 's'}
        </button>
      </div>
      <p className="muted">
        {planCounts(plan)
          .map((c) => `${TYPE_LABEL[c.type]}s: remove ${c.remove}, keep ${c.keep}`)
          .join(' · ')}
        {plan.cutoff && ` · keeps what is newer than ${new Date(plan.cutoff).toLocaleString()}`}
      </p>
      {p.uncertain > 0 && <p className="notice">Up to {formatBytes(p.uncertain)} of it may not be freed after all (layers shared with build cache that stays).</p>}
      {p.notes.map((n) => (
        <p key={n} className="help">
          {n}
        </p>
      ))}
      <h3 id="remove-title">Will be removed</h3>
      {plan.remove.length === 0 ? (
        <p className="muted">Nothing qualifies with these options.</p>
      ) : (
        <div className="table-scroll">
          <table className="table plan-table" aria-labelledby="remove-title">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col" className="num">
                  Frees
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {plan.remove.slice(0, removeShown).map((r) => (
                <tr key={`${r.type}-${r.id}`} data-object-id={r.id}>
                  <td>{TYPE_LABEL[r.type]}</td>
                  <th scope="row">{r.name ?? <span className="muted">(no name)</span>}</th>
                  <td>
                    <code>{shortId(r.id)}</code>
                  </td>
                  <td className="num">{r.type === 'network' ? '—' : formatBytes(r.reclaim)}</td>
                  <td>{r.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plan.remove.length > removeShown && (
        <button type="button" className="button" onClick={() => setRemoveShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, plan.remove.length - removeShown)} more of {groupDigits(plan.remove.length - removeShown)}
        </button>
      )}
      <h3 id="keep-title">Kept</h3>
      {kept.length === 0 ? (
        <p className="muted">Nothing of the chosen types is kept.</p>
      ) : (
        <div className="table-scroll">
          <table className="table plan-table" aria-labelledby="keep-title">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Why it stays</th>
              </tr>
            </thead>
            <tbody>
              {kept.slice(0, keepShown).map((k) => (
                <tr key={`${k.type}-${k.id}`} data-object-id={k.id}>
                  <td>{TYPE_LABEL[k.type]}</td>
                  <th scope="row">{k.name ?? <code>{shortId(k.id)}</code>}</th>
                  <td className="num">{k.size === null ? '—' : formatBytes(k.size)}</td>
                  <td>
                    <span className="chip">{k.reason}</span> {k.why}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {kept.length > keepShown && (
        <button type="button" className="button" onClick={() => setKeepShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, kept.length - keepShown)} more of {groupDigits(kept.length - keepShown)}
        </button>
      )}
    </section>
  );
}

const PHASE_TEXT: Record<PruneProgress['phase'], string> = {
  'measuring-before': 'Measuring disk usage before…',
  removing: 'Removing…',
  'measuring-after': 'Measuring what was freed…',
  done: 'Done',
};

function ApplyProgress({ plan, progress }: { plan: PrunePlan; progress: PruneProgress | null }) {
  const done = progress?.done ?? 0;
  const total = progress?.total ?? plan.remove.length;
  const text = `${groupDigits(done)} of ${groupDigits(total)} objects · ${formatBytes(progress?.bytesSoFar ?? 0)} so far`;
  return (
    <section className="card" aria-labelledby="applying-title" data-testid="prune-progress">
      <h2 id="applying-title">{PHASE_TEXT[progress?.phase ?? 'measuring-before']}</h2>
      <div className="progress-bar" role="progressbar" aria-labelledby="applying-title" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={text}>
        <div className="progress-fill" style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
      </div>
      <p role="status" aria-live="polite">
        {text}
      </p>
    </section>
  );
}

function ResultView({ result, headingRef }: { result: PruneResult; headingRef: React.Ref<HTMLHeadingElement> }) {
  const problems = result.outcomes.filter((o) => o.status !== 'removed');
  const measured = result.freed.engineBytes !== null;
  return (
    <section className="card prune-result" aria-labelledby="result-title" data-testid="prune-result" data-complete={result.complete}>
      <h2 id="result-title" ref={headingRef} tabIndex={-1}>
        {result.complete ? 'Freed' : 'Stopped part-way: freed'} {measured ? '' : 'about '}
        {formatBytes(freedBytes(result))}
      </h2>
      {!result.complete && <Banner guidance={partialPruneGuidance(result)} id="prune-partial-title" />}
      <p role="status">
        Removed {groupDigits(result.counts.removed)} object{result.counts.removed === 1 ? '' : 's'}
        {result.counts.skipped > 0 && `, skipped ${groupDigits(result.counts.skipped)}`}
        {result.counts.failed > 0 && `, ${groupDigits(result.counts.failed)} failed`}
        {result.counts.notAttempted > 0 && `, ${groupDigits(result.counts.notAttempted)} not attempted`}. The plan predicted {formatBytes(result.predicted.plan)}; the Engine&apos;s own accounting
        {result.freed.engineBytes === null ? ' could not be read, so this is the prediction for what was removed' : ' measured the rest'}
        {result.freed.containerLogs > 0 && `, plus ${formatBytes(result.freed.containerLogs)} of container logs`}.
      </p>
      {problems.length > 0 && (
        <>
          <h3 id="skipped-title">Not removed</h3>
          <table className="table" aria-labelledby="skipped-title">
            <thead>
              <tr>
                <th scope="col">Object</th>
                <th scope="col">Outcome</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((o) => (
                <tr key={`${o.type}-${o.id}`} data-object-id={o.id} data-status={o.status}>
                  <th scope="row">
                    {TYPE_LABEL[o.type]} {o.name ?? shortId(o.id)}
                  </th>
                  <td>{STATUS_LABEL[o.status]}</td>
                  <td>{o.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
