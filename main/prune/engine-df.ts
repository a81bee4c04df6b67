import type { EngineDiskTotals } from '../../shared/prune';
import { arr, bool, num, obj, type Raw, str, stringMap, strings } from '../collect/raw';

/**
 * GET /system/df read for cleanup: unlike the audit's DiskUsage fact it keeps what prune needs (image parents, build
 * cache parents, a volume size of -1 as "unknown"), and totals each byte once.
 */
export interface DfImage {
  id: string;
  parentId: string | null;
  tags: string[];
  digests: string[];
  /** Unix seconds. */
  created: number;
  size: number;
  sharedSize: number;
  labels: Record<string, string>;
}

export interface DfContainer {
  id: string;
  sizeRw: number;
}

export interface DfVolume {
  name: string;
  driver: string;
  createdAt: string | null;
  labels: Record<string, string>;
  /** null: the Engine does not know (UsageData.Size -1, a non-local driver, or no UsageData). */
  size: number | null;
  refCount: number;
}

export interface DfBuildRecord {
  id: string;
  /** API 1.41 has one Parent; 1.42+ has Parents. Empty for every record on Engines 26.1.5 and 28.5.2 (see plan.ts). */
  parents: string[];
  type: string;
  description: string;
  inUse: boolean;
  shared: boolean;
  size: number;
  createdAt: string | null;
  lastUsedAt: string | null;
}

export interface EngineDf {
  layersSize: number;
  images: DfImage[];
  containers: DfContainer[];
  volumes: DfVolume[];
  buildCache: DfBuildRecord[];
}

export function parseDf(raw: Raw): EngineDf {
  return {
    layersSize: num(raw.LayersSize),
    images: arr(raw.Images).map((value) => {
      const i = obj(value);
      return {
        id: str(i.Id),
        parentId: str(i.ParentId) || null,
        tags: strings(i.RepoTags).filter((t) => t !== '<none>:<none>'),
        digests: strings(i.RepoDigests).filter((d) => d !== '<none>@<none>'),
        created: num(i.Created),
        size: num(i.Size),
        sharedSize: Math.max(0, num(i.SharedSize)),
        labels: stringMap(i.Labels),
      };
    }),
    containers: arr(raw.Containers).map((value) => {
      const c = obj(value);
      return { id: str(c.Id), sizeRw: Math.max(0, num(c.SizeRw)) };
    }),
    volumes: arr(raw.Volumes).map((value) => {
      const v = obj(value);
      const usage = obj(v.UsageData);
      const size = num(usage.Size, -1);
      return {
        name: str(v.Name),
        driver: str(v.Driver),
        createdAt: str(v.CreatedAt) || null,
        labels: stringMap(v.Labels),
        size: size >= 0 ? size : null,
        refCount: Math.max(0, num(usage.RefCount)),
      };
    }),
    buildCache: arr(raw.BuildCache).map((value) => {
      const b = obj(value);
      const parents = strings(b.Parents);
      return {
        id: str(b.ID),
        parents: parents.length > 0 ? parents : str(b.Parent) ? [str(b.Parent)] : [],
        type: str(b.Type),
        description: str(b.Description),
        inUse: bool(b.InUse),
        shared: bool(b.Shared),
        size: Math.max(0, num(b.Size)),
        createdAt: str(b.CreatedAt) || null,
        lastUsedAt: str(b.LastUsedAt) || null,
      };
    }),
  };
}

/**
 * Each byte once: LayersSize counts every layer once; a build cache record marked Shared holds an image layer's bytes
 * (BuildKit and the layer store share the directory), so only unshared records add to it — as `docker system df` sums.
 */
export function diskTotals(df: EngineDf): EngineDiskTotals {
  const containers = df.containers.reduce((a, c) => a + c.sizeRw, 0);
  const volumes = df.volumes.reduce((a, v) => a + (v.size ?? 0), 0);
  const buildCache = df.buildCache.filter((b) => !b.shared).reduce((a, b) => a + b.size, 0);
  return { images: df.layersSize, containers, volumes, buildCache, total: df.layersSize + containers + volumes + buildCache };
}
