import { randomUUID } from 'node:crypto';
import type { Endpoint } from '../../shared/endpoint';
import type { Fact } from '../../shared/fact';
import type { DataRootFsFact } from '../../shared/facts/disk';
import type { DiskReport, PruneOptions, PrunePlan } from '../../shared/prune';
import type { EngineApi } from '../collect/engine-api';
import type { Host } from '../host/host';
import { VERSION } from '../version';
import { diskReport } from './disk-report';
import { buildPlan } from './plan';
import { assertProvenTransport } from './proven-transports';
import type { ImageLayerCache } from './layer-cache';
import { type PruneSnapshot, snapshotWithDataRoot, takeSnapshot } from './snapshot';

/** A fresh snapshot, then the plan: what `dockhand prune plan` and the app's Disk screen both show. */
export async function planPrune(
  api: EngineApi,
  endpoint: Endpoint,
  host: Host,
  options: PruneOptions,
  timeoutMs: number,
): Promise<PrunePlan> {
  // A plan made from queries that lost a parameter would be wrong before anything is applied.
  assertProvenTransport(api);
  const snapshot = await takeSnapshot(api, host, endpoint, timeoutMs);
  return planFromSnapshot(snapshot, options);
}

export function planFromSnapshot(snapshot: PruneSnapshot, options: PruneOptions): PrunePlan {
  return buildPlan(snapshot, options, { now: new Date(), planId: randomUUID(), toolVersion: VERSION });
}

/** `dockhand disk`: usage by type, each byte once, with every container's logs and the data root's filesystem. */
export async function measureDisk(api: EngineApi, endpoint: Endpoint, host: Host, timeoutMs: number): Promise<DiskReport> {
  const { snapshot, dataRoot } = await snapshotWithDataRoot(api, host, endpoint, timeoutMs, { logs: 'all', layers: false });
  return diskReport(snapshot, dataRoot, new Date());
}

/**
 * One snapshot for the app's disk picture and any plan made with it: every log file and the per-layer sizes, so the
 * usage (as `dockhand disk`) and the plan's prediction come from the same moment.
 */
export async function pictureSnapshot(
  api: EngineApi,
  endpoint: Endpoint,
  host: Host,
  timeoutMs: number,
  layerCache?: ImageLayerCache,
): Promise<{ snapshot: PruneSnapshot; dataRoot: Fact<DataRootFsFact> }> {
  assertProvenTransport(api);
  return snapshotWithDataRoot(api, host, endpoint, timeoutMs, { logs: 'all', layers: true, layerCache });
}
