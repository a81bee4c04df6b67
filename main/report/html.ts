import { describeSource } from '../../shared/describe-source';
import type { CheckMeta, Finding, Severity } from '../../shared/finding';
import type { Report } from '../../shared/report';
import { reportCompleteness } from '../../shared/report-completeness';
import {
  checkIndex,
  escapeMarkup as h,
  fixText,
  isProblem,
  metaOf,
  referenceTexts,
  SEVERITIES_HIGH_FIRST,
  subject,
  valueText,
} from './view';

// One file, no scripts, no external assets: it must open from a CI artifact store, an e-mail or a printout the same.
const STYLE = `
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#fff; --panel:#f5f7fa;
  --critical:#8b1020; --high:#c0392b; --medium:#b86e00; --low:#1f6fb2; --info:#5b6475;
  --pass:#1e7b3c; --fail:#c0392b; --warn:#b86e00; --error:#7d3c98; --skipped:#6b7280; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "Liberation Sans", "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1080px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 34px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 10px; text-transform: capitalize; }
h4 { font-size: 15px; margin: 6px 0 4px; }
code, .mono { font-family: "Liberation Mono", Menlo, Consolas, monospace; font-size: 13px; }
.meta { color: var(--muted); margin: 0; }
.summary { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 22px; align-items: stretch; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 108px; }
.card .n { display: block; font-size: 26px; font-weight: 700; line-height: 1.2; }
.card .l { color: var(--muted); font-size: 13px; }
.score .n { font-size: 34px; }
.card.fail .n { color: var(--fail); } .card.warn .n { color: var(--warn); } .card.pass .n { color: var(--pass); }
.card.error .n { color: var(--error); } .card.skipped .n, .card.waived .n { color: var(--skipped); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
.context th { width: 160px; }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 0 0 14px; break-inside: avoid; }
.finding.sev-critical { border-left-color: var(--critical); } .finding.sev-high { border-left-color: var(--high); }
.finding.sev-medium { border-left-color: var(--medium); } .finding.sev-low { border-left-color: var(--low); }
.finding.sev-info { border-left-color: var(--info); } .finding.waived { background: var(--panel); }
.tags { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.badge { display: inline-block; border-radius: 4px; padding: 0 7px; font-size: 12px; font-weight: 700; letter-spacing: .03em; text-transform: uppercase; color: #fff; }
.badge.fail { background: var(--fail); } .badge.warn { background: var(--warn); } .badge.error { background: var(--error); }
.badge.pass { background: var(--pass); } .badge.skipped, .badge.info { background: var(--skipped); }
.badge.sev { background: #fff; border: 1px solid currentColor; }
.sev-t-critical { color: var(--critical); } .sev-t-high { color: var(--high); } .sev-t-medium { color: var(--medium); }
.sev-t-low { color: var(--low); } .sev-t-info { color: var(--info); }
.badge.note { background: #fff; color: var(--fg); border: 1px solid var(--line); }
.message { margin: 6px 0; }
.evidence { margin: 8px 0; font-size: 14px; }
.evidence td.v { word-break: break-word; }
.evidence td.s { color: var(--muted); white-space: nowrap; }
.fix, .why, .refs, .waiver-note { margin: 6px 0; font-size: 14px; }
.why, .refs { color: var(--muted); }
.waiver-note { border-left: 3px solid var(--skipped); padding-left: 8px; }
.rest td:first-child { width: 80px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print {
  body { font-size: 11pt; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } .finding { break-inside: avoid; }
  .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function badge(kind: string, text: string, extra = ''): string {
  return `<span class="badge ${kind}${extra}">${h(text)}</span>`;
}

function severityBadge(s: Severity): string {
  return `<span class="badge sev sev-t-${s}">${s}</span>`;
}

function evidenceTable(f: Finding): string {
  if (f.result.evidence.length === 0) return '';
  const rows = f.result.evidence
    .map(
      (e) =>
        `<tr><td>${h(e.label)}</td><td class="v mono">${h(valueText(e.value))}</td><td class="s mono">${h(describeSource(e.source))}</td></tr>`,
    )
    .join('');
  return `<table class="evidence"><thead><tr><th>Evidence</th><th>Value</th><th>Source</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function findingArticle(f: Finding, check: CheckMeta): string {
  const tags = [
    badge(f.result.status, f.result.status),
    severityBadge(f.severity),
    `<code>${h(f.id)}</code>`,
    f.waiver ? badge('note', 'waived') : '',
    f.baseline ? badge('note', f.baseline) : '',
  ].join(' ');
  const refs = referenceTexts(check);
  return [
    `<article class="finding sev-${f.severity}${f.waiver ? ' waived' : ''}">`,
    `<div class="tags">${tags}</div>`,
    `<h4>${h(check.title)}</h4>`,
    `<p class="message">${h(f.result.message)}</p>`,
    f.waiver
      ? `<p class="waiver-note">Waived until ${h(f.waiver.expires)} by ${h(f.waiver.owner)}: ${h(f.waiver.reason)} <span class="mono">(${h(describeSource(f.waiver.source))})</span></p>`
      : '',
    evidenceTable(f),
    isProblem(f) && check.remediation ? `<p class="fix"><strong>Fix:</strong> ${h(fixText(f, check))}</p>` : '',
    isProblem(f) && check.rationale ? `<p class="why"><strong>Why:</strong> ${h(check.rationale)}</p>` : '',
    refs.length ? `<p class="refs">References: ${h(refs.join('; '))}</p>` : '',
    `</article>`,
  ].join('\n');
}

