import type { PrunePlan, PruneResult } from '../../shared/prune';

/**
 * What a prune made reclaimable: the objects a plan made after it with the same options removes that the applied plan
 * kept (an image whose last container the prune removed, a network it left empty). Worth a second run.
 */
export function nowReclaimable(applied: PrunePlan, next: PrunePlan): NonNullable<PruneResult['nowReclaimable']> {
  const keptBefore = new Map(applied.keep.map((k) => [`${k.type}\u0000${k.id}`, k.reason]));
  const objects = next.remove.flatMap((r) => {
    const keptBecause = keptBefore.get(`${r.type}\u0000${r.id}`);
    return keptBecause ? [{ type: r.type, id: r.id, name: r.name, reclaim: r.reclaim, why: r.why, keptBecause }] : [];
  });
  return { objects, bytes: objects.reduce((a, o) => a + o.reclaim, 0) };
}

/**
 * The result with what the prune made reclaimable, planned again with the same options. Only a complete prune that
 * removed something can have freed anything up; a failure to plan again leaves the result as it was, since the prune
 * itself is done and said so.
 */
export async function withNowReclaimable(result: PruneResult, applied: PrunePlan, planAgain: () => Promise<PrunePlan>): Promise<PruneResult> {
  if (!result.complete || result.counts.removed === 0) return result;
  try {
    return { ...result, nowReclaimable: nowReclaimable(applied, await planAgain()) };
  } catch {
    return result;
  }
}
