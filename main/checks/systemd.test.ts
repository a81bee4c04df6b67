import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { collectFacts } from '../collect/collect';
import { collectServiceDropIns, collectServiceUnitState } from '../collect/systemd-drop-ins';
import { collectServiceUnit } from '../collect/systemd-unit';
import { FixtureHost, type FixtureManifest } from '../host/fixture-host';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { evaluateChecks } from './runner';
import { systemdDaemonReloadPending, systemdIgnoredDropIns } from './systemd';

const FIXTURES = path.resolve('test/fixtures/systemd');
const DEBIAN_UNIT =
  '[Unit]\nDescription=Docker Application Container Engine\nAfter=network-online.target docker.socket firewalld.service containerd.service\nRequires=docker.socket\n\n[Service]\nType=notify\nExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS\nEnvironmentFile=-/etc/default/docker\nExecReload=/bin/kill -s HUP $MAINPID\n\n[Install]\nWantedBy=multi-user.target\n';

async function writeAt(root: string, p: string, text: string): Promise<void> {
  await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
  await fs.writeFile(path.join(root, p), text);
}

const byTarget = (findings: Finding[]) => new Map(findings.map((f) => [f.result.target, f]));

describe('systemd.ignored-drop-ins on real unit files in an offline root', () => {
  let broken: string;
  let healthy: string;
  before(async () => {
    broken = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-units-'));
    healthy = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-units-'));
    for (const root of [broken, healthy]) {
      await writeAt(root, '/lib/systemd/system/docker.service', DEBIAN_UNIT);
      await writeAt(
        root,
        '/lib/systemd/system/docker.socket',
        '[Unit]\nDescription=Docker Socket for the API\n\n[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketUser=root\nSocketGroup=docker\n\n[Install]\nWantedBy=sockets.target\n',
      );
      await writeAt(
        root,
        '/etc/systemd/system/docker.service.d/http-proxy.conf',
        '[Service]\nEnvironment="HTTP_PROXY=http://proxy.corp.example:3128"\n',
      );
      // Meant to be ignored: a backup, and a drop-in for the socket unit.
      await writeAt(
        root,
        '/etc/systemd/system/docker.service.d/http-proxy.conf.bak',
        '[Service]\nEnvironment="HTTP_PROXY=http://old-proxy:3128"\n',
      );
      await writeAt(root, '/etc/systemd/system/docker.socket.d/group.conf', '[Socket]\nSocketGroup=docker-users\n');
    }
    // The ways a drop-in is silently skipped, each as an admin writes it.
    await writeAt(
      broken,
      '/etc/systemd/system/docker.service.d/no-proxy.conf',
      '# exceptions for the proxy\nEnvironment="NO_PROXY=localhost,127.0.0.1,.corp.example"\n',
    );
    await writeAt(broken, '/etc/systemd/system/docker.service.d/limits.conf', '[service]\nLimitNOFILE=1048576\n');
    await writeAt(
      broken,
      '/etc/systemd/system/docker.service.d/override',
      '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --debug\n',
    );
    await writeAt(broken, '/etc/systemd/system/dockerd.service.d/mtu.conf', '[Service]\nEnvironment="DOCKER_OPTS=--mtu 1400"\n');
    await writeAt(
      broken,
      '/etc/docker/docker.service.d/https-proxy.conf',
      '[Service]\nEnvironment="HTTPS_PROXY=http://user:secret@proxy.corp.example:3128"\n',
    );
  });
  after(async () => {
    await fs.rm(broken, { recursive: true, force: true });
    await fs.rm(healthy, { recursive: true, force: true });
  });

  test('each ignored drop-in fails with why, its settings by name (never their values) and the command that fixes it', async () => {
    const facts = await collectFacts({ host: new RootfsHost(broken) });
    const found = byTarget(evaluateChecks([systemdIgnoredDropIns], facts));
    assert.deepEqual([...found.keys()].sort(), [
      '/etc/docker/docker.service.d/https-proxy.conf',
      '/etc/systemd/system/docker.service.d/limits.conf:2',
      '/etc/systemd/system/docker.service.d/no-proxy.conf:2',
      '/etc/systemd/system/docker.service.d/override',
      '/etc/systemd/system/dockerd.service.d/mtu.conf',
    ]);
    for (const f of found.values()) assert.equal(f.result.status, 'fail', f.result.message);
    assert.equal(
      found.get('/etc/systemd/system/docker.service.d/no-proxy.conf:2')!.result.message,
      'systemd ignores /etc/systemd/system/docker.service.d/no-proxy.conf from line 2: its settings come before any section header, so Environment (NO_PROXY) never reaches docker.service. Fix: put `[Service]` on the line before line 2 of /etc/systemd/system/docker.service.d/no-proxy.conf, then `systemctl daemon-reload && systemctl restart docker`.',
    );
    assert.match(
      found.get('/etc/systemd/system/docker.service.d/limits.conf:2')!.result.message,
      /\[service\] is not a section|a section a service does not have/,
    );
    assert.match(
      found.get('/etc/systemd/system/docker.service.d/override')!.result.message,
      /does not end in "\.conf", so ExecStart, ExecStart never reach docker\.service\. Fix: `mv \/etc\/systemd\/system\/docker\.service\.d\/override \/etc\/systemd\/system\/docker\.service\.d\/override\.conf`/,
    );
    assert.match(found.get('/etc/systemd/system/dockerd.service.d/mtu.conf')!.result.message, /in a directory systemd does not read/);
    const outside = found.get('/etc/docker/docker.service.d/https-proxy.conf')!;
    assert.match(
      outside.result.evidence.find((e) => e.label === 'why systemd ignores it')!.value as string,
      /not in systemd's unit search path/,
    );
    assert.doesNotMatch(JSON.stringify(facts.serviceDropIns), /secret/, 'settings are named, never read out');
    // What the existing unit collector merges agrees: the ignored settings are not in the effective environment.
    const unit = await collectServiceUnit(new RootfsHost(broken));
    assert.ok(unit.ok && !unit.value.environment.some((e) => e.name === 'NO_PROXY'));
  });

  test('healthy twin: a proxy drop-in as Docker documents it, a backup beside it and a socket drop-in pass', async () => {
    const facts = await collectFacts({ host: new RootfsHost(healthy) });
    const [f] = evaluateChecks([systemdIgnoredDropIns], facts);
    assert.equal(f!.result.status, 'pass', f!.result.message);
    assert.deepEqual(f!.result.evidence[0]!.value, ['/etc/systemd/system/docker.service.d/http-proxy.conf']);
  });

  test('this machine: its drop-ins are all applied (no false positive on a healthy host)', async () => {
    const scan = await collectServiceDropIns(new LocalHost());
    assert.ok(scan.ok, JSON.stringify(scan));
    assert.deepEqual(scan.value.ignored, []);
  });
});

