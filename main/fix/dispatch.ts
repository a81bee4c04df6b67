// Where an apply or an undo runs: in this process, or through the root helper when the change needs root and this
// process is not root. The CLI and the app's API both come through here, so both elevate the same way and both keep
// the unprivileged copy of what the helper did (History lists it; Undo finds its way back to root's journal).
import { FixPlanSchema, type FixRecord, type FixStep, type UndoResult } from '../../shared/fix';
import type { SelfCommand } from '../util/self-command';
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

export async function applyFix(input: unknown, route: FixRoute, onStep?: (step: FixStep) => void): Promise<FixRecord> {
  const parsed = FixPlanSchema.safeParse(input);
  if (parsed.success && needsHelper(parsed.data)) {
    const record = await applyElevated(parsed.data, route.self, { onStep, stderr: route.stderr });
    await saveElevatedCopy(route.stateDir, record);
    return record;
  }
  // Whatever is wrong with an invalid plan, the session's own validation says it.
  return (await route.session()).apply(input, onStep);
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
export async function undoAppliedFix(id: string | undefined, force: boolean, route: FixRoute, onUndoStep?: (step: FixStep, planId: string) => void): Promise<UndoResult> {
  const record = await recordToUndo(route.stateDir, id);
  const onStep = onUndoStep && record ? (step: FixStep) => onUndoStep(step, record.plan.id) : undefined;
  if (!record?.elevated || process.getuid?.() === 0) return (await route.session(record?.plan.endpoint)).undo(id, force, onStep);
  const result = await undoElevated(record.id, force, route.self, { onStep, stderr: route.stderr });
  await saveElevatedCopy(route.stateDir, result.record);
  return result;
}
