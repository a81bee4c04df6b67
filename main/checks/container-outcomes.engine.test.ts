// How containers actually end, against real containers on a real private dockerd: a crash that stays down, an OOM
// kill, a failed start, an image for another architecture, logs discarded or never rotated. The log read and the OOM
// flag are the Engine's, so those run on every engine; log settings need a daemon restart and run on the default one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import {
  busyboxRootfsTar,
  DEFAULT_ENGINE,
  forEachEngine,
  importBusybox,
  type PrivateDockerd,
  removeDir,
  runningDockerd,
  waitForContainer,
} from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { LOG_LINE_CHARS } from '../../shared/facts/vocabulary';
import { LocalHost } from '../host/local-host';
import { CONTAINER_CHECKS } from './containers';
import { evaluateChecks } from './runner';

const run = promisify(execFile);

/**
 * The 64-byte header of an AArch64 ELF executable: on an x86_64 kernel with no emulator, exec(2) refuses it with
 * ENOEXEC before reading anything else, which is what a real arm64 program meets here.
 */
function aarch64Executable(): Buffer {
  const b = Buffer.alloc(64);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2; // 64-bit
  b[5] = 1; // little-endian
  b[6] = 1; // ELF version
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(183, 18); // EM_AARCH64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(0x400000n, 24); // entry
  b.writeBigUInt64LE(64n, 32); // program headers right after this one
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  return b;
}

const tarOf = async (dir: string) =>
  (await run('tar', ['-C', dir, '-c', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })).stdout as unknown as Buffer;
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A root filesystem holding only /app, an arm64 executable. */
async function arm64AppRootfs(): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-arm64-'));
  await fs.writeFile(path.join(dir, 'app'), aarch64Executable(), { mode: 0o755 });
  const tar = await tarOf(dir);
  await fs.rm(dir, { recursive: true, force: true });
  return tar;
}

/**
 * An image archive in `docker save`'s format (manifest.json, the image config, one layer) for `docker load`, with the
 * platform written into its config. `docker import --platform` is not enough: Engine 20.10 records its own
 * architecture whatever the flag says.
 */
