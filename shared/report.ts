import { z } from 'zod';
import { REPORT_SCHEMA_VERSION } from './constants';

export { REPORT_SCHEMA_VERSION };
import { EndpointSchema } from './endpoint';
import { CollectorRunSchema, DaemonConfigFoundBySchema } from './facts';
import { CheckMetaSchema, FindingSchema, SeveritySchema, StatusSchema } from './finding';


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
  /** The daemon or this host runs under WSL 2 (a Linux distro in WSL, or Docker Desktop's WSL 2 backend). */
  wsl: z.boolean().nullable(),
  containers: z.number().int().nullable(),
});
export type HostSummary = z.infer<typeof HostSummarySchema>;

export const CountsSchema = z.object({
  byStatus: z.record(StatusSchema, z.number().int()),
  /** Failing and warning findings by severity. */
  bySeverity: z.record(SeveritySchema, z.number().int()),
});

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
  daemonConfig: z
    .object({ path: z.string(), foundBy: DaemonConfigFoundBySchema, reason: z.string(), exists: z.boolean() })
    .nullable(),
  timings: z.array(CollectorRunSchema),
  /** Every check that ran, once: the metadata findings refer to by checkId. */
  checks: z.array(CheckMetaSchema),
  findings: z.array(FindingSchema),
  summary: CountsSchema.extend({
    /** 0 to 100: severity-weighted share of applicable checks that pass (see docs). */
    score: z.number().min(0).max(100),
    checksRun: z.number().int(),
  }),
});
export type Report = z.infer<typeof ReportSchema>;
