import { z } from 'zod';

/** statfs of the filesystem holding Docker's data root. */
export const DataRootFsFactSchema = z.object({
  path: z.string(),
  totalBytes: z.number(),
  availableBytes: z.number(),
  totalInodes: z.number(),
  freeInodes: z.number(),
  /** The mount point holding it and its filesystem type, from /proc/self/mounts (null on an offline root). */
  mountPoint: z.string().nullable(),
  fsType: z.string().nullable(),
});
export type DataRootFsFact = z.infer<typeof DataRootFsFactSchema>;

/** Each container's json-file/local log size (from inspect's LogPath). */
export const ContainerLogFactSchema = z.object({ container: z.string(), path: z.string(), bytes: z.number() });
export type ContainerLogFact = z.infer<typeof ContainerLogFactSchema>;

/** Cron entries and systemd timers that clean Docker up (docker system/image/container prune, dockhand prune). */
export const ScheduledCleanupFactSchema = z.object({
  entries: z.array(z.object({ kind: z.enum(['cron', 'systemd-timer']), path: z.string(), line: z.number().int().nullable(), command: z.string() })),
  looked: z.array(z.string()),
});
export type ScheduledCleanupFact = z.infer<typeof ScheduledCleanupFactSchema>;
