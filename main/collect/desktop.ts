import type { Fact } from '../../shared/fact';
import type { DesktopFact, WslFact } from '../../shared/facts/desktop';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

// TEMPORARY (this session): the area's collectors are being written; until then the facts say so.
export async function collectDesktop(_ctx: CollectContext): Promise<Fact<DesktopFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}

export async function collectWsl(_ctx: CollectContext): Promise<Fact<WslFact>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}
