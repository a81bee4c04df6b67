import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Fact } from '../../shared/fact';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

type Collector<T> = (ctx: CollectContext) => Promise<Fact<T>>;

/**
 * A collector that reads the daemon's host (its process, daemon.json, units, files, accounts, network, disks). When the
 * endpoint's daemon runs on another machine it reports why, as not applicable, and reads nothing here: this machine's
 * files would otherwise be judged as that daemon's. `given`: the user named the input (--config-file, --flags), which
 * is then read from here as asked.
 */
export function onDaemonHost<T>(collect: Collector<T>, given: (ctx: CollectContext) => boolean = () => false): Collector<T> {
  return async (ctx) => {
    const endpoint = await ctx.endpoint();
    const elsewhere = endpoint && !given(ctx) ? daemonElsewhere(endpoint) : null;
    return elsewhere ? failure<T>(new HostError('unsupported', elsewhere)) : collect(ctx);
  };
}
