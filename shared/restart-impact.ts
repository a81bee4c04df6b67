// What a daemon restart does to the running containers, before (the impact a fix or an undo shows before Apply) and
// after (each container's state in the outcome). One model for the CLI, the API and the app: main computes it from the
// daemon the plan restarts; the renderer and the CLI only put it into words (the functions below).
import { z } from 'zod';

/**
 * What becomes of a running container when the daemon restarts: it keeps running (live-restore on before and after
 * the restart), the daemon starts it again itself (restart policy always or unless-stopped), it comes back only if
 * stopping it made it exit with an error (on-failure: a process killed at the stop timeout exits 137 and comes back; one
 * that exits 0 on SIGTERM does not), or it stays down.
 */
export const ContainerFateSchema = z.enum(['keeps-running', 'restarts-by-policy', 'restarts-if-failed', 'stays-down']);
export type ContainerFate = z.infer<typeof ContainerFateSchema>;

const ContainerId = z.string().regex(/^[0-9a-f]{12,64}$/, 'a container id');
const ContainerName = z.string().min(1).max(256);
/** Docker's HostConfig.RestartPolicy.Name: no, always, unless-stopped, on-failure ("" means no). */
const PolicyName = z.string().max(32);

export const ImpactedContainerSchema = z
  .object({
    id: ContainerId,
    name: ContainerName,
    image: z.string().max(1024),
    restartPolicy: PolicyName,
    fate: ContainerFateSchema,
  })
  .strict();
export type ImpactedContainer = z.infer<typeof ImpactedContainerSchema>;

export const RestartImpactSchema = z
  .object({
    /** The daemon that restarts: its endpoint, its pid once proven by the kernel (null: not provable from here), and how. */
    daemon: z.object({ endpoint: z.string(), pid: z.number().int().positive().nullable(), proof: z.string() }).strict(),
    /** live-restore in the running daemon and in the configuration it restarts with: containers survive only if both are on. */
    liveRestore: z.object({ now: z.boolean(), after: z.boolean() }).strict(),
    /** Every running container of that daemon, with what the restart does to it. */
    running: z.array(ImpactedContainerSchema),
    /** Why the running containers could not be listed (the list is then empty); null when they were. */
    error: z.string().nullable(),
    /** When the containers were listed. */
    at: z.string(),
  })
  .strict();
export type RestartImpact = z.infer<typeof RestartImpactSchema>;

/** How a container that ran before the restart ended up. */
export const ContainerAfterHowSchema = z.enum([
  /** Never stopped (live-restore). */
  'kept-running',
  /** The daemon started it again (its restart policy). */
  'restarted-by-policy',
  /** Dockhand started it again, as asked. */
  'started-again',
  /** Down, and the user chose not to start it again. */
  'left-stopped',
  /** Dockhand tried to start it and the daemon refused (`error` says why). */
  'start-failed',
  /** Removed meanwhile. */
  'gone',
  /** The daemon could not be asked (`error` says why). */
  'unknown',
]);
export type ContainerAfterHow = z.infer<typeof ContainerAfterHowSchema>;

export const ContainerAfterSchema = z
  .object({
    id: ContainerId,
    name: ContainerName,
    restartPolicy: PolicyName,
    /** Docker's State.Status now (running, exited, restarting, created, dead), or gone / unknown. */
    state: z.string().max(32),
    how: ContainerAfterHowSchema,
    error: z.string().nullable(),
  })
  .strict();
export type ContainerAfter = z.infer<typeof ContainerAfterSchema>;

/** The containers that ran before a restart, after it: what the outcome of a fix or an undo lists. */
export const ContainersAfterSchema = z
  .object({
    /** Whether the user asked for stopped containers to be started again. */
    startAgain: z.boolean(),
    containers: z.array(ContainerAfterSchema),
    /** Why they could not be looked at (the daemon is down, the list failed); null when they were. */
    error: z.string().nullable(),
  })
  .strict();
export type ContainersAfter = z.infer<typeof ContainersAfterSchema>;
