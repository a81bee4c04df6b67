import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { forEachEngine, runningDockerd, type PrivateDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { localHostFacts } from '../preflight/host-facts';
import { daemonConfigValid } from './daemon';
import { DAEMON_HARDENING_CHECKS } from './daemon-hardening';
import { evaluateChecks } from './runner';

const statusOf = (findings: Finding[], id: string) => {
  const f = findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f.result.status;
};

forEachEngine('daemon hardening checks against a real dockerd', (engine, test) => {
  const start = (daemonJson: object, flags: string[] = []): Promise<PrivateDockerd> => runningDockerd({ engine, daemonJson, flags });
  let weak: PrivateDockerd;
  let hardened: PrivateDockerd;
  let weakFindings: Finding[];
  let hardenedFindings: Finding[];
  let hardenedFacts: Facts;
  before(async () => {
    // One after the other, so a daemon that fails to start does not leave the other one running.
    weak = await start(
      { experimental: true, 'log-level': 'debug', iptables: false, 'cgroup-parent': '/dockhand-test', 'storage-driver': 'vfs' },
      ['-H', 'tcp://127.0.0.1:2375'],
    );
    hardened = await start({
      'no-new-privileges': true,
      'userland-proxy': false,
      'default-ulimits': { nofile: { Name: 'nofile', Soft: 65536, Hard: 65536 } },
      'log-level': 'info',
      'log-driver': 'journald',
    });
    const findingsOf = async (d: PrivateDockerd) =>
      evaluateChecks(DAEMON_HARDENING_CHECKS, await collectFacts({ host: new LocalHost(), endpoint: { host: d.host } }));
    weakFindings = await findingsOf(weak);
    hardenedFacts = await collectFacts({ host: new LocalHost(), endpoint: { host: hardened.host } });
    hardenedFindings = evaluateChecks(DAEMON_HARDENING_CHECKS, hardenedFacts);
  });
  after(async () => {
    await Promise.all([weak?.stop(), hardened?.stop()]);
  });

  test('daemon.config.valid judges a host-dependent value by the host facts the audit collected (journald)', () => {
    const [valid] = evaluateChecks([daemonConfigValid], hardenedFacts);
    const evidence = JSON.stringify(valid!.result.evidence);
    assert.doesNotMatch(evidence, /dockerd checks this on the host/, 'a verdict, not what dockerd will check');
    if (localHostFacts().journald) return assert.doesNotMatch(evidence, /journald/);
    assert.equal(valid!.result.status, 'warn', valid!.result.message);
    assert.match(evidence, /containers will fail to start: the journald log driver needs systemd-journald, which is not running here/);
  });

  const cases: [string, string, string][] = [
    ['daemon.storage-driver', 'warn', 'pass'],
    ['daemon.tcp-without-tls', 'fail', 'pass'],
    ['daemon.userland-proxy', 'fail', 'pass'],
    ['daemon.no-new-privileges', 'fail', 'pass'],
    ['daemon.default-ulimits', 'info', 'pass'],
    ['daemon.experimental', 'fail', 'pass'],
    ['daemon.log-level', 'fail', 'pass'],
    ['daemon.iptables', 'fail', 'pass'],
    ['daemon.remote-logging', 'info', 'pass'],
    ['daemon.cgroup-parent', 'info', 'pass'],
  ];
  for (const [id, bad, good] of cases) {
    test(`${id}: ${bad} on the weak daemon, ${good} on the hardened one`, () => {
      assert.equal(statusOf(weakFindings, id), bad);
      assert.equal(statusOf(hardenedFindings, id), good);
    });
  }

  test('evidence points at the daemon.json line or the running daemon', () => {
    const seccomp = weakFindings.find((f) => f.id === 'daemon.seccomp')!;
    assert.equal(seccomp.result.status, 'pass');
    assert.deepEqual(seccomp.result.evidence[0]!.source, { kind: 'api', call: 'GET /info' });
    // /info names the engine's own profile "default" up to 20.10, "builtin" after: both are Docker's default profile.
    assert.match(JSON.stringify(seccomp.result.evidence[0]!.value), engine === '20.10' ? /profile=default/ : /profile=builtin/);
    assert.match(seccomp.result.message, /Docker's default seccomp profile/);
    const tcp = weakFindings.find((f) => f.id === 'daemon.tcp-without-tls')!;
    assert.match(tcp.result.message, /tcp:\/\/127\.0\.0\.1:2375 without TLS.*loopback only/);
    assert.equal(tcp.result.evidence[0]!.source.kind, 'process');
  });

  test('the sandbox has neither AppArmor nor SELinux: mac-profile warns with the security options as evidence', () => {
    const mac = hardenedFindings.find((f) => f.id === 'daemon.mac-profile')!;
    assert.equal(mac.result.status, 'warn');
    // The newer engines also list the daemon-wide no-new-privileges the hardened daemon.json sets.
    assert.deepEqual(
      mac.result.evidence[0]!.value,
      engine === '20.10' ? ['name=seccomp,profile=default'] : ['name=seccomp,profile=builtin', 'name=no-new-privileges'],
    );
    assert.equal(statusOf(hardenedFindings, 'daemon.swarm'), 'pass');
    assert.equal(statusOf(hardenedFindings, 'daemon.rootless'), 'info');
  });

  test('the data root of a private daemon is on a local filesystem', () => {
    assert.equal(statusOf(hardenedFindings, 'daemon.data-root-filesystem'), 'pass');
    assert.equal(statusOf(hardenedFindings, 'logging.docker-logs-readable'), 'pass');
  });

  /**
   * Daemon kinds this sandbox cannot run (AppArmor, rootless, userns-remap, swarm, a tmpfs data root): the real
   * snapshot with only the values these checks read changed, in the formats the Engine reports them.
   */
  test('what the checks say on daemons this sandbox cannot run', () => {
    const withInfo = (patch: object): Facts => ({
      ...hardenedFacts,
      info: {
        ...hardenedFacts.info,
        value: { ...(hardenedFacts.info.ok ? hardenedFacts.info.value : ({} as never)), ...patch },
      } as Facts['info'],
    });
    const apparmor = evaluateChecks(
      DAEMON_HARDENING_CHECKS,
      withInfo({ securityOptions: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=cgroupns'] }),
    );
    assert.equal(statusOf(apparmor, 'daemon.mac-profile'), 'pass');
    assert.equal(statusOf(apparmor, 'daemon.seccomp'), 'pass');
    const rootless = evaluateChecks(
      DAEMON_HARDENING_CHECKS,
      withInfo({ securityOptions: ['name=seccomp,profile=builtin', 'name=rootless', 'name=cgroupns'] }),
    );
    assert.equal(statusOf(rootless, 'daemon.rootless'), 'pass');
    for (const id of ['daemon.mac-profile', 'daemon.userland-proxy']) assert.equal(statusOf(rootless, id), 'skipped', id);
    const remapped = evaluateChecks(
      DAEMON_HARDENING_CHECKS,
      withInfo({ securityOptions: ['name=seccomp,profile=default', 'name=userns'] }),
    );
    assert.equal(statusOf(remapped, 'daemon.rootless'), 'pass');
    const swarm = evaluateChecks(DAEMON_HARDENING_CHECKS, withInfo({ swarmState: 'active' }));
    assert.equal(statusOf(swarm, 'daemon.swarm'), 'warn');
    const noSeccomp = evaluateChecks(DAEMON_HARDENING_CHECKS, withInfo({ securityOptions: [] }));
    assert.equal(statusOf(noSeccomp, 'daemon.seccomp'), 'fail');
    const overlayNoDtype = evaluateChecks(
      DAEMON_HARDENING_CHECKS,
      withInfo({
        driverStatus: [
          ['Backing Filesystem', 'xfs'],
          ['Supports d_type', 'false'],
        ],
      }),
    );
    assert.equal(statusOf(overlayNoDtype, 'daemon.storage-driver'), 'fail');
    const fs = hardenedFacts.dataRootFs;
    assert.ok(fs.ok, 'dataRootFs collected');
    const tmpfs = evaluateChecks(DAEMON_HARDENING_CHECKS, {
      ...hardenedFacts,
      dataRootFs: { ...fs, value: { ...fs.value, fsType: 'tmpfs', mountPoint: '/var/lib/docker' } },
    });
    const finding = tmpfs.find((f) => f.id === 'daemon.data-root-filesystem')!;
    assert.equal(finding.result.status, 'fail');
    assert.match(finding.result.message, /lost at reboot/);
    const none = evaluateChecks(DAEMON_HARDENING_CHECKS, withInfo({ loggingDriver: 'none' }));
    assert.equal(statusOf(none, 'logging.docker-logs-readable'), 'fail');
  });
});

describe('daemon hardening checks on an offline root filesystem', () => {
  let root: string;
  const write = async (p: string, text: string) => {
    await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
    await fs.writeFile(path.join(root, p), text);
  };
  const audit = async () => evaluateChecks(DAEMON_HARDENING_CHECKS, await collectFacts({ host: new RootfsHost(root) }));
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-harden-'));
    await write(
      '/lib/systemd/system/docker.service',
      '[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2376 --tlsverify --tlscacert=/etc/docker/ca.pem\n',
    );
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  test('tcp with --tlsverify passes; tcp with tls but no verify fails', async () => {
    await write('/etc/docker/daemon.json', '{"authorization-plugins": ["opa-docker-authz"]}');
    let findings = await audit();
    assert.equal(statusOf(findings, 'daemon.tcp-without-tls'), 'pass');
    assert.equal(statusOf(findings, 'daemon.authorization-plugins'), 'pass');
    await write('/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:2376 --tls\n');
    await write('/etc/docker/daemon.json', '{}');
    findings = await audit();
    const tcp = findings.find((f) => f.id === 'daemon.tcp-without-tls')!;
    assert.equal(tcp.result.status, 'fail');
    assert.match(tcp.result.message, /with TLS but without client verification/);
    assert.deepEqual(tcp.result.evidence[0]!.source, { kind: 'file', path: '/lib/systemd/system/docker.service', line: 2 });
    assert.equal(statusOf(findings, 'daemon.authorization-plugins'), 'info');
  });

  test('logging.docker-logs-readable: none and a disabled dual-logging cache fail, syslog with the cache passes', async () => {
    await write('/etc/docker/daemon.json', '{"log-driver": "syslog", "log-opts": {"cache-disabled": "true"}}');
    assert.equal(statusOf(await audit(), 'logging.docker-logs-readable'), 'fail');
    await write('/etc/docker/daemon.json', '{"log-driver": "syslog"}');
    assert.equal(statusOf(await audit(), 'logging.docker-logs-readable'), 'pass');
  });

  test('checks that need the running daemon are skipped offline, configuration ones still judge the file', async () => {
    await write('/etc/docker/daemon.json', '{"storage-driver": "devicemapper", "experimental": true, "seccomp-profile": "unconfined"}');
    const findings = await audit();
    assert.equal(statusOf(findings, 'daemon.seccomp'), 'fail');
    assert.equal(statusOf(findings, 'daemon.storage-driver'), 'fail');
    assert.equal(statusOf(findings, 'daemon.experimental'), 'fail');
    for (const id of ['daemon.mac-profile', 'daemon.rootless', 'daemon.swarm']) assert.equal(statusOf(findings, id), 'skipped', id);
  });

  test('daemon.config.valid offline: a value dockerd checks on the host stays a warning that says why it has no host facts', async () => {
    await write('/etc/docker/daemon.json', '{"seccomp-profile": "/etc/docker/seccomp.json"}');
    await write('/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n');
    const facts = await collectFacts({ host: new RootfsHost(root), root });
    const hostFacts = (f: Facts) => {
      const [valid] = evaluateChecks([daemonConfigValid], f);
      assert.equal(valid!.result.status, 'warn', valid!.result.message);
      assert.match(
        JSON.stringify(valid!.result.evidence),
        /the seccomp profile \\"\/etc\/docker\/seccomp.json\\" must be a readable JSON file \(dockerd checks this on the host/,
      );
      return valid!.result.evidence.find((e) => e.label === 'host facts')?.value;
    };
    assert.match(String(hostFacts(facts)), /^not collected: an offline root: the machine its dockerd will start on is not this one/);
    // A snapshot saved before Dockhand collected host facts judges as before, and says so.
    const { daemonHostFacts: _, ...old } = facts;
    assert.match(String(hostFacts(old)), /^not collected: this facts snapshot holds no host facts/);
  });

  test('daemon.config.valid offline names the engine version it assumed, and why', async () => {
    await write('/etc/docker/daemon.json', '{"debug": true}');
    // The unit an earlier test left asks for TLS files the image does not hold: this one judges the file alone.
    await write('/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n');
    const facts = await collectFacts({ host: new RootfsHost(root), root });
    const [valid] = evaluateChecks([daemonConfigValid], facts);
    assert.equal(valid!.result.status, 'pass');
    assert.equal(
      valid!.result.message,
      `dockerd 28.5 (assumed: an offline root (${root}) has no running daemon to ask: Engine 28.5, the newest whose rules Dockhand knows, is assumed) will start with /etc/docker/daemon.json.`,
    );
    const assumed = valid!.result.evidence.find((e) => e.label === 'engine version (assumed)');
    assert.equal(assumed?.value, '28.5');
  });
});
