import type { Facts } from '../../shared/facts';
import { compareFindings } from '../../shared/finding-order';
import type { CheckMeta, Finding, Severity, Status } from '../../shared/finding';
import { SEVERITIES as SEVERITY_ORDER, STATUSES, REPORT_SCHEMA_VERSION } from '../../shared/constants';
import type { JsonValue } from '../../shared/json';
import { maskSecrets } from '../../shared/mask';
import type { BaselineSummary, PolicySummary, Report } from '../../shared/report';
import { incompleteness } from '../../shared/report-completeness';
import { isDesktop, isRootless, isWsl } from '../check-kit/applicability';
import { VERSION } from '../version';

/** How much a check weighs in the score: a critical problem costs ten times a low one; info checks do not count. */
const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 5, medium: 3, low: 1, info: 0 };

/**
 * 0–100: the severity-weighted share of evaluated checks that pass. A check counts once however many targets it has
 * (its worst result counts); a warn counts half; skipped, error and info results do not count.
 */
function score(findings: readonly Finding[]): number {
  const worst = new Map<string, { weight: number; credit: number }>();
  for (const f of findings) {
    const credit = f.result.status === 'pass' ? 1 : f.result.status === 'warn' ? 0.5 : f.result.status === 'fail' ? 0 : null;
    if (credit === null) continue;
    const weight = SEVERITY_WEIGHT[f.severity];
    const prev = worst.get(f.checkId);
    if (!prev || credit < prev.credit) worst.set(f.checkId, { weight, credit });
  }
  let total = 0;
  let earned = 0;
  for (const { weight, credit } of worst.values()) {
    total += weight;
    earned += weight * credit;
  }
  return total === 0 ? 100 : Math.round((100 * earned) / total);
}

function counts(
  findings: readonly Finding[],
): Report['summary']['byStatus'] extends infer S ? { byStatus: S; bySeverity: Record<Severity, number> } : never {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    byStatus[f.result.status]++;
    if (f.result.status === 'fail' || f.result.status === 'warn') bySeverity[f.severity]++;
  }
  return { byStatus, bySeverity } as never;
}

/** The order every renderer shows: shared/finding-order.ts (what needs attention first). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** The finding with secrets masked; the same object when it holds none (the common case, on every container). */
function maskFinding(f: Finding): Finding {
  const message = maskSecrets(f.result.message);
  let evidence: Finding['result']['evidence'] | null = null;
  f.result.evidence.forEach((e, i) => {
    const value = maskSecrets(e.value as JsonValue);
    if (value !== e.value) (evidence ??= f.result.evidence.slice())[i] = { ...e, value };
  });
  // A fix's parameters can quote what the host holds (NO_PROXY's entries, proxy URLs among them).
  const fix = f.result.fix ? { ...f.result.fix, params: maskSecrets(f.result.fix.params) } : f.result.fix;
  if (message === f.result.message && !evidence && fix?.params === f.result.fix?.params) return f;
  return { ...f, result: { ...f.result, message, evidence: evidence ?? f.result.evidence, fix } };
}

export interface ReportExtras {
  policy?: PolicySummary;
  baseline?: BaselineSummary;
}

export function buildReport(
  facts: Facts,
  checks: readonly CheckMeta[],
  findings: readonly Finding[],
  durationMs: number,
  extras: ReportExtras = {},
): Report {
  const host = facts.host.ok ? facts.host.value : null;
  const info = facts.info.ok ? facts.info.value : null;
  const engine = facts.engine.ok ? facts.engine.value : null;
  const endpoint = facts.endpoint.ok ? facts.endpoint.value : null;
  const config = facts.daemonConfig.ok ? facts.daemonConfig.value : null;
  const sorted = sortFindings(findings).map(maskFinding);
  // Matched against the findings as masked, so the cause is the masked message too.
  const engineError = facts.engine.ok ? null : maskSecrets(facts.engine.error.message);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'dockhand', version: VERSION },
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(durationMs),
    mode: facts.mode,
    host: {
      hostname: host?.hostname ?? null,
      platform: host?.platform ?? null,
      os: info?.operatingSystem || host?.osName || null,
      kernel: info?.kernelVersion || host?.kernel || null,
      engineVersion: engine?.version ?? info?.serverVersion ?? null,
      apiVersion: engine?.apiVersion ?? null,
      storageDriver: info?.driver ?? null,
      loggingDriver: info?.loggingDriver ?? null,
      rootless: info || endpoint ? isRootless(facts) : null,
      desktop: engine || info || endpoint ? isDesktop(facts) : null,
      wsl: isWsl(facts),
      containers: info?.containers ?? null,
    },
    endpoint,
    endpointError: facts.endpoint.ok ? null : facts.endpoint.error.message,
    engineError,
    daemonConfig: config ? { path: config.path, foundBy: config.foundBy, reason: config.reason, exists: config.exists } : null,
    timings: facts.collectors,
    checks: [...checks],
    findings: sorted,
    summary: {
      ...counts(sorted),
      score: score(sorted),
      checksRun: new Set(sorted.map((f) => f.checkId)).size,
      ...(extras.policy && { waived: sorted.filter((f) => f.waiver).length }),
      incomplete: incompleteness(engineError, sorted),
    },
    // Policy reasons and baseline messages are user input: masked like everything else a report carries.
    ...(extras.policy && { policy: maskSecrets(extras.policy as unknown as JsonValue) as unknown as PolicySummary }),
    ...(extras.baseline && { baseline: maskSecrets(extras.baseline as unknown as JsonValue) as unknown as BaselineSummary }),
  };
}
