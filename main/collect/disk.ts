import type { Fact } from '../../shared/fact';
import type { ContainerLogFact, DataRootFsFact, ScheduledCleanupFact } from '../../shared/facts/disk';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

// TEMPORARY (this session): the area's collectors are being written; until then the facts say so.
export async function collectDataRootFs(_ctx: CollectContext): Promise<Fact<DataRootFsFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectContainerLogs(_ctx: CollectContext): Promise<Fact<ContainerLogFact[]>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectScheduledCleanup(_ctx: CollectContext): Promise<Fact<ScheduledCleanupFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}
