import type { Endpoint } from '../../shared/endpoint';
import type { Fact } from '../../shared/fact';
import type { ContainerFact, EngineInfo } from '../../shared/facts';
import type { ContainerLogFact, DataRootFsFact } from '../../shared/facts/disk';
import { type CollectContext, failure } from '../collect/context';
import { collectLogsByDirectory } from '../collect/container-logs';
import { collectDataRootFs } from '../collect/disk';
import { INSPECT_CONCURRENCY, parseInfo } from '../collect/engine';
import { type EngineApi, EngineApiError } from '../collect/engine-api';
import { arr, num, obj, type Raw, str, stringMap, strings } from '../collect/raw';
import { HostError, type Host } from '../host/host';
import { mapLimit } from '../util/timeout';
import { type EngineDf, type DfImage, parseDf } from './engine-df';
import type { ImageLayerCache } from './layer-cache';
import { type AlignedLayers, alignImages, type HistoryStep } from './layers';

/**
 * Everything planning needs, taken once through the Engine API: the plan itself is a pure function of this snapshot.
 * Calls: /version, /info, /system/df, one container list (log files are found under the data root), one
 * inspect and one history per image (layers and their sizes), and the network list.
 */

export interface SnapshotContainer {
  id: string;
  name: string;
  imageId: string;
  /** The image reference the container was created from (as `docker ps` shows it). */
  image: string;
  created: string;
  state: string;
  /** running, paused or restarting: never removed, nor anything it uses. */
  active: boolean;
  labels: Record<string, string>;
  sizeRw: number;
  /** Its log file(s), when they can be measured from here (local daemon, stopped containers). */
  logBytes: number | null;
  volumes: string[];
  networks: string[];
}

export interface SnapshotImage extends DfImage {
  layers: AlignedLayers;
}

export interface SnapshotNetwork {
  id: string;
  name: string;
  driver: string;
  scope: string;
  created: string | null;
  labels: Record<string, string>;
}

export interface PruneSnapshot {
  takenAt: string;
  info: EngineInfo;
  endpoint: string;
  engine: { id: string; name: string; version: string; apiVersion: string };
  df: EngineDf;
  containers: SnapshotContainer[];
  images: SnapshotImage[];
  networks: SnapshotNetwork[];
  /** Why container log sizes are missing, when they are. */
  logsNote: string | null;
}

const ACTIVE = new Set(['running', 'paused', 'restarting']);

export function isActiveState(state: string): boolean {
  return ACTIVE.has(state);
}

/** /system/df walks every layer and container filesystem: on a big host it is the slowest call, so it gets more time. */
export const DF_TIMEOUT_FACTOR = 3;

export interface SnapshotScope {
  /** Whose log files to measure: a plan needs the stopped containers' only; `dockhand disk` all. */
  logs: 'stopped' | 'all';
  /** Per-layer image sizes (one inspect and one history call per image): planning needs them, usage totals do not. */
  layers: boolean;
  /** Layer inputs already known from an earlier snapshot: only images not in it are inspected (see ImageLayerCache). */
  layerCache?: ImageLayerCache;
}

export async function takeSnapshot(
  api: EngineApi,
  host: Host,
  endpoint: Endpoint,
  timeoutMs: number,
  scope: SnapshotScope = { logs: 'stopped', layers: true },
): Promise<PruneSnapshot> {
  return (await snapshotParts(api, host, endpoint, timeoutMs, scope, false)).snapshot;
}

/**
 * A snapshot and the data root's filesystem, measured as soon as /info names the data root (beside /system/df, the
 * slowest answer): what `dockhand disk` and the app's disk picture show.
 */
export async function snapshotWithDataRoot(
  api: EngineApi,
  host: Host,
  endpoint: Endpoint,
  timeoutMs: number,
  scope: SnapshotScope,
): Promise<{ snapshot: PruneSnapshot; dataRoot: Fact<DataRootFsFact> }> {
  const { snapshot, dataRoot } = await snapshotParts(api, host, endpoint, timeoutMs, scope, true);
  return { snapshot, dataRoot: dataRoot! };
}

