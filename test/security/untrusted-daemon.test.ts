// Issue 15, escapes 1, 5 and 6, and "the wrong daemon is restarted", attacked for real: an unprivileged user (nobody)
// starts a fake "dockerd" (a copy of node named dockerd, in a directory of theirs, serving a fake Engine API on a socket
// of theirs, its command line naming a root-owned VICTIM as --config-file, its own pidfile, and the real daemon's
// socket), then runs the real helper as root through a stand-in sudo with plans written by hand. Nothing of the
// attacker's may be written, run as root or signalled; the honest restart must hit only the audited daemon.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Facts } from '../../shared/facts';
import { type FixOperation } from '../../shared/fix';
import { detectController } from '../../main/fix/controllers';
import { computeFileChanges } from '../../main/fix/plan';
import { proveDaemon } from '../../main/host/trusted-daemon';
import { pidIn, type PrivateDockerd, runningDockerd } from '../support/dockerd';
import { type HelperRun, installRootSudo, NOBODY, type RootSudo, runHelperAs } from '../support/elevation';
import { type HostileDaemon, startHostileDaemon } from '../support/hostile-daemon';
import { handMadePlan } from '../support/fix-plan';

const ORIGINAL = '{\n    "debug": false\n}\n';
/**
 * Stands for a root-owned file that is not this daemon's (a file a login shell sources); a daemon.json the pre-flight
 * accepts, so only the proof stands between it and root's write (before it, the helper wrote it).
 */
