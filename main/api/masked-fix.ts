// What the fix channels show the app: every string of a plan, a journal record, an undo's conflicts and each step's
// message, through the one masking function. The exact values stay in the API (the plans it kept) and the journal.
import type { FixHistory } from '../../shared/api';
import type { FixPlan, FixRecord, FixStep, UndoResult } from '../../shared/fix';
import type { JsonValue } from '../../shared/json';
import { maskSecrets, maskSecretsInText } from '../../shared/mask';
import type { RestartImpact } from '../../shared/restart-impact';

/** The fix contract's values are plain JSON (they cross the API as JSON), so masking them as JSON keeps their shape. */
function masked<T extends object>(value: T): T {
  return maskSecrets(value as unknown as JsonValue) as unknown as T;
}

export const maskedPlan = (plan: FixPlan): FixPlan => masked(plan);
export const maskedRecord = (record: FixRecord): FixRecord => masked(record);
export const maskedHistory = (history: FixHistory): FixHistory => masked(history);
export const maskedUndo = (result: UndoResult): UndoResult => masked(result);
export const maskedStep = (step: FixStep): FixStep => ({ ...step, message: maskSecretsInText(step.message) });
export const maskedImpact = (impact: RestartImpact): RestartImpact => masked(impact);
