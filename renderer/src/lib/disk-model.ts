import type { DiskUsage } from '../../../shared/api';
import { formatBytes, groupDigits } from '../../../shared/format';
import { type BytesByType, type DiskReport, type PruneObjectStatus, type PruneObjectType, type PrunePlan, type PruneResult } from '../../../shared/prune';
import type { Guidance } from './guidance';

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

/** Bytes the prune freed, as the Engine's own accounting says (plus the removed containers' log files). */
export function freedBytes(result: PruneResult): number {
  return (result.freed.engineBytes ?? result.predicted.removed) + result.freed.containerLogs;
}

/** A prune that stopped part-way: how far it got, what was freed, what is still there, and what to do. */
export function partialPruneGuidance(result: PruneResult): Guidance {
  const total = result.outcomes.length;
  const removed = result.counts.removed;
  const maybe = result.counts.unconfirmed;
  const left = total - removed - maybe;
  const hung = /did not answer|in time|timed? ?out/i.test(result.error ?? '');
  const objects = (n: number) => `${groupDigits(n)} object${n === 1 ? '' : 's'}`;
  return {
    kind: hung ? 'timeout' : 'daemon-down',
    title: `The prune stopped part-way: ${groupDigits(removed)} of ${objects(total)} removed`,
    steps: [
      hung ? 'The Docker daemon stopped answering in time: it may be hung.' : 'The Docker daemon stopped answering: it was stopped or it crashed.',
      result.freed.engineBytes !== null
        ? `${formatBytes(freedBytes(result))} freed by what was removed.`
        : freedBytes(result) === 0
          ? 'What was removed held no data the plan could count (0 B); the daemon could not be asked to measure it.'
          : `About ${formatBytes(freedBytes(result))} freed by what was removed: an estimate from the plan, because the daemon could not be asked to measure it.`,
      `${objects(left)} not removed ${left === 1 ? 'is' : 'are'} still there${maybe > 0 ? `; ${objects(maybe)} whose removal was under way may or may not be gone` : ''}.`,
      hung
        ? 'Check the daemon: sudo systemctl status docker and its log (journalctl -u docker); restart it if it stays hung.'
        : 'Start the daemon: sudo systemctl start docker (or start Docker Desktop, or your rootless daemon).',
      'Then Preview again: the new plan lists only what is left, and nothing is removed twice.',
    ],
    detail: result.error ?? 'the daemon stopped answering',
  };
}

export const STATUS_LABEL: Record<PruneObjectStatus, string> = { removed: 'Removed', skipped: 'Skipped', failed: 'Failed', unconfirmed: 'Unconfirmed', 'not-attempted': 'Not attempted' };

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
