import type { Report } from '../../shared/report';

export type TrayIcon = 'ok' | 'warn' | 'fail' | 'unknown';

/** The tray's icon and tooltip for the last audit: red for a critical or high failure, amber for any other problem. */
export function trayState(report: Report | null, running: boolean): { icon: TrayIcon; tooltip: string } {
  if (running) return { icon: report ? trayState(report, false).icon : 'unknown', tooltip: 'Dockhand: auditing…' };
  if (!report) return { icon: 'unknown', tooltip: 'Dockhand: no audit yet' };
  if (report.engineError || report.endpointError)
    return {
      icon: 'unknown',
      tooltip: `Dockhand: the Docker daemon could not be asked (${report.engineError ?? report.endpointError})`.slice(0, 120),
    };
  const failing = report.findings.filter((f) => f.result.status === 'fail');
  const serious = failing.some((f) => f.severity === 'critical' || f.severity === 'high');
  const icon: TrayIcon = serious ? 'fail' : failing.length > 0 || report.summary.byStatus.warn > 0 ? 'warn' : 'ok';
  return {
    icon,
    tooltip: `Dockhand: score ${report.summary.score}/100 · ${failing.length} failed · ${report.summary.byStatus.warn} warnings`,
  };
}
