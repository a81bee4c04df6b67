import { formatBytes } from '../../shared/format';
import { PRUNE_PLAN_VERSION } from '../../shared/constants';
import { DEFAULT_PROTECT_LABEL, DEFAULT_PRUNE_OPTIONS } from '../../shared/prune-input';
import type { KeptObject, PlannedRemoval, PruneObjectType, PruneOptions, PrunePlan } from '../../shared/prune';
import { describeLabelFilter, engineMajor, isAnonymousVolume, untilCutoff } from './filters';
import { attributeFreedBytes, indexLayers } from './layers';
import { planDigest } from './plan-digest';
import { ownVerdict, type UsedKind, usersIndex, type Verdict } from './rules';
import type { DfBuildRecord } from './engine-df';
import type { PruneSnapshot, SnapshotContainer, SnapshotImage } from './snapshot';

/**
 * The prune planner: a pure function of a snapshot and the options. It decides, for every object of the types asked
 * for, remove or keep (with the reason), orders the removals so each can succeed (containers, then images children
 * first, volumes, networks, build cache children first where the Engine says which record is built on which) and
 * predicts the bytes each removal frees.
 */

export { DEFAULT_PROTECT_LABEL };

/** With no type chosen, a plan covers what `docker system prune -a` removes: never volumes. */
export function defaultPruneOptions(overrides: Partial<PruneOptions> = {}): PruneOptions {
  return { ...DEFAULT_PRUNE_OPTIONS, volumeNames: [], labelFilters: [], ...overrides };
}

export interface PlanContext {
  now: Date;
  planId: string;
  toolVersion: string;
}

interface Common {
  labels: Readonly<Record<string, string>>;
  created: string | null;
}

const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

