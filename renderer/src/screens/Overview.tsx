import { ArrowRight, HardDrive, Wrench } from 'lucide-react';
import type { DiskSummary } from '../../../shared/api';
import type { Severity, Status } from '../../../shared/finding';
import type { Report } from '../../../shared/report';
import { reportCompleteness } from '../../../shared/report-completeness';
import { AuditProgress } from '../components/AuditProgress';
import { UsageTable } from './disk/UsageTable';
import { SeverityBadge, StatusBadge } from '../components/Badges';
import { Banner } from '../components/Banner';
import { ScoreRing, scoreVerdict } from '../components/ScoreRing';
import { formatBytes, formatDuration, groupDigits } from '../lib/format';
import { RelativeTime } from '../components/RelativeTime';
import { engineGuidance } from '../lib/guidance';
import { type IndexedFinding, indexFindings, isFixable } from '../lib/findings-model';
import { needsAttention } from '../../../shared/finding-order';
import { Prose } from '../components/Prose';
import { plainProse } from '../lib/prose';
import { SEVERITY_LABEL, STATUS_ORDER } from '../lib/labels';
import { hrefFor } from '../lib/route';
import { navigate, useApp, useStore } from '../state/hooks';
import { HostPanel } from './overview/HostPanel';

const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

function HostCard({ report }: { report: Report }) {
  const h = report.host;
  const rows: [string, string][] = [
    ['Engine', h.engineVersion ? `Docker ${h.engineVersion}${h.apiVersion ? ` (API ${h.apiVersion})` : ''}` : 'not reachable'],
    ['Operating system', h.os ?? 'unknown'],
    ['Kernel', h.kernel ?? 'unknown'],
    ['Storage driver', h.storageDriver ?? 'unknown'],
    ['Logging driver', h.loggingDriver ?? 'unknown'],
    ['Containers', h.containers === null ? 'unknown' : groupDigits(h.containers)],
    ['Rootless', yesNo(h.rootless)],
    ['Docker Desktop', yesNo(h.desktop)],
    ['WSL 2', yesNo(h.wsl ?? null)],
  ];
  return (
    <section className="card host-card" aria-labelledby="host-title">
      <div className="card-head">
        <h2 id="host-title">Host</h2>
        <span className="muted">{h.hostname ?? ''}</span>
      </div>
      <dl className="facts-grid">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <dl className="facts-list">
        <div>
          <dt>Endpoint</dt>
          <dd>
            <code>{report.endpoint?.host ?? 'none'}</code>
            <span className="muted"> — {report.endpoint?.reason ?? report.endpointError}</span>
          </dd>
        </div>
        {report.daemonConfig && (
          <div>
            <dt>daemon.json</dt>
            <dd>
              <code>{report.daemonConfig.path}</code>
              <span className="muted">
                {' '}
                — {report.daemonConfig.exists ? report.daemonConfig.reason : 'does not exist (defaults apply)'}
              </span>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}

function ScoreCard({ report }: { report: Report }) {
  const s = report.summary;
  const incomplete = reportCompleteness(report);
  return (
    <section className="card score-card" aria-labelledby="score-title">
      <h2 id="score-title">Score</h2>
      <div className="score-row">
        <ScoreRing score={s.score} incomplete={incomplete !== null} />
        <div>
          <p className="score-verdict">{scoreVerdict(s.score, incomplete !== null)}</p>
          {incomplete && (
            <p className="muted" data-testid="score-incomplete">
              The score covers only what Dockhand could read without the daemon: {groupDigits(incomplete.checks.length)} check
              {incomplete.checks.length === 1 ? '' : 's'} could not run.
            </p>
          )}
          <p className="muted">
            {groupDigits(s.checksRun)} checks · {groupDigits(s.byStatus.fail)} failed · {groupDigits(s.byStatus.warn)} warnings ·{' '}
            {groupDigits(s.byStatus.pass)} passed
          </p>
          <p className="muted">
            Audited <RelativeTime iso={report.generatedAt} /> in {formatDuration(report.durationMs)}
          </p>
        </div>
      </div>
    </section>
  );
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

const COUNTED: Record<Status, string> = {
  fail: 'failed',
  error: 'errors',
  warn: 'warnings',
  info: 'info',
  pass: 'passed',
  skipped: 'skipped',
};

/** Every finding by status, as one bar: how much of the audit passed, failed, or could not be judged. */
function StatusBreakdown({ report }: { report: Report }) {
  const total = report.findings.length || 1;
  const statuses = STATUS_ORDER.filter((s) => report.summary.byStatus[s] > 0);
  return (
    <>
      <div className="status-bar" aria-hidden="true">
        {statuses.map((s) => (
          <span key={s} className={`bar-${s}`} style={{ width: `${(100 * report.summary.byStatus[s]) / total}%` }} />
        ))}
      </div>
      <ul className="status-legend" aria-label="Findings by status">
        {STATUS_ORDER.map((s) => (
          <li key={s}>
            <span className={`swatch bar-${s}`} aria-hidden="true" />
            <a href={hrefFor('findings', { status: s })}>
              {groupDigits(report.summary.byStatus[s])} {COUNTED[s]}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

function SeverityTiles({ report }: { report: Report }) {
  return (
    <section className="card" aria-labelledby="severity-title">
      <div className="card-head">
        <h2 id="severity-title">Problems by severity</h2>
        <span className="muted">failed and warnings</span>
      </div>
      <ul className="severity-tiles">
        {SEVERITIES.map((sev) => (
          <li key={sev}>
            <a
              className={`tile severity-${sev}`}
              href={hrefFor('findings', { severity: sev })}
              aria-label={`${report.summary.bySeverity[sev]} ${SEVERITY_LABEL[sev]} problems: show them`}
            >
              <span className="tile-count">{groupDigits(report.summary.bySeverity[sev])}</span>
              <span className="tile-label">{SEVERITY_LABEL[sev]}</span>
            </a>
          </li>
        ))}
      </ul>
      <StatusBreakdown report={report} />
    </section>
  );
}

/**
 * The checks that need attention most (failed and warnings, by severity: a critical warning before a medium failure),
 * one line each however many containers fail them: the report is sorted in that order (shared/finding-order.ts), so
 * the first finding of each check is its worst.
 */
function topProblems(report: Report, limit: number): { first: IndexedFinding; count: number }[] {
  const byCheck = new Map<string, { first: IndexedFinding; count: number }>();
  for (const item of indexFindings(report)) {
    if (!needsAttention(item.finding) || item.finding.waiver) continue;
    const seen = byCheck.get(item.finding.checkId);
    if (seen) seen.count++;
    else if (byCheck.size < limit) byCheck.set(item.finding.checkId, { first: item, count: 1 });
  }
  return [...byCheck.values()];
}

function TopProblems({ report }: { report: Report }) {
  const top = topProblems(report, 6);
  return (
    <section className="card" aria-labelledby="top-title">
      <div className="card-head">
        <h2 id="top-title">Top problems</h2>
        <a href={hrefFor('findings')} className="link-arrow">
          All findings <ArrowRight aria-hidden="true" />
        </a>
      </div>
      {top.length === 0 ? (
        <p className="empty">Nothing failed and no warnings. Well kept.</p>
      ) : (
        <ul className="top-list">
          {top.map(({ first: { finding }, count }) => (
            <li key={finding.id}>
              <a href={hrefFor('findings', { focus: finding.id })} className="top-item" title={plainProse(finding.result.message)}>
                <span className="top-marks">
                  <SeverityBadge severity={finding.severity} />
                  <StatusBadge status={finding.result.status} />
                  {isFixable(finding) && (
                    <span className="fixable-mark" data-testid="fixable-mark">
                      <Wrench aria-hidden="true" /> Fixable
                    </span>
                  )}
                  {count > 1 && <span className="top-count">+{count - 1} more</span>}
                </span>
                <span className="top-title">
                  <Prose text={finding.result.message} />
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The one disk picture, as the Disk screen shows it: the same table, the same figures, from the same measurement. */
function DiskCard({ disk }: { disk: DiskSummary }) {
  const root = disk.dataRoot;
  const usedPct = root && root.totalBytes > 0 ? Math.round((100 * (root.totalBytes - root.availableBytes)) / root.totalBytes) : null;
  return (
    <section className="card disk-card" aria-labelledby="disk-title" data-testid="overview-disk">
      <div className="card-head">
        <h2 id="disk-title">
          <HardDrive aria-hidden="true" className="inline-icon" /> Disk usage
        </h2>
        <span className="muted">
          {formatBytes(disk.reclaimableBytes)} reclaimable by the default cleanup · measured <RelativeTime iso={disk.collectedAt} /> ·{' '}
          <a href={hrefFor('disk')}>Disk</a>
        </span>
      </div>
      {disk.error && <p className="notice">{disk.error}</p>}
      {root && usedPct !== null && (
        <div className="disk-root">
          <div
            className="progress-bar"
            role="meter"
            aria-label={`Data root filesystem ${usedPct}% used`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={usedPct}
          >
            <div
              className={`progress-fill ${usedPct >= 90 ? 'fill-bad' : usedPct >= 75 ? 'fill-warn' : ''}`}
              style={{ width: `${usedPct}%` }}
            />
          </div>
          <p className="muted">
            <code>{root.path}</code> · {formatBytes(root.availableBytes)} free of {formatBytes(root.totalBytes)} ({usedPct}% used)
          </p>
        </div>
      )}
      {disk.categories.length > 0 && (
        <UsageTable disk={disk} caption="Docker disk usage by type, and what the default cleanup would free" />
      )}
    </section>
  );
}

export function Overview() {
  const store = useStore();
  const report = useApp((s) => s.report);
  const disk = useApp((s) => s.disk);
  const audit = useApp((s) => s.audit);
  const guidance = report ? engineGuidance(report) : null;
  return (
    <div className="screen overview">
      <h1 className="visually-hidden">Overview</h1>
      {guidance && (
        <Banner
          guidance={guidance}
          onRerun={() => void store.runAudit()}
          rerunning={audit.running}
          onSettings={() => navigate('settings')}
        />
      )}
      {audit.running && <AuditProgress audit={audit} />}
      {!report ? (
        !audit.running && (
          <section className="card empty-state">
            <h2>No audit yet</h2>
            <p>Run the first audit of this Docker host: it only reads, and takes a few seconds.</p>
            <button type="button" className="button primary" onClick={() => void store.runAudit()}>
              Run audit
            </button>
          </section>
        )
      ) : (
        <div className="overview-grid">
          <ScoreCard report={report} />
          <SeverityTiles report={report} />
          <HostCard report={report} />
          <TopProblems report={report} />
          {disk && <DiskCard disk={disk} />}
          <HostPanel disk={disk} />
        </div>
      )}
    </div>
  );
}
