import { EngineApiError } from '../collect/engine-api';
import { PlanRejectedError } from '../fix/allowlist';
import { ControllerError } from '../fix/controllers';
import { ElevationError } from '../fix/elevate';
import { JournalError } from '../fix/journal';
import { LockBusyError } from '../fix/lock';
import { PlanRefusedError } from '../fix/plan';
import { PlanMismatchError } from '../prune/apply';
import { PruneInputError } from '../prune/filters';
import { ApiError } from './errors';

/** Errors the fix and prune engines mean a person to read (refusals, a daemon that is down): their message, in context. */
const EXPLAINED = [
  PlanRefusedError,
  PlanRejectedError,
  ElevationError,
  JournalError,
  LockBusyError,
  ControllerError,
  PruneInputError,
  PlanMismatchError,
];

/**
 * Runs `work`, turning the engines' explained errors into an ApiError whose message says what could not be done and
 * why ("Cannot apply the fix: the plan was made for the daemon at …"). Anything else is a bug and goes on as it is.
 */
export async function explained<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof EngineApiError)
      throw new ApiError('failed', `Cannot ${what}: the Docker daemon could not be used (${error.message})`, { cause: error });
    if (EXPLAINED.some((E) => error instanceof E))
      throw new ApiError('failed', `Cannot ${what}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
