import type { Check, CheckContext } from '../shared/check';
import type { Facts } from '../shared/facts';
import type { Report } from '../shared/report';
import { CHECKS } from './checks/registry';
import { checkMeta, evaluateChecks } from './checks/runner';
import { type CollectOptions, collectFacts } from './collect/collect';
import { buildReport } from './report/build-report';

export interface AuditOptions extends CollectOptions {
  checks?: readonly Check[];
  context?: CheckContext;
}

export interface AuditResult {
  facts: Facts;
  report: Report;
}

/** Re-evaluates a saved or freshly collected snapshot: checks are pure, so the same facts give the same findings. */
export function evaluateFacts(facts: Facts, options: { checks?: readonly Check[]; context?: CheckContext; durationMs?: number } = {}): Report {
  const t0 = performance.now();
  const checks = options.checks ?? CHECKS;
  const findings = evaluateChecks(checks, facts, options.context);
  return buildReport(facts, checks.map(checkMeta), findings, options.durationMs ?? performance.now() - t0);
}

/** discover → collect (parallel, each with a time limit) → evaluate → report. */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const t0 = performance.now();
  const facts = await collectFacts(options);
  const report = evaluateFacts(facts, { checks: options.checks, context: options.context, durationMs: 0 });
  report.durationMs = Math.round(performance.now() - t0);
  return { facts, report };
}
