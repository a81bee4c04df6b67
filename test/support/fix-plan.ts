// A fix plan made by hand, as a test or an attacker would write one: every field the schema asks for, with inert values
// a test overrides where it matters (the endpoint, the elevation, the controller, the verification).
import { FIX_PLAN_SCHEMA_VERSION, type FileChange, type FixOperation, type FixPlan } from '../../shared/fix';

export function handMadePlan(operations: FixOperation[], files: FileChange[], extra: Partial<FixPlan> = {}): FixPlan {
  return {
    schemaVersion: FIX_PLAN_SCHEMA_VERSION,
    id: 'test-plan-0001',
    createdAt: new Date().toISOString(),
    fixId: 'x',
    checkId: 'x.y',
    findingId: null,
    title: 't',
    params: {},
    endpoint: null,
    engineVersion: null,
    operations,
    files,
    commands: [],
    controller: { kind: 'none', detail: '' },
    elevation: { needed: false, why: null },
    restart: false,
    verification: { kind: 'none', why: 't' },
    notes: [],
    ...extra,
  };
}
