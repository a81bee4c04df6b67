import type { Finding } from '../../shared/finding';
import type { Report } from '../../shared/report';

/** The findings of one check (all its targets). */
export function findingsOf(report: Report, checkId: string): Finding[] {
  return report.findings.filter((f) => f.checkId === checkId);
}

/** The single finding of a check, or of one target of it; throws when it is not there, naming what is. */
export function finding(report: Report, id: string): Finding {
  const found = report.findings.find((f) => f.id === id);
  if (!found) throw new Error(`no finding ${id}; have: ${report.findings.map((f) => `${f.id}=${f.result.status}`).join(', ')}`);
  return found;
}
