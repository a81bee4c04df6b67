import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { containerMountPropagation } from './containers';
import { evaluateChecks } from './runner';

const run = promisify(execFile);
let daemon: PrivateDockerd;
let shared: string;

before(async () => {
  // rshared needs a source on a shared mount: bind a directory onto itself and make that mount shared.
  shared = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-shared-'));
  await run('mount', ['--bind', shared, shared]);
  await run('mount', ['--make-shared', shared]);
  daemon = await runningDockerd({ daemonJson: {} });
  const image = await importBusybox(daemon);
  await daemon.docker(['run', '-d', '--name', 'private-bind', '-v', `${shared}:/data`, image]);
});

after(async () => {
  await daemon?.stop();
  await run('umount', [shared]).catch(() => undefined);
  await fs.rm(shared, { recursive: true, force: true });
});

test('container.mount-propagation: rprivate passes, rshared fails with the mount as evidence', async () => {
  const evaluate = async () =>
    evaluateChecks([containerMountPropagation], await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } }));
  const clean = await evaluate();
  assert.equal(clean.length, 1);
  assert.equal(clean[0]!.result.status, 'pass', clean[0]!.result.message);
  await daemon.docker(['run', '-d', '--name', 'shared-bind', '-v', `${shared}:/data:rshared`, 'dockhand-test/busybox:1']);
  const findings = await evaluate();
  const bad = findings.find((f) => f.id === 'container.mount-propagation:shared-bind');
  assert.ok(bad, `no finding for shared-bind: ${findings.map((f) => f.id).join(', ')}`);
  assert.equal(bad.result.status, 'fail');
  assert.match(String(bad.result.evidence[0]!.value), /\(rshared\)$/);
  assert.equal(findings.length, 1, 'the rprivate container is not reported');
});
