import { z } from 'zod';
import { FactsSchema } from './facts';
import { FIX_PLAN_SCHEMA_VERSION, FixPlanSchema, FixRecordSchema } from './fix';
import { POLICY_VERSION, PolicySchema } from './policy';
import { PreflightResultSchema } from './preflight';
import { DiskReportSchema, PRUNE_PLAN_VERSION, PrunePlanSchema, PruneProgressSchema, PruneResultSchema } from './prune';
import { REPORT_SCHEMA_VERSION, ReportSchema } from './report';

/** The published JSON Schemas, generated from the same zod definitions the code validates with. */
export function publishedSchemas(): Record<string, object> {
  const make = (schema: z.ZodType, id: string, title: string) => ({
    $id: `https://dockhand.dev/schema/${id}`,
    title,
    ...z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }),
  });
  return {
    'report.schema.json': make(ReportSchema, `report-${REPORT_SCHEMA_VERSION}.json`, `Dockhand report ${REPORT_SCHEMA_VERSION}`),
    'facts.schema.json': make(FactsSchema, 'facts-1.json', 'Dockhand facts snapshot'),
    'preflight.schema.json': make(PreflightResultSchema, 'preflight-1.json', 'Dockhand daemon.json pre-flight result'),
    'fix-plan.schema.json': make(FixPlanSchema, `fix-plan-${FIX_PLAN_SCHEMA_VERSION}.json`, `Dockhand fix plan ${FIX_PLAN_SCHEMA_VERSION}`),
    'fix-record.schema.json': make(FixRecordSchema, 'fix-record-1.json', 'Dockhand fix journal record'),
    'prune-plan.schema.json': make(PrunePlanSchema, `prune-plan-${PRUNE_PLAN_VERSION}.json`, 'Dockhand prune plan'),
    'prune-progress.schema.json': make(PruneProgressSchema, 'prune-progress-1.json', 'Dockhand prune progress event'),
    'prune-result.schema.json': make(PruneResultSchema, 'prune-result-1.json', 'Dockhand prune result'),
    'disk.schema.json': make(DiskReportSchema, 'disk-1.json', 'Dockhand disk usage report'),
    'policy.schema.json': make(PolicySchema, `policy-${POLICY_VERSION}.json`, 'Dockhand policy file (YAML)'),
  };
}
