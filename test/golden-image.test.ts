import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Log } from 'sarif';
import { type Report, ReportSchema } from '../shared/report';
import { screenshotHtml } from './support/chromium';
import { dockhand } from './support/cli';
import { importBusybox, type PrivateDockerd, runningDockerd } from './support/dockerd';
import { finding, findingsOf } from './support/findings';
import { parseValidJunit, sarifErrors } from './support/report-validators';
import { put } from './support/rootfs';

const run = promisify(execFile);

/** Where the HTML report's screenshot goes (gitignored): a person looks at it to see the report reads well. */
const ARTIFACTS = path.resolve(import.meta.dirname, '../test-results/golden-image');

const PROXY_PASSWORD = 's3cr3tPass';
const REGISTRY_TOKEN = Buffer.from('ci-bot:Tok3nSecret').toString('base64');

/**
 * A server image as platform teams get it wrong: TCP without TLS in a drop-in, json-file logs, Google DNS, a proxy
 * password, a plaintext registry login.
 */
const WEAK: Record<string, string> = {
  '/etc/docker/daemon.json': `{
  "log-driver": "json-file",
  "insecure-registries": ["10.0.0.5:5000"],
  "dns": ["8.8.8.8"],
  "proxies": {
    "http-proxy": "http://builder:${PROXY_PASSWORD}@proxy.corp:3128",
    "no-proxy": "localhost"
  }
}
`,
  '/lib/systemd/system/docker.service':
    '[Unit]\nDescription=Docker Application Container Engine\n\n[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n',
  '/etc/systemd/system/docker.service.d/10-remote.conf':
    '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2375\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n',
  '/etc/group': 'root:x:0:\ndocker:x:999:alice,bob\nalice:x:1000:\nbob:x:1001:\n',
  '/root/.docker/config.json': JSON.stringify({ auths: { 'registry.corp.example.com': { auth: REGISTRY_TOKEN } } }, null, 2),
  '/etc/resolv.conf': 'nameserver 10.20.0.2\n',
};

/** The same image done right, but for one insecure registry the policy waives. */
const HARDENED: Record<string, string> = {
  '/etc/docker/daemon.json': `${JSON.stringify(
    {
      'log-driver': 'journald',
      'storage-driver': 'overlay2',
      'userns-remap': 'default',
      dns: ['10.20.0.2', '10.20.0.3'],
      'live-restore': true,
      icc: false,
      'no-new-privileges': true,
      'userland-proxy': false,
      'insecure-registries': ['10.0.0.5:5000'],
      proxies: { 'http-proxy': 'http://proxy.corp:3128', 'no-proxy': 'localhost,corp.example.com' },
    },
    null,
    2,
  )}\n`,
  '/lib/systemd/system/docker.service':
    '[Unit]\nDescription=Docker Application Container Engine\n\n[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\ndockremap:x:999:999::/nonexistent:/usr/sbin/nologin\n',
  '/etc/group': 'root:x:0:\ndocker:x:998:\ndockremap:x:999:\n',
  '/etc/subuid': 'dockremap:100000:65536\n',
  '/etc/subgid': 'dockremap:100000:65536\n',
  '/etc/resolv.conf': 'nameserver 10.20.0.2\nnameserver 10.20.0.3\n',
};

const POLICY = `# Golden image policy for build hosts
version: 1
checks:
  exclude: ["host.auditd-docker", "disk.*", daemon.data-root-filesystem]
severity:
  daemon.live-restore: high
require:
  daemon:
    log-driver: journald
    storage-driver: overlay2
    dns: [10.20.0.2, 10.20.0.3]
    userns-remap: { present: true }
  no-proxy: [corp.example.com]
waivers:
  - check: daemon.insecure-registries
    reason: lab mirror until its certificate lands
    owner: platform-team
    expires: 2099-12-31
  - check: client.plaintext-credentials
    reason: CI robot account, moving to a credential helper
    owner: ci-team
    expires: 2021-03-31
  - check: daemon.experimental
    reason: buildx needed it once
    owner: ci-team
    expires: 2099-12-31
`;

