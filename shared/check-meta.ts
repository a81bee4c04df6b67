// The check behind each finding, for every view of a report (the CLI's formats and the UI). Types only from the
// contract: no zod, so the page can use it without loading the schemas.
import type { CheckMeta, Finding } from './finding';
import type { Report } from './report';

export function checkIndex(report: Pick<Report, 'checks'>): Map<string, CheckMeta> {
  return new Map(report.checks.map((c) => [c.id, c]));
}

/** The check behind a finding; a finding of a check the report does not list (a hand-edited report) gets a stand-in. */
export function metaOf(checks: Map<string, CheckMeta>, f: Finding): CheckMeta {
  return (
    checks.get(f.checkId) ?? {
      id: f.checkId,
      title: f.checkId,
      category: 'host',
      severity: f.severity,
      rationale: '',
      remediation: '',
      references: [],
      cis: null,
      platforms: [],
      fixId: null,
    }
  );
}
