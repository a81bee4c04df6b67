import type { ChannelName } from '../../shared/api';
import type { FixStep } from '../../shared/fix';
import { applyFix, type FixRoute, undoAppliedFix, undoImpact } from '../fix/dispatch';
import { findLauncher, needsHelper } from '../fix/elevate';
import { listRecords } from '../fix/journal';
import { stateDir } from '../util/state-dir';
import { type FixSessionOptions, openFixSession } from '../fix/session';
import { maskSecretsInText } from '../../shared/mask';
import { ApiError } from './errors';
import { type ApiContext, checkOptionsFromSettings, type Handlers } from './context';
import type { Exclusive } from './exclusive';
import { chosenEndpoint } from './endpoint-choice';
import { explained } from './host-errors';
import { maskedHistory, maskedImpact, maskedPlan, maskedRecord, maskedStep, maskedUndo } from './masked-fix';
import { KEPT_PLANS, PlanStore } from './plan-store';

/** The fix session the CLI would open, for the endpoint and check options the settings choose. */
async function fixSessionOptions(ctx: ApiContext): Promise<FixSessionOptions> {
  const settings = await ctx.settings.get();
  return {
    endpoint: chosenEndpoint(settings, ctx.endpointOverride),
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

/** The engines' explained errors can quote what a plan holds (a proxy URL in a pre-flight message): shown masked. */
async function shown<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await explained(what, work);
  } catch (error) {
    if (error instanceof ApiError) throw new ApiError(error.code, maskSecretsInText(error.message), { cause: error });
    throw error;
  }
}

/**
 * fix.plan / apply / undo / history: main/fix behind the API, one change at a time. The app sees every plan, record
 * and step masked; fix.apply takes the id of a plan this API made and applies the exact plan it kept.
 */
export function createFixHandlers(ctx: ApiContext, exclusive: Exclusive): Pick<Handlers, FixChannels> {
  const plans = new PlanStore();
  const progress = (planId: string, step: FixStep) => ctx.events.emit('fix.progress', { planId, step: maskedStep(step) });
  return {
    'fix.plan': (input) =>
      shown('plan the fix', async () => {
        const plan = await (await openFixSession(await fixSessionOptions(ctx))).plan(input);
        plans.keep(plan);
        return maskedPlan(plan);
      }),
    'fix.apply': ({ planId, restartContainers }) =>
      exclusive.run('apply a fix', () =>
        shown('apply the fix', async () => {
          const plan = plans.get(planId);
          if (!plan) {
            throw new ApiError(
              'failed',
              `Cannot apply the fix: this plan is no longer kept (Dockhand keeps the last ${KEPT_PLANS} plans it made, until it restarts). Plan the fix again, then apply the new plan.`,
            );
          }
          const onStep = (step: FixStep) => progress(plan.id, step);
          if (needsHelper(plan)) {
            onStep({
              at: new Date().toISOString(),
              step: 'note',
              ok: true,
              message: `Asking for root through ${findLauncher() ?? 'pkexec or sudo'} (${plan.elevation.why}): the system will ask for your password`,
            });
          }
          return maskedRecord(await applyFix(plan, await fixRoute(ctx), onStep, { restartContainers }));
        }),
      ),
    'fix.undo': ({ id, force, restartContainers }) =>
      exclusive.run('undo a fix', () =>
        shown('undo the fix', async () =>
          maskedUndo(await undoAppliedFix(id, force, await fixRoute(ctx), (step, planId) => progress(planId, step), { restartContainers })),
        ),
      ),
    'fix.undo-impact': ({ id }) =>
      shown('look at what the undo restarts', async () => {
        const found = await undoImpact(id, await fixRoute(ctx));
        return (
          found && {
            id: found.record.id,
            title: maskSecretsInText(found.record.plan.title),
            impact: found.impact && maskedImpact(found.impact),
          }
        );
      }),
    'fix.history': () => shown('read the fix history', async () => maskedHistory(await listRecords(ctx.fixStateDir ?? stateDir()))),
  };
}
