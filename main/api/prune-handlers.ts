import type { ChannelName, DiskSummary, PruneForm, Settings } from '../../shared/api';
import type { PruneOptions, PrunePlan, PruneResult } from '../../shared/prune';
import type { EngineApi } from '../collect/engine-api';
import type { Endpoint } from '../../shared/endpoint';
import { connectEngine } from '../prune/connect';
import { applyPlan } from '../prune/apply';
import { ImageLayerCache } from '../prune/layer-cache';
import { pictureSnapshot, planFromSnapshot } from '../prune/measure';
import { checkPlan } from '../prune/plan-file';
import { defaultPruneOptions } from '../prune/plan';
import { planKey, signPlan } from '../prune/plan-signature';
import { diskPicture } from './disk-summary';
import type { Exclusive } from './exclusive';
import type { ApiContext, Handlers } from './context';
import { chosenEndpoint } from './endpoint-choice';
import { explained } from './host-errors';
import { withNowReclaimable } from '../prune/now-reclaimable';

/** The Disk screen's form as the engine's options: the same as `dockhand prune plan` with the equivalent flags. */
function pruneOptionsFromForm(form: PruneForm): PruneOptions {
  return defaultPruneOptions(form);
}

async function withEngine<T>(ctx: ApiContext, work: (api: EngineApi, endpoint: Endpoint, settings: Settings) => Promise<T>): Promise<T> {
  const settings = await ctx.settings.get();
  const { api, endpoint } = await connectEngine(ctx.host, chosenEndpoint(settings, ctx.endpointOverride), settings.timeoutMs);
  try {
    return await work(api, endpoint, settings);
  } finally {
    api.close();
  }
}

/** One per app session: the picture after every audit inspects only the images new since the last one. */
const layerCaches = new WeakMap<ApiContext, ImageLayerCache>();

function layerCacheOf(ctx: ApiContext): ImageLayerCache {
  let cache = layerCaches.get(ctx);
  if (!cache) layerCaches.set(ctx, (cache = new ImageLayerCache()));
  return cache;
}

/** Every screen shows the newest picture: kept with the last audit (the app opens on it) and sent to every window. */
export async function publishDisk(ctx: ApiContext, picture: DiskSummary): Promise<DiskSummary> {
  await ctx.lastAudit.saveDisk(picture);
  ctx.events.emit('disk.changed', picture);
  return picture;
}

/** The disk picture now, from a fresh snapshot, published. */
export function measureDiskPicture(ctx: ApiContext): Promise<DiskSummary> {
  return withEngine(ctx, async (api, endpoint, s) => {
    const { snapshot, dataRoot } = await pictureSnapshot(api, endpoint, ctx.host, s.timeoutMs, layerCacheOf(ctx));
    return publishDisk(ctx, diskPicture(snapshot, dataRoot, new Date()));
  });
}

type DiskChannels = 'disk.usage' | Extract<ChannelName, `prune.${string}`>;

/** disk.usage and prune.plan / apply: main/prune behind the API; an apply takes the host's one change slot. */
export function createPruneHandlers(ctx: ApiContext, exclusive: Exclusive): Pick<Handlers, DiskChannels> {
  /** After a prune: the picture again, and what the prune left unused, from the same snapshot. */
  const afterPrune = async (
    api: EngineApi,
    endpoint: Endpoint,
    timeoutMs: number,
    plan: PrunePlan,
    result: PruneResult,
  ): Promise<PruneResult> => {
    if (!result.complete) return result;
    try {
      const { snapshot, dataRoot } = await pictureSnapshot(api, endpoint, ctx.host, timeoutMs, layerCacheOf(ctx));
      await publishDisk(ctx, diskPicture(snapshot, dataRoot, new Date()));
      return await withNowReclaimable(result, plan, async (options) => planFromSnapshot(snapshot, options));
    } catch {
      // The prune itself is done and said so; the picture stays as it was until it is measured again.
      return result;
    }
  };
  return {
    'disk.usage': () => explained('measure disk usage', () => measureDiskPicture(ctx)),
    // The plan goes to the page and comes back to apply: signed with this user's key, so an edited one is refused. The
    // picture is published from the same snapshot, so the usage on screen and the preview are of the same moment.
    'prune.plan': ({ options }) =>
      explained('plan the prune', () =>
        withEngine(ctx, async (api, endpoint, s) => {
          const { snapshot, dataRoot } = await pictureSnapshot(api, endpoint, ctx.host, s.timeoutMs, layerCacheOf(ctx));
          const plan = planFromSnapshot(snapshot, pruneOptionsFromForm(options));
          await publishDisk(ctx, diskPicture(snapshot, dataRoot, new Date()));
          return signPlan(plan, await planKey(ctx.fixStateDir));
        }),
      ),
    'prune.apply': ({ plan }) =>
      exclusive.run('prune', () =>
        explained('prune', async () => {
          // The plan comes back from the page: it must be exactly the one the engine made and signed, nothing edited.
          const checked = checkPlan(plan, 'the plan', await planKey(ctx.fixStateDir));
          return withEngine(ctx, async (api, endpoint, s) => {
            const result = await applyPlan(api, checked, {
              timeoutMs: s.timeoutMs,
              onProgress: (e) => ctx.events.emit('prune.progress', e),
            });
            return afterPrune(api, endpoint, s.timeoutMs, checked, result);
          });
        }),
      ),
  };
}
