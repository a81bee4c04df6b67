import { z } from 'zod';

/**
 * A drop-in systemd never applies to the unit, and why (systemd.unit(5)): a file in a drop-in directory whose name
 * does not end in ".conf", settings outside any section or in a section a service does not have, or a directory
 * systemd never reads (a misspelt unit name, a place outside the unit search path).
 */
export const IgnoredDropInSchema = z.object({
  path: z.string(),
  /** The first ignored line, for section problems; null when the whole file is ignored. */
  line: z.number().int().positive().nullable(),
  reason: z.enum(['not-conf', 'outside-section', 'unknown-section', 'unread-directory']),
  detail: z.string(),
  /** The settings it holds that do not apply, by name (Environment= by variable name: their values may be secrets). */
  settings: z.array(z.string()),
});
export type IgnoredDropIn = z.infer<typeof IgnoredDropInSchema>;

export const ServiceDropInsFactSchema = z.object({
  unit: z.string(),
  /** The drop-ins systemd applies, in order. */
  applied: z.array(z.string()),
  ignored: z.array(IgnoredDropInSchema),
  looked: z.array(z.string()),
});
export type ServiceDropInsFact = z.infer<typeof ServiceDropInsFactSchema>;

/** systemd's own record of the unit (`systemctl show`): what it loaded, and whether its files changed since. */
export const ServiceUnitStateFactSchema = z.object({
  unit: z.string(),
  loadState: z.string().nullable(),
  /** NeedDaemonReload=yes: a unit file or drop-in changed on disk after systemd loaded it (no `systemctl daemon-reload`). */
  needDaemonReload: z.boolean(),
  fragmentPath: z.string().nullable(),
  dropInPaths: z.array(z.string()),
});
export type ServiceUnitStateFact = z.infer<typeof ServiceUnitStateFactSchema>;
