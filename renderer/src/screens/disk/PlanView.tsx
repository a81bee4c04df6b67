import { Eraser } from 'lucide-react';
import { useMemo } from 'react';
import type { KeptObject, PlannedRemoval, PrunePlan } from '../../../../shared/prune';
import { type Column, VirtualTable } from '../../components/VirtualTable';
import { inFormWords, KEEP_LABEL } from '../../../../shared/prune-words';
import { planCounts, RECLAIM_KEY, ROW_LABEL, shortId, TYPE_LABEL } from '../../lib/disk-model';
import type { DiskCategory } from '../../../../shared/api';
import { formatBytes, groupDigits } from '../../lib/format';

const REMOVE_COLUMNS: readonly Column<PlannedRemoval>[] = [
  { key: 'type', header: 'Type', area: 'type', cell: (r) => TYPE_LABEL[r.type] },
  { key: 'name', header: 'Name', area: 'name', rowHeader: true, cell: (r) => r.name ?? <span className="muted">(no name)</span> },
  { key: 'id', header: 'ID', area: 'id', cell: (r) => <code>{shortId(r.id)}</code> },
  { key: 'frees', header: 'Frees', area: 'size', numeric: true, cell: (r) => (r.type === 'network' ? '—' : formatBytes(r.reclaim)) },
  { key: 'why', header: 'Why', area: 'why', cell: (r) => inFormWords(r.why) },
];

const KEEP_COLUMNS: readonly Column<KeptObject>[] = [
  { key: 'type', header: 'Type', area: 'type', cell: (k) => TYPE_LABEL[k.type] },
  { key: 'name', header: 'Name', area: 'name', rowHeader: true, cell: (k) => k.name ?? <code>{shortId(k.id)}</code> },
  { key: 'size', header: 'Size', area: 'size', numeric: true, cell: (k) => (k.size === null ? '—' : formatBytes(k.size)) },
  {
    key: 'why',
    header: 'Why it stays',
    area: 'why',
    cell: (k) => (
      <>
        <span className="chip">{KEEP_LABEL[k.reason]}</span> {inFormWords(k.why)}
      </>
    ),
  },
];

const KINDS: readonly DiskCategory['kind'][] = ['images', 'containers', 'volumes', 'build-cache', 'container-logs'];

const objectKey = (o: { type: string; id: string }) => `${o.type}-${o.id}`;
const objectData = (o: { id: string }) => ({ 'data-object-id': o.id });

export function PlanView({
  plan,
  headingRef,
  onApply,
  stale,
}: {
  plan: PrunePlan;
  headingRef: React.Ref<HTMLHeadingElement>;
  onApply: () => void;
  stale: boolean;
}) {
  const kept = useMemo(() => plan.keep.filter((k) => k.reason !== 'builtin'), [plan]);
  const p = plan.predicted;
  return (
    <section className="card prune-plan" aria-labelledby="plan-title" data-testid="prune-plan" aria-busy={stale}>
      <div className="card-head">
        <h2 id="plan-title" ref={headingRef} tabIndex={-1}>
          Preview: {groupDigits(plan.remove.length)} to remove, {formatBytes(p.total)} to free
        </h2>
        <button type="button" className="button primary" onClick={onApply} disabled={plan.remove.length === 0 || stale}>
          <Eraser aria-hidden="true" /> Remove {groupDigits(plan.remove.length)} object{plan.remove.length === 1 ? '' : 's'}
        </button>
      </div>
      {stale && (
        <p className="notice" role="status">
          The options changed since this preview: it is planned again as soon as they are complete, and cannot be applied until then.
        </p>
      )}
      <p className="muted">
        {planCounts(plan)
          .map((c) => `${TYPE_LABEL[c.type]}s: remove ${c.remove}, keep ${c.keep}`)
          .join(' · ')}
        {plan.cutoff && ` · keeps what is newer than ${new Date(plan.cutoff).toLocaleString()}`}
      </p>
      {p.uncertain > 0 && (
        <p className="notice">
          Up to {formatBytes(p.uncertain)} of it may not be freed after all (layers shared with build cache that stays).
        </p>
      )}
      <p className="muted" data-testid="prune-plan-bytes">
        Frees by type:{' '}
        {KINDS.map((kind) => (
          <span key={kind} data-kind={kind}>
            {ROW_LABEL[kind]} <span data-figure="reclaimable">{formatBytes(p.byType[RECLAIM_KEY[kind]])}</span>
            {kind !== 'container-logs' && ' · '}
          </span>
        ))}
      </p>
      {p.notes.map((n) => (
        <p key={n} className="help">
          {inFormWords(n)}
        </p>
      ))}
      <h3 id="remove-title">Will be removed ({groupDigits(plan.remove.length)}, in the order they go)</h3>
      {plan.remove.length === 0 ? (
        <p className="muted">Nothing qualifies with these options.</p>
      ) : (
        <VirtualTable
          rows={plan.remove}
          columns={REMOVE_COLUMNS}
          rowKey={objectKey}
          rowData={objectData}
          labelledBy="remove-title"
          tracks={REMOVE_TRACKS}
          testId="prune-remove"
        />
      )}
      <h3 id="keep-title">Kept ({groupDigits(kept.length)})</h3>
      {kept.length === 0 ? (
        <p className="muted">Nothing of the chosen types is kept.</p>
      ) : (
        <VirtualTable
          rows={kept}
          columns={KEEP_COLUMNS}
          rowKey={objectKey}
          rowData={objectData}
          labelledBy="keep-title"
          tracks={KEEP_TRACKS}
          testId="prune-keep"
        />
      )}
    </section>
  );
}

const REMOVE_TRACKS = 'minmax(5.5rem, 0.6fr) minmax(8rem, 1.3fr) minmax(7.5rem, 0.8fr) minmax(5.5rem, 0.6fr) minmax(10rem, 2fr)';
const KEEP_TRACKS = 'minmax(5.5rem, 0.6fr) minmax(8rem, 1.4fr) minmax(5.5rem, 0.6fr) minmax(12rem, 2.6fr)';
