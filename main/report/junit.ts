import { describeSource } from '../../shared/describe-source';
import type { CheckMeta, Finding, Severity } from '../../shared/finding';
import type { Report } from '../../shared/report';
import { checkIndex, escapeMarkup as xml, fixText, isProblem, metaOf, SEVERITIES_HIGH_FIRST, valueText, waiverText } from './view';

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');
}

function details(f: Finding, check: CheckMeta): string {
  const lines = [`[${f.result.status.toUpperCase()} ${f.severity}] ${f.id}`, `  ${f.result.message}`];
  const waiver = waiverText(f);
  if (waiver) lines.push(`  ${waiver}`);
  if (f.result.evidence.length > 0) {
    lines.push('  Evidence:');
    for (const e of f.result.evidence) lines.push(`    - ${e.label}: ${valueText(e.value)} (${describeSource(e.source)})`);
  }
  if (isProblem(f) && check.remediation) lines.push(`  Fix: ${fixText(f, check)}`);
  return lines.join('\n');
}

function worst(findings: readonly Finding[]): Severity {
  return SEVERITIES_HIGH_FIRST.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
}

interface Case {
  xml: string;
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
}

/**
 * A check is one test case. It fails when any of its findings fails or warns without a waiver (the message names how
 * many targets, the body carries each one's message, evidence and fix); it is an error when it could not be evaluated;
 * skipped when it did not apply (saying why) or when every problem it found is waived (saying by whom and until when).
 */
function testCase(check: CheckMeta, findings: readonly Finding[]): Case {
  const open = findings.filter((f) => isProblem(f) && !f.waiver);
  const waived = findings.filter((f) => isProblem(f) && f.waiver);
  const errors = findings.filter((f) => f.result.status === 'error');
  const head = `<testcase${attrs({ name: `${check.id}: ${check.title}`, classname: `dockhand.${check.category}` })}>`;
  // Waived problems and informational results are not failures, but a reader of the test case should still see them.
  const noted = findings.filter((f) => f.waiver || f.result.status === 'info');
  const systemOut = noted.length > 0 ? `<system-out>${xml(noted.map((f) => details(f, check)).join('\n\n'))}</system-out>` : '';
  if (open.length > 0) {
    const message =
      open.length === 1
        ? open[0]!.result.message
        : `${open.length} of ${findings.length} targets fail or warn; first: ${open[0]!.result.message}`;
    const type = `${worst(open)} ${open.some((f) => f.result.status === 'fail') ? 'fail' : 'warn'}`;
    return {
      outcome: 'failure',
      xml: `${head}<failure${attrs({ message, type })}>${xml(open.map((f) => details(f, check)).join('\n\n'))}</failure>${systemOut}</testcase>`,
    };
  }
  if (errors.length > 0) {
    const message = errors.map((f) => `${f.id}: ${f.result.reason ?? f.result.message}`).join('; ');
    return {
      outcome: 'error',
      xml: `${head}<error${attrs({ message, type: 'could not evaluate' })}>${xml(errors.map((f) => details(f, check)).join('\n\n'))}</error>${systemOut}</testcase>`,
    };
  }
  if (waived.length > 0 && !findings.some((f) => f.result.status === 'pass')) {
    const message = `waived: ${waived.map((f) => `${f.id} (${waiverText(f)})`).join('; ')}`;
    return { outcome: 'skipped', xml: `${head}<skipped${attrs({ message })}/>${systemOut}</testcase>` };
  }
  if (findings.length > 0 && findings.every((f) => f.result.status === 'skipped')) {
    const reasons = [...new Set(findings.map((f) => f.result.reason ?? f.result.message))];
    return { outcome: 'skipped', xml: `${head}<skipped${attrs({ message: reasons.join('; ') })}/></testcase>` };
  }
  return { outcome: 'passed', xml: `${head}${systemOut}</testcase>` };
}

/** JUnit XML as Jenkins, GitLab and GitHub test reporters read it: a test suite per category, a test case per check. */
export function renderJunit(report: Report): string {
  const checks = checkIndex(report);
  const byCheck = new Map<string, Finding[]>();
  for (const f of report.findings) byCheck.set(f.checkId, [...(byCheck.get(f.checkId) ?? []), f]);
  const byCategory = new Map<string, { check: CheckMeta; findings: Finding[] }[]>();
  for (const [id, findings] of byCheck) {
    const check = metaOf(checks, findings[0]!);
    byCategory.set(check.category, [...(byCategory.get(check.category) ?? []), { check: checks.get(id) ?? check, findings }]);
  }
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = [...byCategory]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([category, entries]) => {
      const cases = entries.sort((a, b) => (a.check.id < b.check.id ? -1 : 1)).map((e) => testCase(e.check, e.findings));
      const count = (o: Case['outcome']) => cases.filter((c) => c.outcome === o).length;
      const stats = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += stats[k];
      const head = `<testsuite${attrs({ name: `dockhand.${category}`, ...stats, timestamp: report.generatedAt.replace(/Z$/, ''), hostname: report.host.hostname ?? undefined })}>`;
      return `  ${head}\n${cases.map((c) => `    ${c.xml}`).join('\n')}\n  </testsuite>`;
    });
  const root = `<testsuites${attrs({ name: `Dockhand audit of ${report.host.hostname ?? 'unknown host'}`, time: (report.durationMs / 1000).toFixed(3), tests: totals.tests, failures: totals.failures, errors: totals.errors })}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.join('\n')}\n</testsuites>\n`;
}
