import type { Check, CheckContext } from '../../shared/check';
import { GiB } from '../../shared/format';
import type { CheckMeta, Finding } from '../../shared/finding';
import type { Thresholds } from '../../shared/policy';
import type { PolicySummary } from '../../shared/report';
import { globMatcher } from './glob';
import type { LoadedPolicy } from './load';
import { POLICY_CHECKS } from './meta';
import { requiredValuesCheck } from './requirements';
import { applyWaivers } from './waivers';

/** The checks the policy runs: include or categories (neither: all), minus exclude; plus its required values. */
export function selectChecks(all: readonly Check[], policy: LoadedPolicy): Check[] {
  const { include, categories, exclude } = policy.policy.checks ?? {};
  const included = include?.map((p) => globMatcher(p)) ?? [];
  const excluded = exclude?.map((p) => globMatcher(p)) ?? [];
  const chooses = include !== undefined || categories !== undefined;
  const selected = all.filter(
    (c) =>
      (!chooses || included.some((r) => r.test(c.id)) || (categories?.includes(c.category) ?? false)) &&
      !excluded.some((r) => r.test(c.id)),
  );
  const required = requiredValuesCheck(policy);
  return required ? [...selected, required] : selected;
}

/** Policy thresholds as the checks' options (docs/checks.md); options given on the command line win. */
const THRESHOLD_OPTIONS: Record<keyof Thresholds, { option: string; scale: number }> = {
  'disk-free-percent': { option: 'diskWarnPercent', scale: 1 },
  'disk-free-gib': { option: 'diskWarnBytes', scale: GiB },
  'disk-critical-percent': { option: 'diskCriticalPercent', scale: 1 },
  'disk-critical-gib': { option: 'diskCriticalBytes', scale: GiB },
};

export function policyContext(context: CheckContext, policy: LoadedPolicy): CheckContext {
  const fromPolicy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(policy.policy.thresholds ?? {}) as [keyof Thresholds, number | undefined][]) {
    if (value !== undefined) fromPolicy[THRESHOLD_OPTIONS[key].option] = value * THRESHOLD_OPTIONS[key].scale;
  }
  return { options: { ...fromPolicy, ...context.options } };
}

export interface PolicyResult {
  findings: Finding[];
  /** Metadata of the policy's own checks that have findings, for the report's `checks`. */
  checks: CheckMeta[];
  summary: PolicySummary;
}

/**
 * After the checks ran: waivers (as of `at`, when the facts were collected), then severity overrides on every
 * finding, the policy's own included, so an override of `policy.waiver-expired` works like any other.
 */
export function applyPolicy(findings: readonly Finding[], policy: LoadedPolicy, at: Date, checksSelected: number): PolicyResult {
  const waived = applyWaivers(findings, policy, at);
  const overrides = policy.policy.severity ?? {};
  const all = [...waived.findings, ...waived.bookkeeping].map((f) =>
    overrides[f.checkId] && overrides[f.checkId] !== f.severity ? { ...f, severity: overrides[f.checkId]! } : f,
  );
  const bookkept = new Set(waived.bookkeeping.map((f) => f.checkId));
  return {
    findings: all,
    checks: POLICY_CHECKS.filter((c) => bookkept.has(c.id)),
    summary: { path: policy.path, checksSelected, severityOverrides: { ...overrides }, waivers: waived.states },
  };
}
