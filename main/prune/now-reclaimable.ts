import type { PruneObjectType, PruneOptions, PrunePlan, PruneResult } from '../../shared/prune';

type NowReclaimable = NonNullable<PruneResult['nowReclaimable']>;

/**
 * The options under which a plan after the prune looks for what it left unused: the applied ones with unused images
 * and networks included (a container's image or network is what its removal most often frees). Volumes are never
 * added: they hold data, and only the user includes them.
 */
export function widenedOptions(options: PruneOptions): PruneOptions {
  return {
    ...options,
    images: options.containers || options.images !== 'none' ? 'unused' : options.images,
    networks: options.networks || options.containers,
  };
}

/** The options that remove `objects`: the applied ones, plus, as the CLI spells them, what the applied ones lacked. */
function optionsFor(
  applied: PruneOptions,
  objects: readonly { type: PruneObjectType; keptBecause: string }[],
): { options: PruneOptions; added: string[] } {
  const lacking = new Set(objects.filter((o) => o.keptBecause === 'not-selected').map((o) => o.type));
  const options = { ...applied };
  const added: string[] = [];
  if (lacking.has('image') && applied.images !== 'unused') {
    options.images = 'unused';
    added.push('--images unused');
  }
  if (lacking.has('network') && !applied.networks) {
    options.networks = true;
    added.push('--networks');
  }
  return { options, added };
}

const key = (type: PruneObjectType, id: string) => `${type}\u0000${id}`;

/**
 * What a prune made reclaimable: the objects a plan made after it (with the widened options) removes that the applied
 * plan did not remove, and that were either used by something it removed (an image whose last container went, the
 * parent of a removed image, a network it left empty) or kept by it for a reason that is gone. Worth a second run.
 */
export function nowReclaimable(applied: PrunePlan, next: PrunePlan): NowReclaimable {
  const removed = new Set(applied.remove.map((r) => key(r.type, r.id)));
  // Containers name their networks (and volumes) by name; a network removal is keyed by id: match either.
  const freed = new Set(applied.remove.flatMap((r) => (r.uses ?? []).map((u) => key(u.type, u.id))));
  const keptBefore = new Map(applied.keep.map((k) => [key(k.type, k.id), k.reason]));
  const objects = next.remove.flatMap((r) => {
    const k = key(r.type, r.id);
    if (removed.has(k)) return [];
    const usedByRemoved = freed.has(k) || (r.name !== null && freed.has(key(r.type, r.name)));
    const keptBecause = keptBefore.get(k) ?? (usedByRemoved ? 'not-selected' : undefined);
    if (!keptBecause || (!usedByRemoved && keptBecause === 'not-selected')) return [];
    return [{ type: r.type, id: r.id, name: r.name, reclaim: r.reclaim, why: r.why, keptBecause }];
  });
  return { objects, bytes: objects.reduce((a, o) => a + o.reclaim, 0), ...optionsFor(applied.options, objects) };
}

/**
 * The result with what the prune made reclaimable, planned again with the widened options. Only a complete prune that
 * removed something can have freed anything up; a failure to plan again leaves the result as it was, since the prune
 * itself is done and said so.
 */
export async function withNowReclaimable(
  result: PruneResult,
  applied: PrunePlan,
  planAgain: (options: PruneOptions) => Promise<PrunePlan>,
): Promise<PruneResult> {
  if (!result.complete || result.counts.removed === 0) return result;
  try {
    return { ...result, nowReclaimable: nowReclaimable(applied, await planAgain(widenedOptions(applied.options))) };
  } catch {
    return result;
  }
}
