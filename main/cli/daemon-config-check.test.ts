import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dockhand } from '../../test/support/cli';
import { forEachEngine, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-cfg-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, text);
  return p;
}

describe('dockhand daemon-config check', () => {
  test('a valid file: exit 0 and the documented JSON shape', async () => {
    const f = await file('ok.json', '{"live-restore": true}');
    const r = await dockhand(['daemon-config', 'check', f, '--flags', '', '--engine-version', '27.3', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.willStart, true);
    assert.deepEqual(out.problems, []);
    assert.equal(out.engineVersion, '27.3');
  });
  test('a file dockerd refuses: exit 3, each problem with line, column, key, severity, message', async () => {
    const f = await file('bad.json', '{\n  "log-driverr": "local",\n  "live-restore": "yes",\n  "debug": true\n}\n');
    const r = await dockhand(['daemon-config', 'check', f, '--flags', 'dockerd --debug', '--engine-version', '20.10', '--format', 'json']);
    assert.equal(r.code, 3);
    const out = JSON.parse(r.stdout);
    assert.equal(out.willStart, false);
    const byKey = Object.fromEntries(out.problems.map((p: { key: string }) => [p.key, p]));
    assert.deepEqual(Object.keys(byKey).sort(), ['debug', 'live-restore', 'log-driverr']);
    assert.deepEqual(
      { ...byKey['log-driverr'], message: undefined, kind: undefined },
      { line: 2, column: 3, key: 'log-driverr', severity: 'error', message: undefined, kind: undefined },
    );
    assert.match(byKey['log-driverr'].message, /did you mean 'log-driver'/);
    assert.equal(byKey['live-restore'].line, 3);
    assert.equal(byKey['live-restore'].column, 19);
    assert.match(byKey.debug.message, /--debug/);
  });
  test('without --flags it reads docker.service and its drop-ins', async () => {
    const root = path.join(dir, 'root');
    await file(
      'root/lib/systemd/system/docker.service',
      '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n',
    );
    const f = await file('hosts.json', '{"hosts": ["tcp://0.0.0.0:2376"]}');
    const r = await dockhand(['daemon-config', 'check', f, '--root', root, '--engine-version', '24.0']);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /will NOT start/);
    assert.match(r.stdout, /dockerd flags from: \/lib\/systemd\/system\/docker\.service:2/);
    assert.match(r.stdout, /hosts.*--host \(fd:\/\/\)/);
  });
  test('the engine version defaults to the local dockerd binary', async () => {
    const f = await file('proxies.json', '{"proxies": {"http-proxy": "http://proxy:3128"}}');
    const r = await dockhand(['daemon-config', 'check', f, '--flags', '', '--host', 'unix:///nonexistent.sock', '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.engineVersion, '20.10', 'Debian docker.io here');
    assert.match(out.engineVersionFrom, /^`dockerd --version` \(the daemon at unix:\/\/\/nonexistent\.sock did not answer/);
    assert.equal(out.willStart, false);
    assert.match(out.problems[0].message, /needs Docker Engine 23\.0/);
  });
  test("--root: the engine version is the dockerd package installed in the root, not this machine's", async () => {
    const root = path.join(dir, 'root-dpkg');
    const status = (pkg: string, version: string) =>
      `Package: tini\nStatus: install ok installed\nVersion: 0.19.0-1\n\nPackage: ${pkg}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\nPackage: docker-ce-cli\nStatus: install ok installed\nVersion: 5:20.10.0-1\n`;
    await file('root-dpkg/var/lib/dpkg/status', status('docker-ce', '5:28.5.2-1~debian.12~bookworm'));
    const f = await file('proxies-root.json', '{"proxies": {"http-proxy": "http://proxy:3128"}}');
    const newer = JSON.parse((await dockhand(['daemon-config', 'check', f, '--root', root, '--format', 'json'])).stdout);
    assert.equal(newer.engineVersion, '28.5');
    assert.equal(newer.willStart, true);
    assert.match(newer.engineVersionFrom, /docker-ce package installed in the root \(\/var\/lib\/dpkg\/status\)/);
    await file('root-dpkg/var/lib/dpkg/status', status('docker.io', '20.10.24+dfsg1-1+deb12u1'));
    const older = JSON.parse((await dockhand(['daemon-config', 'check', f, '--root', root, '--format', 'json'])).stdout);
    assert.equal(older.engineVersion, '20.10');
    assert.equal(older.willStart, false);
    assert.match(older.engineVersionFrom, /docker\.io package/);
  });
  test('--root without a recorded dockerd package: the verdict names the version it assumed, and why', async () => {
    const root = path.join(dir, 'root-bare');
    await fs.mkdir(root, { recursive: true });
    const f = await file('plain-root.json', '{"debug": true}');
    const json = JSON.parse((await dockhand(['daemon-config', 'check', f, '--root', root, '--format', 'json'])).stdout);
    assert.equal(json.engineVersion, '28.5');
    assert.match(
      json.engineVersionFrom,
      /^assumed Engine 28\.5, the newest whose rules Dockhand knows \(give --engine-version to choose\): the root has no running daemon to ask and no dockerd package/,
    );
    const text = (await dockhand(['daemon-config', 'check', f, '--root', root])).stdout;
    assert.match(text, /engine rules from: assumed Engine 28\.5/);
  });
  test('a missing file is a usage error naming it (exit 2)', async () => {
    const r = await dockhand(['daemon-config', 'check', path.join(dir, 'nope.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.json: no such file/);
  });
});

describe("dockhand daemon-config check --root judges host-dependent values by the root's files", () => {
  test('TLS material present in the root passes, missing is refused; kernel questions stay warnings', async () => {
    const root = path.join(dir, 'root-tls');
    await file('root-tls/etc/docker/cert.pem', 'cert');
    await file('root-tls/etc/docker/key.pem', 'key');
    const tls = (key: string) =>
      `{"tls": true, "tlscert": "/etc/docker/cert.pem", "tlskey": "${key}", "exec-opts": ["native.cgroupdriver=systemd"]}`;
    const ok = await dockhand([
      'daemon-config',
      'check',
      await file('tls-ok.json', tls('/etc/docker/key.pem')),
      '--root',
      root,
      '--flags',
      '',
      '--engine-version',
      '28.5',
      '--format',
      'json',
    ]);
    assert.equal(ok.code, 0, ok.stdout);
    const out = JSON.parse(ok.stdout);
    assert.match(out.hostFrom, /^the files in .*root-tls \(what only its kernel knows is not judged\)$/);
    // systemd as PID 1 is the booted machine's to know: what dockerd will check, not a verdict.
    assert.deepEqual(
      out.problems.map((p: { message: string }) => p.message),
      [
        'the systemd cgroup driver needs systemd as PID 1, or every container fails to start (dockerd checks this on the host when it starts; otherwise containers will fail to start)',
      ],
    );
    const missing = await dockhand([
      'daemon-config',
      'check',
      await file('tls-missing.json', tls('/etc/docker/nokey.pem')),
      '--root',
      root,
      '--flags',
      '',
      '--engine-version',
      '28.5',
    ]);
    assert.equal(missing.code, 3, missing.stdout);
    assert.match(missing.stdout, /TLS is on but \/etc\/docker\/nokey\.pem cannot be read: dockerd will refuse to start/);
  });
});

forEachEngine("dockhand daemon-config check asks the running daemon its version and judges with this host's facts", (engine, test) => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
  });
  after(async () => daemon?.stop());

  test('"proxies" (Engine 23.0 and later) is refused for 20.10 and accepted for the newer engines', async () => {
    const f = await file(`proxies-${engine}.json`, '{"proxies": {"http-proxy": "http://proxy:3128"}}');
    const r = await dockhand(['daemon-config', 'check', f, '--flags', '', '--host', daemon.host, '--format', 'json']);
    const out = JSON.parse(r.stdout);
    assert.equal(out.engineVersion, engine);
    assert.equal(out.engineVersionFrom, `the daemon at ${daemon.host}`);
    assert.equal(out.willStart, engine !== '20.10', JSON.stringify(out.problems));
  });

  test('a seccomp profile that does not exist is refused, one that is not JSON fails every container, a JSON one passes', async () => {
    const check = async (profile: string) => {
      const f = await file(`seccomp-${engine}-${path.basename(profile)}.json`, JSON.stringify({ 'seccomp-profile': profile }));
      const r = await dockhand(['daemon-config', 'check', f, '--flags', '', '--host', daemon.host, '--format', 'json']);
      return { code: r.code, out: JSON.parse(r.stdout) as { willStart: boolean; hostFrom: string; problems: { message: string }[] } };
    };
    const missing = await check(path.join(dir, 'no-such-profile.json'));
    assert.equal(missing.code, 3);
    assert.match(
      missing.out.problems[0]!.message,
      /the seccomp profile ".*no-such-profile\.json" cannot be read: dockerd will refuse to start/,
    );
    assert.match(missing.out.hostFrom, /^this machine \(dockerd pid \d+\)$/);
    const notJson = await check(await file('profile.txt', 'not json'));
    assert.equal(notJson.out.willStart, true);
    assert.match(notJson.out.problems[0]!.message, /containers will fail to start: the seccomp profile .* is not JSON/);
    const json = await check(await file('profile.json', '{"defaultAction": "SCMP_ACT_ALLOW"}'));
    assert.equal(json.code, 0, JSON.stringify(json.out.problems));
  });
});
