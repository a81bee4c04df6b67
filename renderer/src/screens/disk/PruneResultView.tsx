import { RotateCw } from 'lucide-react';
import type { PruneOptions, PruneOutcome, PruneResult } from '../../../../shared/prune';
import { inFormWords, KEEP_LABEL } from '../../../../shared/prune-words';
import { Banner } from '../../components/Banner';
import { freedBytes, partialPruneGuidance, shortId, STATUS_LABEL, TYPE_LABEL } from '../../lib/disk-model';
import { formatBytes, groupDigits } from '../../lib/format';

const objectKey = (o: { type: string; id: string }) => `${o.type}-${o.id}`;

/** What did not go first (skipped, unconfirmed, failed), then what did: each planned object once. */
const ORDER: Record<PruneOutcome['status'], number> = { unconfirmed: 0, failed: 1, 'not-attempted': 2, skipped: 3, removed: 4 };

/**
 * After a prune: the bytes freed, every planned object with what became of it (removed, skipped and why, unconfirmed),
 * and what the prune itself made reclaimable (an image its removed containers used), with a second run for it.
 */
export function PruneResultView({
  result,
  headingRef,
  onRunAgain,
}: {
  result: PruneResult;
  headingRef: React.Ref<HTMLHeadingElement>;
  onRunAgain?: (options: PruneOptions) => void;
}) {
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
        {c.notAttempted > 0 && `, ${groupDigits(c.notAttempted)} not attempted`}. The plan predicted {formatBytes(result.predicted.plan)};
        the Engine&apos;s own accounting
        {measured ? ' measured what was freed' : ' could not be read, so this is the prediction for what was removed'}
        {result.freed.containerLogs > 0 && `, plus ${formatBytes(result.freed.containerLogs)} of container logs`}.
      </p>
      <h3 id="outcomes-title">Each object ({groupDigits(result.outcomes.length)})</h3>
      {result.outcomes.length === 0 ? (
        <p className="muted">The plan listed nothing to remove.</p>
      ) : (
        <table className="table prune-outcomes" aria-labelledby="outcomes-title" data-testid="prune-outcomes">
          <thead>
            <tr>
              <th scope="col">Object</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="num">
                Predicted
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {[...result.outcomes]
              .sort((a, b) => ORDER[a.status] - ORDER[b.status])
              .map((o) => (
                <tr key={objectKey(o)} data-object-id={o.id} data-status={o.status}>
                  <th scope="row">
                    {TYPE_LABEL[o.type]} {o.name ?? shortId(o.id)}
                  </th>
                  <td>{STATUS_LABEL[o.status]}</td>
                  <td className="num">{o.type === 'network' ? '—' : formatBytes(o.predicted)}</td>
                  <td>{o.reason ? inFormWords(o.reason) : ''}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {next && next.objects.length > 0 && (
        <div className="prune-next" data-testid="prune-now-reclaimable">
          <h3 id="next-title">
            Reclaimable now: {groupDigits(next.objects.length)} more object{next.objects.length === 1 ? '' : 's'}, {formatBytes(next.bytes)}
          </h3>
          <p className="muted">
            The prune itself left these unused:{' '}
            {next.added.length > 0
              ? `with ${next.added.map(inFormWords).join(' and ')} included, a new preview removes them.`
              : 'the same options would remove them now.'}
          </p>
          <ul aria-labelledby="next-title">
            {next.objects.slice(0, 20).map((o) => (
              <li key={objectKey(o)} data-object-id={o.id}>
                {TYPE_LABEL[o.type]} <strong>{o.name ?? shortId(o.id)}</strong>: {inFormWords(o.why)}{' '}
                <span className="muted">(kept before: {KEEP_LABEL[o.keptBecause]})</span>
              </li>
            ))}
            {next.objects.length > 20 && <li>and {groupDigits(next.objects.length - 20)} more</li>}
          </ul>
          {onRunAgain && (
            <button type="button" className="button" onClick={() => onRunAgain(next.options)}>
              <RotateCw aria-hidden="true" /> Run again: preview them
            </button>
          )}
        </div>
      )}
    </section>
  );
}
