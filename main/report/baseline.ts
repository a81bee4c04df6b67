import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { type Finding, SeveritySchema, StatusSchema } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import type { BaselineSummary } from '../../shared/report';

/**
 * What a baseline needs of an earlier report: finding ids and statuses. Read this loosely (any 1.x report, extra
 * fields ignored) so a baseline written by an older Dockhand still works.
 */
const BaselineReportSchema = z.object({
  schemaVersion: z.string().regex(/^1\./, 'expected a Dockhand report (schemaVersion 1.x)'),
  generatedAt: z.string().nullable().optional(),
  findings: z.array(
    z.object({
      id: z.string(),
      checkId: z.string(),
      severity: SeveritySchema,
      result: z.object({ status: StatusSchema, message: z.string() }),
    }),
  ),
});
export type BaselineReport = z.infer<typeof BaselineReportSchema> & { path: string };

export class BaselineError extends Error {
  override name = 'BaselineError';
}

export async function loadBaseline(path: string): Promise<BaselineReport> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (error) {
    throw new BaselineError(`cannot read the baseline ${path}: ${(error as Error).message}`);
  }
  const parsed = BaselineReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BaselineError(`${path} is not a Dockhand JSON report: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return { ...parsed.data, path };
}

const isProblem = (status: string) => status === 'fail' || status === 'warn';

/**
 * Marks each finding against the baseline by its stable id: a problem (fail or warn) is new or unchanged; a finding
 * that was a problem and now passes is fixed. Baseline problems with no finding now are listed as gone (and fixed).
 * A finding now skipped or in error is not called fixed: the audit could not tell.
 */
export function compareWithBaseline(findings: readonly Finding[], baseline: BaselineReport): { findings: Finding[]; summary: BaselineSummary } {
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
    summary: { path: baseline.path, generatedAt: baseline.generatedAt ?? null, new: counts.new, unchanged: counts.unchanged, fixed: counts.fixed + gone.length, gone },
  };
}