export function buildPlan(snapshot: PruneSnapshot, options: PruneOptions, ctx: PlanContext): PrunePlan {
  const cutoff = options.until ? untilCutoff(options.until, ctx.now) : null;
  const remove: PlannedRemoval[] = [];
  const keep: KeptObject[] = [];
  const notes: string[] = [];
  const shared = (o: Common, what: string): Verdict => ownVerdict(o, options, cutoff, what);
  const kept = (type: PruneObjectType, id: string, name: string | null, size: number | null, v: NonNullable<Verdict>) =>
    keep.push({ type, id, name, size, reason: v.reason, why: v.why });

  // Containers -----------------------------------------------------------------------------------------------------
  const removedContainers = new Set<string>();
  const containers = [...snapshot.containers].sort(byCreatedThenId);
  for (const c of containers) {
    if (!options.containers) continue;
    const v: Verdict = c.active ? { reason: 'running', why: `${c.state}: never removed, nor what it uses` } : shared(c, 'created');
    if (v) {
      kept('container', c.id, c.name, c.sizeRw, v);
      continue;
    }
    removedContainers.add(c.id);
    const uses = [
      { type: 'image' as const, id: c.imageId },
      ...c.volumes.map((id) => ({ type: 'volume' as const, id })),
      ...c.networks.map((id) => ({ type: 'network' as const, id })),
    ];
    remove.push({
      type: 'container',
      id: c.id,
      name: c.name,
      tags: [],
      size: c.sizeRw,
      reclaim: c.sizeRw,
      created: c.created,
      lastUsed: null,
      why: `${c.state} container (image ${c.image})`,
      uses,
    });
  }
  const keptContainers = snapshot.containers.filter((c) => !removedContainers.has(c.id));
  const usedBy = (kind: UsedKind) => usersIndex(keptContainers, kind);
  const inUseWhy = (users: readonly SnapshotContainer[]): Verdict => {
    if (users.length === 0) return null;
    const running = users.find((u) => u.active);
    const first = running ?? users[0]!;
    const more = users.length > 1 ? ` (and ${users.length - 1} more)` : '';
    return {
      reason: 'in-use',
      why: running ? `used by ${first.state} container ${first.name}${more}` : `used by container ${first.name}${more}, which is kept`,
    };
  };

  // Images ---------------------------------------------------------------------------------------------------------
  const imageReclaim = { total: 0, ambiguous: 0 };
  if (options.images !== 'none') {
    const imageUsers = usedBy('image');
    const verdicts = new Map<string, Verdict>();
    for (const image of snapshot.images) {
      let v: Verdict = inUseWhy(imageUsers({ id: image.id, name: null }));
      if (!v && options.images === 'dangling' && image.tags.length > 0)
        v = { reason: 'not-selected', why: `tagged ${image.tags.join(', ')}: --images unused to include tagged images no container uses` };
      v ??= shared({ labels: image.labels, created: isoSeconds(image.created) }, 'created');
      verdicts.set(image.id, v);
    }
    // An image other kept images are built on (classic builder parents) stays: the Engine refuses to delete it, and
    // its layers are the kept children's anyway. Repeat until no removal has a kept child.
    const children = groupBy(snapshot.images, (i) => (i.parentId ? [i.parentId] : []));
    for (let changed = true; changed;) {
      changed = false;
      for (const image of snapshot.images) {
        if (verdicts.get(image.id) !== null) continue;
        const keptChild = (children.get(image.id) ?? []).find((child) => verdicts.get(child.id) !== null);
        if (keptChild) {
          verdicts.set(image.id, { reason: 'parent-of-kept', why: `parent of kept image ${imageName(keptChild)}` });
          changed = true;
        }
      }
    }
    const removedImages = orderChildrenFirst(
      snapshot.images.filter((i) => verdicts.get(i.id) === null).sort(byCreatedSeconds),
      (i) => i.id,
      (i) => (i.parentId ? [i.parentId] : []),
    );
    const aligned = new Map(snapshot.images.map((i) => [i.id, i.layers]));
    const freed = attributeFreedBytes(
      indexLayers(aligned),
      aligned,
      removedImages.map((i) => i.id),
    );
    for (const image of snapshot.images) {
      const v = verdicts.get(image.id);
      if (v) kept('image', image.id, imageName(image), image.size, v);
    }
    for (const image of removedImages) {
      const reclaim = freed.get(image.id) ?? 0;
      imageReclaim.total += reclaim;
      imageReclaim.ambiguous += image.layers.ambiguousBytes;
      remove.push({
        type: 'image',
        id: image.id,
        name: imageName(image),
        tags: image.tags,
        size: image.size,
        reclaim,
        created: isoSeconds(image.created),
        lastUsed: null,
        why: imageWhy(image, reclaim),
        ...(image.parentId && { uses: [{ type: 'image' as const, id: image.parentId }] }),
      });
    }
  }

  // Volumes --------------------------------------------------------------------------------------------------------
  let unknownSizeVolumes = 0;
  if (options.volumes !== 'none' || options.volumeNames.length > 0) {
    const volumeUsers = usedBy('volume');
    const major = engineMajor(snapshot.engine.version);
    const asked = new Set(options.volumeNames);
    for (const name of asked)
      if (!snapshot.df.volumes.some((v) => v.name === name)) notes.push(`volume ${name} (asked for by name) does not exist`);
    for (const volume of [...snapshot.df.volumes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const anonymous = isAnonymousVolume(volume.name, volume.labels, major);
      let v: Verdict = inUseWhy(volumeUsers({ id: volume.name, name: volume.name }));
      const selected = options.volumes === 'all' || asked.has(volume.name) || (options.volumes === 'anonymous' && anonymous);
      if (!v && !selected)
        v = {
          reason: 'not-selected',
          why: anonymous
            ? 'anonymous volume: --volumes anonymous to include'
            : 'named volume: removed only when asked for by name (--volume NAME) or with --volumes all',
        };
      v ??= shared({ labels: volume.labels, created: volume.createdAt }, 'created');
      if (v) {
        kept('volume', volume.name, volume.name, volume.size, v);
        continue;
      }
      if (volume.size === null) unknownSizeVolumes++;
      remove.push({
        type: 'volume',
        id: volume.name,
        name: volume.name,
        tags: [],
        size: volume.size,
        reclaim: volume.size ?? 0,
        created: volume.createdAt,
        lastUsed: null,
        why: `${anonymous ? 'anonymous' : asked.has(volume.name) ? 'named (asked for by name)' : 'named (--volumes all)'} volume no container uses${volume.size === null ? `; size unknown (driver ${volume.driver || '?'} does not report it)` : ''}`,
      });
    }
    if (unknownSizeVolumes > 0)
      notes.push(
        `${unknownSizeVolumes} volume(s) to remove have a size the Engine does not know (non-local driver): not counted in the bytes`,
      );
  }

  // Networks -------------------------------------------------------------------------------------------------------
  if (options.networks) {
    const networkUsers = usedBy('network');
    for (const network of [...snapshot.networks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      let v: Verdict = null;
      if (BUILTIN_NETWORKS.has(network.name) || network.driver === 'host' || network.driver === 'null')
        v = { reason: 'builtin', why: 'a network the Engine creates itself' };
      else if (network.scope === 'swarm') v = { reason: 'not-selected', why: 'swarm-scoped: managed by the swarm' };
      v ??= inUseWhy(networkUsers({ id: network.id, name: network.name }));
      v ??= shared({ labels: network.labels, created: network.created }, 'created');
      if (v) {
        kept('network', network.id, network.name, null, v);
        continue;
      }
      remove.push({
        type: 'network',
        id: network.id,
        name: network.name,
        tags: [],
        size: null,
        reclaim: 0,
        created: network.created,
        lastUsed: null,
        why: `${network.driver} network no container is attached to`,
      });
    }
  }

  // Build cache ----------------------------------------------------------------------------------------------------
  let sharedKept = 0;
  let buildCacheSharedRemoved = 0;
  let buildCacheUnordered = 0;
  if (options.buildCache) {
    const records = snapshot.df.buildCache;
    const verdicts = new Map<string, Verdict>();
    const positiveLabel = options.labelFilters.find((f) => !f.negate);
    for (const r of records) {
      let v: Verdict = null;
      if (r.inUse) v = { reason: 'in-use', why: 'in use by a build' };
      else if (positiveLabel)
        v = {
          reason: 'filtered',
          why: `build cache records carry no labels, so none matches --filter ${describeLabelFilter(positiveLabel)}`,
        };
      else if (cutoff && r.lastUsedAt && Date.parse(r.lastUsedAt) > cutoff.getTime())
        v = { reason: 'too-recent', why: `last used ${r.lastUsedAt}, after the --until ${options.until} cutoff (${cutoff.toISOString()})` };
      verdicts.set(r.id, v);
    }
    // BuildKit frees a record only once no other record is built on it: a child holds a reference on its parent, and
    // /build/prune takes only records nobody references (moby's vendored BuildKit cache manager, 20.10 through 28.5).
    const childrenOf = groupBy(records, (r) => r.parents);
    const relations = buildCacheRelations(records);
    for (let changed = true; changed;) {
      changed = false;
      for (const r of records) {
        if (verdicts.get(r.id) !== null) continue;
        const keptChild = (childrenOf.get(r.id) ?? []).find((child) => verdicts.get(child.id) !== null);
        if (keptChild) {
          verdicts.set(r.id, { reason: 'parent-of-kept', why: `record ${keptChild.id} (kept) is built on it` });
          changed = true;
        }
      }
    }
    const removed = orderChildrenFirst(
      records.filter((r) => verdicts.get(r.id) === null).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      (r) => r.id,
      (r) => r.parents,
    );
    for (const r of records) {
      const v = verdicts.get(r.id);
      if (v) {
        kept('build-cache', r.id, r.description || r.type, r.size, v);
        if (r.shared) sharedKept += r.size;
      }
    }
    for (const r of removed) {
      if (r.shared) buildCacheSharedRemoved += r.size;
      remove.push({
        type: 'build-cache',
        id: r.id,
        name: r.description || r.type,
        tags: [],
        size: r.size,
        // A shared record's bytes are an image layer's: freed with that layer (counted with the images), not here.
        reclaim: r.shared ? 0 : r.size,
        created: r.createdAt,
        lastUsed: r.lastUsedAt,
        why: `${r.type} build cache record, not in use${r.shared ? '; its data is also an image layer: freed only if that image goes too' : ''}`,
      });
    }
    if (relations === 'unknown' && removed.length > 0) {
      notes.push(
        `Engine ${snapshot.engine.version || '(version unknown)'} lists no parent for any build cache record: the apply removes them in passes, each record once the records built on it are gone`,
      );
      // A kept record may be built on one the plan removes; the Engine then keeps that one too, and nothing says which.
      if (records.some((r) => verdicts.get(r.id) !== null))
        buildCacheUnordered = removed.filter((r) => !r.shared).reduce((a, r) => a + r.size, 0);
      if (buildCacheUnordered > 0)
        notes.push(
          `up to ${formatBytes(buildCacheUnordered)} of build cache may stay: records the plan keeps may be built on records it removes, and this Engine does not say which`,
        );
    }
  } else {
    sharedKept = snapshot.df.buildCache.filter((r) => r.shared).reduce((a, r) => a + r.size, 0);
  }

  // Prediction -----------------------------------------------------------------------------------------------------
  const sum = (type: PruneObjectType) => remove.filter((r) => r.type === type).reduce((a, r) => a + r.reclaim, 0);
  const removedIds = new Set(remove.filter((r) => r.type === 'container').map((r) => r.id));
  const containerLogs = snapshot.containers.filter((c) => removedIds.has(c.id)).reduce((a, c) => a + (c.logBytes ?? 0), 0);
  const byType = {
    containers: sum('container'),
    containerLogs,
    images: sum('image'),
    volumes: sum('volume'),
    buildCache: sum('build-cache'),
  };
  // Image layers BuildKit also holds in a record the plan keeps are freed only when that record goes.
  const heldByCache = Math.min(imageReclaim.total, sharedKept);
  if (heldByCache > 0)
    notes.push(
      `up to ${formatBytes(heldByCache)} of the image layers may stay on disk: build cache records the plan keeps share them (add --build-cache, or they go with the next build cache prune)`,
    );
  if (imageReclaim.ambiguous > 0)
    notes.push(
      `${formatBytes(imageReclaim.ambiguous)} of image layers could not be placed exactly from the image history (layers of size 0 next to config-only steps): sharing among them is a best estimate`,
    );
  if (buildCacheSharedRemoved > 0)
    notes.push(
      `${formatBytes(buildCacheSharedRemoved)} of build cache is shared with image layers: counted with the images, freed only with them`,
    );
  if (snapshot.logsNote && options.containers) notes.push(`container log sizes unknown: ${snapshot.logsNote}`);
  if (options.volumes === 'none' && options.volumeNames.length === 0)
    notes.push('volumes are not part of this plan (they hold data): --volumes anonymous, --volumes all or --volume NAME to include them');

  const body: Omit<PrunePlan, 'digest'> = {
    kind: 'dockhand.prune-plan',
    schemaVersion: PRUNE_PLAN_VERSION,
    planId: ctx.planId,
    createdAt: ctx.now.toISOString(),
    toolVersion: ctx.toolVersion,
    cutoff: cutoff ? cutoff.toISOString() : null,
    engine: { ...snapshot.engine, endpoint: snapshot.endpoint },
    options,
    remove,
    keep,
    predicted: {
      byType,
      total: byType.containers + byType.containerLogs + byType.images + byType.volumes + byType.buildCache,
      uncertain: heldByCache + Math.min(imageReclaim.ambiguous, imageReclaim.total) + buildCacheUnordered,
      unknownSizeVolumes,
      notes,
    },
  };
  return { ...body, digest: planDigest(body) };
}

/**
 * Whether the Engine says which build cache record is built on which. Engine 20.10 (API 1.41, `Parent`) does. Engines
 * 26.1.5 and 28.5.2 as Debian builds them (the ones tested here) list no parent for any record, at every API version,
 * although moby's source passes BuildKit's `Parents` through from API 1.42: so it is read from the records, not
 * assumed from the version. Only a layer record can have a parent (source.local records never do), so a list with no
 * layer record says nothing either way.
 */
function buildCacheRelations(records: readonly DfBuildRecord[]): 'known' | 'unknown' | 'none' {
  if (records.some((r) => r.parents.length > 0)) return 'known';
  return records.some((r) => r.type === 'regular') ? 'unknown' : 'none';
}

function imageName(image: Pick<SnapshotImage, 'tags' | 'digests' | 'id'>): string {
  return image.tags[0] ?? image.digests[0] ?? `<none> ${image.id.replace(/^sha256:/, '').slice(0, 12)}`;
}

function imageWhy(image: SnapshotImage, reclaim: number): string {
  const kind = image.tags.length === 0 ? 'dangling (untagged) image' : 'image no container uses';
  const shared = image.size - reclaim;
  return shared > 0
    ? `${kind}; ${formatBytes(shared)} of its ${formatBytes(image.size)} stays (layers kept images use, or counted on another removed image)`
    : kind;
}

function isoSeconds(seconds: number): string | null {
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

function byCreatedThenId(a: { created: string; id: string }, b: { created: string; id: string }): number {
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byCreatedSeconds(a: { created: number; id: string }, b: { created: number; id: string }): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Items under each key `keys` gives them (an item under several keys is in each list). */
function groupBy<T>(items: readonly T[], keys: (t: T) => readonly string[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const t of items) {
    for (const key of keys(t)) {
      const list = map.get(key);
      if (list) list.push(t);
      else map.set(key, [t]);
    }
  }
  return map;
}

/** Orders items so each comes before its parents (a depth-first post-order over children), keeping input order otherwise. */
export function orderChildrenFirst<T>(items: readonly T[], id: (t: T) => string, parents: (t: T) => readonly string[]): T[] {
  const byId = new Map(items.map((t) => [id(t), t]));
  const childrenOf = groupBy(items, (t) => parents(t).filter((p) => byId.has(p)));
  const out: T[] = [];
  const done = new Set<string>();
  const visit = (t: T, depth: number) => {
    const key = id(t);
    if (done.has(key) || depth > items.length) return;
    done.add(key);
    for (const child of childrenOf.get(key) ?? []) visit(child, depth + 1);
    out.push(t);
  };
  // Start from the leaves' ancestors: visiting each item emits its descendants before it.
  for (const t of items) visit(t, 0);
  return out;
}
