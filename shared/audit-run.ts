import { z } from 'zod';

/**
 * The parts of an audit the report and the UI's progress events carry, apart from the facts' own schemas: the UI
 * imports these, and building every fact schema only to read a collector's timing cost it ~60 ms at start-up.
 */

export const DaemonConfigFoundBySchema = z.enum([
  'process-flag', // --config-file on the running dockerd's command line
  'service-unit-flag', // --config-file in docker.service's ExecStart
  'user', // given on Dockhand's command line
  'last-seen', // the daemon is not running: the --config-file it was running with at the last audit that reached it
  'default-rootful',
  'default-rootless',
  'default-desktop',
  'default-windows',
]);

export const CollectorRunSchema = z.object({
  name: z.string(),
  ms: z.number(),
  /** skipped: the fact does not exist here (another platform, an offline root), which is not an error. */
  status: z.enum(['ok', 'skipped', 'error', 'timeout']),
});
export type CollectorRun = z.infer<typeof CollectorRunSchema>;
