import { describeSource } from '../../shared/describe-source';
import type { Finding } from '../../shared/finding';
import type { Report } from '../../shared/report';
import { reportCompleteness } from '../../shared/report-completeness';
import { countsLine, isProblem, subject } from './view';

/** Rows a pull-request comment shows before it points to the full report: enough to act on, short enough to read. */
export const MARKDOWN_MAX_ROWS = 25;
const MAX_MESSAGE = 180;

/** Table-cell text: one line, no pipes or markup that would break the table or render as HTML. */
function cell(text: string, max = MAX_MESSAGE): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Where to look: the first file evidence with a line, else the first file. */
function where(f: Finding): string {
  const files = f.result.evidence.filter((e) => e.source.kind === 'file');
  const best = files.find((e) => e.source.kind === 'file' && e.source.line) ?? files[0];
  return best ? `\`${cell(describeSource(best.source), 80).replace(/`/g, "'")}\`` : '';
}

function row(f: Finding): string {
  const status = f.result.status === 'fail' ? '**FAIL**' : 'WARN';
  const notes = [f.waiver ? `waived until ${f.waiver.expires} (${cell(f.waiver.owner, 40)})` : '', f.baseline ?? '']
    .filter(Boolean)
    .join(', ');
  return `| ${status} | ${f.severity} | \`${cell(f.id, 80)}\` | ${cell(f.result.message)}${notes ? ` _(${notes})_` : ''} | ${where(f)} |`;
}

/** A short summary for a pull-request comment: counts, then the open problems most severe first, waived ones last. */
export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const open = report.findings.filter((f) => isProblem(f) && !f.waiver);
  const waived = report.findings.filter((f) => isProblem(f) && f.waiver);
  const errors = report.findings.filter((f) => f.result.status === 'error');
  const out: string[] = [];
  out.push(`### Dockhand audit: ${cell(subject(report), 120)}${report.mode === 'offline-root' ? ' (offline root)' : ''}`);
  const incomplete = reportCompleteness(report);
  out.push('', `**Score ${s.score}/100${incomplete ? ' (incomplete)' : ''}** · ${countsLine(report)}`);
  if (incomplete)
    out.push(
      '',
      `**Incomplete:** the Docker daemon could not be reached (${cell(incomplete.message, 300)}): ${incomplete.checks.length} checks could not run.`,
    );
  if (report.baseline)
    out.push(
      '',
      `Since the baseline: **${report.baseline.new} new** · ${report.baseline.unchanged} unchanged · ${report.baseline.fixed} fixed`,
    );
  const rows = [...open, ...waived];
  if (rows.length > 0) {
    out.push('', '| Status | Severity | Finding | Message | Where |', '| --- | --- | --- | --- | --- |');
    out.push(...rows.slice(0, MARKDOWN_MAX_ROWS).map(row));
    if (rows.length > MARKDOWN_MAX_ROWS) out.push('', `…and ${rows.length - MARKDOWN_MAX_ROWS} more in the full report.`);
  } else {
    out.push('', 'No failing or warning findings.');
  }
  if (errors.length > 0)
    out.push(
      '',
      `${errors.length} check${errors.length === 1 ? '' : 's'} could not be evaluated: ${errors
        .slice(0, 5)
        .map((f) => `\`${cell(f.id, 60)}\``)
        .join(', ')}${errors.length > 5 ? ', …' : ''}`,
    );
  return `${out.join('\n')}\n`;
}
