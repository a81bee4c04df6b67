// Fixes that edit host files other than daemon.json (/etc/subuid, /etc/subgid, Docker Desktop's settings), planned from
// the facts of a temporary root filesystem holding real-format files and applied under that root: exact diffs, the
// original mode and owner kept, undo back to the original bytes.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import type { FixPlan } from '../../shared/fix';
import { evaluateFacts } from '../audit';
import { collectFacts } from '../collect/collect';
import { RootfsHost } from '../host/rootfs-host';
import { put } from '../../test/support/rootfs';
import { validatePlan } from './allowlist';
import { applyPlan, undoFix, type ApplyDeps } from './apply';
import { noController } from './controllers';
import { nextFreeSubIdStart } from './builders';
import { type FixEnv, planOperations } from './plan';
import { findingStatus } from './session';

const DAEMON_JSON = '{\n  "log-driver": "json-file"\n}\n';
const SUBUID = 'alice:100000:65536\nbob:165536:65536\n';
const SETTINGS_PATH = '/home/ada/Library/Group Containers/group.com.docker/settings.json';
const SETTINGS = '{\n  "cpus": 8,\n  "memoryMiB": 8192,\n  "useVirtualizationFrameworkVirtioFS": false\n}\n';

describe('fixes that edit subuid/subgid and Desktop settings, under a temporary root', () => {
  let root: string;
  let env: FixEnv;
  let state: string;
  const facts = () => collectFacts({ host: new RootfsHost(root), mode: 'offline-root', root, timeoutMs: 5000 });
  const deps = (): ApplyDeps => ({
    env,
    stateDir: state,
    controller: noController('an offline root filesystem'),
    ping: async () => false,
    verify: async (plan) => findingStatus(evaluateFacts(await facts()), plan),
    timeouts: { restartMs: 1000, upMs: 1000, lockWaitMs: 1000 },
  });

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-fixroot-'));
    state = path.join(root, '.state');
    env = { root, home: '/home/ada' };
    await put(root, '/etc/docker/daemon.json', DAEMON_JSON, 0o644);
    await put(root, '/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\n');
    await put(root, '/etc/group', 'root:x:0:\ndocker:x:999:alice\n');
    await put(root, '/etc/subuid', SUBUID, 0o644);
    await put(root, '/etc/subgid', SUBUID, 0o640, 0, 42);
    await put(root, SETTINGS_PATH, SETTINGS, 0o600, 1000, 1000);
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  test('the next free subordinate range follows every existing one, aligned like useradd', () => {
    assert.equal(nextFreeSubIdStart([]), 131072);
    assert.equal(nextFreeSubIdStart([{ start: 100000, count: 65536 }, { start: 165536, count: 65536 }]), 262144);
  });

  test('userns-remap: daemon.json gets the key, subuid and subgid get a non-overlapping dockremap range; undo restores all three', async () => {
    const f: Facts = await facts();
    const plan = await planOperations(f, { fixId: 'daemon.userns-remap', checkId: 'isolation.userns-remap', findingId: 'isolation.userns-remap', target: null, params: { value: 'default' } }, noController('an offline root filesystem'), env);
    assert.deepEqual(plan.files.map((x) => x.path), ['/etc/docker/daemon.json', '/etc/subuid', '/etc/subgid']);
    assert.match(plan.files[0]!.diff, /\+  "userns-remap": "default"/);
    assert.match(plan.files[1]!.diff, /\+dockremap:262144:65536/);
    assert.equal(plan.restart, false, 'nothing here can restart a daemon');
    assert.ok(plan.notes.some((n) => /Restart the daemon yourself/.test(n)));
    assert.ok(plan.notes.some((n) => /existing images, containers and volumes are hidden/.test(n)));

    const { plan: valid, files } = await validatePlan(JSON.parse(JSON.stringify(plan)) as FixPlan, env, new Set(['/etc/docker/daemon.json']));
    const record = await applyPlan(valid, files, deps());
    assert.notEqual(record.outcome, 'failed', record.message);
    assert.equal(await fs.readFile(path.join(root, 'etc/subuid'), 'utf8'), `${SUBUID}dockremap:262144:65536\n`);
    const gid = await fs.stat(path.join(root, 'etc/subgid'));
    assert.deepEqual([gid.mode & 0o777, gid.gid], [0o640, 42], 'mode and group kept');
    assert.match(await fs.readFile(path.join(root, 'etc/docker/daemon.json'), 'utf8'), /"userns-remap": "default"/);

    const undone = await undoFix(record.id, deps(), false);
    assert.equal(undone.undone, true, undone.message);
    assert.equal(await fs.readFile(path.join(root, 'etc/subuid'), 'utf8'), SUBUID);
    assert.equal(await fs.readFile(path.join(root, 'etc/subgid'), 'utf8'), SUBUID);
    assert.equal(await fs.readFile(path.join(root, 'etc/docker/daemon.json'), 'utf8'), DAEMON_JSON);
  });

  test('Docker Desktop settings: one key changed in place, the owner kept, and the plan says Desktop applies it on restart', async () => {
    const f = await facts();
    const plan = await planOperations(f, { fixId: 'desktop.settings', checkId: 'desktop.file-sharing', findingId: null, target: null, params: { file: SETTINGS_PATH, key: 'useVirtualizationFrameworkVirtioFS', value: true } }, noController('Docker Desktop'), env);
    assert.equal(plan.verification.kind, 'none');
    assert.ok(plan.notes.some((n) => /applies these settings when it restarts/.test(n)));
    const { plan: valid, files } = await validatePlan(plan, env, new Set());
    const record = await applyPlan(valid, files, deps());
    assert.equal(record.outcome, 'applied', record.message);
    assert.equal(await fs.readFile(path.join(root, SETTINGS_PATH), 'utf8'), SETTINGS.replace('"useVirtualizationFrameworkVirtioFS": false', '"useVirtualizationFrameworkVirtioFS": true'));
    const st = await fs.stat(path.join(root, SETTINGS_PATH));
    assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o600, 1000, 1000]);
    await assert.rejects(
      validatePlan({ ...plan, operations: [{ op: 'desktop-settings.set', file: '/etc/shadow', key: 'x', value: 1 }] }, env, new Set()),
      /not a Docker Desktop settings file/,
    );
  });
});
