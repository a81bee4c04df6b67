import { Check, Clock, Loader2, MinusCircle, XCircle } from 'lucide-react';
import type { AuditState } from '../state/store';
import { formatDuration } from '../lib/format';
import { collectorLabel } from '../lib/labels';

const STATUS_ICON = { ok: Check, skipped: MinusCircle, error: XCircle, timeout: Clock } as const;
const STATUS_TEXT = { ok: 'done', skipped: 'not applicable here', error: 'could not be read', timeout: 'timed out' } as const;

/** Live progress of the audit: one line per collector as it finishes, and an overall bar. */
export function AuditProgress({ audit }: { audit: AuditState }) {
  const total = audit.total || audit.collectors.length;
  const percent = total ? Math.round((100 * audit.done) / total) : 0;
  const label = audit.evaluating ? 'Evaluating checks…' : total ? `Collecting facts: ${audit.done} of ${total}` : 'Starting the audit…';
  return (
    <section className="card progress-card" aria-labelledby="progress-title">
      <div className="card-head">
        <h2 id="progress-title">Audit in progress</h2>
        <span className="muted" aria-live="polite">
          {label}
        </span>
      </div>
      <div
        className="progress-bar"
        role="progressbar"
        aria-label="Audit progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {audit.collectors.length > 0 && (
        <ul className="collector-grid" aria-label="Collectors">
          {audit.collectors.map((name) => {
            const run = audit.finished[name];
            const Icon = run ? STATUS_ICON[run.status] : Loader2;
            return (
              <li key={name} className={`collector collector-${run?.status ?? 'running'}`} data-collector={name}>
                <Icon aria-hidden="true" className={run ? undefined : 'spin'} />
                <span className="collector-name">{collectorLabel(name)}</span>
                <span className="collector-state">{run ? `${STATUS_TEXT[run.status]} · ${formatDuration(run.ms)}` : 'running'}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
