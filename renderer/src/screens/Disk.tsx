import { Eye, HardDrive, RefreshCw } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DiskSummary, PruneForm } from '../../../shared/api';
import type { PruneOptions, PrunePlan, PruneProgress, PruneResult } from '../../../shared/prune';
import { Banner } from '../components/Banner';
import { RelativeTime } from '../components/RelativeTime';
import { usageRows } from '../lib/disk-model';
import { formatBytes, groupDigits } from '../lib/format';
import { type Guidance, thrownGuidance } from '../lib/guidance';
import { DEFAULT_DRAFT, type PruneDraft, readPruneDraft } from '../lib/prune-draft';
import { useApp, useStore } from '../state/hooks';
import { ConfirmPrune } from './disk/ConfirmPrune';
import { PlanView } from './disk/PlanView';
import { PruneFields } from './disk/PruneFields';
import { PruneResultView } from './disk/PruneResultView';
import { UsageTable } from './disk/UsageTable';

/** A shown preview follows the options: planned again this long after the last change (typing does not plan per key). */
const REPLAN_DELAY_MS = 500;

type Stage =
  | { kind: 'form' }
  | { kind: 'planning' }
  /** stale: the options changed since; it is being planned again and cannot be applied. */
  | { kind: 'plan'; plan: PrunePlan; stale: boolean }
  /** Apply was asked for: what will go, said before anything does. */
  | { kind: 'confirm'; plan: PrunePlan }
  | { kind: 'applying'; plan: PrunePlan; progress: PruneProgress | null }
  | { kind: 'done'; plan: PrunePlan; result: PruneResult };

