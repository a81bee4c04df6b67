import { z } from 'zod';
import { REPORT_SCHEMA_VERSION } from './constants';

export { REPORT_SCHEMA_VERSION };
import { EndpointSchema } from './endpoint';
import { CollectorRunSchema, DaemonConfigFoundBySchema } from './audit-run';
import { CheckMetaSchema, FindingSchema, SeveritySchema, StatusSchema } from './finding';
import { SourceSchema } from './source';

export const HostSummarySchema = z.object({
  hostname: z.string().nullable(),
  platform: z.string().nullable(),
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  engineVersion: z.string().nullable(),
  apiVersion: z.string().nullable(),
  storageDriver: z.string().nullable(),
  loggingDriver: z.string().nullable(),
  rootless: z.boolean().nullable(),
  desktop: z.boolean().nullable(),
  /**
   * The daemon or this host runs under WSL 2 (a Linux distro in WSL, or Docker Desktop's WSL 2 backend). Added in 1.1.0:
   * optional, so reports of 1.0.0 still read as baselines.
   */
  wsl: z.boolean().nullable().optional(),
  containers: z.number().int().nullable(),
});
export type HostSummary = z.infer<typeof HostSummarySchema>;

export const CountsSchema = z.object({
  byStatus: z.record(StatusSchema, z.number().int()),
  /** Failing and warning findings by severity. */
  bySeverity: z.record(SeveritySchema, z.number().int()),
});

/** What became of one waiver of the policy in this audit. */
export const WaiverStateSchema = z.object({
  check: z.string(),
  /** Target pattern (`*` and `?` wildcards); null: every target of the check. */
  target: z.string().nullable(),
  reason: z.string(),
  owner: z.string(),
  expires: z.string(),
  source: SourceSchema,
  /**
   * applied: it covers failing or warning findings; expired: past its date, so it covers nothing and is reported;
   * stale: the check ran and nothing it covers fails or warns; not-evaluated: the check did not run or was skipped.
   */
  state: z.enum(['applied', 'expired', 'stale', 'not-evaluated']),
  /** Ids of the failing or warning findings it matches (for an expired waiver: would have matched). */
  matches: z.array(z.string()),
});
export type WaiverState = z.infer<typeof WaiverStateSchema>;

export const PolicySummarySchema = z.object({
  /** The policy file, as given. */
  path: z.string(),
  /** Checks the policy selected (after include, categories and exclude). */
  checksSelected: z.number().int(),
  /** Severity overrides that were applied: check id → severity. */
  severityOverrides: z.record(z.string(), SeveritySchema),
  waivers: z.array(WaiverStateSchema),
});
export type PolicySummary = z.infer<typeof PolicySummarySchema>;

/** A problem of the baseline report that no longer appears at all (its target is gone, or its check did not run). */
export const GoneFindingSchema = z.object({ id: z.string(), checkId: z.string(), severity: SeveritySchema, message: z.string() });

export const BaselineSummarySchema = z.object({
  /** The baseline report, as given. */
  path: z.string(),
  generatedAt: z.string().nullable(),
  new: z.number().int(),
  unchanged: z.number().int(),
  /** Fixed findings that are still reported (now passing) plus those that are gone. */
  fixed: z.number().int(),
  gone: z.array(GoneFindingSchema),
});
export type BaselineSummary = z.infer<typeof BaselineSummarySchema>;

/**
 * Why the score does not cover every check: the daemon could not be reached, so the checks that need it could not run.
 * Added in 1.2.x: optional, so earlier reports still read (a report without it is complete unless `engineError` says
 * otherwise: see `reportCompleteness`).
 */
export const IncompleteSchema = z.object({
  cause: z.literal('daemon-unreachable'),
  /** The one reason, said once (the Engine's error). */
  message: z.string(),
  /** Checks that could not run for this cause, by id, in report order. */
  checks: z.array(z.string()),
});
export type Incomplete = z.infer<typeof IncompleteSchema>;

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('dockhand'), version: z.string() }),
  generatedAt: z.string(),
  durationMs: z.number(),
  mode: z.enum(['live', 'offline-root']),
  host: HostSummarySchema,
  endpoint: EndpointSchema.nullable(),
  /** Why the endpoint could not be determined, when it could not. */
  endpointError: z.string().nullable(),
  /** Why the Docker daemon could not be asked (down, hung, permission denied, not Docker), when it could not. */
  engineError: z.string().nullable(),
  daemonConfig: z.object({ path: z.string(), foundBy: DaemonConfigFoundBySchema, reason: z.string(), exists: z.boolean() }).nullable(),
  timings: z.array(CollectorRunSchema),
  /** Every check that ran, once: the metadata findings refer to by checkId. */
  checks: z.array(CheckMetaSchema),
  findings: z.array(FindingSchema),
  summary: CountsSchema.extend({
    /** 0 to 100: severity-weighted share of applicable checks that pass (see docs). */
    score: z.number().min(0).max(100),
    checksRun: z.number().int(),
    /** With a policy: failing and warning findings a waiver covers (still counted in byStatus and bySeverity). */
    waived: z.number().int().optional(),
    /** null: the score covers every check that applies. Set: it covers only what could be judged without the daemon. */
    incomplete: IncompleteSchema.nullable().optional(),
  }),
  /** With --policy: what the policy selected, overrode and waived. */
  policy: PolicySummarySchema.optional(),
  /** With --baseline: how the findings compare with the previous report. */
  baseline: BaselineSummarySchema.optional(),
});
export type Report = z.infer<typeof ReportSchema>;