describe("systemd.daemon-reload-pending from systemd's own record (recorded systemctl show)", () => {
  function systemdHost(recording: string): FixtureHost {
    const manifest: FixtureManifest = {
      platform: 'linux',
      hostname: 'build-01',
      user: { username: 'root', uid: 0, gid: 0, home: '/root', processGroups: [0] },
      env: {},
      stats: { '/run/systemd/system': { size: 0, isFile: false, isDirectory: true, mode: 0o40755 } },
      commands: [
        {
          command: 'systemctl',
          args: ['show', 'docker.service', '--property=LoadState,NeedDaemonReload,FragmentPath,DropInPaths'],
          stdout: recording,
          code: 0,
        },
      ],
    };
    return new FixtureHost(manifest, FIXTURES);
  }
  let base: Facts;
  before(async () => {
    base = await collectFacts({ host: new RootfsHost(FIXTURES) });
  });
  const judge = async (host: FixtureHost | LocalHost | RootfsHost): Promise<Finding> => {
    const serviceUnitState = await collectServiceUnitState(host);
    return evaluateChecks([systemdDaemonReloadPending], { ...base, mode: 'live', serviceUnitState })[0]!;
  };

  test('NeedDaemonReload=yes fails with the commands to run; its twin after daemon-reload passes', async () => {
    const pending = await judge(systemdHost('show-docker-need-reload.txt'));
    assert.equal(pending.result.status, 'fail', pending.result.message);
    assert.match(
      pending.result.message,
      /changed on disk since systemd loaded it.*`systemctl daemon-reload`, then `systemctl restart docker`/,
    );
    assert.deepEqual(pending.result.evidence.find((e) => e.label === 'drop-ins loaded (systemd)')?.value, [
      '/etc/systemd/system/docker.service.d/http-proxy.conf',
    ]);
    assert.deepEqual(pending.result.evidence[0]!.source, {
      kind: 'command',
      command: 'systemctl show docker.service --property=LoadState,NeedDaemonReload,FragmentPath,DropInPaths',
    });
    const loaded = await judge(systemdHost('show-docker-loaded.txt'));
    assert.equal(loaded.result.status, 'pass', loaded.result.message);
  });

  test('no docker.service, no systemd as PID 1 (this machine), an offline root: skipped with the reason, never a claim', async () => {
    const none = await judge(systemdHost('show-docker-not-found.txt'));
    assert.equal(none.result.status, 'skipped');
    assert.match(none.result.reason!, /systemd has no docker\.service unit/);
    const here = await judge(new LocalHost());
    const booted = await fs.stat('/run/systemd/system').then(
      () => true,
      () => false,
    );
    if (booted) assert.notEqual(here.result.status, 'error', here.result.message);
    else assert.match(here.result.reason ?? '', /systemd is not the init system here/, here.result.message);
    const offline = await judge(new RootfsHost(os.tmpdir()));
    assert.equal(offline.result.status, 'skipped');
  });
});