/** Docker's disk: usage by type and what is reclaimable, then a prune planned exactly, applied with progress. */
export function DiskScreen() {
  const store = useStore();
  // The one picture Overview shows too; measured again here, and by every preview and prune (disk.changed).
  const usage = useApp((s) => s.disk);
  const [loadingUsage, setLoadingUsage] = useState(true);
  const [error, setError] = useState<Guidance | null>(null);
  const [draft, setDraft] = useState<PruneDraft>(DEFAULT_DRAFT);
  const { form, errors } = useMemo(() => readPruneDraft(draft), [draft]);
  const [stage, setStage] = useState<Stage>({ kind: 'form' });
  const stageHeading = useRef<HTMLHeadingElement>(null);
  /** The options the preview on screen was planned with, and which plan call is the latest (older answers are dropped). */
  const plannedKey = useRef<string | null>(null);
  const planSeq = useRef(0);

  /** quiet: a failure keeps what is shown (after a partial prune, whose own banner already says the daemon is gone). */
  const loadUsage = useCallback(
    async (quiet = false) => {
      setLoadingUsage(true);
      try {
        await store.measureDisk();
        setError(null);
      } catch (e) {
        if (!quiet) setError(thrownGuidance(e, 'measure disk usage', store.client.kind));
      } finally {
        setLoadingUsage(false);
      }
    },
    [store],
  );
  useEffect(() => void loadUsage(), [loadUsage]);
  useEffect(() => {
    if (stage.kind === 'plan' || stage.kind === 'done' || stage.kind === 'confirm') stageHeading.current?.focus();
  }, [stage.kind]);

  /** Plans with these options; a re-plan keeps the preview (marked stale) on screen and focus where the user types. */
  const plan = useCallback(
    async (options: PruneForm, again: boolean) => {
      const seq = ++planSeq.current;
      if (!again) setStage({ kind: 'planning' });
      setError(null);
      try {
        const planned = await store.client.call('prune.plan', { options });
        if (seq !== planSeq.current) return;
        plannedKey.current = JSON.stringify(options);
        setStage({ kind: 'plan', plan: planned, stale: false });
      } catch (e) {
        if (seq !== planSeq.current) return;
        setStage({ kind: 'form' });
        setError(thrownGuidance(e, 'plan the prune', store.client.kind));
      }
    },
    [store],
  );

  const formKey = form ? JSON.stringify(form) : null;
  useEffect(() => {
    if (stage.kind !== 'plan') return;
    // Changed and changed back (or corrected): the preview on screen is for these options again.
    const current = formKey === plannedKey.current;
    setStage((cur) => (cur.kind === 'plan' && cur.stale !== !current ? { ...cur, stale: !current } : cur));
    if (current) return;
    // Not valid yet: the preview stays stale until it is.
    if (!form) return;
    const timer = setTimeout(() => void plan(form, true), REPLAN_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- formKey stands for form (a new object each render).
  }, [formKey, stage.kind, plan]);

  /** A second preview for what the prune left unused: the form shows the options it adds, so the preview is of the form. */
  const runAgain = (current: PruneForm, wider: PruneOptions) => {
    setDraft((d) => ({ ...d, images: wider.images, networks: wider.networks }));
    void plan({ ...current, images: wider.images, networks: wider.networks }, false);
  };

  const apply = async (planned: PrunePlan) => {
    setStage({ kind: 'applying', plan: planned, progress: null });
    setError(null);
    const off = store.client.on('prune.progress', (p) => {
      if (p.planId === planned.planId) setStage((cur) => (cur.kind === 'applying' ? { ...cur, progress: p } : cur));
    });
    try {
      const result = await store.client.call('prune.apply', { plan: planned });
      setStage({ kind: 'done', plan: planned, result });
      // A complete prune published the picture after it (disk.changed); a partial one is measured if the daemon is back.
      if (!result.complete) void loadUsage(true);
    } catch (e) {
      setStage({ kind: 'plan', plan: planned, stale: false });
      setError(thrownGuidance(e, 'prune', store.client.kind));
    } finally {
      off();
    }
  };

  const busy = stage.kind === 'planning' || stage.kind === 'applying' || stage.kind === 'confirm';
  return (
    <div className="screen disk">
      <div className="screen-head">
        <h1>Disk</h1>
        <button type="button" className="button" onClick={() => void loadUsage()} disabled={loadingUsage}>
          <RefreshCw aria-hidden="true" className={loadingUsage ? 'spin' : undefined} /> {loadingUsage ? 'Measuring…' : 'Measure again'}
        </button>
      </div>
      {error && <Banner guidance={error} onRerun={undefined} onDismiss={() => setError(null)} />}
      {usage ? (
        <Usage disk={usage} />
      ) : loadingUsage ? (
        <p className="loading" role="status">
          Measuring Docker's disk usage…
        </p>
      ) : null}

      <section className="card" aria-labelledby="prune-title">
        <h2 id="prune-title">Clean up</h2>
        <p className="muted">
          Choose what may go. Preview lists the exact objects first, and follows the options as you change them; nothing is removed until
          you apply. Running containers, what they use, and anything labelled {form?.protectLabel ?? draft.protectLabel}=true always stay.
        </p>
        <PruneFields draft={draft} errors={errors} onChange={setDraft} disabled={busy} />
        <div className="form-actions">
          <button type="button" className="button primary" onClick={() => form && void plan(form, false)} disabled={busy || !form}>
            <Eye aria-hidden="true" /> {stage.kind === 'planning' ? 'Planning…' : 'Preview'}
          </button>
          {!form && <span className="help field-error">Correct the options marked above to preview.</span>}
        </div>
      </section>

      {stage.kind === 'plan' && (
        <PlanView
          plan={stage.plan}
          headingRef={stageHeading}
          onApply={() => setStage({ kind: 'confirm', plan: stage.plan })}
          stale={stage.stale}
        />
      )}
      {stage.kind === 'confirm' && (
        <ConfirmPrune
          plan={stage.plan}
          headingRef={stageHeading}
          onConfirm={() => void apply(stage.plan)}
          onCancel={() => setStage({ kind: 'plan', plan: stage.plan, stale: false })}
        />
      )}
      {stage.kind === 'applying' && <ApplyProgress plan={stage.plan} progress={stage.progress} />}
      {stage.kind === 'done' && (
        <PruneResultView result={stage.result} headingRef={stageHeading} onRunAgain={form ? (o) => runAgain(form, o) : undefined} />
      )}
    </div>
  );
}

function Usage({ disk }: { disk: DiskSummary }) {
  const rows = usageRows(disk);
  const root = disk.dataRoot;
  return (
    <section className="card disk-usage" aria-labelledby="usage-title" data-testid="disk-usage">
      <div className="card-head">
        <h2 id="usage-title">Usage by type</h2>
        <span className="muted">
          {formatBytes(disk.totalBytes)} in all · {formatBytes(disk.reclaimableBytes)} reclaimable by the default cleanup · measured{' '}
          <RelativeTime iso={disk.collectedAt} />
        </span>
      </div>
      {disk.error && <p className="notice">{disk.error}</p>}
      {/* The chart is a picture of the table below it: hidden from screen readers, which read the table. Every bar is on
          one scale (the largest type) and every track has the same length. */}
      {rows.length > 0 && (
        <div className="usage-chart" aria-hidden="true">
          {rows.map((r) => (
            <div className="usage-row" key={r.type}>
              <span className="usage-label">{r.label}</span>
              <span className="usage-track">
                <span className="usage-used" style={{ width: `${r.share * 100}%` }} />
                <span
                  className="usage-reclaim"
                  style={{ left: `${(r.share - r.reclaimShare) * 100}%`, width: `${r.reclaimShare * 100}%` }}
                />
              </span>
              <span className="usage-value">
                {r.bytes === null ? 'unknown' : formatBytes(r.bytes)}
                {r.reclaimable > 0 && <span className="muted"> · {formatBytes(r.reclaimable)} reclaimable</span>}
              </span>
            </div>
          ))}
          <p className="usage-legend">
            <span className="swatch swatch-used" /> in use or kept <span className="swatch swatch-reclaim" /> reclaimable by the default
            cleanup
          </p>
        </div>
      )}
      {rows.length > 0 && <UsageTable disk={disk} caption="Docker disk usage by type, and what the default cleanup would free" notes />}
      {root && (
        <p className="muted disk-root-line">
          <HardDrive aria-hidden="true" className="inline-icon" /> Data root <code>{root.path}</code>: {formatBytes(root.availableBytes)}{' '}
          free of {formatBytes(root.totalBytes)}
        </p>
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
      <div
        className="progress-bar"
        role="progressbar"
        aria-labelledby="applying-title"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
      </div>
      <p role="status" aria-live="polite">
        {text}
      </p>
    </section>
  );
}
