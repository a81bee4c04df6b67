// issue 15, "Writes replace what they should not" and escape 4, for real: the built `dockhand` run as root against a
// private dockerd. `audit -o` onto a FIFO and onto a private character device (mknod c 1 3 in the test's own
// directory, never the host's /dev/null) leaves them as they were; a directory is refused with exit 2; a daemon.json
// that is a symlink is still the same symlink after a fix is applied, rolled back and undone; and the root helper
// refuses a plan whose settings directory an unprivileged user swapped for a link to a root-owned one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { type FixPlan, type FixRecord, FixRecordSchema } from '../../shared/fix';
import { computeFileChanges } from '../../main/fix/plan';
import { dockhand } from '../support/cli';
import { ping, type PrivateDockerd, runningDockerd } from '../support/dockerd';
import { NOBODY } from '../support/elevation';
import { fifoWithReader } from '../support/fifo';

const run = promisify(execFile);
const ORIGINAL = '{\n    "debug": false\n}\n';
const asNobody = (script: string) =>
  run('setpriv', [`--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, '--clear-groups', 'sh', '-c', script]);

interface Setup {
  daemon: PrivateDockerd;
  /** Holds etc/daemon.json -> ../real/daemon.json, the daemon's --config-file. */
  conf: string;
  link: string;
  real: string;
  env: NodeJS.ProcessEnv;
}

async function planJson(s: Setup, fixId: string): Promise<FixPlan> {
  const r = await dockhand(['fix', 'plan', fixId, '--host', s.daemon.host, '--format', 'json'], { env: s.env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as FixPlan;
}

async function applyJson(s: Setup, args: string[]): Promise<{ code: number | null; record: FixRecord; stderr: string }> {
  const r = await dockhand(['fix', 'apply', ...args, '--host', s.daemon.host, '--yes', '--format', 'json'], { env: s.env });
  assert.ok(r.stdout, r.stderr);
  return { code: r.code, record: FixRecordSchema.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

/** Same link, same relative text, and the bytes behind it. */
async function assertLinkKept(s: Setup, bytes: string | RegExp): Promise<void> {
  assert.ok((await fs.lstat(s.link)).isSymbolicLink(), `${s.link} is still a symlink`);
  assert.equal(await fs.readlink(s.link), '../real/daemon.json');
  assert.ok((await fs.lstat(s.real)).isFile());
  const text = await fs.readFile(s.real, 'utf8');
  if (typeof bytes === 'string') assert.equal(text, bytes);
  else assert.match(text, bytes);
  for (const d of ['etc', 'real'])
    assert.deepEqual(
      (await fs.readdir(path.join(s.conf, d))).filter((n) => n.endsWith('.tmp')),
      [],
      `no temporary file left in ${d}`,
    );
}

describe('writes land where they should (the real CLI, as root)', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  let s: Setup;
  let work: string;
  before(async () => {
    const conf = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-conf-'));
    await fs.mkdir(path.join(conf, 'etc'));
    await fs.mkdir(path.join(conf, 'real'));
    const link = path.join(conf, 'etc', 'daemon.json');
    await fs.symlink('../real/daemon.json', link);
    const daemon = await runningDockerd({ configPath: link, daemonJson: ORIGINAL });
    const env = {
      ...process.env,
      DOCKHAND_DAEMON_CONTROLLER: `process:${await daemon.controllerRecord()}`,
      DOCKHAND_STATE_DIR: path.join(daemon.dir, 'state'),
    };
    s = { daemon, conf, link, real: path.join(conf, 'real', 'daemon.json'), env };
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-out-'));
    await fs.chmod(work, 0o755); // nobody makes its home below it
  });
  after(async () => {
    await s?.daemon.stop();
    if (s) await fs.rm(s.conf, { recursive: true, force: true });
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('audit -o onto a FIFO writes the report through the pipe; the FIFO stays a FIFO', async () => {
    const fifo = path.join(work, 'report.fifo');
    const { read } = await fifoWithReader(fifo);
    const r = await dockhand(['audit', '--host', s.daemon.host, '--format', 'json', '-o', fifo], { env: s.env });
    const got = await read;
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.ok(Array.isArray((JSON.parse(got) as { findings: unknown[] }).findings));
    assert.ok((await fs.lstat(fifo)).isFIFO());
    assert.deepEqual(await fs.readdir(work), ['report.fifo']);
  });

  test('audit -o and --facts-out onto a private character device (c 1 3) leave it that device', async () => {
    const dev = path.join(work, 'null');
    await run('mknod', ['-m', '0666', dev, 'c', '1', '3']);
    const before = await fs.lstat(dev);
    const r = await dockhand(['audit', '--host', s.daemon.host, '--format', 'json', '-o', dev, '--facts-out', dev], { env: s.env });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const now = await fs.lstat(dev);
    assert.ok(now.isCharacterDevice(), 'still a character device, not a regular file renamed over it');
    assert.deepEqual([now.ino, now.rdev, now.mode, now.uid], [before.ino, before.rdev, before.mode, before.uid]);
    assert.deepEqual((await fs.readdir(work)).sort(), ['null', 'report.fifo']);
    await fs.rm(dev);
  });

  test('audit -o onto a directory is refused with exit 2 and a message, nothing written into it', async () => {
    const dir = path.join(work, 'reports');
    await fs.mkdir(dir);
    const r = await dockhand(['audit', '--host', s.daemon.host, '--format', 'json', '-o', dir], { env: s.env });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cannot write .*reports: it is a directory, not a file/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await fs.readdir(dir), []);
  });

  test('a symlinked daemon.json: apply writes its target and keeps the link; undo restores the bytes, link kept', async () => {
    const { code, record, stderr } = await applyJson(s, ['daemon.log-rotation']);
    assert.equal(code, 0, stderr);
    assert.equal(record.outcome, 'applied', record.message);
    await assertLinkKept(s, /"log-opts": \{\n\s+"max-size": "10m"/);
    assert.ok(await ping(s.daemon.socket), 'the daemon came back reading the link');
    const undo = await dockhand(['fix', 'undo', record.id, '--host', s.daemon.host, '--format', 'json'], { env: s.env });
    assert.equal(undo.code, 0, undo.stderr);
    await assertLinkKept(s, ORIGINAL);
  });

  test('a symlinked daemon.json: a change the daemon will not start with is rolled back onto the target, link kept', async () => {
    const template = await planJson(s, 'daemon.live-restore');
    // A value the pre-flight rightly passes (vfs needs nothing of the kernel) that the real start refuses because of the
    // host's state: the data-root holds a file where vfs keeps its layers (btrfs on ext4 is now refused before apply).
    const blocker = path.join(s.daemon.dir, 'data', 'vfs');
    await fs.writeFile(blocker, 'not a directory');
    try {
      const operations: FixPlan['operations'] = [
        { op: 'daemon-json.set', file: s.link, path: ['storage-driver'], value: 'vfs' },
        { op: 'daemon.restart' },
      ];
      const plan: FixPlan = {
        ...template,
        fixId: 'hand-made',
        checkId: 'daemon.storage-driver',
        operations,
        files: await computeFileChanges(operations, { root: '/', home: '/root' }),
        verification: { kind: 'finding', checkId: 'daemon.storage-driver', target: null },
      };
      const file = path.join(work, 'rollback-plan.json');
      await fs.writeFile(file, JSON.stringify(plan));
      const { code, record, stderr } = await applyJson(s, [file, '--up-timeout', '15000']);
      assert.equal(code, 5, stderr);
      assert.equal(record.outcome, 'rolled-back', record.message);
      await assertLinkKept(s, ORIGINAL);
      assert.ok(await ping(s.daemon.socket), 'the daemon is up again with the original file');
    } finally {
      await fs.rm(blocker, { force: true });
    }
  });

  test('the root helper refuses a settings directory an unprivileged user swapped for a link to a root-owned one', async () => {
    // nobody's home, with a Desktop settings file of theirs; root's directory holds a file of the same name.
    const home = path.join(work, 'home-nobody');
    await fs.mkdir(home);
    await fs.chown(home, NOBODY.uid, NOBODY.gid);
    await asNobody(`mkdir -p ${home}/.docker/desktop && printf '{"analyticsEnabled": true}\\n' > ${home}/.docker/desktop/settings.json`);
    const victimDir = path.join(work, 'root-only');
    await fs.mkdir(victimDir, { mode: 0o755 });
    const victim = path.join(victimDir, 'settings.json');
    await fs.writeFile(victim, '{"analyticsEnabled": true}\n');
    const victimBefore = await fs.stat(victim);
    const file = path.join(home, '.docker/desktop/settings.json');
    const template = await planJson(s, 'daemon.live-restore');
    const operations: FixPlan['operations'] = [{ op: 'desktop-settings.set', file, key: 'analyticsEnabled', value: false }];
    // The swap: the plan's bytes now match root's file behind the link, as an attacker would arrange.
    await asNobody(`mv ${home}/.docker/desktop ${home}/.docker/desktop.old && ln -s ${victimDir} ${home}/.docker/desktop`);
    const plan: FixPlan = {
      ...template,
      fixId: 'desktop.settings',
      checkId: 'desktop.analytics',
      operations,
      files: await computeFileChanges(operations, { root: '/', home: '/root' }),
      restart: false,
      verification: { kind: 'none', why: 'test' },
    };
    const r = await dockhand(['fix', 'helper'], { env: s.env, input: JSON.stringify(plan) });
    assert.equal(r.code, 2, `${r.stderr}\n${r.stdout}`);
    // The helper never writes Desktop settings (they are the user's own), so the swapped link is never followed.
    assert.match(r.stderr, /refused: Docker Desktop settings belong to you, not root: apply this fix without elevation/);
    const after = await fs.stat(victim);
    assert.equal(await fs.readFile(victim, 'utf8'), '{"analyticsEnabled": true}\n');
    assert.deepEqual([after.ino, after.mtimeMs], [victimBefore.ino, victimBefore.mtimeMs]);
    assert.deepEqual(await fs.readdir(victimDir), ['settings.json']);
  });
});
