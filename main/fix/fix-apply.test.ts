// The fix engine end to end, through the `dockhand fix` command, against a real private dockerd restarted by the
// process controller (pidfile + recorded arguments): plan → apply → verify → history → undo, and the fault suite.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { type FixPlan, type FixRecord, FixRecordSchema } from '../../shared/fix';
import { dockhand } from '../../test/support/cli';
import { forEachEngine, pidIn, ping, type PrivateDockerd, runningDockerd, type StartOptions } from '../../test/support/dockerd';
import { installRootSudo, NOBODY } from '../../test/support/elevation';
import { waitForExit } from '../util/process';
import { computeFileChanges } from './plan';
import { until } from '../../test/support/poll';

const run = promisify(execFile);
const ORIGINAL = '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"]\n}\n';

interface Daemon {
  daemon: PrivateDockerd;
  env: NodeJS.ProcessEnv;
  state: string;
}

async function start(options: StartOptions = {}): Promise<Daemon> {
  const daemon = await runningDockerd({ daemonJson: ORIGINAL, ...options });
  const state = path.join(daemon.dir, 'state');
  const env = { ...process.env, DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`, DOCKHAND_STATE_DIR: state };
  return { daemon, env, state };
}

const pidOf = async (d: PrivateDockerd) => Number((await fs.readFile(d.pidfile, 'utf8')).trim());

/** Stops the daemon and starts it again from its controller record (its own command line), waiting until it answers. */
async function restartWithRecord(daemon: PrivateDockerd): Promise<void> {
  const rec = JSON.parse(await fs.readFile(await daemon.controllerRecord(), 'utf8')) as { argv: string[] };
  const old = pidIn(daemon.pidfile);
  if (old) {
    process.kill(old, 'SIGTERM');
    assert.ok(await waitForExit(old, 60_000), `the daemon (pid ${old}) stopped`);
  }
  spawn(rec.argv[0]!, rec.argv.slice(1), { detached: true, stdio: 'ignore' }).unref();
  await until(() => ping(daemon.socket), { what: 'the daemon to answer again with its original configuration' });
}

async function planJson(d: Daemon, args: string[]): Promise<FixPlan> {
  const r = await dockhand(['fix', 'plan', ...args, '--host', d.daemon.host, '--format', 'json'], { env: d.env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as FixPlan;
}

async function applyJson(
  d: Daemon,
  args: string[],
  extra: string[] = [],
): Promise<{ code: number | null; record: FixRecord | null; stderr: string }> {
  const r = await dockhand(['fix', 'apply', ...args, '--host', d.daemon.host, '--yes', '--format', 'json', ...extra], { env: d.env });
  return { code: r.code, record: r.stdout ? FixRecordSchema.parse(JSON.parse(r.stdout)) : null, stderr: r.stderr };
}

/** A plan a user could hand to `fix apply`: allowlisted operations with a value the pre-flight cannot judge. */
async function handPlan(d: Daemon, operations: FixPlan['operations'], checkId: string): Promise<string> {
  const template = await planJson(d, ['daemon.live-restore']);
  const files = await computeFileChanges(operations, { root: '/', home: '/root' });
  const plan: FixPlan = {
    ...template,
    fixId: 'hand-made',
    checkId,
    operations,
    files,
    verification: { kind: 'finding', checkId, target: null },
  };
  const file = path.join(d.daemon.dir, `plan-${Date.now()}.json`);
  await fs.writeFile(file, JSON.stringify(plan));
  return file;
}

/**
 * Runs `dockhand` as nobody against the daemon (its socket opened to nobody), with `sudo` first on PATH: a recording
 * stand-in that runs its argv as is (still nobody), or, with `rootEnv`, one that really becomes root.
 */
async function asNobody(
  d: Daemon,
  rootEnv: Record<string, string> | null,
  work: (tools: {
    run: (args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;
    argvLog: string;
    userState: string;
  }) => Promise<void>,
): Promise<void> {
  const fake = await fs.mkdtemp(path.join(d.daemon.dir, 'fakebin-'));
  const userState = path.join(fake, 'state');
  const sudo = rootEnv ? await installRootSudo(fake, rootEnv) : { argvLog: path.join(fake, 'sudo.argv'), remove: async () => undefined };
  if (!rootEnv)
    await fs.writeFile(path.join(fake, 'sudo'), `#!/bin/sh\necho "$@" >> ${sudo.argvLog}\ntee ${fake}/sudo.stdin | "$@"\n`, {
      mode: 0o755,
    });
  await fs.chmod(d.daemon.dir, 0o755);
  await fs.chmod(fake, 0o777);
  await fs.chmod(d.daemon.socket, 0o666);
  const env = { ...d.env, PATH: `${fake}:${process.env.PATH}`, HOME: '/nonexistent', DOCKHAND_STATE_DIR: userState };
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/dockhand.cjs'), ...args], { env, ...NOBODY });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  try {
    await work({ run, argvLog: sudo.argvLog, userState });
  } finally {
    await sudo.remove();
    await fs.chmod(d.daemon.socket, 0o660);
    await fs.chmod(d.daemon.dir, 0o700);
  }
}

