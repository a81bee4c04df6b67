import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import { importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import type { EngineApi } from '../collect/engine-api';
import { LocalHost } from '../host/local-host';
import { connectEngine } from '../prune/connect';
import { diskReport } from '../prune/disk-report';
import { pictureSnapshot } from '../prune/measure';
import { buildPlan, defaultPruneOptions } from '../prune/plan';
import { diskPicture } from './disk-summary';

// The one picture Overview, Disk and the default preview all show: its figures are `dockhand disk`'s usage and the
// default plan's prediction of the same snapshot, on a real daemon with something of every kind to count.
let daemon: PrivateDockerd;
let api: EngineApi;
let endpoint: Endpoint;

before(async () => {
  daemon = await runningDockerd({ daemonJson: {} });
  await importBusybox(daemon, 'base:1');
  await daemon.docker(['run', '-d', '--name', 'up', '-v', 'held:/v', 'base:1']);
  // Committed twice under one tag: the first commit is left dangling, which the default plan removes.
  await daemon.docker(['commit', '--change', 'LABEL n=1', 'up', 'old:1']);
  await daemon.docker(['commit', '--change', 'LABEL n=2', 'up', 'old:1']);
  await daemon.docker(['run', '--name', 'done', 'base:1', 'sh', '-c', 'head -c 100000 /dev/zero > /f; echo finished']);
  await daemon.docker(['volume', 'create', 'idle']);
  ({ api, endpoint } = await connectEngine(new LocalHost(), { host: daemon.host }, 10_000));
});
after(async () => {
  api?.close();
  await daemon?.stop();
});

test('the disk picture is `dockhand disk` usage with the default plan’s reclaimable bytes, from one snapshot', async () => {
  const { snapshot, dataRoot } = await pictureSnapshot(api, endpoint, new LocalHost(), 10_000);
  const now = new Date();
  const picture = diskPicture(snapshot, dataRoot, now);
  const usage = diskReport(snapshot, dataRoot, now);
  const predicted = buildPlan(snapshot, defaultPruneOptions(), { now, planId: 'test', toolVersion: 'test' }).predicted.byType;

  assert.deepEqual(
    picture.categories.map((c) => [c.kind, c.count, c.bytes]),
    usage.rows.map((r) => [r.type, r.count, r.bytes ?? 0]),
  );
  assert.equal(picture.totalBytes, usage.total);
  const byKind = Object.fromEntries(picture.categories.map((c) => [c.kind, c]));
  assert.deepEqual(
    Object.fromEntries(picture.categories.map((c) => [c.kind, c.active])),
    { images: 1, containers: 1, volumes: 1, 'build-cache': 0, 'container-logs': 2 },
    'in use: base:1 (both containers), the running container, its volume; both containers have logs',
  );
  assert.equal(byKind.images!.count, 3, 'base:1, old:1 and the dangling first commit');
  assert.equal(byKind.images!.reclaimableBytes, predicted.images, 'the dangling commit, as the default plan predicts');
  assert.equal(byKind.containers!.reclaimableBytes, predicted.containers);
  assert.ok(byKind.containers!.reclaimableBytes >= 100_000, 'the stopped container wrote 100 kB');
  assert.equal(byKind.volumes!.reclaimableBytes, 0, 'the default cleanup never removes volumes');
  assert.equal(
    picture.reclaimableBytes,
    picture.categories.reduce((a, c) => a + c.reclaimableBytes, 0),
  );
  for (const c of picture.categories) assert.ok(c.reclaimableBytes <= c.bytes, `${c.kind}: never more than the row holds`);
  assert.equal(picture.dataRoot?.path, snapshot.info.dockerRootDir);
  assert.equal(picture.error, null);
});
