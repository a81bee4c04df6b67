import type { Check, CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { CheckMeta, CheckResult, Finding, Platform } from '../../shared/finding';
import { errored, skipped, Unavailable } from '../check-kit/result';

function platformOf(facts: Facts): Platform | null {
  if (facts.host.ok && facts.host.value.platform !== 'other') return facts.host.value.platform;
  return null;
}

/** Evaluates one check; never throws. */
function evaluateCheck(check: Check, facts: Facts, context: CheckContext): CheckResult[] {
  const platform = platformOf(facts);
  if (platform && !check.platforms.includes(platform)) return [skipped(`not applicable on ${platform}`)];
  try {
    const reason = check.applies?.(facts) ?? null;
    if (reason) return [skipped(`not applicable: ${reason}`)];
    const outcome = check.evaluate(facts, context);
    const results = Array.isArray(outcome) ? outcome : [outcome];
    return results.length > 0 ? results : [errored('the check returned no result')];
  } catch (error) {
    if (error instanceof Unavailable) return [error.result];
    return [errored(`the check failed: ${error instanceof Error ? error.message : String(error)}`)];
  }
}

export function findingId(checkId: string, target: string | null): string {
  return target ? `${checkId}:${target}` : checkId;
}

/** Runs every check over the facts and turns results into findings (check metadata + result, stable ids). */
export function evaluateChecks(checks: readonly Check[], facts: Facts, context: CheckContext = { options: {} }): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    for (const result of evaluateCheck(check, facts, context)) {
      findings.push({ id: findingId(check.id, result.target), checkId: check.id, severity: check.severity, result });
    }
  }
  return findings;
}

/** A check's metadata without its functions: what reports list once per check. */
export function checkMeta(check: Check): CheckMeta {
  const { evaluate: _evaluate, applies: _applies, ...meta } = check;
  return meta;
}