const VICTIM_TEXT = '{"debug": false}\n';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the root helper acts only on a daemon the kernel proves', () => {
  let a: PrivateDockerd;
  let b: PrivateDockerd;
  let fake: HostileDaemon;
  let base: string;
  let victim: string;
  let rootState: string;
  const sudos: RootSudo[] = [];

  before(async () => {
    [a, b] = await Promise.all([
      runningDockerd({ daemonJson: ORIGINAL }),
      runningDockerd({ daemonJson: ORIGINAL, flags: ['--log-level', 'warn'] }),
    ]);
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-sec-'));
    await fs.chmod(base, 0o755);
    victim = path.join(base, 'profile');
    await fs.writeFile(victim, VICTIM_TEXT, { mode: 0o644 });
    rootState = path.join(base, 'root-state');
    // The attacker's process claims the real daemon's socket and names the victim and its own pidfile.
    fake = await startHostileDaemon(({ pidfile }) => ['--config-file', victim, '--pidfile', pidfile, '-H', a.host]);
  });
  after(async () => {
    for (const s of sudos) await s.remove();
    await fake?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await fs.rm(base, { recursive: true, force: true });
  });

  /** A plan as a user could write it by hand: allowlisted operations, the files they produce, nothing to verify. */
  async function handPlan(endpoint: string, operations: FixOperation[]): Promise<string> {
    const files = await computeFileChanges(operations, { root: '/', home: '/root' });
    const restart = operations.some((op) => op.op === 'daemon.restart');
    const plan = handMadePlan(operations, files, {
      id: randomUUID(),
      fixId: 'daemon.live-restore',
      checkId: 'daemon.live-restore',
      title: 'hand-made',
      endpoint,
      controller: { kind: 'process', detail: 'whatever the attacker says' },
      elevation: { needed: true, why: 'hand-made' },
      restart,
      verification: { kind: 'none', why: 'hand-made' },
    });
    return JSON.stringify(plan);
  }

  /** The real helper, run as root by nobody through the stand-in sudo, with `keep` as root's environment. */
  async function helperAsNobody(input: string, keep: Record<string, string> = {}): Promise<HelperRun> {
    const dir = await fs.mkdtemp(path.join(base, 'sudo-'));
    const sudo = await installRootSudo(dir, { DOCKHAND_STATE_DIR: rootState, ...keep });
    sudos.push(sudo);
    return runHelperAs(sudo, input, { who: NOBODY, cwd: '/', path: '/usr/bin:/bin' });
  }

  /** Nothing outside the allowlist changed, nothing of the attacker's ran as root, no signal reached its process. */
  async function assertUntouched(aPid: number): Promise<void> {
    assert.equal(await fs.readFile(victim, 'utf8'), VICTIM_TEXT, 'the victim file is byte-identical');
    await assert.rejects(fs.access(fake.marker), "nothing of the attacker's ran as root");
    assert.deepEqual(await fake.signals(), [], 'no signal reached the fake dockerd');
    assert.ok(fake.alive(), 'the fake dockerd is still running');
    assert.equal(await fs.readFile(a.configPath, 'utf8'), ORIGINAL, 'the real daemon.json is unchanged');
    assert.equal(pidIn(a.pidfile), aPid, 'the real daemon was not restarted');
  }

  const edit = (file: string): FixOperation[] => [
    { op: 'daemon-json.set', file, path: ['live-restore'], value: true },
    { op: 'daemon.restart' },
  ];

  test('the kernel proves the real daemon and not the process that calls itself dockerd', async () => {
    const proof = await proveDaemon(a.host);
    assert.ok(proof.ok, proof.ok ? '' : proof.why);
    assert.deepEqual([proof.daemon.pid, proof.daemon.exe, proof.daemon.uid], [pidIn(a.pidfile), await fs.realpath(a.args[0]!), 0]);
    assert.ok(proof.daemon.argv.includes(a.configPath) && !proof.daemon.argv.includes(victim), "the argv is the real daemon's own");
    const fakeProof = await proveDaemon(fake.host);
    assert.equal(fakeProof.ok, false);
    assert.match(fakeProof.ok ? '' : fakeProof.why, /sock belongs to uid 65534, not root/);
  });

  test("a plan naming the fake's endpoint and the victim: refused, the socket is not root's", async () => {
    const aPid = pidIn(a.pidfile)!;
    const r = await helperAsNobody(await handPlan(fake.host, edit(victim)));
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`refused: ${fake.socket} belongs to uid 65534, not root \\(a rootless daemon's fixes never need root`),
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    await assertUntouched(aPid);
  });

  test('a plan for the real endpoint writing the victim the fake names as its --config-file: refused', async () => {
    const aPid = pidIn(a.pidfile)!;
    const r = await helperAsNobody(await handPlan(a.host, edit(victim)));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`refused: ${victim} is not a daemon\\.json this host's Docker uses \\(allowed: ${a.configPath}\\)`));
    await assertUntouched(aPid);
  });

  test("the caller's DOCKHAND_DAEMON_CONTROLLER naming the fake's pidfile and a script: refused unless root's own and true", async () => {
    const aPid = pidIn(a.pidfile)!;
    const plan = await handPlan(a.host, edit(a.configPath));
    // The attacker's own record.
    const theirs = path.join(fake.dir, 'record.json');
    await fs.writeFile(theirs, JSON.stringify({ pidfile: fake.pidfile, argv: [fake.markerScript] }));
    await fs.chown(theirs, NOBODY.uid, NOBODY.gid);
    let r = await helperAsNobody(plan, { DOCKHAND_DAEMON_CONTROLLER: `process:${theirs}` });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /refused DOCKHAND_DAEMON_CONTROLLER=process:.*record\.json: it must be root's own file in directories only root can change, but .*belongs to uid 65534/,
    );
    await assertUntouched(aPid);
    // A root-owned record (say, left by an admin) that names the attacker's pidfile, then one that runs their script.
    const rootRecord = path.join(base, 'record.json');
    await fs.writeFile(rootRecord, JSON.stringify({ pidfile: fake.pidfile, argv: [fake.markerScript] }));
    r = await helperAsNobody(plan, { DOCKHAND_DAEMON_CONTROLLER: `process:${rootRecord}` });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /its pidfile is not root's own: .*pid belongs to uid 65534/);
    await fs.writeFile(rootRecord, JSON.stringify({ pidfile: a.pidfile, argv: [fake.markerScript] }));
    r = await helperAsNobody(plan, { DOCKHAND_DAEMON_CONTROLLER: `process:${rootRecord}` });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /the program it runs is not root's own: .*evil\.sh belongs to uid 65534/);
    await assertUntouched(aPid);
  });

  test('no service manager and no record: root never re-runs an argv from /proc; it refuses with the exact command', async () => {
    const aPid = pidIn(a.pidfile)!;
    const r = await helperAsNobody(await handPlan(a.host, edit(a.configPath)));
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `refused: the plan restarts the daemon, but the daemon serving ${a.socket} \\(pid ${aPid}\\) (was started by hand, and Dockhand never starts a command line read from /proc as root|is not the one /etc/init\\.d/docker manages \\(/var/run/docker\\.pid does not exist\\))\\. Restart it yourself: sudo kill -TERM ${aPid}, wait for it to exit, then start it again: sudo ${escapeRegExp(a.args.join(' '))}`,
      ),
    );
    await assertUntouched(aPid);
  });

  test('oversize and deeply nested helper input: a clear refusal (exit 2), never exit 70', async () => {
    const big = await helperAsNobody(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    assert.deepEqual(
      [big.code, big.stderr.trim()],
      [2, 'dockhand: refused: the plan on stdin is larger than 1048576 bytes (a fix plan is a few kilobytes)'],
    );
    const deep = await helperAsNobody(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    assert.deepEqual(
      [deep.code, deep.stderr.trim()],
      [2, 'dockhand: refused: the plan on stdin is nested more than 32 levels deep (a fix plan is a few levels deep)'],
    );
    const viaSudo = await helperAsNobody(`{"a":${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`);
    assert.equal(viaSudo.code, 2, viaSudo.stderr);
    assert.match(viaSudo.stderr, /nested more than 32 levels deep/);
  });

  test('systemd (a stand-in systemctl) whose MainPID is another daemon: not restarted through it; the exact command instead', async () => {
    const proof = await proveDaemon(a.host);
    assert.ok(proof.ok);
    const bin = await fs.mkdtemp(path.join(base, 'systemctl-'));
    const mainPidFile = path.join(bin, 'mainpid');
    await fs.writeFile(
      path.join(bin, 'systemctl'),
      `#!/bin/sh\necho "$*" >> ${bin}/calls\n[ "$1" = show ] && cat ${mainPidFile}\nexit 0\n`,
      { mode: 0o755 },
    );
    const facts = {
      engine: { ok: false, error: { code: 'x', message: 'x' }, sources: [] },
      info: { ok: false, error: { code: 'x', message: 'x' }, sources: [] },
      endpoint: { ok: false, error: { code: 'x', message: 'x' }, sources: [] },
      serviceUnit: { ok: true, value: { name: 'docker.service' }, sources: [] },
    } as unknown as Facts;
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    try {
      await fs.writeFile(mainPidFile, `${pidIn(b.pidfile)}\n`);
      const other = await detectController(facts, { daemon: proof, euid: 0, systemdRuns: true });
      assert.equal(other.canRestart, false);
      assert.match(
        other.detail,
        new RegExp(
          `the daemon serving ${a.socket} \\(pid ${proof.daemon.pid}\\) is not docker\\.service's \\(its MainPID is ${pidIn(b.pidfile)}\\).*Restart it yourself: sudo kill -TERM ${proof.daemon.pid}`,
        ),
      );
      await fs.writeFile(mainPidFile, `${proof.daemon.pid}\n`);
      const same = await detectController(facts, { daemon: proof, euid: 0, systemdRuns: true });
      assert.deepEqual([same.kind, same.canRestart], ['systemd', true]);
      assert.deepEqual(
        (await fs.readFile(path.join(bin, 'calls'), 'utf8')).trim().split('\n'),
        ['show -p MainPID --value docker.service', 'show -p MainPID --value docker.service'],
        'asked, never restarted',
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  test("escape 5: naming another daemon's endpoint does not skip the pre-flight; the target's own flags judge the change", async () => {
    const aPid = pidIn(a.pidfile)!;
    const bPid = pidIn(b.pidfile)!;
    // The plan names b's endpoint but writes a's daemon.json: only b's own --config-file may be written for b.
    let r = await helperAsNobody(await handPlan(b.host, edit(a.configPath)));
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`refused: ${a.configPath} is not a daemon\\.json this host's Docker uses \\(allowed: ${b.configPath}\\)`),
    );
    // b runs with --log-level on its command line: the same key in its file stops it at start, whatever the plan says.
    r = await helperAsNobody(await handPlan(b.host, [{ op: 'daemon-json.set', file: b.configPath, path: ['log-level'], value: 'info' }]));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /would not start: .*log-level/);
    assert.equal(await fs.readFile(b.configPath, 'utf8'), ORIGINAL);
    assert.equal(pidIn(b.pidfile), bPid);
    await assertUntouched(aPid);
  });

  test("two real daemons: the other daemon's record is refused; the audited one's restarts it and only it", async () => {
    const aPid = pidIn(a.pidfile)!;
    const bPid = pidIn(b.pidfile)!;
    const plan = await handPlan(a.host, edit(a.configPath));
    let r = await helperAsNobody(plan, { DOCKHAND_DAEMON_CONTROLLER: `process:${await b.controllerRecord()}` });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`its pidfile ${b.pidfile} names pid ${bPid}, but the daemon serving ${a.socket} is pid ${aPid}`));
    await assertUntouched(aPid);

    r = await helperAsNobody(plan, { DOCKHAND_DAEMON_CONTROLLER: `process:${await a.controllerRecord()}` });
    assert.equal(r.code, 0, r.stderr);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { type: string; record: { outcome: string } };
    assert.deepEqual([last.type, last.record.outcome], ['record', 'applied']);
    assert.match(await fs.readFile(a.configPath, 'utf8'), /"live-restore": true/);
    assert.notEqual(pidIn(a.pidfile), aPid, 'the audited daemon was restarted');
    assert.equal(pidIn(b.pidfile), bPid, 'the other daemon was not');
    assert.equal(await fs.readFile(b.configPath, 'utf8'), ORIGINAL);
    assert.equal(await fs.readFile(victim, 'utf8'), VICTIM_TEXT);
    await assert.rejects(fs.access(fake.marker));
    assert.deepEqual(await fake.signals(), []);
    assert.ok(fake.alive());
  });
});
