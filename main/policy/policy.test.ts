import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import { FactsSchema } from '../../shared/facts';
import { finding, findingsOf } from '../../test/support/findings';
import { put } from '../../test/support/rootfs';
import { evaluateFacts } from '../audit';
import { auditExitCode } from '../cli/program';
import { collectFacts } from '../collect/collect';
import { RootfsHost } from '../host/rootfs-host';
import type { BaselineReport } from '../report/baseline';
import { parsePolicy } from './load';
import { matches } from './requirements';

const DAEMON_JSON = `{
  "log-driver": "json-file",
  "dns": ["10.20.0.2", "10.20.0.3"],
  "insecure-registries": ["10.0.0.5:5000"],
  "log-opts": { "max-size": "10m", "max-file": "3" },
  "proxies": { "http-proxy": "http://proxy.corp:3128", "no-proxy": "localhost,.corp.example.com" }
}
`;

describe('a policy over a facts snapshot', () => {
  let root: string;
  let facts: Facts;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-policy-'));
    await put(root, '/etc/docker/daemon.json', DAEMON_JSON);
    await put(root, '/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --storage-driver vfs\n');
    await put(root, '/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
    await put(root, '/etc/group', 'root:x:0:\ndocker:x:999:\n');
    facts = await collectFacts({ host: new RootfsHost(root), root });
    facts.collectedAt = '2030-06-15T12:00:00.000Z';
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  const evaluate = (yaml: string, extra: { baseline?: BaselineReport } = {}) =>
    evaluateFacts(facts, { policy: parsePolicy(yaml, 'ci/policy.yaml'), ...extra });

  test('checks: categories and include select, exclude removes; the required-value check joins when values are required', () => {
    const report = evaluate(
      'version: 1\nchecks:\n  categories: [registry]\n  include: ["files.etc-docker.*"]\n  exclude: [files.etc-docker.mode]\nrequire:\n  daemon:\n    log-driver: journald\n',
    );
    const ids = report.checks.map((c) => c.id).sort();
    assert.ok(ids.includes('daemon.insecure-registries'));
    assert.ok(ids.includes('files.etc-docker.owner'));
    assert.ok(!ids.includes('files.etc-docker.mode'));
    assert.ok(!ids.includes('daemon.live-restore'));
    assert.ok(ids.includes('policy.required-value'));
    assert.ok(report.findings.every((f) => ids.includes(f.checkId)));
    assert.equal(report.policy?.checksSelected, ids.length);
  });

  test('required values: judged on the configuration, with the file and line of the value and of the policy', () => {
    const report = evaluate(
      [
        'version: 1',
        'checks: { include: [daemon.log-rotation] }',
        'require:',
        '  daemon:',
        '    log-driver: journald',
        '    dns: [10.20.0.2, 10.20.0.3]',
        '    storage-driver: overlay2',
        '    userns-remap: { present: true }',
        '    log-opts: { includes: { max-size: 10m } }',
        '    live-restore: false',
        '  no-proxy: [corp.example.com, .corp.example.com]',
      ].join('\n'),
    );
    const logDriver = finding(report, 'policy.required-value:log-driver');
    assert.equal(logDriver.result.status, 'fail');
    assert.equal(logDriver.severity, 'high');
    assert.equal(logDriver.result.message, 'log-driver is json-file; the policy requires journald.');
    assert.deepEqual(
      logDriver.result.evidence.map((e) => e.source),
      [
        { kind: 'file', path: '/etc/docker/daemon.json', line: 2, column: 3 },
        { kind: 'file', path: 'ci/policy.yaml', line: 5 },
      ],
    );
    assert.equal(finding(report, 'policy.required-value:dns').result.status, 'pass');
    const storage = finding(report, 'policy.required-value:storage-driver');
    assert.equal(storage.result.status, 'fail', 'the unit flag wins over daemon.json, as dockerd would');
    assert.equal(storage.result.evidence[0]!.label, 'storage-driver (dockerd flag)');
    assert.deepEqual(storage.result.evidence[0]!.source, { kind: 'file', path: '/lib/systemd/system/docker.service', line: 2 });
    assert.equal(
      finding(report, 'policy.required-value:userns-remap').result.message,
      'userns-remap is not set (not set); the policy requires set (any value).',
    );
    assert.equal(finding(report, 'policy.required-value:log-opts').result.status, 'pass');
    const liveRestore = finding(report, 'policy.required-value:live-restore');
    assert.equal(liveRestore.result.status, 'pass', "an unset key holds dockerd's default");
    assert.equal(liveRestore.result.evidence[0]!.source.kind, 'default');
    const noProxy = finding(report, 'policy.required-value:no-proxy');
    assert.equal(noProxy.result.status, 'fail', '.corp.example.com covers the subdomains only, not corp.example.com itself');
    assert.match(noProxy.result.message, /does not cover corp\.example\.com\.$/);
    assert.deepEqual(noProxy.result.evidence[0]!.source, { kind: 'file', path: '/etc/docker/daemon.json', line: 6, column: 56 });
  });

  test('matchers: equals (text and typed values agree), lists in order, includes, oneOf, present', () => {
    assert.ok(matches('true', true).ok, 'a flag says "true" where JSON says true');
    assert.ok(matches(['journald'], 'journald').ok, 'a flag given once is a one-item list');
    assert.ok(!matches(['10.0.0.3', '10.0.0.2'], ['10.0.0.2', '10.0.0.3']).ok, 'DNS servers in another order are another configuration');
    assert.ok(matches(['a', 'b', 'c'], { includes: ['c', 'a'] }).ok);
    assert.ok(!matches(['a'], { includes: ['b'] }).ok);
    assert.ok(matches({ 'max-size': '10m', 'max-file': '3' }, { includes: { 'max-size': '10m' } }).ok);
    assert.ok(!matches({ 'max-size': '10m', 'max-file': '3' }, { equals: { 'max-size': '10m' } }).ok);
    assert.ok(matches('overlay2', { oneOf: ['overlay2', 'btrfs'] }).ok);
    assert.ok(!matches('', { present: true }).ok);
    assert.ok(!matches({}, { present: true }).ok);
    assert.ok(matches('default', { present: true }).ok);
  });

  test('severity overrides apply to findings (the check metadata keeps its default)', () => {
    const report = evaluate(
      'version: 1\nchecks: { include: [daemon.insecure-registries] }\nseverity:\n  daemon.insecure-registries: critical\n',
    );
    assert.equal(finding(report, 'daemon.insecure-registries:10.0.0.5:5000').severity, 'critical');
    assert.equal(report.checks.find((c) => c.id === 'daemon.insecure-registries')?.severity, 'high');
    assert.deepEqual(report.policy?.severityOverrides, { 'daemon.insecure-registries': 'critical' });
    assert.equal(auditExitCode(report, 'critical'), 1);
  });

  const WAIVERS = `version: 1
checks: { include: [daemon.insecure-registries, daemon.live-restore, daemon.experimental, container.privileged, daemon.icc] }
waivers:
  - check: daemon.insecure-registries
    reason: lab mirror
    owner: platform-team
    expires: 2030-06-15
  - check: daemon.live-restore
    reason: restarts are fine on build hosts
    owner: ci-team
    expires: 2030-06-14
  - check: daemon.experimental
    reason: was on for buildx
    owner: ci-team
    expires: 2031-01-01
  - check: container.privileged
    target: "build-*"
    reason: image builders
    owner: ci-team
    expires: 2031-01-01
  - check: daemon.icc
    target: "nothing-*"
    reason: wrong target
    owner: ci-team
    expires: 2031-01-01
`;

  test('waivers: a live one marks its findings (still failing) and takes them out of --fail-on', () => {
    const report = evaluate(WAIVERS);
    const insecure = finding(report, 'daemon.insecure-registries:10.0.0.5:5000');
    assert.equal(insecure.result.status, 'fail', 'a waiver accepts the problem; it does not hide it');
    assert.deepEqual(
      insecure.waiver,
      { reason: 'lab mirror', owner: 'platform-team', expires: '2030-06-15', source: { kind: 'file', path: 'ci/policy.yaml', line: 4 } },
      'valid through its expiry day',
    );
    assert.equal(report.summary.waived, 1);
    assert.equal(auditExitCode(report, 'high'), 0, 'the only high failure is waived; the rest are below high');
    assert.equal(
      auditExitCode(evaluate(WAIVERS.replace('expires: 2030-06-15', 'expires: 2030-06-14')), 'high'),
      1,
      'a day later it counts again',
    );
  });

  test('waivers: expired ones stop applying and are reported; stale ones are reported; unevaluated ones are neither', () => {
    const report = evaluate(WAIVERS);
    const liveRestore = finding(report, 'daemon.live-restore');
    assert.equal(liveRestore.result.status, 'fail');
    assert.equal(liveRestore.waiver, undefined, 'expired: it no longer applies');
    const expired = finding(report, 'policy.waiver-expired:daemon.live-restore');
    assert.equal(expired.result.status, 'warn');
    assert.equal(
      expired.result.message,
      'The waiver for daemon.live-restore (owner ci-team) expired on 2030-06-14: its 1 finding counts again.',
    );
    assert.deepEqual(expired.result.evidence[0]!.source, { kind: 'file', path: 'ci/policy.yaml', line: 8 });
    assert.deepEqual(expired.result.evidence[1]!.value, ['daemon.live-restore']);
    const stale = finding(report, 'policy.waiver-stale:daemon.experimental');
    assert.match(stale.result.message, /matches no failing or warning finding: it is stale\.$/);
    finding(report, 'policy.waiver-stale:daemon.icc:nothing-*');
    assert.equal(findingsOf(report, 'policy.waiver-stale').length, 2);
    const states = Object.fromEntries(report.policy!.waivers.map((w) => [`${w.check}${w.target ? `:${w.target}` : ''}`, w.state]));
    assert.deepEqual(states, {
      'daemon.insecure-registries': 'applied',
      'daemon.live-restore': 'expired',
      'daemon.experimental': 'stale',
      'container.privileged:build-*': 'not-evaluated',
      'daemon.icc:nothing-*': 'stale',
    });
    assert.deepEqual(
      report.checks
        .filter((c) => c.category === 'policy')
        .map((c) => c.id)
        .sort(),
      ['policy.waiver-expired', 'policy.waiver-stale'],
    );
  });

  test('thresholds reach the disk checks as their options', () => {
    const report = evaluate(
      'version: 1\nchecks: { include: [disk.data-root-space] }\nthresholds:\n  disk-free-percent: 100\n  disk-free-gib: 1000000\n',
    );
    const space = finding(report, 'disk.data-root-space');
    assert.equal(space.result.status, 'warn', 'nothing is 100% free');
    assert.ok(
      space.result.evidence.some(
        (e) => e.label === 'warning threshold' && e.source.kind === 'user' && e.source.detail.startsWith('option diskWarn'),
      ),
    );
  });

  test('a baseline: problems are new or unchanged, a former problem that passes is fixed, a vanished one is gone', () => {
    const policy = 'version: 1\nchecks: { include: [daemon.insecure-registries, daemon.live-restore, daemon.experimental] }\n';
    const baseline: BaselineReport = {
      path: 'before.json',
      schemaVersion: '1.0.0',
      generatedAt: '2030-06-01T00:00:00Z',
      findings: [
        { id: 'daemon.live-restore', checkId: 'daemon.live-restore', severity: 'low', result: { status: 'fail', message: 'off' } },
        { id: 'daemon.experimental', checkId: 'daemon.experimental', severity: 'low', result: { status: 'fail', message: 'on' } },
        {
          id: 'container.privileged:old',
          checkId: 'container.privileged',
          severity: 'high',
          result: { status: 'fail', message: 'http://u:pw@x:1 old privileged' },
        },
      ],
    };
    const report = evaluate(policy, { baseline });
    assert.equal(finding(report, 'daemon.insecure-registries:10.0.0.5:5000').baseline, 'new');
    assert.equal(finding(report, 'daemon.live-restore').baseline, 'unchanged');
    assert.equal(finding(report, 'daemon.experimental').baseline, 'fixed');
    assert.deepEqual(report.baseline, {
      path: 'before.json',
      generatedAt: '2030-06-01T00:00:00Z',
      new: 1,
      unchanged: 1,
      fixed: 2,
      gone: [
        { id: 'container.privileged:old', checkId: 'container.privileged', severity: 'high', message: 'http://****@x:1 old privileged' },
      ],
    });
  });

  test('a snapshot saved and read back gives the same findings (waivers judged as of the snapshot)', () => {
    const policy = parsePolicy(WAIVERS, 'ci/policy.yaml');
    const again = FactsSchema.parse(JSON.parse(JSON.stringify(facts)));
    assert.deepEqual(evaluateFacts(again, { policy }).findings, evaluateFacts(facts, { policy }).findings);
  });
});
