import type { ChannelName, PruneForm, Settings } from '../../shared/api';
import type { PruneOptions } from '../../shared/prune';
import type { EngineApi } from '../collect/engine-api';
import type { Endpoint } from '../../shared/endpoint';
import { connectEngine } from '../prune/connect';
import { applyPlan } from '../prune/apply';
import { diskUsage, planPrune } from '../prune/measure';
import { checkPlan } from '../prune/plan-file';
import { defaultPruneOptions } from '../prune/plan';
import { planKey, signPlan } from '../prune/plan-signature';
import type { Exclusive } from './exclusive';
import type { ApiContext, Handlers } from './handlers';
import { explained } from './host-errors';

/** The Disk screen's form as the engine's options: the same as `dockhand prune plan` with the equivalent flags. */
export function pruneOptionsFromForm(form: PruneForm): PruneOptions {
  return defaultPruneOptions(form);
}

async function withEngine<T>(ctx: ApiContext, work: (api: EngineApi, endpoint: Endpoint, settings: Settings) => Promise<T>): Promise<T> {
  const settings = await ctx.settings.get();
  const choice = ctx.endpointOverride ?? settings.endpoint;
  const { api, endpoint } = await connectEngine(ctx.host, { host: choice.host ?? undefined, context: choice.context ?? undefined }, settings.timeoutMs);
  try {
    return await work(api, endpoint, settings);
  } finally {
    api.close();
  }
}

type DiskChannels = 'disk.usage' | Extract<ChannelName, `prune.${string}`>;

/** disk.usage and prune.plan / apply: main/prune behind the API; an apply takes the host's one change slot. */
export function createPruneHandlers(ctx: ApiContext, exclusive: Exclusive): Pick<Handlers, DiskChannels> {
  return {
    'disk.usage': () => explained('measure disk usage', () => withEngine(ctx, (api, endpoint, s) => diskUsage(api, endpoint, ctx.host, s.timeoutMs))),
    // The plan goes to the page and comes back to apply: signed with this user's key, so an edited one is refused.
    'prune.plan': ({ options }) =>
      explained('plan the prune', () =>
        withEngine(ctx, async (api, endpoint, s) => signPlan(await planPrune(api, endpoint, ctx.host, pruneOptionsFromForm(options), s.timeoutMs), await planKey(ctx.fixStateDir))),
      ),
    'prune.apply': ({ plan }) =>
      exclusive.run('prune', () =>
        explained('prune', async () => {
          // The plan comes back from the page: it must be exactly the one the engine made and signed, nothing edited.
          const checked = checkPlan(plan, 'the plan', await planKey(ctx.fixStateDir));
          return withEngine(ctx, (api, _endpoint, s) => applyPlan(api, checked, { timeoutMs: s.timeoutMs, onProgress: (e) => ctx.events.emit('prune.progress', e) }));
        }),
      ),
  };
}
