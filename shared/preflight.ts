import { z } from 'zod';

/** One problem the daemon.json pre-flight found. `line`/`column` are 1-based; null when the problem has no position (a flag). */
export const PreflightProblemSchema = z.object({
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
  key: z.string().nullable(),
  /** error: dockerd will refuse to start. warning: it starts, but not as the file suggests. */
  severity: z.enum(['error', 'warning']),
  kind: z.enum([
    'unreadable',
    'syntax',
    'not-object',
    'duplicate-key',
    'unknown-key',
    'unsupported-version',
    'wrong-type',
    'invalid-value',
    'flag-conflict',
    'unknown-flag',
  ]),
  message: z.string(),
});
export type PreflightProblem = z.infer<typeof PreflightProblemSchema>;

export const PreflightResultSchema = z.object({
  willStart: z.boolean(),
  /** Engine version the rules were applied for, e.g. "20.10". */
  engineVersion: z.string(),
  platform: z.enum(['linux', 'windows']),
  problems: z.array(PreflightProblemSchema),
});
export type PreflightResult = z.infer<typeof PreflightResultSchema>;
