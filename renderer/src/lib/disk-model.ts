import type { DiskUsage, PruneForm } from '../../../shared/api';
import { DEFAULT_PROTECT_LABEL } from '../../../shared/prune-input';
import type { BytesByType, DiskReport, PruneObjectType, PrunePlan, PruneResult } from '../../../shared/prune';

export const ROW_LABEL: Record<DiskReport['rows'][number]['type'], string> = {
  images: 'Images',
  containers: 'Containers',
  volumes: 'Volumes',
  'build-cache': 'Build cache',
  'container-logs': 'Container logs',
};

export const TYPE_LABEL: Record<PruneObjectType, string> = { container: 'Container', image: 'Image', volume: 'Volume', network: 'Network', 'build-cache': 'Build cache' };

const RECLAIM_KEY: Record<DiskReport['rows'][number]['type'], keyof BytesByType> = {
  images: 'images',
  containers: 'containers',
  volumes: 'volumes',
  'build-cache': 'buildCache',
  'container-logs': 'containerLogs',
};

export interface UsageRow {
  type: DiskReport['rows'][number]['type'];
  label: string;
  count: number;
  bytes: number | null;
  /** What the default prune frees of it (never more than its size: shared layers are counted where they are freed). */
  reclaimable: number;
  /** Share of the largest row, 0..1, for the bar. */
  share: number;
  reclaimShare: number;
  note: string | null;
}

/** The chart's and table's rows: usage by type, what a default prune frees of each, scaled to the largest. */
export function usageRows(usage: DiskUsage): UsageRow[] {
  const max = Math.max(1, ...usage.report.rows.map((r) => r.bytes ?? 0));
  return usage.report.rows.map((r) => {
    const reclaimable = Math.min(usage.reclaimable[RECLAIM_KEY[r.type]], r.bytes ?? Infinity);
    return {
      type: r.type,
      label: ROW_LABEL[r.type],
      count: r.count,
      bytes: r.bytes,
      reclaimable,
      share: (r.bytes ?? 0) / max,
      reclaimShare: reclaimable / max,
      note: r.note,
    };
  });
}

/** What `dockhand prune plan` does without options: `docker system prune -a`, never volumes, the protection label honoured. */
export const DEFAULT_FORM: PruneForm = {
  until: null,
  containers: true,
  images: 'unused',
  volumes: 'none',
  volumeNames: [],
  buildCache: true,
  networks: true,
  labelFilters: [],
  protectLabel: DEFAULT_PROTECT_LABEL,
};

/** Bytes the prune freed, as the Engine's own accounting says (plus the removed containers' log files). */
export function freedBytes(result: PruneResult): number {
  return (result.freed.engineBytes ?? result.predicted.removed) + result.freed.containerLogs;
}

export function shortId(id: string): string {
  const bare = id.replace(/^sha256:/, '');
  return bare.length > 16 ? bare.slice(0, 12) : bare;
}

export function planCounts(plan: PrunePlan): { type: PruneObjectType; remove: number; keep: number }[] {
  const types: PruneObjectType[] = ['container', 'image', 'volume', 'network', 'build-cache'];
  return types
    .map((type) => ({ type, remove: plan.remove.filter((r) => r.type === type).length, keep: plan.keep.filter((k) => k.type === type).length }))
    .filter((c) => c.remove + c.keep > 0);
}
