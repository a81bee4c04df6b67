import { z } from 'zod';
import { CategorySchema, SeveritySchema } from './finding';
import { JsonValueSchema } from './json';

/**
 * A policy file (YAML): what a platform team requires of every Docker host and golden image, checked the same way in
 * CI and on each host. Strict objects everywhere, so a misspelt key is an error with its line, not a silent no-op.
 * Which check ids, globs and daemon.json keys exist is checked when the file is loaded (main/policy/load.ts), against
 * the check registry and the daemon option table, which this contract does not depend on.
 */

export const POLICY_VERSION = 1;

/** A check id (`daemon.log-rotation`) or a glob over ids (`daemon.*`, `files.*.mode`). */
const CheckPatternSchema = z
  .string()
  .regex(/^[a-z0-9*?-]+(\.[a-z0-9*?-]+)*$/, 'expected a check id or a glob over check ids, e.g. daemon.log-rotation or files.*');

const CheckIdSchema = z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected a dotted check id, e.g. daemon.log-rotation');

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

/**
 * What a daemon.json key must hold. A scalar or a list is shorthand for `equals` (a list in order: the first DNS
 * server is the one tried first). Objects must use a matcher, so a matcher is never mistaken for a value.
 */
export const RequiredValueSchema = z.union(
  [
    ScalarSchema,
    z.array(ScalarSchema),
    z.strictObject({ present: z.literal(true).describe('set to anything non-empty') }),
    z.strictObject({ equals: JsonValueSchema.describe('exactly this value') }),
    z.strictObject({
      includes: z
        .union([z.array(ScalarSchema), z.record(z.string(), JsonValueSchema)])
        .describe('a list holding at least these items, or an object holding at least these keys with these values'),
    }),
    z.strictObject({ oneOf: z.array(ScalarSchema).min(1).describe('any one of these values') }),
  ],
  { error: 'expected a value, a list, or one of {present: true}, {equals: …}, {includes: […]}, {oneOf: […]}' },
);
export type RequiredValue = z.infer<typeof RequiredValueSchema>;

/** A calendar date, YYYY-MM-DD: YAML 1.2 reads an unquoted date as this string. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  // Only what the pattern let through is checked as a date, so one mistake gives one message.
  .refine(
    (d) =>
      !/^\d{4}-\d{2}-\d{2}$/.test(d) ||
      (!Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d)),
    'not a calendar date',
  );

export const WaiverSchema = z.strictObject({
  check: CheckIdSchema.describe('the check whose findings are waived'),
  target: z
    .string()
    .min(1)
    .optional()
    .describe('only findings whose target matches this pattern (* and ? wildcards), e.g. a container name'),
  reason: z.string().min(1).describe('why the risk is accepted'),
  owner: z.string().min(1).describe('who accepted it and answers for it'),
  expires: IsoDateSchema.describe(
    'last day the waiver applies (inclusive, UTC); after it the findings count again and the waiver is reported',
  ),
});
export type Waiver = z.infer<typeof WaiverSchema>;

/** Named thresholds, mapped onto the checks' options (docs/checks.md). */
export const ThresholdsSchema = z.strictObject({
  'disk-free-percent': z.number().min(0).max(100).optional().describe('warn when less than this share of the data root filesystem is free'),
  'disk-free-gib': z.number().min(0).optional().describe('…or less than this many GiB, whichever floor is lower'),
  'disk-critical-percent': z.number().min(0).max(100).optional().describe('fail below this share free'),
  'disk-critical-gib': z.number().min(0).optional().describe('…or below this many GiB, whichever floor is lower'),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const PolicySchema = z.strictObject({
  $schema: z.string().optional().describe('for editors: the URL or path of policy.schema.json'),
  version: z.literal(POLICY_VERSION),
  description: z.string().optional(),
  checks: z
    .strictObject({
      include: z.array(CheckPatternSchema).optional().describe('run only checks matching one of these (ids or globs)…'),
      categories: z.array(CategorySchema).optional().describe('…or in one of these categories; neither given: every check'),
      exclude: z.array(CheckPatternSchema).optional().describe('never run these'),
    })
    .optional(),
  severity: z.record(CheckIdSchema, SeveritySchema).optional().describe('severity overrides: check id → severity'),
  require: z
    .strictObject({
      daemon: z
        .record(z.string(), RequiredValueSchema)
        .optional()
        .describe('daemon.json keys (or the same dockerd flag) and what they must hold'),
      'no-proxy': z
        .array(z.string().min(1))
        .optional()
        .describe("domains the daemon's NO_PROXY must cover (the domain and its subdomains; a leading dot: subdomains only)"),
    })
    .optional(),
  thresholds: ThresholdsSchema.optional(),
  waivers: z.array(WaiverSchema).optional(),
});
export type Policy = z.infer<typeof PolicySchema>;
