import type { CheckMeta, Finding, Severity, Status } from '../../shared/finding';
import { describeSource } from '../../shared/describe-source';
import type { Report } from '../../shared/report';
import { formatMs } from '../util/timeout';
import { blockedGroup, incompleteFooter, incompleteHeader, incompleteScore, incompleteText, mentionOnce } from './text-incomplete';
import { checkIndex, isProblem, metaOf, referenceTexts, waiverText } from './view';

export interface TextOptions {
  color: boolean;
  /** Show passing and skipped findings in full instead of one line each. */
  verbose?: boolean;
  /** Show only what needs attention (failed and warnings); the rest is counted in one line. */
  attention?: boolean;
}

const CODES = { red: 31, yellow: 33, green: 32, cyan: 36, gray: 90, bold: 1, magenta: 35 } as const;
type Paint = (code: keyof typeof CODES, text: string) => string;

const STATUS_COLOR: Record<Status, keyof typeof CODES> = {
  fail: 'red',
  error: 'magenta',
  warn: 'yellow',
  info: 'cyan',
  pass: 'green',
  skipped: 'gray',
};
const SEVERITY_COLOR: Record<Severity, keyof typeof CODES> = { critical: 'red', high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' };

function wrap(text: string, indent: string, width = 100): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width - indent.length) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function detailed(f: Finding, check: CheckMeta, paint: Paint): string {
  const status = paint(STATUS_COLOR[f.result.status], f.result.status.toUpperCase().padEnd(5));
  const severity = paint(SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(8));
  const marks = [f.waiver ? 'WAIVED' : '', f.baseline ? f.baseline.toUpperCase() : ''].filter(Boolean).map((m) => paint('cyan', `[${m}]`));
  const lines = [
    `${status} ${severity} ${paint('bold', f.id)}  ${check.title}${marks.length ? ` ${marks.join(' ')}` : ''}`,
    wrap(f.result.message, '      '),
  ];
  const waiver = waiverText(f);
  if (waiver) lines.push(paint('cyan', wrap(`Waiver: ${waiver}`, '      ')));
  if (f.result.status === 'fail' || f.result.status === 'warn') lines.push(paint('gray', wrap(`Why: ${check.rationale}`, '      ')));
  if (f.result.evidence.length > 0) {
    lines.push('      Evidence:');
    for (const e of f.result.evidence)
      lines.push(`        - ${e.label}: ${valueText(e.value)}  ${paint('gray', `(${describeSource(e.source)})`)}`);
  }
  if (f.result.status === 'fail' || f.result.status === 'warn') {
    lines.push(wrap(`Fix: ${check.remediation}${f.result.fix ? ` [dockhand fix ${f.result.fix.id}]` : ''}`, '      '));
  }
  const refs = referenceTexts(check);
  if (refs.length > 0 && f.result.status !== 'pass') lines.push(paint('gray', `      Ref: ${refs.join('; ')}`));
  return lines.join('\n');
}

/** Findings of one check with the same verdict (status, severity, waived or not), in report order. */
function byCheck(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.checkId}\0${f.result.status}\0${f.severity}\0${f.waiver ? 'w' : ''}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
}

/**
 * One check failing on many targets (containers, registries, files): the title, why and fix once, each target under
 * them with its own message and evidence, so thirty containers do not repeat the same paragraph thirty times.
 */
function grouped(findings: readonly Finding[], check: CheckMeta, paint: Paint): string {
  const first = findings[0]!;
  if (findings.length === 1 || findings.some((f) => f.result.target === null))
    return findings.map((f) => detailed(f, check, paint)).join('\n\n');
  const status = paint(STATUS_COLOR[first.result.status], first.result.status.toUpperCase().padEnd(5));
  const severity = paint(SEVERITY_COLOR[first.severity], first.severity.toUpperCase().padEnd(8));
  const problem = first.result.status === 'fail' || first.result.status === 'warn';
  const lines = [`${status} ${severity} ${paint('bold', first.checkId)}  ${check.title} ${paint('gray', `(${findings.length} targets)`)}`];
  if (problem) lines.push(paint('gray', wrap(`Why: ${check.rationale}`, '      ')));
  for (const f of findings) {
    const marks = [f.waiver ? 'WAIVED' : '', f.baseline ? f.baseline.toUpperCase() : '']
      .filter(Boolean)
      .map((m) => paint('cyan', `[${m}]`));
    lines.push(`      - ${paint('bold', f.result.target!)}${marks.length ? ` ${marks.join(' ')}` : ''}: ${f.result.message}`);
    const waiver = waiverText(f);
    if (waiver) lines.push(paint('cyan', wrap(`Waiver: ${waiver}`, '          ')));
    for (const e of f.result.evidence)
      lines.push(`          ${e.label}: ${valueText(e.value)}  ${paint('gray', `(${describeSource(e.source)})`)}`);
  }
  const fixIds = [...new Set(findings.map((f) => f.result.fix?.id).filter((id): id is string => Boolean(id)))];
  if (problem) lines.push(wrap(`Fix: ${check.remediation}${fixIds.length ? ` [dockhand fix ${fixIds.join(', ')}]` : ''}`, '      '));
  const refs = referenceTexts(check);
  if (refs.length > 0 && first.result.status !== 'pass') lines.push(paint('gray', `      Ref: ${refs.join('; ')}`));
  return lines.join('\n');
}

