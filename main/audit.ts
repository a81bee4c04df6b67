import type { Check, CheckContext } from '../shared/check';
import type { Facts } from '../shared/facts';
import type { Report } from '../shared/report';
import { CHECKS } from './checks/registry';
import { checkMeta, evaluateChecks } from './checks/runner';
import { type CollectOptions, collectFacts } from './collect/collect';
import { applyPolicy, policyContext, selectChecks } from './policy/apply';
import type { LoadedPolicy } from './policy/load';
import { type BaselineReport, compareWithBaseline } from './report/baseline';
import { buildReport } from './report/build-report';

export interface EvaluateOptions {
  checks?: readonly Check[];
  context?: CheckContext;
  /** Selects checks, overrides severities, requires values, waives findings. */
  policy?: LoadedPolicy | null;
  /** An earlier report: each finding is marked new, unchanged or fixed. */
  baseline?: BaselineReport | null;
}

export interface AuditOptions extends CollectOptions, EvaluateOptions {}

export interface AuditResult {
  facts: Facts;
  report: Report;
}

/** Re-evaluates a saved or freshly collected snapshot: checks are pure, so the same facts give the same findings. */
export function evaluateFacts(facts: Facts, options: EvaluateOptions & { durationMs?: number } = {}): Report {
  const t0 = performance.now();
  const policy = options.policy ?? null;
  const checks = policy ? selectChecks(options.checks ?? CHECKS, policy) : (options.checks ?? CHECKS);
  const context = policy ? policyContext(options.context ?? { options: {} }, policy) : options.context;
  let findings = evaluateChecks(checks, facts, context);
  const metas = checks.map(checkMeta);
  const extras: Parameters<typeof buildReport>[4] = {};
  if (policy) {
    // Waivers are judged as of the snapshot, so a saved snapshot re-evaluated later gives the same report.
    const applied = applyPolicy(findings, policy, new Date(facts.collectedAt), checks.length);
    findings = applied.findings;
    metas.push(...applied.checks);
    extras.policy = applied.summary;
  }
  if (options.baseline) {
    const compared = compareWithBaseline(findings, options.baseline);
    findings = compared.findings;
    extras.baseline = compared.summary;
  }
  return buildReport(facts, metas, findings, options.durationMs ?? performance.now() - t0, extras);
}

/** discover → collect (parallel, each with a time limit) → evaluate → report. */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const t0 = performance.now();
  const facts = await collectFacts(options);
  const report = evaluateFacts(facts, {
    checks: options.checks,
    context: options.context,
    policy: options.policy,
    baseline: options.baseline,
    durationMs: 0,
  });
  report.durationMs = Math.round(performance.now() - t0);
  return { facts, report };
}
