import type { ChannelName } from '../../shared/api';
import type { FixStep } from '../../shared/fix';
import { applyFix, type FixRoute, undoAppliedFix } from '../fix/dispatch';
import { findLauncher, needsHelper } from '../fix/elevate';
import { listRecords, stateDir } from '../fix/journal';
import { type FixSessionOptions, openFixSession } from '../fix/session';
import { type ApiContext, checkOptionsFromSettings, type Handlers } from './handlers';
import type { Exclusive } from './exclusive';
import { explained } from './host-errors';

/** The fix session the CLI would open, for the endpoint and check options the settings choose. */
export async function fixSessionOptions(ctx: ApiContext): Promise<FixSessionOptions> {
  const settings = await ctx.settings.get();
  const endpoint = ctx.endpointOverride ?? settings.endpoint;
  return {
    endpoint: { host: endpoint.host ?? undefined, context: endpoint.context ?? undefined },
    timeoutMs: settings.timeoutMs,
    context: { options: checkOptionsFromSettings(settings) },
    self: ctx.self,
    stateDir: ctx.fixStateDir,
    timeouts: ctx.fixTimeouts,
  };
}

type FixChannels = Extract<ChannelName, `fix.${string}`>;

/** How the API applies and undoes: here, or through the root helper (its stderr ends up in the error, not a terminal). */
async function fixRoute(ctx: ApiContext): Promise<FixRoute> {
  const options = await fixSessionOptions(ctx);
  return {
    self: ctx.self ?? { ok: false, why: 'this Dockhand was started without a way to run its helper' },
    stateDir: ctx.fixStateDir ?? stateDir(),
    // The settings choose the daemon, except that an undo goes to the daemon its fix was applied to.
    session: (applied) => openFixSession(applied === undefined ? options : { ...options, endpoint: { host: applied ?? undefined } }),
    stderr: 'pipe',
  };
}

/** fix.plan / apply / undo / history: main/fix behind the API, one change at a time. */
export function createFixHandlers(ctx: ApiContext, exclusive: Exclusive): Pick<Handlers, FixChannels> {
  return {
    'fix.plan': (input) => explained('plan the fix', async () => (await openFixSession(await fixSessionOptions(ctx))).plan(input)),
    'fix.apply': ({ plan }) =>
      exclusive.run('apply a fix', () =>
        explained('apply the fix', async () => {
          const onStep = (step: FixStep) => ctx.events.emit('fix.progress', { planId: plan.id, step });
          if (needsHelper(plan)) {
            onStep({ at: new Date().toISOString(), step: 'note', ok: true, message: `Asking for root through ${findLauncher() ?? 'pkexec or sudo'} (${plan.elevation.why}): the system will ask for your password` });
          }
          return applyFix(plan, await fixRoute(ctx), onStep);
        }),
      ),
    'fix.undo': ({ id, force }) =>
      exclusive.run('undo a fix', () =>
        explained('undo the fix', async () => undoAppliedFix(id, force, await fixRoute(ctx), (step, planId) => ctx.events.emit('fix.progress', { planId, step }))),
      ),
    'fix.history': () => explained('read the fix history', () => listRecords(ctx.fixStateDir ?? stateDir())),
  };
}
