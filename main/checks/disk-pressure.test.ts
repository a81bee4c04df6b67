import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { dockerCli, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { checkOptions } from '../cli/program';
import { collectFacts } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { diskDataRootSpace, diskDestructiveCleanup, diskReclaimable, diskScheduledCleanup } from './disk';
import { evaluateChecks } from './runner';

const run = promisify(execFile);
const MiB = 1024 * 1024;

function findings(
  facts: Facts,
  check: Parameters<typeof evaluateChecks>[0][number],
  options: CheckContext['options'] = {},
): Map<string | null, Finding> {
  return new Map(evaluateChecks([check], facts, { options }).map((f) => [f.result.target, f]));
}

async function writeAt(root: string, p: string, text: string, mode = 0o644): Promise<void> {
  await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
  await fs.writeFile(path.join(root, p), text, { mode });
}

describe("disk.reclaimable follows the data root's free space (a real dockerd whose data root is a 128 MiB tmpfs)", () => {
  let dir: string;
  let daemon: PrivateDockerd;
  const dataRoot = () => path.join(dir, 'data');
  const filler = () => path.join(dataRoot(), 'dockhand-test-filler');
  const audit = () => collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
  /** Grows or shrinks a file outside Docker's own directories until the tmpfs has `free` bytes left. */
  async function leaveFree(free: number): Promise<void> {
    const now = (await fs.statfs(dataRoot())).bavail * (await fs.statfs(dataRoot())).bsize;
    const size = await fs.stat(filler()).then(
      (s) => s.size,
      () => 0,
    );
    await fs.writeFile(filler(), Buffer.alloc(Math.max(0, size + now - free)));
  }

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-'));
    await fs.mkdir(path.join(dir, 'data'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=128m', 'tmpfs', dataRoot()]);
    daemon = await runningDockerd({ dir, daemonJson: {} });
    const base = await importBusybox(daemon);
    // A stopped container with 72 MiB in its writable layer: reclaimable, exactly.
    await daemon.docker(['run', '--name', 'scratchpad', base, 'sh', '-c', '/bin/busybox dd if=/dev/zero of=/junk bs=1048576 count=72']);
  });
  after(async () => {
    await daemon?.stop();
    await run('umount', [dataRoot()]).catch(() => run('umount', ['-l', dataRoot()]).catch(() => undefined));
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("97%-full: the stopped container's 72 MiB fails, as the data root's space does", async () => {
    await leaveFree(3 * MiB);
    const facts = await audit();
    assert.ok(facts.dataRootFs.ok && facts.dataRootFs.value.path === dataRoot(), JSON.stringify(facts.dataRootFs));
    const space = evaluateChecks([diskDataRootSpace], facts)[0]!;
    assert.equal(space.result.status, 'fail', space.result.message);
    const containers = findings(facts, diskReclaimable).get('containers')!;
    assert.equal(containers.result.status, 'fail', containers.result.message);
    assert.match(
      containers.result.message,
      /^1 stopped container: 72\.\d MiB can be freed \(docker container prune\); the data root's filesystem is below its critical floor \([\d.]+ MiB free\)/,
    );
    assert.ok(
      containers.result.evidence.some((e) => e.label === "data root's filesystem" && /below the critical floor/.test(String(e.value))),
    );
  });

  test('below the warning floor only: it warns', async () => {
    await leaveFree(14 * MiB);
    const facts = await audit();
    assert.equal(evaluateChecks([diskDataRootSpace], facts)[0]!.result.status, 'warn');
    const containers = findings(facts, diskReclaimable).get('containers')!;
    assert.equal(containers.result.status, 'warn', containers.result.message);
    assert.match(containers.result.message, /below its warning floor/);
  });

  test('roomy twin: the same 72 MiB on a filesystem with room is information', async () => {
    await fs.rm(filler());
    const facts = await audit();
    assert.equal(evaluateChecks([diskDataRootSpace], facts)[0]!.result.status, 'pass');
    const containers = findings(facts, diskReclaimable).get('containers')!;
    assert.equal(containers.result.status, 'info', containers.result.message);
    assert.ok(
      containers.result.evidence.some((e) => e.label === "data root's filesystem" && /above the warning floor/.test(String(e.value))),
    );
    // A threshold the user gives overrides the judgement by free space.
    const scaled = findings(facts, diskReclaimable, { reclaimableWarnBytes: 64 * MiB }).get('containers')!;
    assert.equal(scaled.result.status, 'warn', 'a threshold the user gives is applied as it is');
  });

  test('at the scale of real disks: 12 GiB is information on an empty 2 TB disk, a warning on a 100 GB disk with 30 GB free', async () => {
    const facts = await audit();
    const measured = facts.dataRootFs as Extract<Facts['dataRootFs'], { ok: true }>;
    const du = (facts.diskUsage as Extract<Facts['diskUsage'], { ok: true }>).value;
    const GB = 1e9;
    const on = (total: number, available: number): Facts => ({
      ...facts,
      diskUsage: {
        ...facts.diskUsage,
        ok: true,
        value: { ...du, containers: du.containers.map((c) => ({ ...c, sizeRw: 12 * 1024 * MiB })) },
      },
      dataRootFs: { ...measured, value: { ...measured.value, totalBytes: total, availableBytes: available } },
    });
    assert.equal(findings(on(2000 * GB, 1990 * GB), diskReclaimable).get('containers')!.result.status, 'info');
    const busy = findings(on(100 * GB, 30 * GB), diskReclaimable).get('containers')!;
    assert.equal(busy.result.status, 'warn', busy.result.message);
    assert.match(busy.result.message, /more than 10\.0 GiB and a quarter of the 27\.9 GiB still free/);
  });
});

describe('scheduled cleanups in real cron and systemd formats', () => {
  let root: string;
  let daemon: PrivateDockerd;
  let live: Facts;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-sched-'));
    await fs.chmod(root, 0o755);
    await writeAt(root, '/etc/debian_version', '12.7\n');
    // The three ways of scheduling a prune, each destructive in its own way.
    await writeAt(
      root,
      '/etc/crontab',
      'SHELL=/bin/sh\n# m h dom mon dow user\tcommand\n30 2 * * 0 root docker system prune -af --volumes\n',
    );
    await writeAt(root, '/etc/cron.d/ci-cache', 'MAILTO=""\n15 4 * * * root /usr/bin/docker builder prune --all --force >/dev/null 2>&1\n');
    await writeAt(
      root,
      '/etc/systemd/system/volume-gc.timer',
      '[Unit]\nDescription=Remove unused volumes\n\n[Timer]\nOnCalendar=weekly\n\n[Install]\nWantedBy=timers.target\n',
    );
    await writeAt(root, '/etc/systemd/system/volume-gc.service', '[Service]\nType=oneshot\nExecStart=/usr/bin/docker volume prune -f\n');
    await fs.mkdir(path.join(root, '/etc/systemd/system/timers.target.wants'));
    await fs.symlink('../volume-gc.timer', path.join(root, '/etc/systemd/system/timers.target.wants/volume-gc.timer'));

    // A build host: BuildKit leaves build cache records behind.
    daemon = await runningDockerd({ daemonJson: {} });
    const context = path.join(daemon.dir, 'ctx');
    await fs.mkdir(context);
    await fs.writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY payload /payload\n');
    await fs.writeFile(path.join(context, 'payload'), Buffer.alloc(256 * 1024, 7));
    await dockerCli(['build', '-q', '-t', 'dockhand-test/cached:1', context], {
      ...process.env,
      DOCKER_HOST: daemon.host,
      DOCKER_BUILDKIT: '1',
      DOCKER_CONFIG: path.join(daemon.dir, 'client'),
    });
    live = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    assert.ok(live.diskUsage.ok && live.diskUsage.value.buildCache.length > 0, 'the build left build cache');
  });
  after(async () => {
    await daemon?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  test('disk.destructive-cleanup: --volumes and volume prune fail; a whole-cache prune on a host that builds warns', async () => {
    const scheduled = (await collectFacts({ host: new RootfsHost(root) })).scheduledCleanup;
    assert.ok(scheduled.ok, JSON.stringify(scheduled));
    const results = findings({ ...live, scheduledCleanup: scheduled }, diskDestructiveCleanup);
    assert.deepEqual([...results.keys()].sort(), ['/etc/cron.d/ci-cache:2', '/etc/crontab:3', '/etc/systemd/system/volume-gc.service:3']);
    assert.equal(results.get('/etc/crontab:3')!.result.status, 'fail');
    assert.match(results.get('/etc/crontab:3')!.result.message, /removes volumes/);
    assert.equal(results.get('/etc/systemd/system/volume-gc.service:3')!.result.status, 'fail');
    const cache = results.get('/etc/cron.d/ci-cache:2')!;
    assert.equal(cache.result.status, 'warn', cache.result.message);
    assert.match(cache.result.message, /this host builds \([\d.]+ [KM]iB of build cache\)/);
    // The same schedule on a host that holds no build cache loses nothing yet.
    const du = (live.diskUsage as Extract<Facts['diskUsage'], { ok: true }>).value;
    const noCache: Facts = {
      ...live,
      scheduledCleanup: scheduled,
      diskUsage: { ok: true, value: { ...du, buildCache: [] }, sources: live.diskUsage.sources },
    };
    assert.equal(findings(noCache, diskDestructiveCleanup).get('/etc/cron.d/ci-cache:2')!.result.status, 'info');
  });

  test('healthy twin: an age-bounded prune without volumes is a safe schedule', async () => {
    const safe = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-sched-'));
    try {
      await writeAt(
        safe,
        '/etc/cron.d/docker-prune',
        '0 3 * * * root docker system prune -af --filter "until=168h"\n15 3 * * * root docker builder prune -a -f --keep-storage 20gb\n',
      );
      const scheduled = (await collectFacts({ host: new RootfsHost(safe) })).scheduledCleanup;
      const [destructive] = evaluateChecks([diskDestructiveCleanup], { ...live, scheduledCleanup: scheduled });
      assert.equal(destructive!.result.status, 'pass', destructive!.result.message);
      const [schedule] = evaluateChecks(
        [diskScheduledCleanup],
        { ...live, scheduledCleanup: scheduled },
        { options: checkOptions({ server: true }) },
      );
      assert.equal(schedule!.result.status, 'pass', schedule!.result.message);
    } finally {
      await fs.rm(safe, { recursive: true, force: true });
    }
  });

  test('disk.scheduled-cleanup: a volume-only prune is no cleanup; --server turns "nothing scheduled" from info into a warning', async () => {
    const onlyVolumes = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-sched-'));
    try {
      await writeAt(onlyVolumes, '/var/spool/cron/crontabs/root', '@weekly docker volume prune -f\n', 0o600);
      const scheduled = (await collectFacts({ host: new RootfsHost(onlyVolumes) })).scheduledCleanup;
      const facts = { ...live, scheduledCleanup: scheduled };
      const workstation = evaluateChecks([diskScheduledCleanup], facts, { options: checkOptions({}) })[0]!;
      assert.equal(workstation.result.status, 'info', workstation.result.message);
      assert.ok(workstation.result.evidence.some((e) => e.label === 'cron (prunes only volumes)'));
      const server = evaluateChecks([diskScheduledCleanup], facts, { options: checkOptions({ server: true }) })[0]!;
      assert.equal(server.result.status, 'warn', server.result.message);
      assert.match(server.result.message, /on this server/);
      assert.deepEqual(server.result.evidence.find((e) => e.label === 'judged as')?.source, {
        kind: 'user',
        detail: 'option server (--server)',
      });
    } finally {
      await fs.rm(onlyVolumes, { recursive: true, force: true });
    }
  });
});
