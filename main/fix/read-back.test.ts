// The read-back after each write, under a temporary root: a file changed between the write and the read-back (here by
// a real second writer, hooked on the apply's own "write" step) is caught, the backup restored and the apply failed
// with what was found; a faithful write passes. The comparison is by meaning: assignments for a drop-in, JSON values
// for daemon.json.
import assert from 'node:assert/strict';
import { appendFileSync, promises as fs, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type FixOperation, type FixStep } from '../../shared/fix';
import { put } from '../../test/support/rootfs';
import { validatePlan } from './allowlist';
import { type ApplyDeps, applyPlan } from './apply';
import { noController } from './controllers';
import { computeFileChanges, type FixEnv } from './plan';
import { readBackProblem } from './read-back';
import { handMadePlan } from '../../test/support/fix-plan';

const DROPIN = '/etc/systemd/system/docker.service.d/zz-dockhand-proxy.conf';
const CONTENT = '[Service]\n# Written by Dockhand\nEnvironment="HTTP_PROXY=http://proxy:3128"\nEnvironment="NO_PROXY=localhost"\n';
const DAEMON_JSON = '{\n  "debug": false\n}\n';

describe('read-back after a write', () => {
  let root: string;
  let env: FixEnv;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-readback-'));
    env = { root, home: '/root' };
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  test('a drop-in is compared by its assignments, a daemon.json by its value; anything else by its bytes', async () => {
    const file = path.join(root, 'x.conf');
    const change = { path: DROPIN, existed: false, beforeSha256: null, after: CONTENT, diff: '' };
    await fs.writeFile(file, CONTENT.replace('# Written by Dockhand\n', ''));
    assert.equal(await readBackProblem(change, file, 'dropin'), null, 'a comment less is the same drop-in');
    await fs.writeFile(file, `${CONTENT}ExecStartPre=/tmp/evil\n`);
    assert.match((await readBackProblem(change, file, 'dropin'))!, /as written is not a proxy drop-in: .*line 5 is "ExecStartPre/);
    await fs.writeFile(file, CONTENT.replace('localhost', 'localhost,.corp'));
    assert.match((await readBackProblem(change, file, 'dropin'))!, /as written sets HTTP_PROXY, NO_PROXY, not the planned/);

    const json = { path: '/etc/docker/daemon.json', existed: true, beforeSha256: null, after: '{\n  "debug": true\n}\n', diff: '' };
    await fs.writeFile(file, '{"debug":true}');
    assert.equal(await readBackProblem(json, file, 'daemon-json'), null, 'the same value, laid out differently');
    await fs.writeFile(file, '{"debug":true,"hosts":["tcp://0.0.0.0:2375"]}');
    assert.match((await readBackProblem(json, file, 'daemon-json'))!, /does not hold the planned configuration/);
    await fs.writeFile(file, '{"debug":tru');
    assert.match((await readBackProblem(json, file, 'daemon-json'))!, /not valid JSON/);
    assert.match((await readBackProblem({ ...json, path: '/etc/cron.d/x' }, file, 'bytes'))!, /differs from the planned bytes/);
  });

  /**
   * Applies `operations` under the root with `meddle` told of each step, as another writer would. It runs synchronously
   * inside the apply's step callback, which comes after the write and before the read-back: no race to win.
   */
  async function applyWith(operations: FixOperation[], meddle: (step: FixStep) => void) {
    const files = await computeFileChanges(operations, env);
    const plan = handMadePlan(operations, files, { id: 'readback-plan-01' });
    const { plan: valid, files: checked } = await validatePlan(plan, env, new Set(['/etc/docker/daemon.json']));
    const deps: ApplyDeps = {
      env,
      stateDir: path.join(root, '.state'),
      controller: noController('a temporary root'),
      ping: async () => false,
      verify: async () => ({ status: null, daemonError: null }),
      timeouts: { restartMs: 1000, upMs: 1000, lockWaitMs: 1000 },
      onStep: meddle,
    };
    return applyPlan(valid, checked, deps);
  }

  test('a drop-in changed between the write and the read-back: the original is restored and the apply fails saying why', async () => {
    await put(root, DROPIN, '[Service]\nEnvironment="NO_PROXY=old"\n', 0o644);
    const op: FixOperation = {
      op: 'systemd-dropin.write',
      scope: 'system',
      unit: 'docker.service',
      name: 'zz-dockhand-proxy.conf',
      content: CONTENT,
    };
    const record = await applyWith([op], (step) => {
      if (step.step === 'write') appendFileSync(path.join(root, DROPIN), 'ExecStartPre=/tmp/evil\n');
    });
    assert.equal(record.outcome, 'failed', record.message);
    assert.match(record.message, /as written is not a proxy drop-in: .*ExecStartPre.*; the original files were restored/);
    assert.equal(await fs.readFile(path.join(root, DROPIN), 'utf8'), '[Service]\nEnvironment="NO_PROXY=old"\n');
    assert.ok(record.steps.some((s) => s.step === 'rollback' && !s.ok));
  });

  test('a daemon.json changed between the write and the read-back is restored; a faithful write is applied', async () => {
    await put(root, '/etc/docker/daemon.json', DAEMON_JSON, 0o644);
    const op: FixOperation = { op: 'daemon-json.set', file: '/etc/docker/daemon.json', path: ['debug'], value: true };
    const record = await applyWith([op], (step) => {
      if (step.step === 'write')
        writeFileSync(path.join(root, 'etc/docker/daemon.json'), '{"debug":true,"hosts":["tcp://0.0.0.0:2375"]}\n');
    });
    assert.equal(record.outcome, 'failed', record.message);
    assert.match(record.message, /daemon\.json as written does not hold the planned configuration; the original files were restored/);
    assert.equal(await fs.readFile(path.join(root, 'etc/docker/daemon.json'), 'utf8'), DAEMON_JSON);

    const clean = await applyWith([op], () => undefined);
    assert.equal(clean.outcome, 'applied', clean.message);
    assert.equal(await fs.readFile(path.join(root, 'etc/docker/daemon.json'), 'utf8'), '{\n  "debug": true\n}\n');
  });
});
