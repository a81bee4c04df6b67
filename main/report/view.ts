import type { CheckMeta, Evidence, Finding, Severity } from '../../shared/finding';
import type { Report } from '../../shared/report';

/** Helpers every renderer shares, so each format says the same thing the same way. */

export { checkIndex, metaOf } from '../../shared/check-meta';

/** A failure or a warning: what needs attention (the one definition, shared with the app). */
export { needsAttention as isProblem } from '../../shared/finding-order';

/** Evidence values as one line: strings as they are, anything else as JSON. */
export function valueText(value: Evidence['value']): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function referenceTexts(check: CheckMeta): string[] {
  return check.references.map((r) => (r.id ? `${r.title} ${r.id}` : r.url ? `${r.title} <${r.url}>` : r.title));
}

/** The fix in words, with the command when the fix engine has one. */
export function fixText(f: Finding, check: CheckMeta): string {
  return `${check.remediation}${f.result.fix ? ` [dockhand fix ${f.result.fix.id}]` : ''}`;
}

export function waiverText(f: Finding): string | null {
  return f.waiver ? `waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}` : null;
}

export const SEVERITIES_HIGH_FIRST: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The audit's subject in a few words: the host, or the offline root. */
export function subject(report: Report): string {
  return report.host.hostname ?? 'unknown host';
}

/** One line of counts, the same in every format. */
export function countsLine(report: Report): string {
  const s = report.summary;
  const parts = [
    `${s.byStatus.fail} failed`,
    `${s.byStatus.warn} warnings`,
    `${s.byStatus.pass} passed`,
    `${s.byStatus.skipped} skipped`,
    `${s.byStatus.error} errors`,
  ];
  if (s.waived !== undefined) parts.push(`${s.waived} waived`);
  return parts.join(' · ');
}

/** Text as XML or HTML character data or attribute value; characters XML 1.0 cannot hold at all are dropped. */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
