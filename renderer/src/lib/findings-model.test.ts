import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckMeta, Finding } from '../../../shared/finding';
import type { Report } from '../../../shared/report';
import { countBy, facet, filterFindings, groupRows, indexFindings, indexFindingsInTasks, isFixable, matchesQuery } from './findings-model';
import { SEVERITIES, STATUSES } from '../../../shared/constants';

const check = (id: string, category: CheckMeta['category'], title: string, cis: string | null = null): CheckMeta => ({
  id,
  title,
  category,
  severity: 'medium',
  rationale: '',
  remediation: '',
  references: [],
  cis,
  platforms: ['linux'],
  fixId: null,
});
const finding = (
  checkId: string,
  status: Finding['result']['status'],
  severity: Finding['severity'],
  target: string | null = null,
  message = 'm',
): Finding => ({
  id: target ? `${checkId}:${target}` : checkId,
  checkId,
  severity,
  result: { status, message, target, reason: null, evidence: [], fix: null },
});

const report = {
  checks: [
    check('container.privileged', 'isolation', 'Containers are not privileged', '5.4'),
    check('daemon.log-rotation', 'logging', 'Container logs are rotated', '2.12'),
    check('daemon.icc', 'network', 'ICC is off'),
  ],
  findings: [
    finding('container.privileged', 'fail', 'high', 'web', 'Container web runs privileged'),
    finding('container.privileged', 'pass', 'high', 'db'),
    finding('daemon.log-rotation', 'fail', 'medium'),
    finding('daemon.icc', 'warn', 'low'),
    finding('daemon.unknown-check', 'skipped', 'info'),
  ],
} as unknown as Report;

const all = { severities: new Set(SEVERITIES), statuses: new Set(STATUSES), categories: new Set<never>(), query: '' };

test('search: every word must match, in title, message, target, id or CIS id, case-insensitively', () => {
  const index = indexFindings(report);
  assert.equal(indexFindings(report), index, 'indexed once per report');
  const ids = (query: string) => filterFindings(index, { ...all, query }).map((i) => i.finding.id);
  assert.deepEqual(ids('PRIVILEGED web'), ['container.privileged:web']);
  assert.deepEqual(ids('cis 2.12'), ['daemon.log-rotation']);
  assert.deepEqual(ids('db'), ['container.privileged:db']);
  assert.deepEqual(
    ids('  '),
    index.map((i) => i.finding.id),
  );
  assert.ok(matchesQuery('abc def', 'def abc'));
  assert.ok(!matchesQuery('abc', 'abc x'));
  assert.equal(index[4]!.check.title, 'daemon.unknown-check', 'a finding whose check is not listed still shows');
});

test('filters combine: status, severity and category', () => {
  const index = indexFindings(report);
  const ids = (f: Partial<typeof all>) => filterFindings(index, { ...all, ...f }).map((i) => i.finding.id);
  assert.deepEqual(ids({ statuses: new Set(['fail']) }), ['container.privileged:web', 'daemon.log-rotation']);
  assert.deepEqual(ids({ statuses: new Set(['fail']), severities: new Set(['high']) }), ['container.privileged:web']);
  assert.deepEqual(ids({ categories: new Set(['network'] as const) as never }), ['daemon.icc']);
  assert.deepEqual(
    [...countBy(index, (i) => i.finding.result.status)],
    [
      ['fail', 2],
      ['pass', 1],
      ['warn', 1],
      ['skipped', 1],
    ],
  );
});

test("facet: the filtered findings and each chip's count under the other filters, in one pass", () => {
  const index = indexFindings(report);
  const filter = { ...all, statuses: new Set(['fail'] as const) as never, severities: new Set(['high'] as const) as never };
  const f = facet(index, filter);
  assert.deepEqual(
    f.filtered.map((i) => i.finding.id),
    filterFindings(index, filter).map((i) => i.finding.id),
  );
  assert.deepEqual(
    [...f.byStatus],
    [...countBy(filterFindings(index, { ...filter, statuses: new Set(STATUSES) }), (i) => i.finding.result.status)],
  );
  assert.deepEqual(
    [...f.bySeverity],
    [...countBy(filterFindings(index, { ...filter, severities: new Set(SEVERITIES) }), (i) => i.finding.severity)],
  );
  assert.deepEqual([...f.byCategory], [...countBy(filterFindings(index, filter), (i) => i.check.category)]);
  assert.deepEqual([...facet(index, { ...all, query: 'web' }).byStatus], [['fail', 1]], 'the search narrows every count');
});

