import type { Finding } from '../../shared/finding';
import type { BaselineReport } from './baseline-load';

export type { BaselineReport };
import { maskSecretsInText } from '../../shared/mask';
import type { BaselineSummary } from '../../shared/report';

const isProblem = (status: string) => status === 'fail' || status === 'warn';

/**
 * Marks each finding against the baseline by its stable id: a problem (fail or warn) is new or unchanged; a finding
 * that was a problem and now passes is fixed. Baseline problems with no finding now are listed as gone (and fixed).
 * A finding now skipped or in error is not called fixed: the audit could not tell.
 */
export function compareWithBaseline(
  findings: readonly Finding[],
  baseline: BaselineReport,
): { findings: Finding[]; summary: BaselineSummary } {
  const before = new Map(baseline.findings.map((f) => [f.id, f]));
  const counts = { new: 0, unchanged: 0, fixed: 0 };
  const marked = findings.map((f): Finding => {
    const was = before.get(f.id);
    const wasProblem = was !== undefined && isProblem(was.result.status);
    let state: Finding['baseline'];
    if (isProblem(f.result.status)) state = wasProblem ? 'unchanged' : 'new';
    else if (wasProblem && (f.result.status === 'pass' || f.result.status === 'info')) state = 'fixed';
    if (!state) return f;
    counts[state]++;
    return { ...f, baseline: state };
  });
  const now = new Set(findings.map((f) => f.id));
  const gone = baseline.findings
    .filter((f) => isProblem(f.result.status) && !now.has(f.id))
    // The baseline is user input: mask it like everything else that reaches a report.
    .map((f) => ({ id: f.id, checkId: f.checkId, severity: f.severity, message: maskSecretsInText(f.result.message) }));
  return {
    findings: marked,
    summary: {
      path: baseline.path,
      generatedAt: baseline.generatedAt ?? null,
      new: counts.new,
      unchanged: counts.unchanged,
      fixed: counts.fixed + gone.length,
      gone,
    },
  };
}
