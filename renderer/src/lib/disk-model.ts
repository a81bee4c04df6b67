import type { DiskCategory, DiskSummary } from '../../../shared/api';
import { formatBytes, groupDigits } from '../../../shared/format';
import { type BytesByType, type PruneObjectStatus, type PruneObjectType, type PrunePlan, type PruneResult } from '../../../shared/prune';
import type { Guidance } from './guidance';

export const ROW_LABEL: Record<DiskCategory['kind'], string> = {
  images: 'Images',
  containers: 'Containers',
  volumes: 'Volumes',
  'build-cache': 'Build cache',
  'container-logs': 'Container logs',
};

export const TYPE_LABEL: Record<PruneObjectType, string> = {
  container: 'Container',
  image: 'Image',
  volume: 'Volume',
  network: 'Network',
  'build-cache': 'Build cache',
};

/** The plan's bytes by type, under the picture's kinds: the default preview and the picture are compared by these. */
export const RECLAIM_KEY: Record<DiskCategory['kind'], keyof BytesByType> = {
  images: 'images',
  containers: 'containers',
  volumes: 'volumes',
  'build-cache': 'buildCache',
  'container-logs': 'containerLogs',
};

export interface UsageRow {
  type: DiskCategory['kind'];
  label: string;
  count: number;
  active: number;
  /** null: it cannot be measured from here (logs of a remote daemon). */
  bytes: number | null;
  /** What the default cleanup frees of it (never more than its size: shared layers are counted where they are freed). */
  reclaimable: number;
  /** Share of the largest row, 0..1: every bar on the one scale, on tracks of one length. */
  share: number;
  reclaimShare: number;
  note: string | null;
}

/** The one picture's rows (main/api/disk-summary.ts), as every screen shows them: Overview's card and the Disk screen. */
export function usageRows(disk: DiskSummary): UsageRow[] {
  const max = Math.max(1, ...disk.categories.map((c) => c.bytes));
  return disk.categories.map((c) => ({
    type: c.kind,
    label: ROW_LABEL[c.kind],
    count: c.count,
    active: c.active,
    bytes: c.unknown ? null : c.bytes,
    reclaimable: c.reclaimableBytes,
    share: c.bytes / max,
    reclaimShare: Math.min(c.reclaimableBytes, c.bytes) / max,
    note: c.note ?? null,
  }));
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
      hung
        ? 'The Docker daemon stopped answering in time: it may be hung.'
        : 'The Docker daemon stopped answering: it was stopped or it crashed.',
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

export const STATUS_LABEL: Record<PruneObjectStatus, string> = {
  removed: 'Removed',
  skipped: 'Skipped',
  failed: 'Failed',
  unconfirmed: 'Unconfirmed',
  'not-attempted': 'Not attempted',
};

export function shortId(id: string): string {
  const bare = id.replace(/^sha256:/, '');
  return bare.length > 16 ? bare.slice(0, 12) : bare;
}

export function planCounts(plan: PrunePlan): { type: PruneObjectType; remove: number; keep: number }[] {
  const types: PruneObjectType[] = ['container', 'image', 'volume', 'network', 'build-cache'];
  return types
    .map((type) => ({
      type,
      remove: plan.remove.filter((r) => r.type === type).length,
      keep: plan.keep.filter((k) => k.type === type).length,
    }))
    .filter((c) => c.remove + c.keep > 0);
}
