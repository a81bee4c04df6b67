import type { Fact } from '../../shared/fact';
import type { ImageFact } from '../../shared/facts/images';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

// TEMPORARY (this session): the area's collectors are being written; until then the facts say so.
export async function collectImages(_ctx: CollectContext): Promise<Fact<ImageFact[]>> {
  return failure(new HostError('unsupported', 'not collected yet'));
}
