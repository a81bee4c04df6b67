// Reading a baseline report: the schema (zod) lives here, apart from the comparison, so an audit without --baseline
// never loads zod (it costs ~100 ms of start-up on every run).
import { z } from 'zod';
import { SeveritySchema, StatusSchema } from '../../shared/finding';
import { MAX_REPORT_BYTES, readJsonFile } from '../util/bounded-read';

/**
 * What a baseline needs of an earlier report: finding ids and statuses. Read this loosely (any 1.x report, extra
 * fields ignored) so a baseline written by an older Dockhand still works.
 */
const BaselineReportSchema = z.object({
  schemaVersion: z.string().regex(/^1\./, 'expected a Dockhand report (schemaVersion 1.x)'),
  generatedAt: z.string().nullable().optional(),
  findings: z.array(
    z.object({
      id: z.string(),
      checkId: z.string(),
      severity: SeveritySchema,
      result: z.object({ status: StatusSchema, message: z.string() }),
    }),
  ),
});
export type BaselineReport = z.infer<typeof BaselineReportSchema> & { path: string };

class BaselineError extends Error {
  override name = 'BaselineError';
}

export async function loadBaseline(path: string): Promise<BaselineReport> {
  let value: unknown;
  try {
    value = await readJsonFile(path, MAX_REPORT_BYTES);
  } catch (error) {
    throw new BaselineError(`cannot read the baseline ${path}: ${(error as Error).message}`);
  }
  const parsed = BaselineReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BaselineError(`${path} is not a Dockhand JSON report: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return { ...parsed.data, path };
}
