import type { Severity, Status } from '../../../shared/finding';
import { SEVERITY_LABEL, STATUS_LABEL } from '../lib/labels';

export function StatusBadge({ status }: { status: Status }) {
  return <span className={`badge status-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`badge severity-${severity}`}>
      <span className="dot" aria-hidden="true" />
      {SEVERITY_LABEL[severity]}
    </span>
  );
}
