import { RotateCw } from 'lucide-react';
import type { PruneOutcome, PruneResult } from '../../../../shared/prune';
import { inFormWords } from '../../../../shared/prune-words';
import { Banner } from '../../components/Banner';
import { type Column, VirtualTable } from '../../components/VirtualTable';
import { freedBytes, KEEP_LABEL, partialPruneGuidance, shortId, STATUS_LABEL, TYPE_LABEL } from '../../lib/disk-model';
import { formatBytes, groupDigits } from '../../lib/format';

const OUTCOME_COLUMNS: readonly Column<PruneOutcome>[] = [
  { key: 'type', header: 'Type', area: 'type', cell: (o) => TYPE_LABEL[o.type] },
  { key: 'name', header: 'Name', area: 'name', rowHeader: true, cell: (o) => o.name ?? <code>{shortId(o.id)}</code> },
  { key: 'status', header: 'Outcome', area: 'status', cell: (o) => <span className={`chip outcome-${o.status}`}>{STATUS_LABEL[o.status]}</span> },
  { key: 'freed', header: 'Predicted', area: 'size', numeric: true, cell: (o) => (o.type === 'network' ? '—' : formatBytes(o.predicted)) },
  { key: 'why', header: 'Why', area: 'why', cell: (o) => (o.reason ? inFormWords(o.reason) : o.status === 'removed' ? '' : '—') },
];
const OUTCOME_TRACKS = 'minmax(5.5rem, 0.6fr) minmax(8rem, 1.3fr) minmax(7rem, 0.7fr) minmax(5.5rem, 0.6fr) minmax(10rem, 2fr)';

const objectKey = (o: { type: string; id: string }) => `${o.type}-${o.id}`;
const objectData = (o: PruneOutcome) => ({ 'data-object-id': o.id, 'data-status': o.status });

/**
 * After a prune: the bytes freed, every planned object with what became of it (removed, skipped and why, unconfirmed),
 * and what the prune itself made reclaimable (an image its removed containers used), with a second run for it.
 */
export function PruneResultView({ result, headingRef, onRunAgain }: { result: PruneResult; headingRef: React.Ref<HTMLHeadingElement>; onRunAgain?: () => void }) {
  const measured = result.freed.engineBytes !== null;
  const c = result.counts;
  const next = result.nowReclaimable;
  return (
    <section className="card prune-result" aria-labelledby="result-title" data-testid="prune-result" data-complete={result.complete}>
      <h2 id="result-title" ref={headingRef} tabIndex={-1}>
        {result.complete ? 'Freed' : 'Stopped part-way: freed'} {measured ? '' : 'about '}
        {formatBytes(freedBytes(result))}
      </h2>
      {!result.complete && <Banner guidance={partialPruneGuidance(result)} id="prune-partial-title" />}
      <p role="status" data-testid="prune-counts">
        Removed {groupDigits(c.removed)} object{c.removed === 1 ? '' : 's'}
        {c.skipped > 0 && `, skipped ${groupDigits(c.skipped)}`}
        {c.failed > 0 && `, ${groupDigits(c.failed)} failed`}
        {c.unconfirmed > 0 && `, ${groupDigits(c.unconfirmed)} unconfirmed`}
        {c.notAttempted > 0 && `, ${groupDigits(c.notAttempted)} not attempted`}. The plan predicted {formatBytes(result.predicted.plan)}; the Engine&apos;s own accounting
        {measured ? ' measured what was freed' : ' could not be read, so this is the prediction for what was removed'}
        {result.freed.containerLogs > 0 && `, plus ${formatBytes(result.freed.containerLogs)} of container logs`}.
      </p>
      <h3 id="outcomes-title">Each object ({groupDigits(result.outcomes.length)})</h3>
      {result.outcomes.length === 0 ? (
        <p className="muted">The plan listed nothing to remove.</p>
      ) : (
        <VirtualTable rows={result.outcomes} columns={OUTCOME_COLUMNS} rowKey={objectKey} rowData={objectData} labelledBy="outcomes-title" tracks={OUTCOME_TRACKS} testId="prune-outcomes" />
      )}
      {next && next.objects.length > 0 && (
        <div className="prune-next" data-testid="prune-now-reclaimable">
          <h3 id="next-title">
            Reclaimable now: {groupDigits(next.objects.length)} more object{next.objects.length === 1 ? '' : 's'}, {formatBytes(next.bytes)}
          </h3>
          <p className="muted">The prune itself freed these: the same options would remove them now.</p>
          <ul aria-labelledby="next-title">
            {next.objects.slice(0, 20).map((o) => (
              <li key={objectKey(o)} data-object-id={o.id}>
                {TYPE_LABEL[o.type]} <strong>{o.name ?? shortId(o.id)}</strong>: {inFormWords(o.why)} <span className="muted">(kept before: {KEEP_LABEL[o.keptBecause]})</span>
              </li>
            ))}
            {next.objects.length > 20 && <li>and {groupDigits(next.objects.length - 20)} more</li>}
          </ul>
          {onRunAgain && (
            <button type="button" className="button" onClick={onRunAgain}>
              <RotateCw aria-hidden="true" /> Run again: preview them
            </button>
          )}
        </div>
      )}
    </section>
  );
}
