import type { Finding } from './finding';
import type { Incomplete, Report } from './report';

/**
 * The findings that could not be judged because the daemon could not be asked: an error whose reason carries the
 * Engine's own error (every fact read from the Engine API fails with it). Checks of files and the host still ran.
 */
export function blockedByDaemon(engineError: string | null, finding: Finding): boolean {
  return (
    engineError !== null && finding.result.status === 'error' && (finding.result.reason ?? finding.result.message).includes(engineError)
  );
}

/** Why the score does not cover every check, from the findings: null when nothing was blocked by the daemon. */
export function incompleteness(engineError: string | null, findings: readonly Finding[]): Incomplete | null {
  if (engineError === null) return null;
  const checks = [...new Set(findings.filter((f) => blockedByDaemon(engineError, f)).map((f) => f.checkId))];
  return { cause: 'daemon-unreachable', message: engineError, checks };
}

/** A report's completeness; reports written before `summary.incomplete` existed are judged from their findings. */
export function reportCompleteness(report: Pick<Report, 'engineError' | 'summary' | 'findings'>): Incomplete | null {
  return report.summary.incomplete !== undefined ? report.summary.incomplete : incompleteness(report.engineError, report.findings);
}
