// Where an apply or an undo runs: in this process, or through the root helper when the change needs root and this
// process is not root. The CLI and the app's API both come through here, so both elevate the same way and both keep
// the unprivileged copy of what the helper did (History lists it; Undo finds its way back to root's journal).
import { type FixPlan, FixPlanSchema, type FixRecord, type FixStep, type UndoResult } from '../../shared/fix';
import type { ContainersAfter, RestartImpact } from '../../shared/restart-impact';
import { containersAfterSummary } from '../../shared/restart-impact-words';
import type { SelfCommand } from '../util/self-command';
import { containersAfter, type RunningBefore, runningContainers, withEngine } from './containers-again';
import { applyElevated, needsHelper, undoElevated } from './elevate';
import { Journal, JournalError, latestUndoable, listRecords, saveElevatedCopy } from './journal';
import type { FixSession } from './session';

export interface FixRoute {
  self: SelfCommand;
  /** This process's journal (the user's, unless it runs as root). */
  stateDir: string;
  /**
   * Opened only when the work runs here: it audits the host first. An undo passes the endpoint its fix was applied
   * to, for a route that was not told one.
   */
  session(recordEndpoint?: string | null): Promise<FixSession>;
  /** Where the helper's stderr goes: the terminal (CLI) or into the error message (the app). */
  stderr?: 'inherit' | 'pipe';
}

/** What the user chose for the containers a restart stops: start them again afterwards (the default) or not. */
export interface RestartChoice {
  restartContainers?: boolean;
}

/** The containers running just before a restart, or why they could not be listed; `since`: when the work began. */
interface Before {
  since: string;
  running: RunningBefore[] | { error: string };
}

async function containersBefore(plan: Pick<FixPlan, 'restart' | 'endpoint'>): Promise<Before | null> {
  if (!plan.restart) return null;
  const since = new Date().toISOString();
  const running = await withEngine(plan.endpoint, runningContainers).catch((error: Error) => ({ error: error.message }));
  return { since, running };
}

/**
 * After the work: if it restarted the daemon, how each container that ran before is now, started again first when
 * asked and it is down (after the daemon is back and the fix verified). Null when the daemon was not restarted.
 */
async function containersSince(
  before: Before | null,
  steps: readonly FixStep[],
  plan: Pick<FixPlan, 'endpoint'>,
  startAgain: boolean,
): Promise<{ after: ContainersAfter; step: Omit<FixStep, 'at'> } | null> {
  if (!before || !steps.some((s) => s.step === 'restart' && s.ok && s.at >= before.since)) return null;
  const after: ContainersAfter = Array.isArray(before.running)
    ? await withEngine(plan.endpoint, (api) => containersAfter(api, before.running as RunningBefore[], startAgain)).catch(
        (error: Error) => ({ startAgain, containers: [], error: error.message }),
      )
    : { startAgain, containers: [], error: before.running.error };
  const ok = after.error === null && !after.containers.some((c) => c.how === 'start-failed' || c.how === 'unknown');
  return { after, step: { step: 'containers', ok, message: containersAfterSummary(after) } };
}

type Settled = NonNullable<Awaited<ReturnType<typeof containersSince>>>;

/** Adds the containers' step (and, for an apply, their states) to a record this process keeps in its own journal. */
async function noteInJournal(
  stateDir: string,
  record: FixRecord,
  settled: Settled,
  work: 'apply' | 'undo',
  onStep?: (step: FixStep) => void,
): Promise<FixRecord> {
  const journal = await Journal.open(stateDir, record.id, onStep);
  if (work === 'apply') journal.record.containers = settled.after;
  await journal.step(settled.step.step, settled.step.ok, settled.step.message);
  return journal.record;
}

/** The same for the copy of a record root's journal holds: the step goes into the copy, and to the caller. */
function noteInCopy(record: FixRecord, settled: Settled, work: 'apply' | 'undo', onStep?: (step: FixStep) => void): FixRecord {
  const step: FixStep = { at: new Date().toISOString(), ...settled.step };
  onStep?.(step);
  return { ...record, ...(work === 'apply' && { containers: settled.after }), steps: [...record.steps, step] };
}

export async function applyFix(
  input: unknown,
  route: FixRoute,
  onStep?: (step: FixStep) => void,
  choice: RestartChoice = {},
): Promise<FixRecord> {
  const startAgain = choice.restartContainers ?? true;
  const parsed = FixPlanSchema.safeParse(input);
  if (parsed.success && needsHelper(parsed.data)) {
    const before = await containersBefore(parsed.data);
    let record = await applyElevated(parsed.data, route.self, { onStep, stderr: route.stderr });
    const settled = await containersSince(before, record.steps, parsed.data, startAgain);
    if (settled) record = noteInCopy(record, settled, 'apply', onStep);
    await saveElevatedCopy(route.stateDir, record);
    return record;
  }
  // Whatever is wrong with an invalid plan, the session's own validation says it.
  const session = await route.session();
  const before = parsed.success ? await containersBefore(parsed.data) : null;
  const record = await session.apply(input, onStep);
  const settled = await containersSince(before, record.steps, record.plan, startAgain);
  return settled ? noteInJournal(session.stateDir, record, settled, 'apply', onStep) : record;
}

/** The record an undo of `id` (the latest undoable fix without one) refers to; null when there is none to read. */
async function recordToUndo(stateDir: string, id: string | undefined): Promise<FixRecord | null> {
  if (id === undefined) return latestUndoable((await listRecords(stateDir)).records) ?? null;
  try {
    return (await Journal.open(stateDir, id)).record;
  } catch (error) {
    // Unknown or damaged: the undo itself reports it in its own words.
    if (error instanceof JournalError) return null;
    throw error;
  }
}

/** `onStep` also gets the id of the plan being undone, so the app can show the steps under that fix. */
export async function undoAppliedFix(
  id: string | undefined,
  force: boolean,
  route: FixRoute,
  onUndoStep?: (step: FixStep, planId: string) => void,
  choice: RestartChoice = {},
): Promise<UndoResult> {
  const startAgain = choice.restartContainers ?? true;
  const record = await recordToUndo(route.stateDir, id);
  const onStep = onUndoStep && record ? (step: FixStep) => onUndoStep(step, record.plan.id) : undefined;
  if (!record?.elevated || process.getuid?.() === 0) {
    const session = await route.session(record?.plan.endpoint);
    const before = record ? await containersBefore(record.plan) : null;
    const result = await session.undo(id, force, onStep);
    const settled = await containersSince(before, result.record.steps, result.record.plan, startAgain);
    return settled
      ? { ...result, record: await noteInJournal(session.stateDir, result.record, settled, 'undo', onStep), containers: settled.after }
      : result;
  }
  const before = await containersBefore(record.plan);
  const result = await undoElevated(record.id, force, route.self, { onStep, stderr: route.stderr });
  const settled = await containersSince(before, result.record.steps, result.record.plan, startAgain);
  const kept = settled ? noteInCopy(result.record, settled, 'undo', onStep) : result.record;
  await saveElevatedCopy(route.stateDir, kept);
  return settled ? { ...result, record: kept, containers: settled.after } : result;
}

/** What undoing `id` (the latest undoable fix without one) would do to the running containers; null: no restart. */
export async function undoImpact(
  id: string | undefined,
  route: FixRoute,
): Promise<{ record: FixRecord; impact: RestartImpact | null } | null> {
  const record = await recordToUndo(route.stateDir, id);
  if (!record) return null;
  if (!record.plan.restart) return { record, impact: null };
  return { record, impact: (await route.session(record.plan.endpoint)).impact(record.plan, 'undo') };
}
