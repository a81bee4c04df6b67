import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RootfsHost } from '../host/rootfs-host';
import { collectDaemonProcess, hostsFromArgs, matchDaemon } from './daemon-process';
import { LocalHost } from '../host/local-host';
import { collectServiceUnit, expandExecWords, splitUnitWords } from './systemd-unit';
import { runningDockerd } from '../../test/support/dockerd';

let root: string;
const write = async (p: string, text: string) => {
  await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
  await fs.writeFile(path.join(root, p), text);
};

before(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-root-'));
  // Debian's docker.io unit, then an admin's override and a proxy drop-in, as they are laid out on a real host.
  await write(
    '/lib/systemd/system/docker.service',
    `[Unit]\nDescription=Docker Application Container Engine\n\n[Service]\nType=notify\n# the default\nExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS \\\n  --containerd=/run/containerd/containerd.sock\nEnvironmentFile=-/etc/default/docker\nExecReload=/bin/kill -s HUP $MAINPID\n`,
  );
  await write('/etc/default/docker', '# options\nDOCKER_OPTS="--dns 10.0.0.2 --dns 10.0.0.3"\n');
  await write(
    '/etc/systemd/system/docker.service.d/10-override.conf',
    '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --config-file /etc/docker/custom.json -H fd://\n',
  );
  await write(
    '/etc/systemd/system/docker.service.d/20-proxy.conf',
    '[Service]\nEnvironment="HTTP_PROXY=http://user:secret@proxy.corp:3128" "NO_PROXY=localhost,.corp"\nEnvironment="HTTPS_PROXY=http://user:p%%40ss@proxy.corp:3128"\n',
  );
  await write('/lib/systemd/system/docker.service.d/20-proxy.conf', '[Service]\nEnvironment=HTTP_PROXY=http://masked.by.etc:1\n');
});
after(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('docker.service from the unit files', () => {
  test('drop-ins reset and replace ExecStart; /etc masks the same drop-in name in /lib', async () => {
    const unit = await collectServiceUnit(new RootfsHost(root));
    assert.ok(unit.ok, JSON.stringify(unit));
    assert.equal(unit.value.fragmentPath, '/lib/systemd/system/docker.service');
    assert.deepEqual(unit.value.dropIns, [
      '/etc/systemd/system/docker.service.d/10-override.conf',
      '/etc/systemd/system/docker.service.d/20-proxy.conf',
    ]);
    assert.deepEqual(unit.value.execStart, {
      argv: ['/usr/sbin/dockerd', '--config-file', '/etc/docker/custom.json', '-H', 'fd://'],
      path: '/etc/systemd/system/docker.service.d/10-override.conf',
      line: 3,
    });
    const proxy = unit.value.environment.find((e) => e.name === 'HTTP_PROXY')!;
    assert.deepEqual(proxy, {
      name: 'HTTP_PROXY',
      value: 'http://user:secret@proxy.corp:3128',
      path: '/etc/systemd/system/docker.service.d/20-proxy.conf',
      line: 2,
    });
    assert.ok(unit.value.environment.some((e) => e.name === 'NO_PROXY' && e.value === 'localhost,.corp'));
    assert.equal(
      unit.value.environment.find((e) => e.name === 'HTTPS_PROXY')?.value,
      'http://user:p%40ss@proxy.corp:3128',
      '%% is a literal %',
    );
    assert.deepEqual(unit.value.environmentFiles, ['-/etc/default/docker']);
  });
  test('$VAR splits into words and ${VAR} stays one, as systemd expands them', () => {
    assert.deepEqual(
      expandExecWords(splitUnitWords('/usr/sbin/dockerd -H fd:// $DOCKER_OPTS --label=${L}'), {
        DOCKER_OPTS: '--dns 1.1.1.1 --debug',
        L: 'a b',
      }),
      ['/usr/sbin/dockerd', '-H', 'fd://', '--dns', '1.1.1.1', '--debug', '--label=a b'],
    );
    assert.deepEqual(splitUnitWords(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g']);
  });
  test('a host without the unit says where it looked', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-empty-'));
    const unit = await collectServiceUnit(new RootfsHost(empty));
    await fs.rm(empty, { recursive: true });
    assert.ok(!unit.ok);
    assert.equal(unit.error.code, 'not-found');
    assert.match(unit.error.message, /no docker\.service unit in \/etc\/systemd\/system/);
  });
});

describe('the dockerd process serving the endpoint', () => {
  test('-H forms are all understood', () => {
    assert.deepEqual(hostsFromArgs(['-H', 'fd://', '-Hunix:///a', '--host=tcp://0.0.0.0:2376', '--host', 'unix:///b', '-H=unix:///c']), [
      'fd://',
      'unix:///a',
      'tcp://0.0.0.0:2376',
      'unix:///b',
      'unix:///c',
    ]);
  });
  test('matching by socket, by socket activation, and not at all', () => {
    const procs = [
      { pid: 10, argv: ['/usr/sbin/dockerd', '-H', 'fd://'] },
      { pid: 20, argv: ['dockerd', '-H', 'unix:///tmp/x/sock', '--config-file', '/tmp/x/daemon.json'] },
    ];
    const ep = (host: string) => ({ host, transport: 'unix' as const, tls: null, context: null, reason: '', flavour: 'unknown' as const });
    assert.equal(matchDaemon(procs, ep('unix:///tmp/x/sock'))?.pid, 20);
    const def = matchDaemon(procs, ep('unix:///var/run/docker.sock'));
    assert.equal(def?.pid, 10);
    assert.match(def!.matchedBy, /socket activation/);
    assert.equal(matchDaemon(procs, ep('unix:///elsewhere.sock')), null);
  });
  test('finds a real private dockerd in /proc', async () => {
    const daemon = await runningDockerd({ daemonJson: {} });
    try {
      const fact = await collectDaemonProcess(new LocalHost(), {
        host: daemon.host,
        transport: 'unix',
        tls: null,
        context: null,
        reason: '',
        flavour: 'unknown',
      });
      assert.ok(fact.ok, JSON.stringify(fact));
      assert.equal(fact.value.pid, daemon.pid);
      assert.ok(fact.value.argv.includes(daemon.configPath));
    } finally {
      await daemon.stop();
    }
  });
});