async function snapshotParts(
  api: EngineApi,
  host: Host,
  endpoint: Endpoint,
  timeoutMs: number,
  scope: SnapshotScope,
  withDataRoot: boolean,
): Promise<{ snapshot: PruneSnapshot; dataRoot: Fact<DataRootFsFact> | null }> {
  const infoRequest = api.get<Raw>('/info');
  // What needs only the data root begins as soon as /info names it, while the daemon still sizes everything for
  // /system/df (the slowest answer): every container's log for usage (`dockhand disk`; the containers are found in the
  // data root's own listing) and the data root's filesystem.
  const earlyInfo = infoRequest.then((raw) => parseInfo(obj(raw)));
  const allLogs = scope.logs === 'all' ? earlyInfo.then((info) => measureLogs(host, endpoint, info, 'all', timeoutMs)) : null;
  const dataRoot = withDataRoot ? earlyInfo.then((info) => measureDataRoot(host, endpoint, info, timeoutMs)) : null;
  // Awaited below only when /info answered; a failed /info fails the snapshot through the Promise.all instead.
  for (const early of [earlyInfo, allLogs, dataRoot]) void early?.catch(() => undefined);
  const [version, infoRaw, dfRaw, list, networks] = await Promise.all([
    api.get<Raw>('/version'),
    infoRequest,
    api.get<Raw>('/system/df', {}, timeoutMs * DF_TIMEOUT_FACTOR),
    // Usage alone (`dockhand disk`) takes the containers from /system/df's own entries (the same summaries, with
    // sizes): on a big host the list costs the daemon as much as /system/df itself. A plan lists them as always.
    scope.layers ? api.get<unknown[]>('/containers/json', { all: '1' }) : null,
    api.get<unknown[]>('/networks'),
  ]);
  const df = parseDf(obj(dfRaw));
  const info = parseInfo(obj(infoRaw));
  const sizeRw = new Map(df.containers.map((c) => [c.id, c.sizeRw]));
  const containers = arr(list ?? obj(dfRaw).Containers).map((c) => parseListedContainer(obj(c), sizeRw));
  // Measured containers without a log file have 0 bytes of it; the others (a plan's running ones, or all when the
  // logs could not be measured) are unknown.
  const measured = scope.logs === 'all' ? containers : containers.filter((c) => !c.active);
  const [images, logs] = await Promise.all([
    scope.layers
      ? imagesWithLayers(api, df.images, scope.layerCache)
      : df.images.map((i) => ({ ...i, layers: { chain: [], sizes: [], ambiguousBytes: 0 } })),
    allLogs ??
      measureLogs(
        host,
        endpoint,
        info,
        measured.map((c) => c.id),
        timeoutMs,
      ),
  ]);
  for (const c of measured) c.logBytes = logs.bytes ? (logs.bytes.get(c.id) ?? 0) : null;
  const v = obj(version);
  const snapshot: PruneSnapshot = {
    takenAt: new Date().toISOString(),
    info,
    endpoint: endpoint.host,
    engine: { id: info.id, name: info.name, version: str(v.Version), apiVersion: str(v.ApiVersion) },
    df,
    containers,
    images,
    networks: arr(networks).map((n) => parseNetwork(obj(n))),
    logsNote: logs.note,
  };
  return { snapshot, dataRoot: dataRoot && (await dataRoot) };
}

