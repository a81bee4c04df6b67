import type { Fact } from '../../shared/fact';
import type { DnsFact, HostNetworkFact, IptablesFact } from '../../shared/facts/network';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

// TEMPORARY (this session): the area's collectors are being written; until then the facts say so.
export async function collectHostNetwork(_ctx: CollectContext): Promise<Fact<HostNetworkFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectDns(_ctx: CollectContext): Promise<Fact<DnsFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectIptables(_ctx: CollectContext): Promise<Fact<IptablesFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}