function card(kind: string, n: number | string, label: string): string {
  return `<div class="card ${kind}"><span class="n">${h(String(n))}</span><span class="l">${h(label)}</span></div>`;
}

function contextRows(report: Report): string {
  const hs = report.host;
  const rows: [string, string][] = [
    ['Audited', subject(report)],
    ['Endpoint', report.endpoint ? `${report.endpoint.host} (${report.endpoint.reason})` : (report.endpointError ?? 'none')],
    [
      'Engine',
      hs.engineVersion
        ? `${hs.engineVersion}${hs.storageDriver ? ` · storage ${hs.storageDriver}` : ''}${hs.loggingDriver ? ` · logging ${hs.loggingDriver}` : ''}`
        : `not reachable${report.engineError ? ` (${report.engineError})` : ''}`,
    ],
    ['Host', [hs.os, hs.kernel && `kernel ${hs.kernel}`].filter(Boolean).join(' · ') || 'unknown'],
  ];
  if (report.daemonConfig)
    rows.push([
      'daemon.json',
      `${report.daemonConfig.path}${report.daemonConfig.exists ? '' : ' (does not exist)'} — ${report.daemonConfig.reason}`,
    ]);
  if (report.policy) {
    const states = report.policy.waivers.reduce<Record<string, number>>((acc, w) => ({ ...acc, [w.state]: (acc[w.state] ?? 0) + 1 }), {});
    rows.push([
      'Policy',
      `${report.policy.path} · ${report.policy.checksSelected} checks · ${report.policy.waivers.length} waivers${
        Object.keys(states).length
          ? ` (${Object.entries(states)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')})`
          : ''
      }`,
    ]);
  }
  if (report.baseline)
    rows.push([
      'Baseline',
      `${report.baseline.path}: ${report.baseline.new} new · ${report.baseline.unchanged} unchanged · ${report.baseline.fixed} fixed`,
    ]);
  return `<table class="context">${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table>`;
}

function waiversSection(report: Report): string {
  if (!report.policy || report.policy.waivers.length === 0) return '';
  const rows = report.policy.waivers
    .map(
      (w) =>
        `<tr><td>${badge(w.state === 'applied' ? 'pass' : w.state === 'expired' ? 'fail' : w.state === 'stale' ? 'warn' : 'skipped', w.state)}</td><td><code>${h(w.check)}</code>${w.target ? ` <span class="mono">${h(w.target)}</span>` : ''}</td><td>${h(w.reason)}</td><td>${h(w.owner)}</td><td class="mono">${h(w.expires)}</td><td>${w.matches.length}</td></tr>`,
    )
    .join('');
  return `<h2>Waivers</h2><table><thead><tr><th>State</th><th>Check and target</th><th>Reason</th><th>Owner</th><th>Expires</th><th>Covers</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function goneSection(report: Report): string {
  const gone = report.baseline?.gone ?? [];
  if (gone.length === 0) return '';
  const rows = gone
    .map((g) => `<tr><td>${severityBadge(g.severity)}</td><td><code>${h(g.id)}</code></td><td>${h(g.message)}</td></tr>`)
    .join('');
  return `<h2>Gone since the baseline (${gone.length})</h2><table><tbody>${rows}</tbody></table>`;
}

/** The report as one self-contained, printable HTML page: summary, problems by severity with evidence and fixes, the rest in a table. */
export function renderHtml(report: Report): string {
  const checks = checkIndex(report);
  const s = report.summary;
  const incomplete = reportCompleteness(report);
  const problems = report.findings.filter(isProblem);
  const errors = report.findings.filter((f) => f.result.status === 'error');
  const rest = report.findings.filter((f) => !isProblem(f) && f.result.status !== 'error');
  const bySeverity = SEVERITIES_HIGH_FIRST.map((sev) => {
    const list = problems.filter((f) => f.severity === sev);
    return list.length
      ? `<h3 class="sev-t-${sev}">${sev} (${list.length})</h3>\n${list.map((f) => findingArticle(f, metaOf(checks, f))).join('\n')}`
      : '';
  }).join('\n');
  const severityCards = SEVERITIES_HIGH_FIRST.filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `<div class="card"><span class="n sev-t-${sev}">${s.bySeverity[sev]}</span><span class="l">${sev}</span></div>`)
    .join('');
  const restRows = rest
    .map(
      (f) =>
        `<tr><td>${badge(f.result.status, f.result.status)}</td><td><code>${h(f.id)}</code></td><td>${h(f.result.status === 'skipped' ? (f.result.reason ?? f.result.message) : f.result.message)}</td></tr>`,
    )
    .join('');
  const title = `Docker host audit: ${subject(report)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${h(title)}</h1>
<p class="meta">Dockhand ${h(report.tool.version)} · ${h(report.generatedAt)} · ${report.mode === 'offline-root' ? 'offline root filesystem: checks that need a running daemon are skipped' : 'live host'}</p>
</header>
<section class="summary" aria-label="Summary">
${card('score', `${s.score}/100${incomplete ? ' (incomplete)' : ''}`, 'score')}${card('fail', s.byStatus.fail, 'failed')}${card('warn', s.byStatus.warn, 'warnings')}${card('pass', s.byStatus.pass, 'passed')}${card('skipped', s.byStatus.skipped, 'skipped')}${card('error', s.byStatus.error, 'errors')}${s.waived !== undefined ? card('waived', s.waived, 'waived') : ''}
</section>
${severityCards ? `<section class="summary" aria-label="Failing and warning findings by severity">${severityCards}</section>` : ''}
<h2>What was audited</h2>
${contextRows(report)}
<h2>Findings by severity</h2>
${problems.length ? bySeverity : '<p>No failing or warning findings.</p>'}
${errors.length ? `<h2>Could not be evaluated (${errors.length})</h2>\n${errors.map((f) => findingArticle(f, metaOf(checks, f))).join('\n')}` : ''}
${waiversSection(report)}
${goneSection(report)}
<h2>Passed, informational and skipped (${rest.length})</h2>
<table class="rest"><tbody>${restRows}</tbody></table>
<footer>Generated by Dockhand ${h(report.tool.version)} from the JSON report (schema ${h(report.schemaVersion)}). Secrets are masked.</footer>
</main>
</body>
</html>
`;
}
