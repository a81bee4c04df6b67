import type { ChannelName } from '../../shared/api';
import type { FixStep } from '../../shared/fix';
import { applyElevated, findLauncher, needsHelper } from '../fix/elevate';
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
    selfPath: ctx.selfPath ?? null,
    stateDir: ctx.fixStateDir,
    timeouts: ctx.fixTimeouts,
  };
}

type FixChannels = Extract<ChannelName, `fix.${string}`>;

/** fix.plan / apply / undo / history: main/fix/session.ts behind the API, one change at a time. */
export function createFixHandlers(ctx: ApiContext, exclusive: Exclusive): Pick<Handlers, FixChannels> {
  return {
    'fix.plan': (input) => explained('plan the fix', async () => (await openFixSession(await fixSessionOptions(ctx))).plan(input)),
    'fix.apply': ({ plan }) =>
      exclusive.run('apply a fix', () =>
        explained('apply the fix', async () => {
          const onStep = (step: FixStep) => ctx.events.emit('fix.progress', { planId: plan.id, step });
          if (needsHelper(plan)) {
            // The helper runs apart (as root): its steps arrive with its record, not one by one.
            onStep({ at: new Date().toISOString(), step: 'note', ok: true, message: `Asking for root through ${findLauncher() ?? 'pkexec or sudo'} (${plan.elevation.why}): the system will ask for your password` });
            const record = await applyElevated(plan, ctx.selfPath ?? null, 'pipe');
            for (const step of record.steps) onStep(step);
            return record;
          }
          const session = await openFixSession(await fixSessionOptions(ctx));
          return session.apply(plan, onStep);
        }),
      ),
    'fix.undo': ({ id, force }) => exclusive.run('undo a fix', () => explained('undo the fix', async () => (await openFixSession(await fixSessionOptions(ctx))).undo(id, force))),
    'fix.history': () => explained('read the fix history', () => listRecords(ctx.fixStateDir ?? stateDir())),
  };
}
