import type { DiskCategory, DiskSummary } from '../../shared/api';
import type { DiskUsage, Facts } from '../../shared/facts';

const sum = <T>(items: readonly T[], bytes: (item: T) => number): number => items.reduce((n, item) => n + Math.max(0, bytes(item)), 0);

/**
 * Docker's disk use by kind, with what a prune of unused objects could free, computed as `docker system df` does
 * (docker/cli formatter/disk_usage.go): images count their deduplicated layers once, and an image in use keeps its
 * unique layers; volumes and sizes the daemon did not compute (-1) count as 0.
 */
export function diskCategories(usage: DiskUsage): DiskCategory[] {
  const activeImages = usage.images.filter((i) => i.containers > 0);
  const imagesUsed = sum(activeImages, (i) => (i.size < 0 || i.sharedSize < 0 ? 0 : i.size - i.sharedSize));
  const stopped = usage.containers.filter((c) => c.state !== 'running');
  const ownCache = usage.buildCache.filter((b) => !b.shared);
  return [
    {
      kind: 'images',
      count: usage.images.length,
      active: activeImages.length,
      bytes: usage.layersSize,
      reclaimableBytes: Math.max(0, usage.layersSize - imagesUsed),
    },
    {
      kind: 'containers',
      count: usage.containers.length,
      active: usage.containers.length - stopped.length,
      bytes: sum(usage.containers, (c) => c.sizeRw),
      reclaimableBytes: sum(stopped, (c) => c.sizeRw),
    },
    {
      kind: 'volumes',
      count: usage.volumes.length,
      active: usage.volumes.filter((v) => v.refCount > 0).length,
      bytes: sum(usage.volumes, (v) => v.size),
      reclaimableBytes: sum(
        usage.volumes.filter((v) => v.refCount === 0),
        (v) => v.size,
      ),
    },
    {
      kind: 'build-cache',
      count: usage.buildCache.length,
      active: usage.buildCache.filter((b) => b.inUse).length,
      bytes: sum(ownCache, (b) => b.size),
      reclaimableBytes: sum(
        ownCache.filter((b) => !b.inUse),
        (b) => b.size,
      ),
    },
  ];
}

export function summarizeDisk(facts: Facts): DiskSummary {
  const categories = facts.diskUsage.ok ? diskCategories(facts.diskUsage.value) : [];
  if (facts.containerLogs.ok) {
    const logs = facts.containerLogs.value;
    categories.push({ kind: 'container-logs', count: logs.length, active: logs.length, bytes: sum(logs, (l) => l.bytes), reclaimableBytes: 0 });
  }
  const fs = facts.dataRootFs.ok ? facts.dataRootFs.value : null;
  return {
    collectedAt: facts.collectedAt,
    categories,
    totalBytes: sum(categories, (c) => c.bytes),
    reclaimableBytes: sum(categories, (c) => c.reclaimableBytes),
    dataRoot: fs ? { path: fs.path, totalBytes: fs.totalBytes, availableBytes: fs.availableBytes, mountPoint: fs.mountPoint } : null,
    error: facts.diskUsage.ok ? null : `Docker's disk usage could not be read: ${facts.diskUsage.error.message}`,
  };
}
