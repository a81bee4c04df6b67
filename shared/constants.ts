/**
 * Plain values behind the contracts. The zod schemas are built from these, and code that needs only the values
 * (the CLI's hot path) imports this file without loading zod.
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const STATUSES = ['pass', 'fail', 'warn', 'info', 'skipped', 'error'] as const;
export const FACTS_SCHEMA_VERSION = 1;
/** Bumped on any incompatible change to the Report; every output format is derived from that shape. */
export const REPORT_SCHEMA_VERSION = '1.2.0';
/** The prune plan file's format (shared/prune.ts). */
export const PRUNE_PLAN_VERSION = 1;
