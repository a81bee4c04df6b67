import type { DiskCategory, DiskSummary } from '../../shared/api';
import type { Fact } from '../../shared/fact';
import type { DataRootFsFact } from '../../shared/facts/disk';
import type { BytesByType, DiskReport } from '../../shared/prune';
import { diskReport } from '../prune/disk-report';
import { buildPlan, defaultPruneOptions } from '../prune/plan';
import type { PruneSnapshot } from '../prune/snapshot';
import { VERSION } from '../version';

/**
 * The one disk picture every screen shows (Overview's disk card, the Disk screen's usage, and what its default preview
 * would free): computed here, from one snapshot of the Engine, and nowhere else. Usage is `dockhand disk`'s (each byte
 * once); what is reclaimable is exactly what the default plan (the Disk form's defaults: never volumes) predicts, so a
 * default preview made from the same snapshot shows the same bytes by type.
 */

const RECLAIM_KEY: Record<DiskReport['rows'][number]['type'], keyof BytesByType> = {
  images: 'images',
  containers: 'containers',
  volumes: 'volumes',
  'build-cache': 'buildCache',
  'container-logs': 'containerLogs',
};

/** In use, by kind: images a container (in any state) is made from, running containers, volumes referenced, cache in use. */
function activeCounts(snapshot: PruneSnapshot): Record<DiskCategory['kind'], number> {
  const usedImages = new Set(snapshot.containers.map((c) => c.imageId));
  return {
    images: snapshot.df.images.filter((i) => usedImages.has(i.id)).length,
    containers: snapshot.containers.filter((c) => c.active).length,
    volumes: snapshot.df.volumes.filter((v) => v.refCount > 0).length,
    'build-cache': snapshot.df.buildCache.filter((b) => b.inUse).length,
    'container-logs': snapshot.containers.filter((c) => c.logBytes !== null).length,
  };
}

export function diskPicture(snapshot: PruneSnapshot, dataRoot: Fact<DataRootFsFact> | null, now: Date): DiskSummary {
  const report = diskReport(snapshot, dataRoot, now);
  const reclaimable = buildPlan(snapshot, defaultPruneOptions(), { now, planId: 'disk-picture', toolVersion: VERSION }).predicted.byType;
  const active = activeCounts(snapshot);
  const categories: DiskCategory[] = report.rows.map((row) => ({
    kind: row.type,
    count: row.count,
    active: active[row.type],
    bytes: row.bytes ?? 0,
    // Never more than the row holds: a shared layer is counted where it is freed.
    reclaimableBytes: Math.min(reclaimable[RECLAIM_KEY[row.type]], row.bytes ?? Infinity),
    note: row.note,
    unknown: row.bytes === null,
  }));
  const fs = dataRoot?.ok ? dataRoot.value : null;
  return {
    collectedAt: report.collectedAt,
    categories,
    totalBytes: report.total,
    reclaimableBytes: categories.reduce((a, c) => a + c.reclaimableBytes, 0),
    dataRoot: fs ? { path: fs.path, totalBytes: fs.totalBytes, availableBytes: fs.availableBytes, mountPoint: fs.mountPoint } : null,
    error: null,
    endpoint: report.endpoint,
    engineVersion: report.engineVersion,
  };
}

/** The picture when the daemon could not be asked: no figures, and why. */
export function unmeasuredPicture(why: string, now: Date, endpoint: string | null): DiskSummary {
  return {
    collectedAt: now.toISOString(),
    categories: [],
    totalBytes: 0,
    reclaimableBytes: 0,
    dataRoot: null,
    error: `Docker's disk usage could not be read: ${why}`,
    endpoint,
    engineVersion: null,
  };
}