forEachEngine('dockhand fix: plan, apply, verify, history, undo', (engine, test) => {
  let d: Daemon;
  before(async () => {
    d = await start({ engine });
  });
  after(async () => d?.daemon.stop());

  test('the plan shows the exact diff, the restart commands, no elevation for root, and how it is verified', async () => {
    const plan = await planJson(d, ['daemon.log-rotation']);
    assert.equal(plan.fixId, 'daemon.log-rotation');
    assert.deepEqual(
      plan.files.map((f) => f.path),
      [d.daemon.configPath],
    );
    assert.match(plan.files[0]!.diff, /\+    "log-opts": \{\n\+        "max-size": "10m",\n\+        "max-file": "3"\n\+    \}/);
    assert.match(
      plan.files[0]!.diff,
      /-    "insecure-registries": \["10\.0\.0\.5:5000"\]\n\+    "insecure-registries": \["10\.0\.0\.5:5000"\],/,
    );
    assert.equal(plan.controller.kind, 'process');
    assert.ok(
      plan.commands.some((c) => c.argv.some((a) => path.basename(a) === 'dockerd')),
      JSON.stringify(plan.commands),
    );
    assert.deepEqual(plan.elevation, { needed: false, why: null });
    assert.deepEqual(plan.verification, { kind: 'finding', checkId: 'daemon.log-rotation', target: null });
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL, 'planning changes nothing');
    const text = await dockhand(['fix', 'plan', 'daemon.log-rotation', '--host', d.daemon.host], { env: d.env });
    assert.match(text.stdout, /Changes .*daemon\.json\n=+\n--- a\//);
    assert.match(text.stdout, /Verification: audit again; daemon.log-rotation must pass/);
  });

  test('apply edits only that key, restarts the daemon, verifies the finding passes; undo restores the original bytes', async () => {
    const pidBefore = await pidOf(d.daemon);
    const { code, record, stderr } = await applyJson(d, ['daemon.log-rotation']);
    assert.equal(code, 0, stderr);
    assert.equal(record!.outcome, 'applied');
    assert.equal(record!.before, 'fail');
    assert.equal(record!.after, 'pass');
    const now = await fs.readFile(d.daemon.configPath, 'utf8');
    assert.equal(
      now,
      '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"],\n    "log-opts": {\n        "max-size": "10m",\n        "max-file": "3"\n    }\n}\n',
    );
    assert.notEqual(await pidOf(d.daemon), pidBefore, 'the daemon was restarted');
    assert.ok(await ping(d.daemon.socket));
    const info = JSON.parse(await d.daemon.docker(['info', '--format', '{{json .}}'])) as { LoggingDriver: string };
    assert.equal(info.LoggingDriver, 'json-file');

    const history = await dockhand(['fix', 'history'], { env: d.env });
    assert.match(history.stdout, new RegExp(`${record!.id}  applied +daemon\\.log-rotation`));

    const undo = await dockhand(['fix', 'undo', '--host', d.daemon.host], { env: d.env });
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stdout, /undone: .*daemon\.json restored and the daemon restarted/);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
    assert.ok(await ping(d.daemon.socket));
  });

  test('removing the only insecure registry takes the key out of the file, and the running daemon drops it', async () => {
    const { code, record, stderr } = await applyJson(d, ['daemon.insecure-registries', '--target', '10.0.0.5:5000']);
    assert.equal(code, 0, stderr);
    assert.equal(record!.outcome, 'applied', record!.message);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), '{\n    "debug": false\n}\n');
    const info = JSON.parse(await d.daemon.docker(['info', '--format', '{{json .RegistryConfig.IndexConfigs}}'])) as Record<
      string,
      unknown
    >;
    assert.ok(!('10.0.0.5:5000' in info), JSON.stringify(info));
    const undo = await dockhand(['fix', 'undo', record!.id, '--host', d.daemon.host], { env: d.env });
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
  });

  test('undo with nothing to undo, an unknown id, or a malformed controller record: a clear message, exit 2', async () => {
    const empty = { ...d.env, DOCKHAND_STATE_DIR: path.join(d.daemon.dir, 'empty-state') };
    let r = await dockhand(['fix', 'undo', '--host', d.daemon.host], { env: empty });
    assert.deepEqual([r.code, r.stderr.trim()], [2, 'dockhand: no applied fix to undo (see `dockhand fix history`)']);
    r = await dockhand(['fix', 'undo', '20260101T000000Z-abcdef', '--host', d.daemon.host], { env: empty });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no applied fix 20260101T000000Z-abcdef/);
    r = await dockhand(['fix', 'plan', 'daemon.experimental', '--host', d.daemon.host], { env: d.env });
    assert.deepEqual([r.code, r.stderr.trim()], [2, 'dockhand: daemon.experimental passes on this host: there is nothing to fix']);
    r = await dockhand(['fix', 'plan', 'no.such-check', '--host', d.daemon.host], { env: d.env });
    assert.match(r.stderr, /no check no\.such-check \(see `dockhand checks`\)/);
    r = await dockhand(['fix', 'plan', 'daemon.icc', '--host', d.daemon.host], {
      env: { ...d.env, DOCKHAND_DAEMON_CONTROLLER: 'systemd' },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DOCKHAND_DAEMON_CONTROLLER must be process:/);
  });

  test('a plan whose daemon.json would not start dockerd is refused up front (exit 3), nothing changes', async () => {
    const file = await handPlan(
      d,
      [{ op: 'daemon-json.set', file: d.daemon.configPath, path: ['log-level'], value: 'loud' }, { op: 'daemon.restart' }],
      'daemon.log-level',
    );
    const pid = await pidOf(d.daemon);
    const r = await applyJson(d, [file]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /would not start: .*log-level/);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
    assert.equal(await pidOf(d.daemon), pid, 'not restarted');
  });

  test("a plan whose value dockerd checks on the host is refused up front with this host's facts (exit 3), nothing changes", async () => {
    // Before the plan's pre-flight had host facts, this was a warning, the apply went ahead and dockerd refused to start.
    const file = await handPlan(
      d,
      [{ op: 'daemon-json.set', file: d.daemon.configPath, path: ['storage-driver'], value: 'btrfs' }, { op: 'daemon.restart' }],
      'daemon.storage-driver',
    );
    const pid = await pidOf(d.daemon);
    const r = await applyJson(d, [file]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /would not start: .*the storage driver btrfs needs data-root on btrfs, not \S+/);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
    assert.equal(await pidOf(d.daemon), pid, 'not restarted');
  });

  test('undo after the file was edited by hand: warns with the three-way difference and does not clobber without --force', async () => {
    const applied = await applyJson(d, ['daemon.icc']);
    assert.equal(applied.record?.outcome, 'applied', applied.stderr);
    const edited = (await fs.readFile(d.daemon.configPath, 'utf8')).replace('"debug": false', '"debug": true');
    await fs.writeFile(d.daemon.configPath, edited);
    const refused = await dockhand(['fix', 'undo', applied.record!.id, '--host', d.daemon.host], { env: d.env });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /changed since the fix: undo would discard those edits/);
    assert.match(refused.stdout, /what the fix changed\n[^]*\+    "icc": false/);
    assert.match(refused.stdout, /what changed since\n[^]*-    "debug": false,\n\+    "debug": true,/);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), edited, 'left alone');
    const forced = await dockhand(['fix', 'undo', applied.record!.id, '--force', '--host', d.daemon.host], { env: d.env });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
  });

  test('not root: the plan says elevation is needed and apply hands it to one helper invocation (sudo) on stdin', async () => {
    // A stand-in `sudo` records what it is given and runs it as is (still nobody), so the real helper then refuses for
    // want of root: nothing changes.
    await asNobody(d, null, async ({ run, argvLog }) => {
      const plan = await run(['fix', 'plan', 'daemon.live-restore', '--host', d.daemon.host, '--format', 'json']);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match((JSON.parse(plan.stdout) as FixPlan).elevation.why ?? '', /daemon\.json is not writable by you/);
      const r = await run(['fix', 'apply', 'daemon.live-restore', '--host', d.daemon.host, '--yes']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /the fix helper runs as root only/);
      assert.match(r.stderr, /the elevated helper \(sudo\) ended with code 2 and no result/);
      assert.match(await fs.readFile(argvLog, 'utf8'), /node.* .*bin\/dockhand\.cjs fix helper\n$/);
      const handed = JSON.parse(await fs.readFile(path.join(path.dirname(argvLog), 'sudo.stdin'), 'utf8')) as FixPlan;
      assert.equal(handed.fixId, 'daemon.live-restore');
      assert.equal(handed.elevation.needed, true);
      assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
    });
  });

  test('not root, elevated for real: the helper applies as root, steps stream back, History lists it, Undo goes back through the helper', async () => {
    // `sudo` here really becomes root (a setuid-root copy of setpriv in the test's own directory) and resets the
    // environment as sudo does: the helper finds root's journal and this daemon's controller on its own.
    const rootState = path.join(d.daemon.dir, 'root-state');
    await asNobody(
      d,
      { DOCKHAND_STATE_DIR: rootState, DOCKHAND_DAEMON_CONTROLLER: d.env.DOCKHAND_DAEMON_CONTROLLER! },
      async ({ run, argvLog, userState }) => {
        const applied = await run(['fix', 'apply', 'daemon.live-restore', '--host', d.daemon.host, '--yes']);
        assert.equal(applied.code, 0, applied.stderr);
        // The text output prints each step as it arrives (the helper writes one JSON line per step), then the record.
        assert.match(applied.stderr, /✓ backup: saved the original .*daemon\.json[^]*✓ write: [^]*✓ verify: /);
        assert.match(applied.stdout, /APPLIED {2}daemon\.live-restore/);
        assert.match(await fs.readFile(d.daemon.configPath, 'utf8'), /"live-restore": true/);
        const stat = await fs.stat(d.daemon.configPath);
        assert.deepEqual([stat.uid, stat.mode & 0o777], [0, 0o644], "still root's file, same mode");

        // Root's journal holds the record and the backup; the user's holds a copy marked elevated, and no backup.
        const history = await run(['fix', 'history', '--format', 'json']);
        const { records } = JSON.parse(history.stdout) as { records: FixRecord[] };
        assert.equal(records.length, 1, history.stderr);
        assert.deepEqual([records[0]!.outcome, records[0]!.elevated], ['applied', true]);
        const id = records[0]!.id;
        assert.deepEqual(await fs.readdir(path.join(userState, 'fixes', id)), ['record.json']);
        assert.deepEqual((await fs.readdir(path.join(rootState, 'fixes', id))).sort(), ['0.orig', 'record.json']);

        const undone = await run(['fix', 'undo']);
        assert.equal(undone.code, 0, undone.stderr);
        assert.match(undone.stdout, /undone: .*daemon\.json restored/);
        assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL, 'the original bytes, through the helper');
        const after = JSON.parse((await run(['fix', 'history', '--format', 'json'])).stdout) as { records: FixRecord[] };
        assert.equal(after.records[0]!.outcome, 'undone', "the user's copy follows");
        const argv = (await fs.readFile(argvLog, 'utf8')).trim().split('\n');
        assert.equal(argv.length, 2);
        assert.match(argv[0]!, /bin\/dockhand\.cjs fix helper$/);
        assert.match(argv[1]!, new RegExp(`bin/dockhand\\.cjs fix helper --undo ${id}$`));
      },
    );
  });

  test('the elevated helper refuses a path outside the allowlist or an unknown operation, even handed a plan directly', async () => {
    const plan = await planJson(d, ['daemon.live-restore']);
    const outside = { ...plan, operations: [{ op: 'daemon-json.set', file: '/etc/passwd', path: ['x'], value: 1 }] };
    let r = await dockhand(['fix', 'helper'], { env: d.env, input: JSON.stringify(outside) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refused: \/etc\/passwd is not a daemon\.json this host's Docker uses/);
    const unknown = { ...plan, operations: [{ op: 'shell.run', argv: ['rm', '-rf', '/'] }] };
    r = await dockhand(['fix', 'helper'], { env: d.env, input: JSON.stringify(unknown) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a valid fix plan: operations\.0/);
    const tampered = { ...plan, files: plan.files.map((f) => ({ ...f, after: '{"hosts": ["tcp://0.0.0.0:2375"]}' })) };
    r = await dockhand(['fix', 'helper'], { env: d.env, input: JSON.stringify(tampered) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refused: the content planned for .* is not what its operations produce/);
    assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
  });
});

forEachEngine('fix rollback when the new config stops dockerd', (engine, test) => {
  test('the new config makes dockerd refuse to start: rolled back, original bytes, daemon up', async () => {
    const d = await start({ engine });
    try {
      // A value the pre-flight rightly passes (vfs is built into every engine and needs nothing of the kernel) that the
      // real start refuses because of the host's state: the data-root holds a file where vfs keeps its layers. The
      // pre-flight does not read a data-root's contents; the apply's verify-and-roll-back is what covers this.
      await fs.writeFile(path.join(d.daemon.dir, 'data', 'vfs'), 'not a directory');
      const operations: FixPlan['operations'] = [
        { op: 'daemon-json.set', file: d.daemon.configPath, path: ['storage-driver'], value: 'vfs' },
        { op: 'daemon.restart' },
      ];
      const file = await handPlan(d, operations, 'daemon.storage-driver');
      const r = await applyJson(d, [file], ['--up-timeout', '15000']);
      assert.equal(r.code, 5, r.stderr);
      assert.equal(r.record!.outcome, 'rolled-back');
      assert.match(r.record!.message, /did not come back with the change \(the daemon exited [\d.]+ s after it was started again\)/);
      assert.match(r.record!.message, /graphdriver|vfs/, "says why, from the daemon's own log");
      assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
      assert.ok(await ping(d.daemon.socket), 'the daemon is up again');
    } finally {
      await d.daemon.stop();
    }
  });
});

describe('fix faults: the host is never left worse', () => {
  test('the daemon hangs on restart: timeout, rollback, daemon up', async () => {
    const d = await start();
    try {
      // A start that never answers: the recorded command blocks (as a hung dockerd would) when the fix's key is present.
      const record = JSON.parse(await fs.readFile(await d.daemon.controllerRecord(), 'utf8')) as {
        pidfile: string;
        argv: string[];
        log: string;
      };
      const script = path.join(d.daemon.dir, 'start.sh');
      await fs.writeFile(
        script,
        `#!/bin/sh\nif grep -q '"live-restore"' ${d.daemon.configPath}; then echo $$ > ${record.pidfile}; exec sleep 600; fi\nexec "$@"\n`,
        { mode: 0o755 },
      );
      const hung = path.join(d.daemon.dir, 'hung.json');
      await fs.writeFile(hung, JSON.stringify({ ...record, argv: [script, ...record.argv] }));
      const env = { ...d.env, DOCKHAND_DAEMON_CONTROLLER: `process:${hung}` };
      const r = await dockhand(
        ['fix', 'apply', 'daemon.live-restore', '--host', d.daemon.host, '--yes', '--format', 'json', '--up-timeout', '3000'],
        { env },
      );
      assert.equal(r.code, 5, `${r.stderr}\n${r.stdout}`);
      const rec = FixRecordSchema.parse(JSON.parse(r.stdout));
      assert.equal(rec.outcome, 'rolled-back');
      assert.match(rec.message, /did not answer within 3 s/);
      assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
      assert.ok(await ping(d.daemon.socket));
    } finally {
      await d.daemon.stop();
    }
  });

  test('a read-only filesystem, and a full disk during the write: clear error, original intact, daemon untouched', async () => {
    const mnt = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-mnt-'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    const configPath = path.join(mnt, 'daemon.json');
    await fs.writeFile(configPath, ORIGINAL);
    const d = await start({ configPath, daemonJson: undefined });
    try {
      const pid = await pidOf(d.daemon);
      await run('mount', ['-o', 'remount,ro', mnt]);
      let r = await applyJson(d, ['daemon.live-restore']);
      assert.equal(r.code, 6, r.stderr);
      assert.equal(r.record!.outcome, 'failed');
      assert.match(r.record!.message, /is on a read-only filesystem; nothing was left changed/);
      await run('mount', ['-o', 'remount,rw', mnt]);
      // Fill the tmpfs so the temporary copy cannot be written.
      await run('sh', ['-c', `dd if=/dev/zero of=${mnt}/filler bs=1k count=200 2>/dev/null || true`]);
      r = await applyJson(d, ['daemon.live-restore']);
      assert.equal(r.code, 6, r.stderr);
      assert.match(r.record!.message, /no space left on the device holding/);
      assert.equal(await fs.readFile(configPath, 'utf8'), ORIGINAL);
      assert.deepEqual((await fs.readdir(mnt)).sort(), ['daemon.json', 'filler'], 'no temporary file left behind');
      assert.equal(await pidOf(d.daemon), pid, 'never restarted');
    } finally {
      await d.daemon.stop();
      await run('umount', ['-l', mnt]).catch(() => undefined);
      await fs.rm(mnt, { recursive: true, force: true });
    }
  });

  test('permission denied (an immutable daemon.json, which even root cannot replace): clear error, original intact', async () => {
    const d = await start();
    try {
      const pid = await pidOf(d.daemon);
      await run('chattr', ['+i', d.daemon.configPath]);
      try {
        const r = await applyJson(d, ['daemon.live-restore']);
        assert.equal(r.code, 6, r.stderr);
        assert.match(r.record!.message, /permission denied replacing .*daemon\.json even as root \(EPERM\): is it immutable/);
      } finally {
        await run('chattr', ['-i', d.daemon.configPath]);
      }
      assert.equal(await fs.readFile(d.daemon.configPath, 'utf8'), ORIGINAL);
      assert.deepEqual(
        (await fs.readdir(d.daemon.dir)).filter((n) => n.includes('.tmp')),
        [],
        'the temporary copy is cleaned up',
      );
      assert.equal(await pidOf(d.daemon), pid, 'never restarted');
    } finally {
      await d.daemon.stop();
    }
  });

  test('two applies of plans made against the same file: one applies, the other is refused, never a mixed file', async () => {
    const d = await start();
    try {
      const planFile = async (check: string) => {
        const file = path.join(d.daemon.dir, `${check}.plan.json`);
        const r = await dockhand(['fix', 'plan', check, '--host', d.daemon.host, '-o', file], { env: d.env });
        assert.equal(r.code, 0, r.stderr);
        return file;
      };
      const plans = [await planFile('daemon.live-restore'), await planFile('daemon.icc')];
      const results = await Promise.all(plans.map((p) => applyJson(d, [p])));
      const applied = results.filter((r) => r.record?.outcome === 'applied');
      const refused = results.filter((r) => r.record?.outcome !== 'applied');
      assert.equal(applied.length, 1, results.map((r) => r.stderr).join('\n'));
      const loser = refused[0]!;
      // Refused before the lock (the file had already changed), or after waiting for it (changed meanwhile).
      // Or before it could prove which daemon it would restart, because the winner was restarting it just then.
      if (loser.record) assert.match(loser.record.message, /changed while the fix was being applied: nothing was left changed/);
      else
        assert.match(
          loser.stderr,
          /has changed since the plan was made: plan again|the daemon it would restart is not proven: .*no daemon listens there/,
        );
      const text = await fs.readFile(d.daemon.configPath, 'utf8');
      assert.ok(JSON.parse(text), 'valid JSON');
      assert.ok(text.includes('"live-restore": true') !== text.includes('"icc": false'), 'exactly one of the two fixes is in the file');
      assert.ok(await ping(d.daemon.socket));
    } finally {
      await d.daemon.stop();
    }
  });

  test('killing the apply at each of its steps, many times: the file is always the old or the new bytes, never a mix', async () => {
    const d = await start();
    try {
      const plan = await planJson(d, ['daemon.icc']);
      const planned = plan.files[0]!.after!;
      // Where each kill lands, known rather than guessed: the apply's own progress lines on stderr (the plan shown;
      // each step as it is journaled), and the test hook that stops the writer with the temporary copy written but
      // not yet renamed over daemon.json (the one moment a SIGKILL can leave a temporary file).
      const beforeRename = `write-file:before-rename=${d.daemon.configPath}`;
      const moments = [
        { name: 'the plan shown', line: 'Fix daemon.', bytes: ORIGINAL, temporary: false },
        { name: 'before the rename', line: `dockhand-test-hook: ${beforeRename} `, hook: beforeRename, bytes: ORIGINAL, temporary: true },
        { name: 'written', line: 'write:', bytes: planned, temporary: false },
        { name: 'restarting', line: 'restart:', bytes: planned, temporary: false },
      ];
      const runs = moments.length * 3;
      let sawNew = 0;
      let sawOld = 0;
      let leftDown = 0;
      for (let i = 0; i < runs; i++) {
        const moment = moments[i % moments.length]!;
        const pidBefore = pidIn(d.daemon.pidfile);
        const env = moment.hook ? { ...d.env, DOCKHAND_TEST_HOOK: moment.hook } : d.env;
        const child = spawn(
          process.execPath,
          [path.resolve('bin/dockhand.cjs'), 'fix', 'apply', 'daemon.icc', '--host', d.daemon.host, '--yes'],
          { env, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        const closed = new Promise((r) => child.once('close', r));
        let seen = '';
        const reached = await new Promise<boolean>((resolve) => {
          child.stderr!.on('data', (chunk: Buffer) => {
            seen += chunk.toString('utf8');
            if (seen.includes(moment.line)) resolve(true);
          });
          child.once('close', () => resolve(false));
        });
        assert.ok(reached, `run ${i}: the apply ended before "${moment.name}":\n${seen}`);
        child.kill('SIGKILL');
        await closed;
        const text = await fs.readFile(d.daemon.configPath, 'utf8');
        assert.equal(
          text,
          moment.bytes,
          `run ${i}: killed ${moment.name}, daemon.json holds the ${moment.bytes === ORIGINAL ? 'old' : 'new'} bytes`,
        );
        if (text === planned) sawNew++;
        else sawOld++;
        // Only a kill between the temporary file's creation and its rename leaves one (SIGKILL cannot be caught), and
        // the next write of the file removes it (the run after the hook's writes daemon.json).
        const leftovers = (await fs.readdir(d.daemon.dir)).filter((n) => n.includes('.tmp'));
        if (moment.temporary)
          assert.match(
            leftovers.join(' '),
            new RegExp(`^\\.daemon\\.json\\.dockhand-${child.pid}-\\d+-[0-9a-f]{8}\\.tmp$`),
            `run ${i}: the killed writer's temporary file`,
          );
        else assert.deepEqual(leftovers, [], `run ${i}: no temporary file left when killed ${moment.name}`);
        // Put the host back for the next run: original file, daemon up.
        await fs.writeFile(d.daemon.configPath, ORIGINAL);
        // A restart under way finishes on its own (the stop and start run detached from the killed apply).
        if (!(await until(() => ping(d.daemon.socket), { what: 'the daemon to answer after the kill' }).catch(() => false))) leftDown++;
        // A daemon restarted by the killed apply runs the new configuration: start it again with the original.
        if (pidIn(d.daemon.pidfile) !== pidBefore) await restartWithRecord(d.daemon);
        // A killed apply's fix lock went with it: the kernel released it when the process died.
      }
      const finished = await applyJson(d, ['daemon.icc']);
      assert.equal(finished.record?.outcome, 'applied', finished.stderr);
      assert.deepEqual(
        (await fs.readdir(d.daemon.dir)).filter((n) => n.includes('.tmp')),
        [],
        'a complete apply leaves no temporary file',
      );
      // For the record (the closing note's fault table): where the kills landed.
      console.log(`kill-mid-apply: ${runs} kills, old bytes ${sawOld}, new bytes ${sawNew}, partial 0, daemon left stopped ${leftDown}`);
      assert.equal(leftDown, 0, 'a kill never leaves the daemon stopped');
    } finally {
      await d.daemon.stop();
    }
  });
});
