import { z } from 'zod';
import { SEVERITIES, STATUSES } from './constants';
import { JsonValueSchema } from './json';
import { SourceSchema } from './source';

export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const StatusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof StatusSchema>;

export const PlatformSchema = z.enum(['linux', 'darwin', 'win32']);
export type Platform = z.infer<typeof PlatformSchema>;

export const CategorySchema = z.enum([
  'daemon-config',
  'logging',
  'registry',
  'network',
  'proxy',
  'dns',
  'access',
  'isolation',
  'container-runtime',
  'images',
  'client',
  'disk',
  'wsl-desktop',
  'host',
  'files',
  /** Findings a policy file adds: required values and waiver bookkeeping. */
  'policy',
]);
export type Category = z.infer<typeof CategorySchema>;

export const ReferenceSchema = z.object({
  /** e.g. "CIS Docker Benchmark" */
  title: z.string(),
  /** e.g. "2.2" for a CIS id */
  id: z.string().optional(),
  url: z.string().optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

/** What the registry, the catalogue doc, the CLI and the UI know about a check without running it. */
export const CheckMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'dotted lower-case id, e.g. daemon.log-rotation'),
  title: z.string(),
  category: CategorySchema,
  severity: SeveritySchema,
  rationale: z.string(),
  remediation: z.string(),
  references: z.array(ReferenceSchema),
  /** CIS Docker Benchmark id where one exists (also in references). */
  cis: z.string().nullable(),
  platforms: z.array(PlatformSchema),
  /** The fix this check can hand to the fix engine when it fails; null when none exists. */
  fixId: z.string().nullable(),
});
export type CheckMeta = z.infer<typeof CheckMetaSchema>;

export const EvidenceSchema = z.object({
  label: z.string(),
  value: JsonValueSchema,
  source: SourceSchema,
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const FixRefSchema = z.object({
  id: z.string(),
  params: z.record(z.string(), JsonValueSchema),
});
export type FixRef = z.infer<typeof FixRefSchema>;

export const CheckResultSchema = z.object({
  status: StatusSchema,
  /** One sentence: what is wrong, or what is right. */
  message: z.string(),
  /** The object a sub-result is about (a container name, a registry), so its finding id is stable. */
  target: z.string().nullable(),
  /** For skipped and error: why. */
  reason: z.string().nullable(),
  evidence: z.array(EvidenceSchema),
  fix: FixRefSchema.nullable(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** A policy waiver that applies to a finding: the risk is accepted, by whom, why and until when. */
export const WaiverMarkSchema = z.object({
  reason: z.string(),
  owner: z.string(),
  /** Last day the waiver applies (YYYY-MM-DD, inclusive, UTC). */
  expires: z.string(),
  /** The waiver in the policy file (path and line). */
  source: SourceSchema,
});
export type WaiverMark = z.infer<typeof WaiverMarkSchema>;

/** How a finding compares with a baseline report: a problem that is new or still there, or one that is gone. */
export const BaselineStateSchema = z.enum(['new', 'unchanged', 'fixed']);
export type BaselineState = z.infer<typeof BaselineStateSchema>;

/**
 * One result of one check. The check's metadata (title, rationale, remediation, references) is not repeated in each
 * finding — a thousand containers failing one check would repeat it a thousand times — but listed once in the
 * report's `checks`, as SARIF lists rules once for its results.
 */
export const FindingSchema = z.object({
  /** `checkId` or `checkId:target`: stable across runs, for waivers and baselines. */
  id: z.string(),
  checkId: z.string(),
  /** The severity that applies to this finding (the check's default unless a policy overrides it). */
  severity: SeveritySchema,
  result: CheckResultSchema,
  /** Present when a policy waiver applies: the finding still fails or warns, but does not count for --fail-on. */
  waiver: WaiverMarkSchema.optional(),
  /** Present with --baseline: fail/warn findings are new or unchanged; one that failed in the baseline and passes now is fixed. */
  baseline: BaselineStateSchema.optional(),
});
export type Finding = z.infer<typeof FindingSchema>;