test('rows: one header per category, worst category first, worst finding first; collapsed groups hide their findings', () => {
  const index = indexFindings(report);
  const rows = groupRows(index, new Set());
  assert.deepEqual(
    rows.map((r) => (r.kind === 'group' ? `# ${r.label} (${r.count})` : r.item.finding.id)),
    [
      '# Isolation (2)',
      'container.privileged:web',
      'container.privileged:db',
      '# Logging (1)',
      'daemon.log-rotation',
      '# Network (1)',
      'daemon.icc',
      '# Host (1)',
      'daemon.unknown-check',
    ],
  );
  const first = rows[1]!;
  assert.ok(first.kind === 'finding' && first.posInSet === 1 && first.setSize === 2);
  const header = rows[0]!;
  assert.ok(header.kind === 'group' && header.posInSet === 1 && header.setSize === 4 && header.expanded);
  const collapsed = groupRows(index, new Set(['isolation'] as const));
  assert.deepEqual(
    collapsed.slice(0, 2).map((r) => r.kind),
    ['group', 'group'],
  );
  assert.ok(collapsed[0]!.kind === 'group' && !collapsed[0]!.expanded);
});

test('ten thousand findings filter and group in well under a frame budget per keystroke', () => {
  const many = {
    checks: report.checks,
    findings: Array.from({ length: 10_000 }, (_, i) =>
      finding('container.privileged', i % 3 ? 'pass' : 'fail', 'high', `c-${i}`, `Container c-${i} runs privileged`),
    ),
  } as unknown as Report;
  const index = indexFindings(many);
  const filtered = filterFindings(index, { ...all, query: 'c-99' });
  assert.equal(filtered.length, 111);
  assert.equal(groupRows(index, new Set()).length, 10_001);
});

test('indexFindingsInTasks: the same index as indexFindings, built a chunk per pause, and then the one every screen gets', async () => {
  const many = {
    ...report,
    findings: Array.from({ length: 4500 }, (_, i) => finding('container.privileged', i % 2 ? 'fail' : 'pass', 'high', `c${i}`)),
  } as Report;
  let pauses = 0;
  const items = await indexFindingsInTasks(many, async () => void pauses++);
  assert.equal(pauses, 2, '4,500 findings: three chunks, two pauses between them');
  assert.equal(items.length, 4500);
  assert.equal(indexFindings(many), items, 'primed: the screens reuse it instead of indexing again');
  assert.deepEqual(
    items.map((i) => i.haystack),
    indexFindings({ ...many } as Report).map((i) => i.haystack),
  );
  assert.equal(
    await indexFindingsInTasks(report, async () => void pauses++),
    indexFindings(report),
    'an index built already is returned as is',
  );
});

test('what matters first: a critical warning above a medium failure, a failure above a warning of its severity, errors after every problem, the report sorted the same way', async () => {
  const { sortFindings } = await import('../../../main/report/build-report');
  const mixed = [
    finding('c.pass', 'pass', 'critical'),
    finding('c.error', 'error', 'critical'),
    finding('c.medium-fail', 'fail', 'medium'),
    finding('c.critical-warn', 'warn', 'critical'),
    finding('c.critical-fail', 'fail', 'critical'),
    finding('c.low-warn', 'warn', 'low'),
    { ...finding('c.waived-fail', 'fail', 'critical'), waiver: { reason: 'r', owner: 'o', expires: '2099-01-01' } } as Finding,
    finding('c.skipped', 'skipped', 'high'),
    finding('c.info', 'info', 'info'),
  ];
  const expected = [
    'c.critical-fail',
    'c.critical-warn',
    'c.medium-fail',
    'c.low-warn',
    'c.waived-fail',
    'c.error',
    'c.info',
    'c.pass',
    'c.skipped',
  ];
  assert.deepEqual(
    sortFindings(mixed).map((f) => f.id),
    expected,
    'the report (and the CLI text report) order',
  );
  const list = groupRows(indexFindings({ checks: [], findings: mixed } as unknown as Report), new Set()).filter(
    (r) => r.kind === 'finding',
  );
  assert.deepEqual(
    list.map((r) => r.kind === 'finding' && r.item.finding.id),
    expected,
    'the app list ranks the same way',
  );
});

test('isFixable: a failing or warning finding that carries a fix; a pass with a fix is not offered one', () => {
  const fix = { id: 'daemon.icc', params: {} };
  assert.ok(isFixable({ ...finding('daemon.icc', 'fail', 'medium'), result: { ...finding('daemon.icc', 'fail', 'medium').result, fix } }));
  assert.ok(!isFixable({ ...finding('daemon.icc', 'pass', 'medium'), result: { ...finding('daemon.icc', 'pass', 'medium').result, fix } }));
  assert.ok(!isFixable(finding('daemon.icc', 'fail', 'medium')));
});
