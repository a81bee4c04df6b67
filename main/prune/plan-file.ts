import { type PrunePlan, PrunePlanSchema } from '../../shared/prune';
import { PruneInputError } from './filters';
import { canonicalJson, planDigest } from './plan-digest';
import { checkNesting, MAX_PLAN_BYTES, readRegularFile } from '../util/bounded-read';

export { canonicalJson, planDigest };

/** Validates a plan file at the boundary: readable, JSON, the plan schema, and its digest. Throws PruneInputError. */
export async function readPlanFile(file: string): Promise<PrunePlan> {
  let text: string;
  try {
    text = (await readRegularFile(file, MAX_PLAN_BYTES)).toString('utf8');
    checkNesting(text, file, 'json');
  } catch (error) {
    throw new PruneInputError(`cannot read the plan ${file}: ${(error as Error).message}`);
  }
  return parsePlanText(text, file);
}

export function parsePlanText(text: string, file: string): PrunePlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PruneInputError(`${file} is not JSON (${(error as Error).message}): pass a file written by \`dockhand prune plan --format json -o FILE\``);
  }
  return checkPlan(raw, file);
}

/** Validates a plan already read (a file's JSON, or what the app sends back to apply): the schema, then the digest. */
export function checkPlan(raw: unknown, file: string): PrunePlan {
  const parsed = PrunePlanSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new PruneInputError(`${file} is not a Dockhand prune plan: ${where}: ${issue.message}`);
  }
  const { digest, ...body } = parsed.data;
  if (planDigest(body) !== digest) {
    throw new PruneInputError(`${file} was changed after it was planned (its digest does not match): make a new plan with \`dockhand prune plan\``);
  }
  return parsed.data;
}
