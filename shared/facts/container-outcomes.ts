import { z } from 'zod';

/** One line of a container's log: its stream (`tty` when the container has a terminal: one stream, no framing). */
export const LogLineSchema = z.object({ stream: z.enum(['stdout', 'stderr', 'tty']), text: z.string() });
export type LogLine = z.infer<typeof LogLineSchema>;

/**
 * The end of the log of a container that failed and stays down (GET /containers/{id}/logs?tail=N), read for those
 * containers only, so a healthy host pays nothing. The last few lines, each cut short, control characters shown
 * escaped, credentials masked (shared/mask.ts).
 */
export const ExitLogFactSchema = z.object({
  /** Container id. */
  container: z.string(),
  name: z.string(),
  lines: z.array(LogLineSchema),
  /** How many of `lines` were cut at the length limit. */
  cutLines: z.number().int(),
  /** Why the log could not be read at all (log driver none, a driver the daemon cannot read back, an error); null when it was. */
  unreadable: z.string().nullable(),
  /** What went wrong part-way (a stream that ended inside a frame, bytes that are not the Engine's framing); null when nothing did. */
  streamProblem: z.string().nullable(),
});
export type ExitLogFact = z.infer<typeof ExitLogFactSchema>;

/** One handler registered with the kernel's binfmt_misc (an entry of /proc/sys/fs/binfmt_misc). */
export const BinfmtHandlerSchema = z.object({
  name: z.string(),
  enabled: z.boolean(),
  interpreter: z.string(),
  /**
   * Its flags; F (fix binary) is what lets containers use it: the interpreter is opened when registered, not looked up
   * in the container.
   */
  flags: z.string(),
  /** The architecture (Go's name, as images spell it) whose ELF binaries the handler's magic matches; null for any other format. */
  arch: z.string().nullable(),
});
export type BinfmtHandler = z.infer<typeof BinfmtHandlerSchema>;

/** How the daemon's host runs binaries of other architectures: binfmt_misc handlers (qemu-user, Rosetta). */
export const BinfmtFactSchema = z.object({
  /** binfmt_misc's `status` file; not-mounted when the filesystem is not mounted (then nothing is registered). */
  status: z.enum(['enabled', 'disabled', 'not-mounted']),
  handlers: z.array(BinfmtHandlerSchema),
});
export type BinfmtFact = z.infer<typeof BinfmtFactSchema>;
