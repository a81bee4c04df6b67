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

/** Cron entries and systemd timers that prune Docker data (docker system/image/container/builder/volume prune, dockhand prune). */
/** What a scheduled prune removes beyond what rebuilds or re-pulls cheaply (optional: older snapshots do not say). */
export const PruneScopeSchema = z.object({
  /** Removes volumes (`docker volume prune`, `system prune --volumes`, `dockhand prune --volumes`): data. */
  volumes: z.boolean(),
  /** Removes every idle build cache record (`builder prune -a`, `system prune -a`) with no age or size bound to keep some. */
  wholeBuildCache: z.boolean(),
  /** Removes images, containers or build cache at all (a volume-only prune does not). */
  cleans: z.boolean(),
});
export type PruneScope = z.infer<typeof PruneScopeSchema>;

export const ScheduledCleanupFactSchema = z.object({
  entries: z.array(
    z.object({
      kind: z.enum(['cron', 'systemd-timer']),
      path: z.string(),
      line: z.number().int().nullable(),
      command: z.string(),
      scope: PruneScopeSchema.optional(),
    }),
  ),
  looked: z.array(z.string()),
});
export type ScheduledCleanupFact = z.infer<typeof ScheduledCleanupFactSchema>;
