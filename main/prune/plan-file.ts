import { type PrunePlan, PrunePlanSchema } from '../../shared/prune';
import { PruneInputError } from './filters';
import { planDigest } from './plan-digest';
import { type PlanKey, verifyPlanSignature } from './plan-signature';
import { checkNesting, MAX_PLAN_BYTES, readRegularFile } from '../util/bounded-read';

export { planDigest };

/** Validates a plan file at the boundary: readable, JSON, the plan schema, its digest and signature. Throws PruneInputError. */
export async function readPlanFile(file: string, key: PlanKey): Promise<PrunePlan> {
  let text: string;
  try {
    text = (await readRegularFile(file, MAX_PLAN_BYTES)).toString('utf8');
    checkNesting(text, file, 'json');
  } catch (error) {
    throw new PruneInputError(`cannot read the plan ${file}: ${(error as Error).message}`);
  }
  return parsePlanText(text, file, key);
}

export function parsePlanText(text: string, file: string, key: PlanKey): PrunePlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PruneInputError(
      `${file} is not JSON (${(error as Error).message}): pass a file written by \`dockhand prune plan --format json -o FILE\``,
    );
  }
  return checkPlan(raw, file, key);
}

/**
 * Validates a plan already read (a file's JSON, or what the app sends back to apply): the schema, the digest, then the
 * signature with this user's key (the digest alone can be recomputed by whoever edits the plan).
 */
export function checkPlan(raw: unknown, file: string, key: PlanKey): PrunePlan {
  const parsed = PrunePlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new PruneInputError(`${file} is not a Dockhand prune plan: ${where}: ${issue.message}`);
  }
  const { digest, signature: _signature, ...body } = parsed.data;
  if (planDigest(body) !== digest) {
    throw new PruneInputError(
      `${file} was changed after it was planned (its digest does not match): make a new plan with \`dockhand prune plan\``,
    );
  }
  verifyPlanSignature(parsed.data, key, file);
  return parsed.data;
}
