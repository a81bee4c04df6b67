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
import { type FixEnv, planOperations, preflightChanges } from './plan';
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
    verify: async (plan) => ({ status: findingStatus(evaluateFacts(await facts()), plan), daemonError: null }),
    timeouts: { restartMs: 1000, upMs: 1000, lockWaitMs: 1000 },
  });

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-fixroot-'));
    state = path.join(root, '.state');
    env = { root, home: '/home/ada' };
    await put(root, '/etc/docker/daemon.json', DAEMON_JSON, 0o644);
    await put(
      root,
      '/etc/passwd',
      'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\n',
    );
    await put(root, '/etc/group', 'root:x:0:\ndocker:x:999:alice\n');
    await put(root, '/etc/subuid', SUBUID, 0o644);
    await put(root, '/etc/subgid', SUBUID, 0o640, 0, 42);
    // As root, Dockhand edits Desktop settings only where its write cannot be redirected: a home only root writes.
    await put(root, SETTINGS_PATH, SETTINGS, 0o600, 0, 1000);
    await fs.chown(path.join(root, 'home/ada'), 0, 0);
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  test("a plan's pre-flight on an offline root is judged by the root's files, and a refusal names the version it assumed", async () => {
    const f = await facts();
    const file = '/etc/docker/daemon.json';
    const after = '{"seccomp-profile": "/etc/docker/seccomp.json"}';
    const ops: FixPlan['operations'] = [{ op: 'daemon-json.set', file, path: ['seccomp-profile'], value: '/etc/docker/seccomp.json' }];
    const changes = [{ path: file, existed: true, beforeSha256: null, after, diff: '' }];
    assert.throws(
      () => preflightChanges(f, ops, changes),
      /dockerd 28\.5 \(assumed: an offline root \(.*\) has no running daemon to ask: .*\) would not start: .*the seccomp profile "\/etc\/docker\/seccomp\.json" cannot be read/,
    );
    // The profile in the root (this machine has none at that path): the plan passes.
    await put(root, '/etc/docker/seccomp.json', '{}', 0o600);
    preflightChanges(f, ops, changes);
    await fs.rm(path.join(root, 'etc/docker/seccomp.json'));
  });

  test('the next free subordinate range follows every existing one, aligned like useradd', () => {
    assert.equal(nextFreeSubIdStart([]), 131072);
    assert.equal(
      nextFreeSubIdStart([
        { start: 100000, count: 65536 },
        { start: 165536, count: 65536 },
      ]),
      262144,
    );
  });

  test('userns-remap: daemon.json gets the key, subuid and subgid get a non-overlapping dockremap range; undo restores all three', async () => {
    const f: Facts = await facts();
    const plan = await planOperations(
      f,
      {
        fixId: 'daemon.userns-remap',
        checkId: 'isolation.userns-remap',
        findingId: 'isolation.userns-remap',
        target: null,
        params: { value: 'default' },
      },
      noController('an offline root filesystem'),
      env,
    );
    assert.deepEqual(
      plan.files.map((x) => x.path),
      ['/etc/docker/daemon.json', '/etc/subuid', '/etc/subgid'],
    );
    assert.match(plan.files[0]!.diff, /\+  "userns-remap": "default"/);
    assert.match(plan.files[1]!.diff, /\+dockremap:262144:65536/);
    assert.equal(plan.restart, false, 'nothing here can restart a daemon');
    assert.ok(plan.notes.some((n) => /Restart the daemon yourself/.test(n)));
    assert.ok(plan.notes.some((n) => /existing images, containers and volumes are hidden/.test(n)));

    const { plan: valid, files } = await validatePlan(
      JSON.parse(JSON.stringify(plan)) as FixPlan,
      env,
      new Set(['/etc/docker/daemon.json']),
    );
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

  test('docker group: the user is appended to the group line only, verified from /etc/group, with the root-equivalence said', async () => {
    const plan = await planOperations(
      await facts(),
      {
        fixId: 'docker-group.add-user',
        checkId: 'access.docker-socket-denied',
        findingId: 'access.docker-socket-denied:bob',
        target: 'bob',
        params: { user: 'bob', group: 'docker' },
      },
      noController('an offline root filesystem'),
      env,
    );
    assert.deepEqual(
      plan.files.map((x) => x.path),
      ['/etc/group'],
    );
    assert.match(plan.files[0]!.diff, /-docker:x:999:alice\n\+docker:x:999:alice,bob/);
    assert.deepEqual(plan.verification, { kind: 'group-member', group: 'docker', user: 'bob' });
    assert.ok(plan.notes.some((n) => /root-equivalent/.test(n)) && plan.notes.some((n) => /newgrp docker/.test(n)));
    const { plan: valid, files } = await validatePlan(plan, env, new Set());
    const record = await applyPlan(valid, files, deps());
    assert.equal(record.outcome, 'applied', record.message);
    assert.equal(await fs.readFile(path.join(root, 'etc/group'), 'utf8'), 'root:x:0:\ndocker:x:999:alice,bob\n');
    assert.equal((await undoFix(record.id, deps(), false)).undone, true);
    assert.equal(await fs.readFile(path.join(root, 'etc/group'), 'utf8'), 'root:x:0:\ndocker:x:999:alice\n');
  });

  test('scheduled prune, cron (no systemd unit here): a cron.d entry running this dockhand, found by the re-audit; undo removes it', async () => {
    env = { ...env, dockhand: '/usr/local/bin/dockhand' };
    const f = await facts();
    const plan = await planOperations(
      f,
      {
        fixId: 'cleanup.schedule',
        checkId: 'disk.scheduled-cleanup',
        findingId: 'disk.scheduled-cleanup',
        target: null,
        params: { until: '168h' },
      },
      noController('an offline root filesystem'),
      env,
    );
    assert.deepEqual(
      plan.files.map((x) => x.path),
      ['/etc/cron.d/dockhand-prune'],
    );
    assert.match(
      plan.files[0]!.after!,
      /^17 3 \* \* \* root flock -n \/run\/dockhand-prune\.lock \/usr\/local\/bin\/dockhand prune apply --until 168h --yes >> \/var\/log\/dockhand-prune\.log 2>&1$/m,
    );
    await assert.rejects(
      validatePlan(plan, env, new Set(), '/home/mallory/dockhand'),
      /a scheduled prune may run this dockhand \(\/home\/mallory\/dockhand\) only/,
    );
    const { plan: valid, files } = await validatePlan(plan, env, new Set(), '/usr/local/bin/dockhand');
    const record = await applyPlan(valid, files, deps());
    assert.equal(record.outcome, 'applied', record.message);
    assert.equal(record.after, 'pass');
    assert.equal((await undoFix(record.id, deps(), false)).undone, true);
    await assert.rejects(fs.stat(path.join(root, 'etc/cron.d/dockhand-prune')), /ENOENT/);
  });

  test('scheduled prune, systemd: service and timer written, daemon-reload and enable --now run; undo disables it first', async () => {
    await put(root, '/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n');
    env = { ...env, dockhand: '/usr/local/bin/dockhand' };
    const ran: string[] = [];
    // Stands in for systemctl (systemd cannot run here): records the commands and links the timer as `enable` does.
    const runCommand = async (argv: string[]) => {
      ran.push(argv.join(' '));
      const link = path.join(root, 'etc/systemd/system/timers.target.wants/dockhand-prune.timer');
      if (argv[1] === 'enable') {
        await fs.mkdir(path.dirname(link), { recursive: true });
        await fs.symlink('/etc/systemd/system/dockhand-prune.timer', link);
      }
      if (argv[1] === 'disable') await fs.rm(link, { force: true });
    };
    const plan = await planOperations(
      await facts(),
      { fixId: 'cleanup.schedule', checkId: 'disk.scheduled-cleanup', findingId: 'disk.scheduled-cleanup', target: null, params: {} },
      noController('an offline root filesystem'),
      env,
    );
    assert.deepEqual(
      plan.files.map((x) => x.path),
      ['/etc/systemd/system/dockhand-prune.service', '/etc/systemd/system/dockhand-prune.timer'],
    );
    assert.deepEqual(
      plan.commands.map((c) => c.argv.join(' ')),
      ['systemctl daemon-reload', 'systemctl enable --now dockhand-prune.timer'],
    );
    assert.match(plan.files[0]!.after!, /^ExecStart=\/usr\/local\/bin\/dockhand prune apply --until 168h --yes$/m);
    const { plan: valid, files } = await validatePlan(plan, env, new Set(), '/usr/local/bin/dockhand');
    const record = await applyPlan(valid, files, { ...deps(), runCommand });
    assert.equal(record.outcome, 'applied', record.message);
    assert.deepEqual(ran, ['systemctl daemon-reload', 'systemctl enable --now dockhand-prune.timer']);
    const undone = await undoFix(record.id, { ...deps(), runCommand }, false);
    assert.equal(undone.undone, true, undone.message);
    assert.deepEqual(ran.slice(2), ['systemctl disable --now dockhand-prune.timer', 'systemctl daemon-reload']);
    await assert.rejects(fs.stat(path.join(root, 'etc/systemd/system/dockhand-prune.timer')), /ENOENT/);
  });

  test('Docker Desktop settings: one key changed in place, the owner kept, and the plan says Desktop applies it on restart', async () => {
    const f = await facts();
    const plan = await planOperations(
      f,
      {
        fixId: 'desktop.settings',
        checkId: 'desktop.file-sharing',
        findingId: null,
        target: null,
        params: { file: SETTINGS_PATH, key: 'useVirtualizationFrameworkVirtioFS', value: true },
      },
      noController('Docker Desktop'),
      env,
    );
    assert.equal(plan.verification.kind, 'none');
    assert.ok(plan.notes.some((n) => /applies these settings when it restarts/.test(n)));
    const { plan: valid, files } = await validatePlan(plan, env, new Set());
    const record = await applyPlan(valid, files, deps());
    assert.equal(record.outcome, 'applied', record.message);
    assert.equal(
      await fs.readFile(path.join(root, SETTINGS_PATH), 'utf8'),
      SETTINGS.replace('"useVirtualizationFrameworkVirtioFS": false', '"useVirtualizationFrameworkVirtioFS": true'),
    );
    const st = await fs.stat(path.join(root, SETTINGS_PATH));
    assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o600, 0, 1000]);
    await assert.rejects(
      validatePlan({ ...plan, operations: [{ op: 'desktop-settings.set', file: '/etc/shadow', key: 'x', value: 1 }] }, env, new Set()),
      /not a Docker Desktop settings file/,
    );
  });

  test('Docker Desktop settings: the target is resolved on disk; a symlinked directory or file, a foreign owner or an odd place is refused', async () => {
    const f = await facts();
    const planFor = (file: string) =>
      planOperations(
        f,
        {
          fixId: 'desktop.settings',
          checkId: 'desktop.file-sharing',
          findingId: null,
          target: null,
          params: { file, key: 'cpus', value: 2 },
        },
        noController('Docker Desktop'),
        env,
      );
    const refuse = async (file: string, why: RegExp) => assert.rejects(async () => validatePlan(await planFor(file), env, new Set()), why);
    // The settings directory is a link to /etc/docker: the path matches Desktop's, the write would land in /etc.
    await put(root, '/etc/docker/settings.json', '{\n  "cpus": 8\n}\n', 0o644);
    await fs.mkdir(path.join(root, 'home/ada/.docker'), { recursive: true });
    await fs.symlink(path.join(root, 'etc/docker'), path.join(root, 'home/ada/.docker/desktop'));
    await refuse(
      '/home/ada/.docker/desktop/settings.json',
      /is not in one of Docker Desktop's settings directories under .*resolves to .*\/etc\/docker\/settings\.json/,
    );
    // The settings file itself is a link.
    const store = '/home/ada/Library/Group Containers/group.com.docker/settings-store.json';
    await fs.symlink(path.join(root, 'etc/docker/settings.json'), path.join(root, store));
    await refuse(store, /is a symbolic link/);
    // A file in the right place that someone else owns (a user planted it in this root-owned home).
    await fs.rm(path.join(root, store));
    await put(root, store, '{\n  "cpus": 8\n}\n', 0o644, 1000, 1000);
    await refuse(store, /belongs to uid 1000, not to the owner of/);
    // The right name in the wrong place.
    await put(root, '/home/ada/settings.json', '{\n  "cpus": 8\n}\n', 0o600, 1000, 1000);
    await refuse('/home/ada/settings.json', /not in one of Docker Desktop's settings directories/);
  });
});