async function imageArchive(tag: string, rootfs: Buffer, config: object): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-load-'));
  const layerId = sha256(rootfs);
  const imageConfig = JSON.stringify({
    architecture: 'arm64',
    variant: 'v8',
    os: 'linux',
    created: '2026-01-01T00:00:00Z',
    config,
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerId}`] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'dockhand test: built on an arm64 laptop' }],
  });
  const configFile = `${sha256(imageConfig)}.json`;
  await fs.mkdir(path.join(dir, layerId));
  await fs.writeFile(path.join(dir, layerId, 'layer.tar'), rootfs);
  await fs.writeFile(path.join(dir, configFile), imageConfig);
  await fs.writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify([{ Config: configFile, RepoTags: [tag], Layers: [`${layerId}/layer.tar`] }]),
  );
  const archive = await tarOf(dir);
  await fs.rm(dir, { recursive: true, force: true });
  return archive;
}

const collect = (daemon: PrivateDockerd) => collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });

const byId = (findings: Finding[], id: string): Finding => {
  const found = findings.find((f) => f.id === id);
  assert.ok(
    found,
    `no finding ${id}; have: ${findings
      .filter((f) => f.result.status !== 'pass')
      .map((f) => `${f.id}=${f.result.status}`)
      .join(', ')}`,
  );
  return found;
};
const targets = (findings: Finding[], checkId: string) =>
  findings
    .filter((f) => f.checkId === checkId && f.result.target)
    .map((f) => f.result.target!)
    .sort();
const evidence = (f: Finding, label: string) => f.result.evidence.find((e) => e.label === label)?.value;

/** The snapshot reduced to some containers: what a host running only those would give. */
function only(facts: Facts, names: string[]): Facts {
  assert.ok(facts.containers.ok, 'containers collected');
  return { ...facts, containers: { ...facts.containers, value: facts.containers.value.filter((c) => names.includes(c.name)) } };
}
const check = (id: string) => {
  const found = CONTAINER_CHECKS.find((c) => c.id === id);
  assert.ok(found, `no check ${id}`);
  return found;
};
function assertPasses(id: string, facts: Facts, names: string[]): void {
  const findings = evaluateChecks([check(id)], only(facts, names));
  assert.equal(findings[0]?.result.status, 'pass', JSON.stringify(findings.map((f) => f.result.message)));
  assert.ok(
    findings.every((f) => f.result.status === 'pass' || f.result.status === 'info'),
    JSON.stringify(findings.map((f) => f.result.message)),
  );
}

const SECRET = 's3cr3t-db-pw';

forEachEngine('container outcomes on a real dockerd', (engine, test) => {
  let daemon: PrivateDockerd;
  let facts: Facts;
  let findings: Finding[];
  /** The daemon's own words for the containers the assertions rely on, read with the docker CLI (not Dockhand's parser). */
  const exitCodes: Record<string, number> = {};

  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
    const image = await importBusybox(daemon);
    const tar = await busyboxRootfsTar();
    await daemon.docker(['load'], await imageArchive('dockhand-test/arm64-app:1', await arm64AppRootfs(), { Entrypoint: ['/app'] }));
    // The busybox here is x86_64; the image says arm64: a mislabelled image, which runs.
    await daemon.docker(['load'], await imageArchive('dockhand-test/arm64-label:1', tar, { Cmd: ['/bin/sleep', '3600'] }));
    const sh = (script: string) => ['sh', '-c', script];
    const detached: [string, string[], string[]][] = [
      // One stream: the daemon copies stdout and stderr on their own, so their order in the log is not fixed.
      ['boom', [], sh(`echo starting; echo "connecting to postgres://app:${SECRET}@db:5432/app"; echo boom; exit 3`)],
      ['twostreams', [], sh('echo out; echo err >&2; exit 7')],
      ['ttyboom', ['-t'], sh('echo tty boom; exit 5')],
      ['longline', [], sh('s=x; i=0; while [ $i -lt 17 ]; do s=$s$s; i=$((i+1)); done; echo "$s"; echo done; exit 1')],
      ['nolog', ['--log-driver', 'none'], sh('echo gone; exit 6')],
      ['gaveup', ['--restart', 'on-failure:2'], sh('echo try; exit 4')],
      // Doubles a shell string until the 8 MiB limit is met: the kernel's cgroup OOM killer ends it.
      ['hog', ['--memory', '8m', '--memory-swap', '8m'], sh('a=x; while true; do a="$a$a"; done')],
      ['completed', [], ['true']],
      ['stopped', [], []],
      ['limited', ['--memory', '64m'], []],
      ['armlabel', [], []],
    ];
    for (const [name, args, command] of detached)
      await daemon.docker(['run', '-d', '--name', name, ...args, name === 'armlabel' ? 'dockhand-test/arm64-label:1' : image, ...command]);
    // A start that fails (no such command), and an arm64 program: docker run reports the start error, the container stays.
    await daemon.docker(['run', '-d', '--name', 'nocmd', image, '/bin/nope']).catch(() => undefined);
    await daemon.docker(['run', '-d', '--name', 'armapp', 'dockhand-test/arm64-app:1']).catch(() => undefined);
    await daemon.docker(['stop', '-t', '1', 'stopped']);
    const down = (c: { State: { Status: string } }) => c.State.Status === 'exited' || c.State.Status === 'created';
    for (const name of ['boom', 'twostreams', 'ttyboom', 'longline', 'nolog', 'hog', 'completed', 'stopped', 'nocmd', 'armapp']) {
      exitCodes[name] = (await waitForContainer(daemon, name, down)).State.ExitCode;
    }
    exitCodes.gaveup = (
      await waitForContainer(daemon, 'gaveup', (c) => c.State.Status === 'exited' && c.RestartCount === 2)
    ).State.ExitCode;
    await waitForContainer(daemon, 'armlabel', (c) => c.State.Status === 'running');
    facts = await collect(daemon);
    assert.ok(facts.containers.ok && facts.exitLogs?.ok, JSON.stringify(facts.exitLogs));
    findings = evaluateChecks(CONTAINER_CHECKS, facts);
  });
  after(async () => daemon?.stop());

  test('the daemon ended them as the scenarios say', () => {
    assert.deepEqual(
      {
        boom: exitCodes.boom,
        ttyboom: exitCodes.ttyboom,
        nolog: exitCodes.nolog,
        gaveup: exitCodes.gaveup,
        completed: exitCodes.completed,
        stopped: exitCodes.stopped,
        hog: exitCodes.hog,
      },
      { boom: 3, ttyboom: 5, nolog: 6, gaveup: 4, completed: 0, stopped: 137, hog: 137 },
    );
  });

  test('container.exited-nonzero: the crash, its restarts, the end of its log (masked), and that it stays down', () => {
    const boom = byId(findings, 'container.exited-nonzero:boom');
    assert.equal(boom.result.status, 'fail');
    assert.match(
      boom.result.message,
      /^Container boom exited with code 3 [\d.]+ m?s after it started and stays down \(it has no restart policy, so it stays down until someone starts it\)\. Its log ends with: "boom"\.$/,
    );
    assert.deepEqual(evidence(boom, 'last 20 log lines'), [
      'stdout: starting',
      'stdout: connecting to postgres://****@db:5432/app',
      'stdout: boom',
    ]);
    assert.deepEqual([...(evidence(byId(findings, 'container.exited-nonzero:twostreams'), 'last 20 log lines') as string[])].sort(), [
      'stderr: err',
      'stdout: out',
    ]);
    assert.ok(!JSON.stringify(facts).includes(SECRET), 'the credential a container printed is masked in the facts snapshot');
    assert.match(byId(findings, 'container.exited-nonzero:gaveup').result.message, /stays down \(on-failure:2 gave up after 2 restarts\)/);
    assert.equal(evidence(byId(findings, 'container.exited-nonzero:gaveup'), 'RestartCount'), 2);
  });

  test('container.exited-nonzero: a TTY log is one raw stream; a huge line is cut; log driver none says there is no log', () => {
    assert.deepEqual(evidence(byId(findings, 'container.exited-nonzero:ttyboom'), 'last 20 log lines'), ['tty boom']);
    const long = byId(findings, 'container.exited-nonzero:longline');
    assert.deepEqual(evidence(long, 'last 20 log lines'), [`stdout: ${'x'.repeat(LOG_LINE_CHARS)}…`, 'stdout: done']);
    assert.equal(evidence(long, 'log lines cut short'), 1);
    const nolog = byId(findings, 'container.exited-nonzero:nolog');
    assert.equal(evidence(nolog, 'log'), 'unavailable: its log driver is none: Docker kept nothing to read');
  });

  test('container.exited-nonzero: a start that failed names its exit code and State.Error', () => {
    const nocmd = byId(findings, 'container.exited-nonzero:nocmd');
    assert.equal(nocmd.result.status, 'fail');
    assert.equal(evidence(nocmd, 'State.ExitCode'), exitCodes.nocmd);
    assert.match(String(evidence(nocmd, 'State.Error')), /nope/);
  });

  test('container.exited-nonzero healthy twin: the completed, stopped (137 after docker stop) and running ones are not reported', () => {
    for (const name of ['completed', 'stopped', 'limited', 'armlabel', 'hog'])
      assert.ok(!targets(findings, 'container.exited-nonzero').includes(name), name);
    assertPasses('container.exited-nonzero', facts, ['completed', 'stopped', 'limited', 'armlabel', 'hog']);
  });

  test('container.oom-killed: killed at its 8 MiB limit, with the limit; a container under its limit passes', () => {
    const hog = byId(findings, 'container.oom-killed:hog');
    assert.equal(hog.result.status, 'fail');
    assert.equal(evidence(hog, 'HostConfig.Memory'), '8.0 MiB (8388608 bytes)');
    assert.match(hog.result.message, /^Container hog was killed for lack of memory \(its 8\.0 MiB limit\)/);
    assert.deepEqual(targets(findings, 'container.oom-killed'), ['hog']);
    assertPasses('container.oom-killed', facts, ['limited', 'boom', 'stopped']);
  });

  test('container.platform-mismatch: the arm64 program fails with exec format error; the mislabelled one runs and is flagged', () => {
    const armapp = byId(findings, 'container.platform-mismatch:armapp');
    assert.equal(armapp.result.status, 'fail');
    assert.match(
      armapp.result.message,
      /built for linux\/arm64\/v8, on this linux\/amd64 host, and no emulator is registered for arm64: its programs fail with "exec format error"/,
    );
    assert.equal(evidence(armapp, 'host platform'), 'linux/amd64 (the daemon reports x86_64)');
    // What the daemon itself said when it ran the program: the exec format error, in its log or its start error.
    const failed = byId(findings, 'container.exited-nonzero:armapp');
    assert.match(JSON.stringify(failed.result.evidence), /exec format error/);
    const label = byId(findings, 'container.platform-mismatch:armlabel');
    assert.equal(label.result.status, 'warn');
    assert.match(label.result.message, /mislabelled/);
    assertPasses('container.platform-mismatch', facts, ['boom', 'limited', 'completed']);
  });
});

describe(`per-container log settings against the daemon's (engine ${DEFAULT_ENGINE})`, () => {
  let dir: string;
  let daemon: PrivateDockerd;
  let before_: Facts;
  let after_: Facts;
  const ROTATE = { 'log-opts': { 'max-size': '10m', 'max-file': '3' } };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-'));
    daemon = await runningDockerd({ dir, daemonJson: {} });
    const image = await importBusybox(daemon);
    await daemon.docker(['run', '-d', '--name', 'old', image]);
    await daemon.docker(['run', '-d', '--name', 'nolog', '--log-driver', 'none', image]);
    before_ = await collect(daemon);
    // The daemon.json gains rotation and the daemon restarts: containers created before keep what they were created with.
    await daemon.stop();
    daemon = await runningDockerd({ dir, daemonJson: ROTATE });
    await daemon.docker(['start', 'old', 'nolog']);
    await daemon.docker(['run', '-d', '--name', 'new', image]);
    after_ = await collect(daemon);
  });
  after(async () => {
    await daemon?.stop();
    if (dir) await removeDir(dir);
  });

  test('a host whose containers are all fine pays nothing for logs: no log is read', () => {
    assert.deepEqual(after_.exitLogs, {
      ok: true,
      value: [],
      sources: [{ kind: 'api', call: 'GET /containers/{id}/logs?stdout=1&stderr=1&tail=20' }],
    });
    assert.equal(after_.collectors.find((c) => c.name === 'exitLogs')?.status, 'ok');
  });

  test('dockerd copies its default log options into a container when it creates it', () => {
    assert.ok(after_.containers.ok, 'containers collected');
    const config = (name: string) => after_.containers.ok && after_.containers.value.find((c) => c.name === name)?.hostConfig.logConfig;
    assert.deepEqual(config('new'), { type: 'json-file', config: { 'max-size': '10m', 'max-file': '3' } });
    assert.deepEqual(config('old'), { type: 'json-file', config: {} });
  });

  test('container.log-rotation: the container created before rotation fails, the new one passes; skipped while the daemon did not rotate', () => {
    const findings = evaluateChecks([check('container.log-rotation')], after_);
    const old = byId(findings, 'container.log-rotation:old');
    assert.equal(old.result.status, 'fail');
    assert.deepEqual(evidence(old, 'HostConfig.LogConfig'), { type: 'json-file' });
    assert.deepEqual({ ...(evidence(old, 'daemon log-opts (daemon.json)') as object) }, ROTATE['log-opts']);
    assert.deepEqual(targets(findings, 'container.log-rotation'), ['old']);
    assertPasses('container.log-rotation', after_, ['new', 'nolog']);
    const skipped = evaluateChecks([check('container.log-rotation')], before_);
    assert.equal(skipped[0]?.result.status, 'skipped');
  });

  test('container.logs-discarded: --log-driver none warns while it runs; the others pass', () => {
    const findings = evaluateChecks([check('container.logs-discarded')], after_);
    const nolog = byId(findings, 'container.logs-discarded:nolog');
    assert.equal(nolog.result.status, 'warn');
    assert.match(nolog.result.message, /keeps nothing `docker logs` can show \(log driver none; the daemon's default is json-file\)/);
    assert.deepEqual(targets(findings, 'container.logs-discarded'), ['nolog']);
    assertPasses('container.logs-discarded', after_, ['old', 'new']);
  });
});