function oneLine(f: Finding, paint: Paint): string {
  const status = paint(STATUS_COLOR[f.result.status], f.result.status.toUpperCase().padEnd(5));
  return `${status} ${f.id}  ${paint('gray', f.result.status === 'skipped' ? (f.result.reason ?? '') : f.result.message)}`;
}

/** The human report: header, most severe problems in full with evidence and fix, then passes and skips one line each. */
export function renderText(report: Report, options: TextOptions): string {
  const paint: Paint = options.color ? (code, text) => `\u001b[${CODES[code]}m${text}\u001b[0m` : (_c, text) => text;
  const h = report.host;
  const out: string[] = [];
  const incomplete = incompleteText(report);
  out.push(paint('bold', `Dockhand ${report.tool.version}: Docker host audit of ${h.hostname ?? 'unknown host'}`));
  if (incomplete) out.push(...incompleteHeader(incomplete.incomplete, paint));
  if (report.endpoint) out.push(`Endpoint:    ${report.endpoint.host}  ${paint('gray', `(${report.endpoint.reason})`)}`);
  else out.push(`Endpoint:    ${paint('red', report.endpointError ?? 'none')}`);
  if (h.engineVersion) {
    const extras = [
      h.storageDriver && `storage ${h.storageDriver}`,
      h.loggingDriver && `logging ${h.loggingDriver}`,
      h.rootless && 'rootless',
      h.desktop && 'Docker Desktop',
      h.wsl && 'WSL 2',
    ].filter(Boolean);
    out.push(
      `Engine:      ${h.engineVersion}${h.apiVersion ? ` (API ${h.apiVersion})` : ''}${extras.length ? ` · ${extras.join(' · ')}` : ''}`,
    );
  } else {
    // The reason is said once, at the top, when the report is incomplete for it.
    out.push(
      `Engine:      ${paint('red', 'not reachable')}${report.engineError && !incomplete ? paint('gray', ` (${report.engineError})`) : ''}`,
    );
  }
  out.push(`Host:        ${[h.os, h.kernel && `kernel ${h.kernel}`].filter(Boolean).join(' · ') || 'unknown'}`);
  if (report.policy)
    out.push(`Policy:      ${report.policy.path} (${report.policy.checksSelected} checks, ${report.policy.waivers.length} waivers)`);
  if (report.baseline)
    out.push(
      `Baseline:    ${report.baseline.path}: ${report.baseline.new} new, ${report.baseline.unchanged} unchanged, ${report.baseline.fixed} fixed`,
    );
  if (report.daemonConfig) {
    out.push(
      `daemon.json: ${report.daemonConfig.path}${report.daemonConfig.exists ? '' : ' (does not exist)'}  ${paint('gray', `(${report.daemonConfig.reason})`)}`,
    );
  }
  const s = report.summary;
  // bySeverity counts failures and warnings together: label it so it is not read as a split of "failed".
  const bySeverity = (['critical', 'high', 'medium', 'low'] as const)
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`);
  out.push(
    `Score ${paint('bold', `${s.score}/100`)}${incompleteScore(incomplete?.incomplete ?? null)} · ${s.byStatus.fail} failed · ${s.byStatus.warn} warnings${bySeverity.length ? ` (by severity: ${bySeverity.join(', ')})` : ''} · ${s.byStatus.pass} passed · ${s.byStatus.skipped} skipped · ${s.byStatus.error} errors${s.waived !== undefined ? ` · ${s.waived} waived` : ''} · ${formatMs(report.durationMs)}`,
  );
  const checks = checkIndex(report);
  const meta = (f: Finding): CheckMeta => metaOf(checks, f);
  const notBlocked = incomplete ? report.findings.filter((f) => !incomplete.blocked(f)) : report.findings;
  const shown = options.attention ? notBlocked.filter(isProblem) : notBlocked;
  const problems = shown.filter((f) => ['fail', 'warn', 'error', 'info'].includes(f.result.status));
  const rest = shown.filter((f) => !problems.includes(f));
  const body = out.length;
  if (problems.length > 0)
    out.push(
      '',
      ...byCheck(problems).map(
        (group) => `${grouped(group, meta(group[0]!), paint)}
`,
      ),
    );
  else {
    const none = options.attention
      ? 'Nothing needs attention: no check failed or warned.'
      : incomplete
        ? 'No problems found among the checks that ran.'
        : 'No problems found.';
    out.push('', paint('green', none), '');
  }
  if (incomplete) out.push(...blockedGroup(incomplete.incomplete, checks, paint), '');
  if (rest.length > 0)
    out.push(
      ...rest.map((f) =>
        options.verbose
          ? `${detailed(f, meta(f), paint)}
`
          : oneLine(f, paint),
      ),
    );
  const hidden = notBlocked.length - shown.length;
  if (hidden > 0)
    out.push(
      paint(
        'gray',
        `${hidden} more findings (errors, information, passed, skipped) not shown: only what needs attention was asked for (--attention).`,
      ),
    );
  if (incomplete) {
    out.splice(body, out.length - body, ...mentionOnce(out.slice(body), incomplete.incomplete));
    out.push('', ...incompleteFooter(incomplete.incomplete, s.score, paint));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