/** Builds an image carrying `files` on the private daemon, exports a container of it and unpacks it: the root to audit. */
async function buildAndUnpack(daemon: PrivateDockerd, work: string, name: string, files: Record<string, string>): Promise<string> {
  const context = path.join(work, `${name}-context`);
  for (const [file, text] of Object.entries(files)) await put(path.join(context, 'rootfs'), file, text);
  await fs.writeFile(path.join(context, 'Dockerfile'), 'FROM dockhand-test/busybox:1\nCOPY rootfs/ /\n');
  await daemon.docker(['build', '-q', '-t', `golden/${name}:1`, context]);
  await daemon.docker(['create', '--name', `golden-${name}`, `golden/${name}:1`]);
  const tar = path.join(work, `${name}.tar`);
  await daemon.docker(['export', '-o', tar, `golden-${name}`]);
  const root = path.join(work, name);
  await fs.mkdir(root);
  await run('tar', ['-xf', tar, '-C', root]);
  return root;
}

describe('golden image: a real image, exported and unpacked, audited offline with a policy', () => {
  let daemon: PrivateDockerd;
  let work: string;
  let weak: string;
  let hardened: string;
  let policy: string;
  const out = (name: string) => path.join(work, name);
  const audit = (root: string, args: string[]) => dockhand(['audit', '--root', root, '--policy', policy, ...args]);
  const jsonReport = async (file: string): Promise<Report> => ReportSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));

  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    await importBusybox(daemon);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-golden-'));
    weak = await buildAndUnpack(daemon, work, 'weak', WEAK);
    hardened = await buildAndUnpack(daemon, work, 'hardened', HARDENED);
    policy = out('policy.yaml');
    await fs.writeFile(policy, POLICY);
  });
  after(async () => {
    await daemon?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('the unpacked image holds the files the Dockerfile put there (and busybox)', async () => {
    assert.equal(await fs.readFile(path.join(weak, 'etc/docker/daemon.json'), 'utf8'), WEAK['/etc/docker/daemon.json']);
    assert.ok((await fs.stat(path.join(weak, 'bin/busybox'))).isFile());
  });

  test('the weak image: expected findings with root-relative evidence, waivers applied, the expired one reported, exit 1 at critical', async () => {
    const r = await audit(weak, ['--format', 'json', '--output', out('weak.json'), '--fail-on', 'critical']);
    assert.equal(r.code, 1, r.stderr);
    const report = await jsonReport(out('weak.json'));
    assert.equal(report.mode, 'offline-root');
    const tcp = finding(report, 'daemon.tcp-without-tls');
    assert.equal(tcp.result.status, 'fail');
    assert.deepEqual(tcp.result.evidence[0]!.source, {
      kind: 'file',
      path: '/etc/systemd/system/docker.service.d/10-remote.conf',
      line: 3,
    });
    const logDriver = finding(report, 'policy.required-value:log-driver');
    assert.equal(logDriver.result.status, 'fail');
    assert.deepEqual(logDriver.result.evidence[0]!.source, { kind: 'file', path: '/etc/docker/daemon.json', line: 2, column: 3 });
    for (const key of ['dns', 'storage-driver', 'userns-remap', 'no-proxy'])
      assert.equal(finding(report, `policy.required-value:${key}`).result.status, 'fail', key);
    assert.deepEqual(
      findingsOf(report, 'access.docker-group').map((f) => f.id),
      ['access.docker-group:alice', 'access.docker-group:bob'],
      "the docker group's members, from the image's /etc/group",
    );
    // Waivers: one applies, one expired (its finding counts again), one matches nothing.
    const insecure = finding(report, 'daemon.insecure-registries:10.0.0.5:5000');
    assert.equal(insecure.result.status, 'fail');
    assert.equal(insecure.waiver?.owner, 'platform-team');
    const credentials = findingsOf(report, 'client.plaintext-credentials');
    assert.ok(
      credentials.some((f) => f.result.status === 'fail' && !f.waiver),
      'the expired waiver no longer covers the plaintext login',
    );
    assert.match(
      finding(report, 'policy.waiver-expired:client.plaintext-credentials').result.message,
      /expired on 2021-03-31: its 1 finding counts again/,
    );
    finding(report, 'policy.waiver-stale:daemon.experimental');
    assert.deepEqual(
      report.policy?.waivers.map((w) => w.state),
      ['applied', 'expired', 'stale'],
    );
    // Checks that need a running daemon say so.
    const privileged = finding(report, 'container.privileged');
    assert.equal(privileged.result.status, 'skipped');
    assert.match(privileged.result.reason!, /auditing an offline root filesystem: there is no daemon to talk to/);
    // Every evidence path into the image is the path inside the image (the policy file is named as it was given).
    for (const f of report.findings) {
      for (const e of f.result.evidence)
        if (e.source.kind === 'file' && e.source.path !== policy) assert.ok(!e.source.path.includes(weak), `${f.id}: ${e.source.path}`);
    }
    assert.equal(report.findings.filter((f) => f.result.status === 'error').length, 0, 'nothing is left unevaluated on a complete image');
  });

  test('exit codes: 0 when nothing at or above --fail-on remains after waivers, 1 when the waiver goes, 2 on a policy error', async () => {
    const hardenedRun = await audit(hardened, ['--format', 'json', '--output', out('hardened.json'), '--fail-on', 'high']);
    const report = await jsonReport(out('hardened.json'));
    const open = report.findings.filter((f) => f.result.status === 'fail' && !f.waiver).map((f) => `${f.id} ${f.severity}`);
    assert.equal(hardenedRun.code, 0, `still failing: ${open.join(', ')}\n${hardenedRun.stderr}`);
    assert.equal(finding(report, 'daemon.insecure-registries:10.0.0.5:5000').waiver?.reason, 'lab mirror until its certificate lands');
    for (const key of ['log-driver', 'storage-driver', 'dns', 'userns-remap', 'no-proxy'])
      assert.equal(finding(report, `policy.required-value:${key}`).result.status, 'pass', key);

    const unwaived = out('unwaived.yaml');
    await fs.writeFile(unwaived, POLICY.replace('expires: 2099-12-31\n  - check: client', 'expires: 2024-01-31\n  - check: client'));
    const withoutWaiver = await dockhand(['audit', '--root', hardened, '--policy', unwaived, '--format', 'json', '--fail-on', 'high']);
    assert.equal(withoutWaiver.code, 1, 'the insecure registry (high) counts once its waiver expired');

    const broken = out('broken.yaml');
    await fs.writeFile(
      broken,
      'version: 1\nwaivers:\n  - check: daemon.insecure-registries\n    reason: r\n    owner: o\n    expires: someday\n',
    );
    const bad = await dockhand(['audit', '--root', hardened, '--policy', broken]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, `dockhand: ${broken}:6: waivers[0].expires: expected a date as YYYY-MM-DD\n`);
    assert.equal(bad.stdout, '');

    const missingRoot = await dockhand(['audit', '--root', out('no-such-dir')]);
    assert.equal(missingRoot.code, 2);
    assert.match(missingRoot.stderr, /--root .*no-such-dir: not a directory/);
    assert.equal((await dockhand(['audit', '--root', hardened, '--host', daemon.host])).code, 2, '--root and --host exclude each other');
  });

  test('SARIF: valid against the official 2.1.0 schema; rules with help and CIS; results located in the image files; waivers as suppressions', async () => {
    const r = await audit(weak, ['--format', 'sarif', '--output', out('weak.sarif')]);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(await fs.readFile(out('weak.sarif'), 'utf8')) as Log;
    assert.deepEqual(sarifErrors(log), []);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0]!;
    const rule = run.tool.driver.rules!.find((x) => x.id === 'daemon.tcp-without-tls')!;
    assert.equal(rule.properties?.cis, '2.7');
    assert.match(rule.help!.text, /Remove the tcp:\/\/ entry/);
    assert.match(rule.help!.text, /CIS Docker Benchmark v1\.6\.0 2\.7/);
    const tcp = run.results!.find((x) => x.ruleId === 'daemon.tcp-without-tls')!;
    assert.equal(tcp.level, 'error');
    assert.deepEqual(tcp.locations![0]!.physicalLocation, {
      artifactLocation: { uri: 'etc/systemd/system/docker.service.d/10-remote.conf', uriBaseId: 'ROOTFS' },
      region: { startLine: 3 },
    });
    const logDriver = run.results!.find((x) => x.partialFingerprints?.['dockhandFindingId/v1'] === 'policy.required-value:log-driver')!;
    assert.deepEqual(logDriver.locations![0]!.physicalLocation?.artifactLocation, { uri: 'etc/docker/daemon.json', uriBaseId: 'ROOTFS' });
    assert.deepEqual(logDriver.locations![0]!.physicalLocation?.region, { startLine: 2, startColumn: 3 });
    assert.ok(
      logDriver.relatedLocations?.some(
        (l) => l.physicalLocation?.artifactLocation?.uri === `file://${policy}` && l.physicalLocation.region?.startLine === 9,
      ),
      'the policy line is a related location',
    );
    const insecure = run.results!.find((x) => x.ruleId === 'daemon.insecure-registries')!;
    assert.equal(insecure.suppressions?.[0]?.status, 'accepted');
    assert.match(
      insecure.suppressions![0]!.justification!,
      /lab mirror until its certificate lands \(owner platform-team, until 2099-12-31\)/,
    );
    for (const result of run.results!) {
      for (const l of [...(result.locations ?? []), ...(result.relatedLocations ?? [])])
        assert.ok(!l.physicalLocation?.artifactLocation?.uri?.includes(weak.slice(1)), 'paths are relative to the root');
    }
  });

  test('JUnit: valid against the Jenkins JUnit schema; a suite per category, a case per check; failures carry evidence, skipped ones say why', async () => {
    const r = await audit(weak, ['--format', 'junit', '--output', out('weak.xml')]);
    assert.equal(r.code, 0, r.stderr);
    const doc = parseValidJunit(await fs.readFile(out('weak.xml'), 'utf8'));
    try {
      const suites = doc
        .find('/testsuites/testsuite')
        .map((n) => (n as unknown as { attr(name: string): { value: string } | null }).attr('name')!.value);
      assert.ok(
        suites.includes('dockhand.access') && suites.includes('dockhand.policy') && suites.includes('dockhand.container-runtime'),
        suites.join(', '),
      );
      assert.equal(new Set(suites).size, suites.length, 'one suite per category');
      const text = (xpath: string) => doc.get(xpath)?.content ?? '';
      const tcpFailure = "//testcase[starts-with(@name, 'daemon.tcp-without-tls:')]/failure";
      assert.match(text(tcpFailure), /tcp:\/\/0\.0\.0\.0:2375/);
      assert.match(text(tcpFailure), /\/etc\/systemd\/system\/docker\.service\.d\/10-remote\.conf:3/);
      assert.match(text(`${tcpFailure}/@message`), /listens on tcp:\/\/0\.0\.0\.0:2375 without TLS/);
      assert.match(text(`${tcpFailure}/@type`), /^critical fail$/);
      assert.match(text("//testcase[starts-with(@name, 'container.privileged:')]/skipped/@message"), /auditing an offline root filesystem/);
      assert.match(
        text("//testcase[starts-with(@name, 'daemon.insecure-registries:')]/skipped/@message"),
        /^waived: daemon\.insecure-registries:10\.0\.0\.5:5000 \(waived until 2099-12-31 by platform-team/,
      );
      assert.equal(doc.find("//testcase[starts-with(@name, 'daemon.tcp-without-tls:')]").length, 1, 'one case per check');
    } finally {
      doc.dispose();
    }
  });

  test('HTML: one self-contained page a person can read and print; screenshot taken in Chromium', async () => {
    const r = await audit(weak, ['--format', 'html', '--output', out('weak.html')]);
    assert.equal(r.code, 0, r.stderr);
    const html = await fs.readFile(out('weak.html'), 'utf8');
    assert.doesNotMatch(html, /<script|<link|<img|src=|url\(/i, 'no scripts and no external assets');
    const png = path.join(ARTIFACTS, 'weak-report.png');
    const page = await screenshotHtml(out('weak.html'), png);
    assert.deepEqual(page.externalRequests, []);
    assert.ok((await fs.stat(png)).size > 20_000);
    assert.ok(page.pdfBytes > 10_000, 'it prints');
    assert.match(page.text, /Docker host audit/);
    assert.match(page.text, /Findings by severity/);
    assert.match(page.text, /critical \(1\)/i);
    assert.match(page.text, /tcp:\/\/0\.0\.0\.0:2375/);
    assert.match(page.text, /Waived until 2099-12-31 by platform-team/);
    assert.match(page.text, /Fix: Remove the tcp:\/\/ entry/);
    assert.ok(page.text.indexOf('daemon.tcp-without-tls') < page.text.indexOf('policy.required-value:log-driver'), 'critical before high');
  });

  test('Markdown: short enough for a pull-request comment, most severe first', async () => {
    const r = await audit(weak, ['--format', 'markdown']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length < 10_000, `${r.stdout.length} characters`);
    const rows = r.stdout.split('\n').filter((l) => /^\| (\*\*FAIL\*\*|WARN) /.test(l));
    assert.match(
      rows[0]!,
      /^\| \*\*FAIL\*\* \| critical \| `daemon\.tcp-without-tls` \|.*`\/etc\/systemd\/system\/docker\.service\.d\/10-remote\.conf:3` \|$/,
    );
    const severities = rows.filter((l) => !/waived until/.test(l)).map((l) => l.split(' | ')[1]!);
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const fails = rows.filter((l) => l.startsWith('| **FAIL**') && !/waived until/.test(l)).map((l) => order.indexOf(l.split(' | ')[1]!));
    assert.deepEqual(
      fails,
      [...fails].sort((a, b) => a - b),
      `failures by severity: ${severities.join(', ')}`,
    );
    assert.match(rows.at(-1)!, /waived until 2099-12-31/, 'waived findings come last');
  });

  test('credentials are masked in every format and in the facts snapshot', async () => {
    for (const format of ['json', 'sarif', 'junit', 'html', 'markdown', 'text']) {
      const r = await audit(weak, ['--format', format, '--verbose']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(PROXY_PASSWORD), `${format} shows the proxy password`);
      assert.ok(!r.stdout.includes(REGISTRY_TOKEN), `${format} shows the registry token`);
      if (format === 'json') assert.match(r.stdout, /http:\/\/\*\*\*\*@proxy\.corp/);
    }
    await audit(weak, ['--format', 'json', '--facts-out', out('weak-facts.json')]);
    const facts = await fs.readFile(out('weak-facts.json'), 'utf8');
    assert.ok(!facts.includes(PROXY_PASSWORD) && !facts.includes(REGISTRY_TOKEN));
  });

  test('--facts-out then --facts-in gives the same findings, offline and from a live daemon', async () => {
    const first = await audit(weak, ['--format', 'json', '--output', out('a.json'), '--facts-out', out('facts.json')]);
    assert.equal(first.code, 0, first.stderr);
    const again = await dockhand([
      'audit',
      '--facts-in',
      out('facts.json'),
      '--policy',
      policy,
      '--format',
      'json',
      '--output',
      out('b.json'),
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((await jsonReport(out('b.json'))).findings, (await jsonReport(out('a.json'))).findings);

    await daemon.docker(['create', '--name', 'build-1', '--privileged', 'dockhand-test/busybox:1']);
    const live = await dockhand([
      'audit',
      '--host',
      daemon.host,
      '--format',
      'json',
      '--output',
      out('live.json'),
      '--facts-out',
      out('live-facts.json'),
    ]);
    assert.ok([0, 4].includes(live.code!), live.stderr);
    const replay = await dockhand(['audit', '--facts-in', out('live-facts.json'), '--format', 'json', '--output', out('replay.json')]);
    assert.equal(replay.code, live.code);
    assert.deepEqual((await jsonReport(out('replay.json'))).findings, (await jsonReport(out('live.json'))).findings);
    assert.ok(
      (await jsonReport(out('replay.json'))).findings.some((f) => f.result.target === 'build-1'),
      'the container is in the replayed snapshot',
    );

    await fs.writeFile(out('not-facts.json'), '{"schemaVersion": 1}');
    const wrong = await dockhand(['audit', '--facts-in', out('not-facts.json')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--facts-in .*not-facts\.json: not a Dockhand facts snapshot: /);
  });

  test('--baseline: the hardened image against the weak one marks findings fixed, unchanged and new', async () => {
    await audit(weak, ['--format', 'json', '--output', out('baseline.json')]);
    const r = await audit(hardened, ['--format', 'json', '--output', out('compared.json'), '--baseline', out('baseline.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = await jsonReport(out('compared.json'));
    assert.equal(finding(report, 'daemon.tcp-without-tls').baseline, 'fixed');
    assert.equal(finding(report, 'policy.required-value:log-driver').baseline, 'fixed');
    assert.equal(finding(report, 'daemon.insecure-registries:10.0.0.5:5000').baseline, 'unchanged');
    assert.ok(report.baseline!.fixed >= 5);
    assert.ok(
      report.baseline!.gone.some((g) => g.id === 'policy.waiver-expired:client.plaintext-credentials') ||
        report.findings.some((f) => f.id === 'policy.waiver-expired:client.plaintext-credentials'),
    );
    const md = await audit(hardened, ['--format', 'markdown', '--baseline', out('baseline.json')]);
    assert.match(md.stdout, /Since the baseline: \*\*\d+ new\*\* · \d+ unchanged · \d+ fixed/);
    const bad = await audit(hardened, ['--baseline', out('weak.xml')]);
    assert.equal(bad.code, 2);
  });
});
