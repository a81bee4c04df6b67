import type { ArtifactLocation, Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { describeSource } from '../../shared/describe-source';
import type { CheckMeta, Evidence, Finding, Severity } from '../../shared/finding';
import type { Report } from '../../shared/report';
import { reportCompleteness } from '../../shared/report-completeness';
import { checkIndex, fixText, isProblem, metaOf, referenceTexts, valueText } from './view';

/** The official schema of the OASIS standard (errata 01), which the output is tested against. */
const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Where host files are: the root of the host (live) or of the offline root filesystem, which SARIF readers map themselves. */
const ROOT_BASE = 'ROOTFS';
/** The conventional base for files of the repository CI runs in: the policy file. */
const SRC_BASE = '%SRCROOT%';

const LEVEL: Record<Severity, Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning ranks security results by this property (CVSS-like, 0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function uriOf(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%3A/gi, ':'))
    .join('/');
}

function artifact(path: string, report: Report): ArtifactLocation {
  if (report.policy && path === report.policy.path) {
    return path.startsWith('/') ? { uri: `file:///${uriOf(path)}` } : { uri: uriOf(path), uriBaseId: SRC_BASE };
  }
  return { uri: uriOf(path), uriBaseId: ROOT_BASE };
}

function location(e: Evidence, report: Report): Location | null {
  if (e.source.kind !== 'file' || e.source.path === '') return null;
  const region = e.source.line ? { startLine: e.source.line, ...(e.source.column ? { startColumn: e.source.column } : {}) } : undefined;
  return {
    physicalLocation: { artifactLocation: artifact(e.source.path, report), ...(region ? { region } : {}) },
    message: { text: e.label },
  };
}

/**
 * The primary location is the host file that holds the value (with its line where known), not the policy that asked
 * for it; every other file in the evidence is a related location.
 */
function locations(f: Finding, report: Report): { locations: Location[]; relatedLocations: Location[] } {
  const policyPath = report.policy?.path;
  const files = f.result.evidence.filter((e) => e.source.kind === 'file');
  const rank = (e: Evidence) =>
    (e.source.kind === 'file' && e.source.path === policyPath ? 2 : 0) + (e.source.kind === 'file' && e.source.line ? 0 : 1);
  const ordered = [...files].sort((a, b) => rank(a) - rank(b));
  const all = ordered.map((e) => location(e, report)).filter((l): l is Location => l !== null);
  const seen = new Set<string>();
  const unique = all.filter((l) => {
    const key = JSON.stringify(l.physicalLocation);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const [primary, ...related] = unique;
  return { locations: primary ? [primary] : [], relatedLocations: related.map((l, id) => ({ ...l, id })) };
}

function rule(check: CheckMeta): ReportingDescriptor {
  const refs = referenceTexts(check);
  const helpText = `${check.remediation}${refs.length ? `\n\nReferences: ${refs.join('; ')}` : ''}`;
  const helpMarkdown = `${check.remediation}${check.references.length ? `\n\n${check.references.map((r) => `- ${r.url ? `[${r.title}${r.id ? ` ${r.id}` : ''}](${r.url})` : `${r.title}${r.id ? ` ${r.id}` : ''}`}`).join('\n')}` : ''}`;
  const helpUri = check.references.find((r) => r.url)?.url;
  return {
    id: check.id,
    name: check.id.replace(/(^|[.-])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: check.rationale || check.title },
    help: { text: helpText, markdown: helpMarkdown },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[check.severity] },
    properties: {
      category: check.category,
      severity: check.severity,
      cis: check.cis,
      'security-severity': SECURITY_SEVERITY[check.severity],
      tags: ['security', 'docker', check.category, ...(check.cis ? [`CIS-${check.cis}`] : [])],
    },
  };
}

function evidenceProperty(f: Finding) {
  return f.result.evidence.map((e) => ({ label: e.label, value: valueText(e.value), source: describeSource(e.source) }));
}

function result(f: Finding, check: CheckMeta, ruleIndex: number | undefined, report: Report): Result {
  const where = locations(f, report);
  const out: Result = {
    ruleId: f.checkId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: isProblem(f) ? 'fail' : 'pass',
    level: isProblem(f) ? (f.result.status === 'warn' && LEVEL[f.severity] === 'error' ? 'warning' : LEVEL[f.severity]) : 'none',
    message: { text: f.result.message },
    locations: where.locations,
    ...(where.relatedLocations.length ? { relatedLocations: where.relatedLocations } : {}),
    // Finding ids are stable across runs (check id and target): what code scanning matches results on.
    partialFingerprints: { 'dockhandFindingId/v1': f.id },
    properties: {
      findingId: f.id,
      status: f.result.status,
      severity: f.severity,
      target: f.result.target,
      evidence: evidenceProperty(f),
      fix: fixText(f, check),
    },
  };
  if (f.waiver) {
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${f.waiver.reason} (owner ${f.waiver.owner}, until ${f.waiver.expires})`,
        ...(f.waiver.source.kind === 'file'
          ? { location: location({ label: 'waiver', value: null, source: f.waiver.source }, report) ?? undefined }
          : {}),
        properties: { owner: f.waiver.owner, expires: f.waiver.expires },
      },
    ];
  }
  if (f.baseline) out.baselineState = f.baseline === 'fixed' ? 'absent' : f.baseline;
  return out;
}

/**
 * SARIF 2.1.0, one run: a rule per check (help text, CIS reference), a result per failing or warning finding (and, with
 * a baseline, per fixed one), waivers as accepted suppressions, checks that could not run as tool notifications.
 */
export function renderSarif(report: Report): Log {
  const checks = checkIndex(report);
  const rules = report.checks.map(rule);
  const ruleIndex = new Map(report.checks.map((c, i) => [c.id, i]));
  const results: Result[] = report.findings
    .filter((f) => isProblem(f) || f.baseline === 'fixed')
    .map((f) => result(f, metaOf(checks, f), ruleIndex.get(f.checkId), report));
  for (const gone of report.baseline?.gone ?? []) {
    results.push({
      ruleId: gone.checkId,
      ...(ruleIndex.has(gone.checkId) ? { ruleIndex: ruleIndex.get(gone.checkId)! } : {}),
      kind: 'pass',
      level: 'none',
      message: { text: `Gone since the baseline: ${gone.message}` },
      baselineState: 'absent',
      partialFingerprints: { 'dockhandFindingId/v1': gone.id },
      properties: { findingId: gone.id, severity: gone.severity },
    });
  }
  const notifications: Notification[] = report.findings
    .filter((f) => f.result.status === 'error')
    .map((f) => ({
      level: 'error',
      message: { text: `${f.id}: ${f.result.reason ?? f.result.message}` },
      ...(ruleIndex.has(f.checkId) ? { associatedRule: { id: f.checkId, index: ruleIndex.get(f.checkId)! } } : {}),
    }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Dockhand',
            fullName: 'Dockhand Docker host audit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            endTimeUtc: report.generatedAt,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        originalUriBaseIds: {
          [ROOT_BASE]:
            report.mode === 'live'
              ? { uri: 'file:///', description: { text: 'The root of the audited host' } }
              : { description: { text: 'The root of the offline filesystem audited with --root; paths are relative to it' } },
        },
        automationDetails: { id: `dockhand/${report.mode}/` },
        results,
        // The same completeness as the report: a consumer that shows the score can say what it does not cover.
        properties: { score: report.summary.score, incomplete: reportCompleteness(report), mode: report.mode, host: report.host.hostname },
      },
    ],
  };
}
