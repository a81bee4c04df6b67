import { z } from 'zod';

/**
 * The answers a host gave to the questions the daemon.json pre-flight asks about it (main/preflight/host-facts.ts),
 * keyed by question and argument. Answers only, never a file's contents: a TLS key is "readable", never its bytes.
 * null: the host could not tell (this process may not look there, or an offline root has no kernel to ask).
 */
export const HostAnswersSchema = z.object({
  /** systemd runs as PID 1. */
  systemd: z.boolean().nullable(),
  /** journald's socket exists. */
  journald: z.boolean().nullable(),
  /** /proc/filesystems. */
  kernelFilesystems: z.array(z.string()).nullable(),
  /** dockerd may raise a hard limit above its own (CAP_SYS_RESOURCE in its effective set). */
  canRaiseLimits: z.boolean().nullable(),
  /** cpu.rt_runtime_us of the root cgroup (cgroup v1); "none" when the kernel has no real-time group scheduling. */
  realtimeBudget: z.union([z.number(), z.literal('none')]).nullable(),
  /** Path: a regular file dockerd (root) can read. */
  readable: z.record(z.string(), z.boolean().nullable()),
  /** Path: a regular file dockerd (root) can execute. */
  isExecutable: z.record(z.string(), z.boolean().nullable()),
  /** Path: a file whose text is JSON (a seccomp profile). */
  holdsJson: z.record(z.string(), z.boolean().nullable()),
  /** Path: the filesystem type under it, e.g. "ext4", "btrfs". */
  filesystemOf: z.record(z.string(), z.string().nullable()),
  /** ulimit name: dockerd's own hard limit; null when unlimited or unknown. */
  hardLimit: z.record(z.string(), z.number().nullable()),
  /** Command: on dockerd's search path. */
  hasCommand: z.record(z.string(), z.boolean().nullable()),
  /** Group name: exists in /etc/group. */
  groupExists: z.record(z.string(), z.boolean().nullable()),
  /** User name: has ranges in /etc/subuid. */
  hasSubordinateIds: z.record(z.string(), z.boolean().nullable()),
});
export type HostAnswers = z.infer<typeof HostAnswersSchema>;

/**
 * What the audited daemon's host answered to the pre-flight's questions about its configuration, asked at collection
 * time on the machine the daemon runs on, so `daemon.config.valid` judges host-dependent values (TLS files, a
 * userland-proxy-path, a seccomp profile, runtimes) as `daemon-config check` does.
 */
export const DaemonHostFactSchema = z.object({
  /** The dockerd process whose limits and capabilities were read. */
  pid: z.number().int().nullable(),
  /** The engine version the questions were asked for (the pre-flight's rules differ by version). */
  engineVersion: z.string(),
  answers: HostAnswersSchema,
});
export type DaemonHostFact = z.infer<typeof DaemonHostFactSchema>;
