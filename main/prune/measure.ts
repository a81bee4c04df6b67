import { randomUUID } from 'node:crypto';
import type { Endpoint } from '../../shared/endpoint';
import type { BytesByType, DiskReport, PruneOptions, PrunePlan } from '../../shared/prune';
import type { EngineApi } from '../collect/engine-api';
import type { Host } from '../host/host';
import { VERSION } from '../version';
import { diskReport } from './disk-report';
import { buildPlan, defaultPruneOptions } from './plan';
import { assertProvenTransport } from './proven-transports';
import { measureDataRoot, takeSnapshot } from './snapshot';

/** A fresh snapshot, then the plan: what `dockhand prune plan` and the app's Disk screen both show. */
export async function planPrune(api: EngineApi, endpoint: Endpoint, host: Host, options: PruneOptions, timeoutMs: number): Promise<PrunePlan> {
  // A plan made from queries that lost a parameter would be wrong before anything is applied.
  assertProvenTransport(api);
  const snapshot = await takeSnapshot(api, host, endpoint, timeoutMs);
  return buildPlan(snapshot, options, { now: new Date(), planId: randomUUID(), toolVersion: VERSION });
}

/** `dockhand disk`: usage by type, each byte once, with every container's logs and the data root's filesystem. */
export async function measureDisk(api: EngineApi, endpoint: Endpoint, host: Host, timeoutMs: number): Promise<DiskReport> {
  const snapshot = await takeSnapshot(api, host, endpoint, timeoutMs, { logs: 'all', layers: false });
  const dataRoot = await measureDataRoot(host, endpoint, snapshot.info, timeoutMs);
  return diskReport(snapshot, dataRoot, new Date());
}

/**
 * The Disk screen's picture from one snapshot: usage by type (as `dockhand disk`), and what the default plan (what
 * `docker system prune -a` covers; never volumes) would free now, by type.
 */
export async function diskUsage(api: EngineApi, endpoint: Endpoint, host: Host, timeoutMs: number): Promise<{ report: DiskReport; reclaimable: BytesByType }> {
  const snapshot = await takeSnapshot(api, host, endpoint, timeoutMs, { logs: 'all', layers: true });
  const dataRoot = await measureDataRoot(host, endpoint, snapshot.info, timeoutMs);
  const now = new Date();
  const plan = buildPlan(snapshot, defaultPruneOptions(), { now, planId: randomUUID(), toolVersion: VERSION });
  return { report: diskReport(snapshot, dataRoot, now), reclaimable: plan.predicted.byType };
}
