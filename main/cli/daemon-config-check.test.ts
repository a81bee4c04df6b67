import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dockhand } from '../../test/support/cli';

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
    assert.deepEqual({ ...byKey['log-driverr'], message: undefined, kind: undefined }, { line: 2, column: 3, key: 'log-driverr', severity: 'error', message: undefined, kind: undefined });
    assert.match(byKey['log-driverr'].message, /did you mean 'log-driver'/);
    assert.equal(byKey['live-restore'].line, 3);
    assert.equal(byKey['live-restore'].column, 19);
    assert.match(byKey.debug.message, /--debug/);
  });
  test('without --flags it reads docker.service and its drop-ins', async () => {
    const root = path.join(dir, 'root');
    await file('root/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n');
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
    assert.equal(out.willStart, false);
    assert.match(out.problems[0].message, /needs Docker Engine 23\.0/);
  });
  test('a missing file is a usage error naming it (exit 2)', async () => {
    const r = await dockhand(['daemon-config', 'check', path.join(dir, 'nope.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.json: no such file/);
  });
});
