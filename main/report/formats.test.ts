import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckMeta, Finding } from '../../shared/finding';
import { type Report, ReportSchema } from '../../shared/report';
import { parseValidJunit, sarifErrors } from '../../test/support/report-validators';
import { renderHtml } from './html';
import { renderJunit } from './junit';
import { MARKDOWN_MAX_ROWS, renderMarkdown } from './markdown';
import { renderSarif } from './sarif';

const meta = (id: string, extra: Partial<CheckMeta> = {}): CheckMeta => ({
  id,
  title: `Title of ${id}`,
  category: 'daemon-config',
  severity: 'high',
  rationale: 'Because.',
  remediation: 'Do the thing.',
  references: [{ title: 'CIS Docker Benchmark v1.6.0', id: '2.1', url: 'https://www.cisecurity.org/benchmark/docker' }],
  cis: '2.1',
  platforms: ['linux'],
  fixId: null,
  ...extra,
});

const result = (status: Finding['result']['status'], message: string, extra: Partial<Finding['result']> = {}): Finding['result'] => ({
  status,
  message,
  target: null,
  reason: status === 'skipped' || status === 'error' ? message : null,
  evidence: [],
  fix: null,
  ...extra,
});

/** A live report built by hand: awkward text, an error, an API-only finding, a gone baseline problem. */
function liveReport(findings: Finding[], extra: Partial<Report> = {}): Report {
  const ids = [...new Set(findings.map((f) => f.checkId))];
  return ReportSchema.parse({
    schemaVersion: '1.2.0',
    tool: { name: 'dockhand', version: '0.1.0' },
    generatedAt: '2030-01-01T00:00:00.000Z',
    durationMs: 1234,
    mode: 'live',
    host: {
      hostname: 'build<01>',
      platform: 'linux',
      os: 'Debian',
      kernel: '6.1',
      engineVersion: '27.0',
      apiVersion: '1.46',
      storageDriver: 'overlay2',
      loggingDriver: 'json-file',
      rootless: false,
      desktop: false,
      wsl: false,
      containers: 2,
    },
    endpoint: null,
    endpointError: null,
    engineError: null,
    daemonConfig: null,
    timings: [],
    checks: ids.map((id) => meta(id)),
    findings,
    summary: {
      byStatus: { pass: 0, fail: 0, warn: 0, info: 0, skipped: 0, error: 0 },
      bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      score: 50,
      checksRun: ids.length,
    },
    ...extra,
  });
}

const AWKWARD = 'a | pipe, <b>tags</b> & "quotes" \u0007bell and C:\\Program Files\\x';

describe('report formats on awkward input', () => {
  const findings: Finding[] = [
    {
      id: 'daemon.a',
      checkId: 'daemon.a',
      severity: 'critical',
      result: result('fail', AWKWARD, {
        evidence: [{ label: 'from the API', value: { nested: [1, 'x'] }, source: { kind: 'api', call: 'GET /info' } }],
      }),
    },
    {
      id: 'daemon.b:C:\\ProgramData\\docker\\config\\daemon.json',
      checkId: 'daemon.b',
      severity: 'medium',
      result: result('warn', 'windows path', {
        target: 'C:\\ProgramData\\docker\\config\\daemon.json',
        evidence: [{ label: 'file', value: 'x', source: { kind: 'file', path: 'C:\\ProgramData\\docker\\config\\daemon.json', line: 4 } }],
      }),
    },
    { id: 'daemon.c', checkId: 'daemon.c', severity: 'high', result: result('error', 'permission denied reading /etc/docker/daemon.json') },
    { id: 'daemon.d', checkId: 'daemon.d', severity: 'low', result: result('skipped', 'not applicable: rootless') },
  ];
  const report = liveReport(findings, {
    baseline: {
      path: 'old.json',
      generatedAt: null,
      new: 0,
      unchanged: 0,
      fixed: 1,
      gone: [{ id: 'daemon.gone:x', checkId: 'daemon.gone', severity: 'high', message: 'was here' }],
    },
  });

  test('SARIF stays valid: API-only evidence has no location, Windows paths become URIs, errors are notifications, gone findings are absent results', () => {
    const log = renderSarif(report);
    assert.deepEqual(sarifErrors(log), []);
    const run = log.runs[0]!;
    assert.deepEqual(run.results!.find((r) => r.ruleId === 'daemon.a')!.locations, []);
    assert.deepEqual(run.results!.find((r) => r.ruleId === 'daemon.b')!.locations![0]!.physicalLocation!.artifactLocation, {
      uri: 'C:/ProgramData/docker/config/daemon.json',
      uriBaseId: 'ROOTFS',
    });
    assert.equal(run.results!.find((r) => r.ruleId === 'daemon.b')!.level, 'warning');
    assert.equal(run.invocations![0]!.executionSuccessful, false);
    assert.match(run.invocations![0]!.toolExecutionNotifications![0]!.message.text!, /^daemon\.c: permission denied/);
    const gone = run.results!.find((r) => r.ruleId === 'daemon.gone')!;
    assert.equal(gone.baselineState, 'absent');
    assert.equal(gone.kind, 'pass');
    assert.deepEqual(run.originalUriBaseIds?.ROOTFS?.uri, 'file:///');
  });

  test('JUnit stays valid XML for the schema: escaped text, control characters dropped, errors as <error>', () => {
    const xml = renderJunit(report);
    // eslint-disable-next-line no-control-regex -- a raw control character is what must be absent.
    assert.doesNotMatch(xml, /\u0007/);
    const doc = parseValidJunit(xml);
    try {
      assert.equal(doc.get("//testcase[starts-with(@name, 'daemon.a:')]/failure/@message")?.content, AWKWARD.replace('\u0007', ''));
      assert.match(doc.get("//testcase[starts-with(@name, 'daemon.c:')]/error/@message")?.content ?? '', /permission denied/);
      assert.equal(doc.get("//testcase[starts-with(@name, 'daemon.d:')]/skipped/@message")?.content, 'not applicable: rootless');
      assert.equal(doc.get('/testsuites/@failures')?.content, '2');
      assert.equal(doc.get('/testsuites/@errors')?.content, '1');
    } finally {
      doc.dispose();
    }
  });

  test('HTML escapes everything it shows', () => {
    const html = renderHtml(report);
    assert.ok(!html.includes('<b>tags</b>') && html.includes('&lt;b&gt;tags&lt;/b&gt;'));
    assert.ok(html.includes('build&lt;01&gt;'));
    assert.match(html, /Gone since the baseline \(1\)/);
  });

  test('Markdown: one table row per problem whatever the text holds, and a cap on rows', () => {
    const md = renderMarkdown(report);
    const row = md.split('\n').find((l) => l.includes('`daemon.a`'))!;
    assert.equal(row.split(/(?<!\\)\|/).length, 7, 'a pipe in the message does not add a column');
    assert.ok(row.includes('&lt;b&gt;'));
    assert.match(md, /1 check could not be evaluated: `daemon\.c`/);
    const many = liveReport(
      Array.from({ length: MARKDOWN_MAX_ROWS + 7 }, (_, i) => ({
        id: `daemon.x:${i}`,
        checkId: 'daemon.x',
        severity: 'high' as const,
        result: result('fail', `problem ${i} `.repeat(40)),
      })),
    );
    const long = renderMarkdown(many);
    assert.equal(long.split('\n').filter((l) => l.startsWith('| **FAIL**')).length, MARKDOWN_MAX_ROWS);
    assert.match(long, /…and 7 more in the full report\./);
    assert.ok(long.length < 12_000);
  });
});