/** The list entry has all prune needs (state, labels, image, mounts, networks) without one inspect per container. */
export function parseListedContainer(c: Raw, sizeRw: ReadonlyMap<string, number>): SnapshotContainer {
  const id = str(c.Id);
  const state = str(c.State);
  return {
    id,
    name: strings(c.Names).map((n) => n.replace(/^\//, ''))[0] ?? id.slice(0, 12),
    imageId: str(c.ImageID),
    image: str(c.Image),
    created: new Date(num(c.Created) * 1000).toISOString(),
    state,
    active: isActiveState(state),
    labels: stringMap(c.Labels),
    sizeRw: sizeRw.get(id) ?? 0,
    logBytes: null,
    volumes: arr(c.Mounts)
      .map(obj)
      .filter((m) => str(m.Type) === 'volume' && str(m.Name))
      .map((m) => str(m.Name)),
    networks: Object.keys(obj(obj(c.NetworkSettings).Networks)).sort(),
  };
}

function parseNetwork(n: Raw): SnapshotNetwork {
  return {
    id: str(n.Id),
    name: str(n.Name),
    driver: str(n.Driver),
    scope: str(n.Scope),
    created: str(n.Created) || null,
    labels: stringMap(n.Labels),
  };
}

async function imagesWithLayers(api: EngineApi, images: readonly DfImage[], cache?: ImageLayerCache): Promise<SnapshotImage[]> {
  const inputs = await mapLimit(images, INSPECT_CONCURRENCY, async (image) => {
    const known = cache?.get(image.id);
    if (known) return { image, ...known };
    try {
      const [inspect, history] = await Promise.all([
        api.get<Raw>(`/images/${encodeURIComponent(image.id)}/json`),
        api.get<unknown[]>(`/images/${encodeURIComponent(image.id)}/history`),
      ]);
      const input = { diffIds: strings(obj(obj(inspect).RootFS).Layers), history: historySteps(history) };
      cache?.set(image.id, input);
      return { image, ...input };
    } catch (error) {
      // Removed between /system/df and now: it no longer takes space, so it has nothing to plan.
      if (error instanceof EngineApiError && error.statusCode === 404) return null;
      throw error;
    }
  });
  const present = inputs.filter((i): i is NonNullable<typeof i> => i !== null);
  cache?.keepOnly(present.map((p) => p.image.id));
  const aligned = alignImages(present.map((p) => ({ id: p.image.id, diffIds: p.diffIds, history: p.history })));
  return present.map((p) => ({ ...p.image, layers: aligned.get(p.image.id)! }));
}

/** The history endpoint lists the newest step first; alignment wants the oldest first. */
function historySteps(history: unknown): HistoryStep[] {
  return arr(history)
    .map(obj)
    .map((h) => ({ size: Math.max(0, num(h.Size)), createdBy: str(h.CreatedBy), comment: str(h.Comment) }))
    .reverse();
}

/**
 * Containers' log files, found in their directories under the data root (no inspect per container), through the
 * audit's own host-side code: it knows when the daemon's files are not this machine's (Desktop's VM, a remote or
 * forwarded socket) and says so instead of guessing.
 */
async function measureLogs(
  host: Host,
  endpoint: Endpoint,
  info: EngineInfo,
  ids: readonly string[] | 'all',
  timeoutMs: number,
): Promise<{ bytes: Map<string, number> | null; note: string | null }> {
  if (!info.dockerRootDir) return { bytes: null, note: 'the daemon did not report its data root (DockerRootDir)' };
  const fact = await collectLogsByDirectory(hostContext(host, endpoint, info, [], timeoutMs), info.dockerRootDir, ids);
  if (!fact.ok) return { bytes: null, note: fact.error.message };
  return { bytes: new Map(fact.value.map((l: ContainerLogFact) => [l.container, l.bytes])), note: null };
}

/** The data root's filesystem (free space), when it is this machine's: the audit's collector decides. */
function measureDataRoot(host: Host, endpoint: Endpoint, info: EngineInfo, timeoutMs: number): Promise<Fact<DataRootFsFact>> {
  return collectDataRootFs(hostContext(host, endpoint, info, [], timeoutMs));
}

/**
 * A collect context holding only the facts cleanup already has (info, containers): the audit's host-side collectors
 * (log files, data root) run on it unchanged. Any other fact is reported as not collected here.
 */
function hostContext(host: Host, endpoint: Endpoint, info: EngineInfo, containers: ContainerFact[], timeoutMs: number): CollectContext {
  const known: Record<string, Fact<unknown>> = {
    info: { ok: true, value: info, sources: [{ kind: 'api', call: 'GET /info' }] },
    containers: { ok: true, value: containers, sources: [{ kind: 'api', call: 'GET /containers/{id}/json' }] },
    endpoint: { ok: true, value: endpoint, sources: [] },
  };
  return {
    host,
    request: {},
    timeoutMs,
    get: ((key: string) =>
      Promise.resolve(known[key] ?? failure(new HostError('unsupported', `${key} is not collected for cleanup`)))) as CollectContext['get'],
    api: () => Promise.reject(new EngineApiError('failed', 'host-side collectors do not call the Engine here')),
    endpoint: () => Promise.resolve(endpoint),
  };
}
