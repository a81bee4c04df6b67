import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before } from 'node:test';
import type { Report } from '../shared/report';
import { ReportSchema } from '../shared/report';
import { type Facts, FactsSchema } from '../shared/facts';
import { forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../test/support/dockerd';
import { finding, findingsOf } from '../test/support/findings';
import { evaluateFacts, runAudit } from './audit';
import { LocalHost } from './host/local-host';

const audit = (daemon: PrivateDockerd) => runAudit({ host: new LocalHost(), endpoint: { host: daemon.host } });

forEachEngine('audit against a real dockerd', (engine, test) => {
  const start = (daemonJson: object): Promise<PrivateDockerd> => runningDockerd({ engine, daemonJson, privilegedWrapper: true });
  let weak: PrivateDockerd;
  let hardened: PrivateDockerd;
  let weakReport: Report;
  let hardenedReport: Report;
  let weakFacts: Facts;

  before(async () => {
    // One after the other, so a daemon that fails to start does not leave the other one running.
    weak = await start({ 'insecure-registries': ['reg.local:5000'], debug: true });
    hardened = await start({ 'log-opts': { 'max-size': '10m', 'max-file': '3' }, 'live-restore': true, icc: false });
    const image = await importBusybox(weak);
    await importBusybox(hardened);
    await weak.docker(['run', '-d', '--name', 'priv-running', '--privileged', image]);
    await weak.docker(['create', '--name', 'priv-created', '--privileged', image]);
    await weak.docker(['run', '-d', '--name', 'sock', '-v', `${weak.socket}:/var/run/docker.sock`, image]);
    await weak.docker(['run', '-d', '--name', 'runlike', '-v', '/run:/host-run:ro', image]);
    await weak.docker(['run', '-d', '--name', 'plain', image]);
    await hardened.docker(['run', '-d', '--name', 'plain', '--read-only', image]);
    const [w, h] = await Promise.all([audit(weak), audit(hardened)]);
    [weakReport, weakFacts, hardenedReport] = [w.report, w.facts, h.report];
  });
  after(async () => {
    await Promise.all([weak?.stop(), hardened?.stop()]);
  });

  test('the report matches its schema and names the endpoint and daemon.json', () => {
    ReportSchema.parse(weakReport);
    assert.equal(weakReport.endpoint?.host, weak.host);
    assert.match(weakReport.endpoint!.reason, /--host/);
    assert.equal(weakReport.daemonConfig?.path, weak.configPath);
    assert.equal(weakReport.daemonConfig?.foundBy, 'process-flag');
    assert.ok(weakReport.host.engineVersion?.startsWith(`${engine}.`), `${weakReport.host.engineVersion} is Engine ${engine}`);
  });

  test('daemon.config.valid passes for a file dockerd started with, host-dependent flags judged by the host facts', () => {
    // Every test engine is given --userland-proxy-path (its own docker-proxy), which dockerd checks on the host: the
    // audit asked the host and keeps the answer, so it is a verdict, not a warning about what dockerd will check.
    for (const report of [weakReport, hardenedReport]) {
      const valid = finding(report, 'daemon.config.valid').result;
      assert.equal(valid.status, 'pass', `${valid.message}\n${JSON.stringify(valid.evidence)}`);
    }
    const hostFacts = weakFacts.daemonHostFacts;
    assert.ok(hostFacts?.ok, JSON.stringify(hostFacts));
    const proxy = weakFacts.daemonFlags.ok
      ? weakFacts.daemonFlags.value.args[weakFacts.daemonFlags.value.args.indexOf('--userland-proxy-path') + 1]
      : undefined;
    // dockerd checks the path from 25.0 only (the rule's range), so 20.10's pre-flight never asks.
    assert.deepEqual(hostFacts.value.answers.isExecutable, engine === '20.10' ? {} : { [proxy!]: true });
    assert.equal(hostFacts.value.pid, weakFacts.daemonProcess.ok ? weakFacts.daemonProcess.value.pid : null);
    // The snapshot as saved (--facts-out) validates, with the new fact in it.
    assert.ok(FactsSchema.parse(JSON.parse(JSON.stringify(weakFacts))).daemonHostFacts?.ok);
  });

  test('daemon.log-rotation', () => {
    const weakRotation = finding(weakReport, 'daemon.log-rotation');
    assert.equal(weakRotation.result.status, 'fail');
    assert.deepEqual(weakRotation.result.fix, { id: 'daemon.log-rotation', params: { 'max-size': '10m', 'max-file': '3' } });
    const good = finding(hardenedReport, 'daemon.log-rotation');
    assert.equal(good.result.status, 'pass');
    const logOpts = good.result.evidence.find((e) => e.label.startsWith('log-opts'))!;
    assert.deepEqual(logOpts.source, { kind: 'file', path: hardened.configPath, line: 2, column: 3 });
  });

  test('daemon.live-restore reads the running daemon', () => {
    assert.equal(finding(weakReport, 'daemon.live-restore').result.status, 'fail');
    const good = finding(hardenedReport, 'daemon.live-restore');
    assert.equal(good.result.status, 'pass');
    assert.deepEqual(good.result.evidence[0]!.source, { kind: 'api', call: 'GET /info' });
  });

  test('daemon.insecure-registries gives one finding per registry', () => {
    const bad = finding(weakReport, 'daemon.insecure-registries:reg.local:5000');
    assert.equal(bad.result.status, 'fail');
    assert.deepEqual(bad.result.fix, { id: 'daemon.insecure-registries', params: { remove: 'reg.local:5000' } });
    assert.equal(finding(hardenedReport, 'daemon.insecure-registries').result.status, 'pass');
  });

  test('daemon.icc reads the default bridge network', () => {
    assert.equal(finding(weakReport, 'daemon.icc').result.status, 'fail');
    assert.equal(finding(hardenedReport, 'daemon.icc').result.status, 'pass');
  });

  test('container.privileged: running fails, created warns, others pass', () => {
    assert.equal(finding(weakReport, 'container.privileged:priv-running').result.status, 'fail');
    assert.equal(finding(weakReport, 'container.privileged:priv-created').result.status, 'warn');
    assert.equal(findingsOf(weakReport, 'container.privileged').length, 2);
    const good = finding(hardenedReport, 'container.privileged');
    assert.equal(good.result.status, 'pass');
    assert.match(good.result.message, /1 containers/);
  });

  test('container.docker-socket-mount finds the socket and a directory holding it', () => {
    const sock = finding(weakReport, 'container.docker-socket-mount:sock');
    assert.equal(sock.result.status, 'fail');
    assert.equal(sock.severity, 'critical');
    assert.match(String(sock.result.evidence[0]!.value), new RegExp(`${weak.socket}:/var/run/docker.sock`));
    assert.equal(finding(weakReport, 'container.docker-socket-mount:runlike').result.status, 'fail');
    assert.equal(findingsOf(weakReport, 'container.docker-socket-mount').length, 2);
    assert.equal(finding(hardenedReport, 'container.docker-socket-mount').result.status, 'pass');
  });

  test('a daemon.json edited into a broken state after start fails daemon.config.valid with the position', async () => {
    const original = await fs.readFile(weak.configPath, 'utf8');
    try {
      await fs.writeFile(weak.configPath, '{\n  "insecure-registries": ["reg.local:5000"],\n  "log-driverr": "local"\n}\n');
      const { report } = await audit(weak);
      const valid = finding(report, 'daemon.config.valid');
      assert.equal(valid.result.status, 'fail');
      assert.match(valid.result.message, /line 3/);
      const problem = valid.result.evidence.find((e) => e.label.includes('log-driverr'))!;
      assert.deepEqual(problem.source, { kind: 'file', path: weak.configPath, line: 3, column: 3 });
      assert.match(String(problem.value), /did you mean 'log-driver'/);
    } finally {
      await fs.writeFile(weak.configPath, original);
    }
  });

  test('facts are collected once and re-evaluate to the same findings', async () => {
    const { facts, report } = await runAudit({ host: new LocalHost(), endpoint: { host: weak.host } });
    const roundTripped = FactsSchema.parse(JSON.parse(JSON.stringify(facts)));
    const again = evaluateFacts(roundTripped);
    assert.deepEqual(again.findings, report.findings);
    assert.equal(facts.containers.ok && facts.containers.value.length, 5);
    // systemd's own record of docker.service exists only where systemd is PID 1 (not on the test machines).
    const notHere = ['desktop', 'wsl', ...(existsSync('/run/systemd/system') ? [] : ['serviceUnitState'])];
    assert.ok(
      facts.collectors.every((c) => c.status === 'ok' || (c.status === 'skipped' && notHere.includes(c.name))),
      JSON.stringify(facts.collectors),
    );
  });
});
