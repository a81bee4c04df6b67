import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Check, CheckContext } from '../../shared/check';
import type { DiskUsage, Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import { collectFacts } from '../collect/collect';
import { measureDataRootFs } from '../collect/disk';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import {
  diskContainerLogs,
  diskDataRootInodes,
  diskDataRootPartition,
  diskDataRootSpace,
  diskReclaimable,
  diskScheduledCleanup,
  reclaimableImages,
} from './disk';
import { evaluateChecks } from './runner';

const run = promisify(execFile);
const MiB = 1024 * 1024;

function one(check: Check, facts: Facts, options: CheckContext['options'] = {}): Finding {
  const findings = evaluateChecks([check], facts, { options });
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.id)));
  return findings[0]!;
}

function byTarget(check: Check, facts: Facts, options: CheckContext['options'] = {}): Map<string | null, Finding> {
  return new Map(evaluateChecks([check], facts, { options }).map((f) => [f.result.target, f]));
}

async function writeAt(root: string, p: string, text: string): Promise<void> {
  await fs.mkdir(path.join(root, path.dirname(p)), { recursive: true });
  await fs.writeFile(path.join(root, p), text);
}

describe('disk checks against a real dockerd', () => {
  let daemon: PrivateDockerd;
  let facts: Facts;
  let tmp: string;
  const mounts: string[] = [];

  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-diskchk-'));
    const base = await importBusybox(daemon);
    const d = (args: string[]) => daemon.docker(args);
    // Kept: the base image, in use by a running container with a volume.
    await d(['volume', 'create', 'attached']);
    await d(['run', '-d', '--name', 'runner', '-v', 'attached:/data', base]);
    // The same root filesystem imported again: a second image made only of a layer the kept image uses.
    await importBusybox(daemon, 'dockhand-test/busybox:copy');
    // A chain of commits on top of the base: two unused images, each adding 256 KiB of its own.
    await d(['run', '--name', 'c1', base, 'sh', '-c', '/bin/busybox dd if=/dev/urandom of=/l1 bs=1024 count=256']);
    await d(['commit', 'c1', 'dockhand-test/chain:1']);
    await d(['run', '--name', 'c2', 'dockhand-test/chain:1', 'sh', '-c', '/bin/busybox dd if=/dev/urandom of=/l2 bs=1024 count=256']);
    await d(['commit', 'c2', 'dockhand-test/chain:2']);
    await d(['rm', 'c1', 'c2']);
    // A dangling image: tagged, then the tag moved to another image.
    const dataDir = path.join(tmp, 'extra');
    await fs.mkdir(dataDir);
    await fs.writeFile(path.join(dataDir, 'blob'), randomBytes(128 * 1024));
    const extra = (await run('tar', ['-C', dataDir, '-c', '.'], { encoding: 'buffer', maxBuffer: 4 * MiB })).stdout;
    await daemon.docker(['import', '-', 'dockhand-test/extra:1'], extra);
    await d(['tag', base, 'dockhand-test/extra:1']);
    // A stopped container with 2 MiB in its writable layer, and a volume nobody references.
    await d(['run', '--name', 'stopped', base, 'sh', '-c', '/bin/busybox dd if=/dev/zero of=/junk bs=1024 count=2048']);
    await d(['volume', 'create', 'orphan']);
    await d(['run', '--rm', '-v', 'orphan:/data', base, 'sh', '-c', '/bin/busybox dd if=/dev/zero of=/data/blob bs=1024 count=1024']);
    // A chatty container: about 300 kB in its json-file log.
    await d([
      'run',
      '--name',
      'chatty',
      base,
      'sh',
      '-c',
      'i=0; while [ $i -lt 6000 ]; do echo "log line $i, padded out to about fifty bytes"; i=$((i+1)); done',
    ]);
    facts = await collectFacts({ host: new LocalHost(), endpoint: { host: daemon.host } });
    assert.ok(facts.diskUsage.ok && facts.dataRootFs.ok && facts.containerLogs.ok, 'facts collected');
  });
  after(async () => {
    for (const m of mounts.reverse()) await run('umount', [m]).catch(() => undefined);
    await daemon?.stop();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  async function tmpfs(name: string, options: string): Promise<string> {
    const dir = path.join(tmp, name);
    await fs.mkdir(dir);
    await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  }

  async function withDataRootAt(dir: string): Promise<Facts> {
    return {
      ...facts,
      dataRootFs: await measureDataRootFs(new LocalHost(), dir, [
        { kind: 'default', detail: 'test: a tmpfs standing in for the data root' },
      ]),
    };
  }

  test('disk.data-root-space: plenty free passes, low warns, nearly full fails (an 8 MiB tmpfs)', async () => {
    const dir = await tmpfs('space', 'size=8m');
    assert.equal(one(diskDataRootSpace, await withDataRootAt(dir)).result.status, 'pass');
    await fs.writeFile(path.join(dir, 'fill'), Buffer.alloc(7 * MiB));
    const low = one(diskDataRootSpace, await withDataRootAt(dir));
    assert.equal(low.result.status, 'warn', low.result.message);
    assert.deepEqual(low.result.fix, { id: 'disk.prune', params: { dataRoot: dir } });
    assert.ok(
      low.result.evidence.some((e) => e.label === 'warning threshold' && /15% or 10\.0 GiB, whichever is smaller/.test(String(e.value))),
    );
    await fs.appendFile(path.join(dir, 'fill'), Buffer.alloc(820 * 1024));
    const full = one(diskDataRootSpace, await withDataRootAt(dir));
    assert.equal(full.result.status, 'fail', full.result.message);
    assert.match(full.result.message, /about to fail/);
    // The user's own floor: 1 MiB free is fine when they say so.
    const relaxed = one(diskDataRootSpace, await withDataRootAt(dir), { diskWarnPercent: 1, diskCriticalPercent: 0.5 });
    assert.equal(relaxed.result.status, 'pass', relaxed.result.message);
    assert.ok(relaxed.result.evidence.some((e) => e.source.kind === 'user'));
  });

  test('disk.data-root-inodes: free inodes pass, few warn, almost none fail (a tmpfs with 64 inodes)', async () => {
    const dir = await tmpfs('inodes', 'size=8m,nr_inodes=64');
    assert.equal(one(diskDataRootInodes, await withDataRootAt(dir)).result.status, 'pass');
    const fill = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await fs.writeFile(path.join(dir, `f${i}`), '');
    };
    const free = async () => (await fs.statfs(dir)).ffree;
    await fill(0, (await free()) - 8);
    const low = one(diskDataRootInodes, await withDataRootAt(dir));
    assert.equal(low.result.status, 'warn', low.result.message);
    await fill(1000, 1000 + (await free()) - 2);
    const none = one(diskDataRootInodes, await withDataRootAt(dir));
    assert.equal(none.result.status, 'fail', none.result.message);
    assert.ok(one(diskDataRootSpace, await withDataRootAt(dir)).result.status === 'pass', 'bytes are still free: only inodes ran out');
  });

  test('disk.reclaimable: layers shared with images in use are not counted; each type has its exact figure', () => {
    const du = (facts.diskUsage as { value: DiskUsage }).value;
    const size = (tag: string) => du.images.find((i) => i.repoTags.includes(tag))!.size;
    const dangling = du.images.find((i) => i.repoTags.length === 0)!;
    const images = reclaimableImages(du);
    // Removing chain:1, chain:2, the copy and the dangling import frees the two commits' layers and the dangling layer.
    assert.equal(images.count, 4);
    assert.equal(images.lower, images.upper, 'nothing is shared across the kept/unused line in a way that blurs the figure');
    assert.equal(images.lower, size('dockhand-test/chain:2') - size('dockhand-test/busybox:1') + dangling.size);

    const results = byTarget(diskReclaimable, facts);
    assert.equal(results.get('images')!.result.status, 'info');
    assert.match(results.get('images')!.result.message, /^4 unused images: .* can be freed \(docker image prune -a\)\.$/);
    assert.equal(results.get('containers')!.result.status, 'info');
    const stopped = du.containers.filter((c) => c.state !== 'running').reduce((a, c) => a + c.sizeRw, 0);
    assert.ok(stopped >= 2 * MiB);
    assert.equal(results.get('containers')!.result.evidence[0]!.value, stopped);
    assert.equal(results.get('volumes')!.result.status, 'info');
    assert.equal(results.get('volumes')!.result.evidence[0]!.value, du.volumes.find((v) => v.name === 'orphan')!.size);
    assert.equal(results.get('build-cache')!.result.status, 'pass', 'nothing was built');

    const strict = byTarget(diskReclaimable, facts, { reclaimableWarnBytes: 512 * 1024 });
    assert.equal(strict.get('images')!.result.status, 'warn');
    assert.deepEqual(strict.get('images')!.result.fix, { id: 'disk.prune', params: { type: 'images' } });
    assert.equal(strict.get('containers')!.result.status, 'warn');
  });

  test('disk.reclaimable: an unused image made only of layers in use frees nothing', () => {
    const du = (facts.diskUsage as { value: DiskUsage }).value;
    const onlyShared: DiskUsage = {
      ...du,
      images: du.images.filter((i) => i.repoTags.includes('dockhand-test/busybox:1') || i.repoTags.includes('dockhand-test/busybox:copy')),
    };
    const figure = reclaimableImages({
      ...onlyShared,
      layersSize: onlyShared.images.find((i) => i.repoTags.includes('dockhand-test/busybox:1'))!.size,
    });
    assert.deepEqual([figure.count, figure.lower, figure.upper], [1, 0, 0]);
  });

  test('disk.reclaimable: the figure is a range when kept images share different layers with an unused one', () => {
    // Layers: L0 10, L1 20, L2 30, L3 40. Kept X = L0+L1, Y = L0+L2; unused Z = L0+L1+L2+L3.
    const image = (id: string, size: number, sharedSize: number, containers: number) => ({
      id,
      repoTags: [`${id}:1`],
      size,
      sharedSize,
      containers,
      created: 0,
      labels: {},
    });
    const du: DiskUsage = {
      layersSize: 100,
      images: [image('x', 30, 30, 1), image('y', 40, 40, 1), image('z', 100, 60, 0)],
      containers: [],
      volumes: [],
      buildCache: [],
    };
    const figure = reclaimableImages(du);
    assert.equal(figure.lower, 40, 'L3, certainly');
    assert.equal(figure.upper, 60, 'at most L3 and the smaller of L1, L2');
    assert.ok(figure.notes.some((n) => /lies in this range/.test(n)));
  });

  test('disk.container-logs: a log above the threshold warns with the rotation fix; below it passes', () => {
    const fine = one(diskContainerLogs, facts);
    assert.equal(fine.result.status, 'pass', fine.result.message);
    assert.match(fine.result.message, /No container log reaches 1\.0 GiB/);
    const findings = evaluateChecks([diskContainerLogs], facts, { options: { containerLogWarnBytes: 200 * 1024 } });
    const chatty = findings.find((f) => f.id === 'disk.container-logs:chatty')!;
    assert.equal(chatty.result.status, 'warn');
    assert.match(chatty.result.message, /it is not rotated/);
    assert.deepEqual(chatty.result.fix, { id: 'daemon.log-rotation', params: { 'max-size': '10m', 'max-file': '3', recreate: 'chatty' } });
    assert.equal(chatty.result.evidence[0]!.source.kind, 'file');
    assert.equal(findings.length, 1, 'only the chatty container');
  });

  test('disk.data-root-partition (CIS 1.1.1): a data root on / warns; on its own filesystem passes; unknown is skipped', async () => {
    const onRoot = await fs.mkdtemp(path.join(tmp, 'img-'));
    await writeAt(onRoot, '/etc/fstab', 'UUID=1111 / ext4 errors=remount-ro 0 1\nUUID=2222 /boot ext4 defaults 0 2\n');
    const rootFacts = await collectFacts({ host: new RootfsHost(onRoot) });
    const bad = one(diskDataRootPartition, rootFacts);
    assert.equal(bad.result.status, 'warn', bad.result.message);
    assert.equal(diskDataRootPartition.cis, '1.1.1');
    assert.deepEqual(bad.result.evidence[1]!.source, { kind: 'file', path: '/etc/fstab', line: 1 });

    const separate = await fs.mkdtemp(path.join(tmp, 'img-'));
    await writeAt(
      separate,
      '/etc/fstab',
      'UUID=1111 / ext4 errors=remount-ro 0 1\n/dev/mapper/vg-docker /var/lib/docker xfs defaults 0 2\n',
    );
    assert.equal(one(diskDataRootPartition, await collectFacts({ host: new RootfsHost(separate) })).result.status, 'pass');

    const dir = await tmpfs('partition', 'size=1m');
    const live = one(diskDataRootPartition, await withDataRootAt(dir));
    assert.equal(live.result.status, 'pass', live.result.message);
    assert.match(live.result.message, new RegExp(`mounted at ${dir}`));

    const noFstab = await fs.mkdtemp(path.join(tmp, 'img-'));
    assert.equal(one(diskDataRootPartition, await collectFacts({ host: new RootfsHost(noFstab) })).result.status, 'skipped');
  });

  test('disk.scheduled-cleanup: a timer passes; none with data piling up warns; none otherwise is info', async () => {
    const withTimer = await fs.mkdtemp(path.join(tmp, 'img-'));
    await writeAt(withTimer, '/etc/systemd/system/docker-prune.timer', '[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n');
    await writeAt(
      withTimer,
      '/etc/systemd/system/docker-prune.service',
      '[Service]\nType=oneshot\nExecStart=/usr/bin/docker system prune -f\n',
    );
    await fs.mkdir(path.join(withTimer, '/etc/systemd/system/timers.target.wants'));
    await fs.symlink('../docker-prune.timer', path.join(withTimer, '/etc/systemd/system/timers.target.wants/docker-prune.timer'));
    const scheduled = (await collectFacts({ host: new RootfsHost(withTimer) })).scheduledCleanup;
    const good = one(diskScheduledCleanup, { ...facts, scheduledCleanup: scheduled });
    assert.equal(good.result.status, 'pass', good.result.message);
    assert.deepEqual(good.result.evidence[0]!.source, { kind: 'file', path: '/etc/systemd/system/docker-prune.service', line: 3 });

    const bare = await fs.mkdtemp(path.join(tmp, 'img-'));
    const nothing = (await collectFacts({ host: new RootfsHost(bare) })).scheduledCleanup;
    const quiet = one(diskScheduledCleanup, { ...facts, scheduledCleanup: nothing });
    assert.equal(quiet.result.status, 'info', quiet.result.message);
    const piling = one(diskScheduledCleanup, { ...facts, scheduledCleanup: nothing }, { cleanupWarnBytes: MiB });
    assert.equal(piling.result.status, 'warn', piling.result.message);
    assert.match(piling.result.message, /has already piled up/);
  });
});
