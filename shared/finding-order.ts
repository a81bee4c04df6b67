import { SEVERITIES } from './constants';
import type { Finding, Severity, Status } from './finding';

/**
 * The one order findings are shown in, by what needs attention: open problems (failed and warnings) by severity, so a
 * critical warning comes before a medium failure, a failure before a warning of the same severity; waived problems
 * after the open ones; then checks that could not run, information, passes and skips. The report is sorted by it
 * (every format and the CLI's text report show that order) and the app's findings list ranks by it.
 */
export const STATUS_ATTENTION_ORDER: readonly Status[] = ['fail', 'warn', 'error', 'info', 'pass', 'skipped'];

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;
const TIER: Record<Status, number> = { fail: 0, warn: 0, error: 2, info: 3, pass: 4, skipped: 5 };

/** Lower is more urgent. */
export function attentionRank(f: Pick<Finding, 'severity' | 'result' | 'waiver'>): number {
  const status = f.result.status;
  const problem = status === 'fail' || status === 'warn';
  const tier = problem && f.waiver !== undefined ? 1 : TIER[status];
  return tier * 100 + SEVERITY_RANK[f.severity] * 2 + (status === 'warn' ? 1 : 0);
}

/** attentionRank, then the id (code-unit order: ids are ASCII and a report can hold tens of thousands of findings). */
export function compareFindings(a: Finding, b: Finding): number {
  return attentionRank(a) - attentionRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** What needs attention: an open or waived failure or warning (the CLI's --attention shows only these). */
export const needsAttention = (f: Pick<Finding, 'result'>): boolean => f.result.status === 'fail' || f.result.status === 'warn';
