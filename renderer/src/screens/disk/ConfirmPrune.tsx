import { Trash2 } from 'lucide-react';
import type { PrunePlan } from '../../../../shared/prune';
import { planCounts, shortId, TYPE_LABEL } from '../../lib/disk-model';
import { formatBytes, groupDigits } from '../../lib/format';

const plural = (n: number, word: string) => `${groupDigits(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * The step between the preview and the removal: how many objects, how many bytes, and, in words of its own, the volumes
 * whose data goes with them. Removal cannot be undone, so the button that does it is red and says what it does.
 */
export function ConfirmPrune({
  plan,
  headingRef,
  onConfirm,
  onCancel,
}: {
  plan: PrunePlan;
  headingRef: React.Ref<HTMLHeadingElement>;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const n = plan.remove.length;
  const volumes = plan.remove.filter((r) => r.type === 'volume');
  const volumeBytes = volumes.reduce((a, v) => a + v.reclaim, 0);
  const counts = planCounts(plan).filter((c) => c.remove > 0);
  return (
    <section
      className="card prune-confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-what"
      data-testid="prune-confirm"
    >
      <h2 id="confirm-title" ref={headingRef} tabIndex={-1}>
        Remove {plural(n, 'object')} and free {formatBytes(plan.predicted.total)}?
      </h2>
      <p id="confirm-what">
        {counts.map((c) => plural(c.remove, TYPE_LABEL[c.type].toLowerCase())).join(', ')} will be removed from the Docker host. This cannot
        be undone.
      </p>
      {volumes.length > 0 ? (
        <div className="notice notice-data" data-testid="prune-confirm-volumes">
          <p>
            <strong>
              {plural(volumes.length, 'volume')} will be deleted with the data in {volumes.length === 1 ? 'it' : 'them'}
              {volumeBytes > 0 && ` (${formatBytes(volumeBytes)})`}.
            </strong>{' '}
            Whatever containers stored there (databases, uploads, state) is gone for good; Docker keeps no copy.
          </p>
          <ul className="confirm-volumes">
            {volumes.slice(0, 10).map((v) => (
              <li key={v.id}>
                <code>{v.name ?? shortId(v.id)}</code>
              </li>
            ))}
            {volumes.length > 10 && <li>and {groupDigits(volumes.length - 10)} more (listed in the preview)</li>}
          </ul>
        </div>
      ) : (
        <p className="muted">No volume is removed: the data in volumes stays.</p>
      )}
      <div className="form-actions">
        <button type="button" className="button danger" onClick={onConfirm}>
          <Trash2 aria-hidden="true" /> Remove {plural(n, 'object')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
