import { z } from 'zod';
import { SCHEDULE_LABEL, SCHEDULE_UNTIL } from './fix-params';
import { JsonValueSchema } from './json';
import { StatusSchema } from './finding';
import { ContainersAfterSchema, RestartImpactSchema } from './restart-impact';

export const FIX_PLAN_SCHEMA_VERSION = '1.0.0';

/** A fix parameter as shared/fix-params.ts declares it: what the Fix dialog's inputs and the builders' checks come from. */
export const FixParamSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]*$/),
    label: z.string().min(1),
    kind: z.enum(['string', 'integer', 'boolean', 'choice', 'list']),
    default: JsonValueSchema.nullable(),
    required: z.boolean(),
    help: z.string().min(1),
    pattern: z.instanceof(RegExp).optional(),
    looksLike: z.string().optional(),
    check: z.function().optional(),
    example: z.string().regex(/^--set [a-z][a-z0-9-]*=\S+$/),
    choices: z.array(z.string()).min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .refine((p) => (p.kind === 'choice') === (p.choices !== undefined), 'choices go with kind choice, and only with it');

const AbsolutePath = z
  .string()
  .min(2)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:\\/.test(p), 'an absolute path');
/** A key path inside daemon.json, e.g. ["log-opts", "max-size"]; shallow on purpose: daemon.json is two levels deep. */
const KeyPath = z.array(z.string().min(1).max(100)).min(1).max(3);
const DropInName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.conf$/, 'a drop-in file name ending in .conf');
const UserName = z.string().regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'a user name');

/**
 * The allowlist, as data: every change a fix can make is one of these. Anything else is refused at the boundary, by
 * the planner, by `fix apply` and by the elevated helper, which re-validates each one independently.
 */
export const FixOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('daemon-json.set'), file: AbsolutePath, path: KeyPath, value: JsonValueSchema }),
  z.object({ op: z.literal('daemon-json.unset'), file: AbsolutePath, path: KeyPath }),
  z.object({
    op: z.literal('systemd-dropin.write'),
    scope: z.enum(['system', 'user']),
    unit: z.literal('docker.service'),
    name: DropInName,
    content: z.string().max(64 * 1024),
  }),
  z.object({
    op: z.literal('systemd-dropin.remove'),
    scope: z.enum(['system', 'user']),
    unit: z.literal('docker.service'),
    name: DropInName,
  }),
  z.object({
    op: z.literal('subid.add'),
    file: z.enum(['/etc/subuid', '/etc/subgid']),
    user: UserName,
    start: z.number().int().min(1),
    count: z.number().int().min(1),
  }),
  z.object({ op: z.literal('group.add-user'), group: z.literal('docker'), user: UserName }),
  z.object({
    op: z.literal('desktop-settings.set'),
    file: AbsolutePath,
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
    value: JsonValueSchema,
  }),
  /** The scheduled prune's unit files or cron entry, generated from these parameters (main/fix/prune-schedule.ts). */
  z.object({
    op: z.literal('cleanup-schedule.write'),
    file: z.enum(['service', 'timer', 'cron']),
    dockhand: AbsolutePath,
    until: z.string().regex(SCHEDULE_UNTIL),
    protectLabel: z.string().regex(SCHEDULE_LABEL),
    endpoint: z
      .string()
      .regex(/^(unix|tcp|ssh|npipe):\/\/\S+$/)
      .nullable(),
  }),
  /** systemctl daemon-reload, then enable --now the scheduled prune's timer (disable --now on undo). */
  z.object({ op: z.literal('cleanup-schedule.enable') }),
  z.object({ op: z.literal('daemon.reload') }),
  z.object({ op: z.literal('daemon.restart') }),
]);
export type FixOperation = z.infer<typeof FixOperationSchema>;
export type FixOperationKind = FixOperation['op'];

/** One file a plan changes: what it holds now (by hash), the exact bytes it will hold, and the diff between them. */
export const FileChangeSchema = z.object({
  path: AbsolutePath,
  /** false: the file does not exist yet and will be created. */
  existed: z.boolean(),
  /** sha256 of the bytes planned against; apply refuses if the file changed since. */
  beforeSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** The exact content to write (UTF-8); null: the file is removed. */
  after: z.string().nullable(),
  /** Unified diff, before → after. */
  diff: z.string(),
});
export type FileChange = z.infer<typeof FileChangeSchema>;

export const DaemonControllerKindSchema = z.enum(['systemd', 'systemd-user', 'sysv', 'process', 'desktop', 'none']);
export type DaemonControllerKind = z.infer<typeof DaemonControllerKindSchema>;

/** How the apply proves the fix worked. */
export const VerificationSchema = z.discriminatedUnion('kind', [
  /** Audit again: this check (and target) must no longer fail or warn. */
  z.object({ kind: z.literal('finding'), checkId: z.string(), target: z.string().nullable() }),
  /** Read the group database again: the user must be listed. */
  z.object({ kind: z.literal('group-member'), group: z.string(), user: z.string() }),
  /** Nothing can be checked from here (Desktop applies settings on its own restart): say why. */
  z.object({ kind: z.literal('none'), why: z.string() }),
]);
export type Verification = z.infer<typeof VerificationSchema>;

export const FixPlanSchema = z.object({
  schemaVersion: z.literal(FIX_PLAN_SCHEMA_VERSION),
  id: z.string().regex(/^[0-9a-z-]{8,64}$/),
  createdAt: z.string(),
  fixId: z.string(),
  checkId: z.string(),
  findingId: z.string().nullable(),
  title: z.string(),
  /** The parameters used (the finding's, overridden by --set). */
  params: z.record(z.string(), JsonValueSchema),
  /** The Docker endpoint the plan was made against (verification talks to it). */
  endpoint: z.string().nullable(),
  engineVersion: z.string().nullable(),
  operations: z.array(FixOperationSchema).min(1),
  files: z.array(FileChangeSchema),
  /** Commands the apply runs, as argv, with why (restart the daemon, reload systemd). */
  commands: z.array(z.object({ argv: z.array(z.string()), why: z.string() })),
  controller: z.object({ kind: DaemonControllerKindSchema, detail: z.string() }),
  elevation: z.object({ needed: z.boolean(), why: z.string().nullable() }),
  restart: z.boolean(),
  verification: VerificationSchema,
  /** What the user must still do or know (log out and back in; Desktop applies settings on restart). */
  notes: z.array(z.string()),
  /**
   * What the restart does to the running containers, as of `restartImpact.at` (null: no restart). Informational: the
   * apply looks at the containers again just before it restarts, and the helper ignores this.
   */
  restartImpact: RestartImpactSchema.nullable().optional(),
});
export type FixPlan = z.infer<typeof FixPlanSchema>;

export const FixStepSchema = z.object({
  at: z.string(),
  step: z.enum(['backup', 'write', 'remove', 'reload', 'restart', 'wait', 'verify', 'rollback', 'restore', 'undo', 'note', 'containers']),
  ok: z.boolean(),
  message: z.string(),
});
export type FixStep = z.infer<typeof FixStepSchema>;

/** A file's state before the plan touched it, kept in the journal so a rollback or undo restores it byte for byte. */
export const BackupSchema = z.object({
  path: AbsolutePath,
  existed: z.boolean(),
  /** File name in the record's directory holding the original bytes; null when the file did not exist. */
  backupFile: z.string().nullable(),
  sha256Before: z.string().nullable(),
  /** What the plan wrote (null: removed it), to detect later hand edits before an undo. */
  sha256After: z.string().nullable(),
  mode: z.number().int().nullable(),
  uid: z.number().int().nullable(),
  gid: z.number().int().nullable(),
});
export type Backup = z.infer<typeof BackupSchema>;

export const FixOutcomeSchema = z.enum(['applying', 'applied', 'unverified', 'rolled-back', 'failed', 'undone']);
export type FixOutcome = z.infer<typeof FixOutcomeSchema>;

/** The journal's record of one apply: the plan, the backups, each step, and how it ended. */
export const FixRecordSchema = z.object({
  id: z.string(),
  plan: FixPlanSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: FixOutcomeSchema,
  backups: z.array(BackupSchema),
  steps: z.array(FixStepSchema),
  /** The finding before and after (for `finding` verifications). */
  before: StatusSchema.nullable(),
  after: StatusSchema.nullable(),
  message: z.string(),
  /**
   * Applied by the root helper: the record and its backups live in root's journal, and this is the unprivileged
   * Dockhand's copy, so History lists it and Undo goes back through the helper.
   */
  elevated: z.boolean().optional(),
  /** The containers that ran before the apply's restart, after it (started again when asked); absent without a restart. */
  containers: ContainersAfterSchema.optional(),
});
export type FixRecord = z.infer<typeof FixRecordSchema>;

export const UndoResultSchema = z.object({
  record: FixRecordSchema,
  /** Files changed by hand since the fix: what the fix changed, and what changed since. */
  conflicts: z.array(z.object({ path: z.string(), fixDiff: z.string(), sinceDiff: z.string() })),
  undone: z.boolean(),
  message: z.string(),
  /** The containers that ran before the undo's restart, after it; absent without a restart. */
  containers: ContainersAfterSchema.optional(),
});
export type UndoResult = z.infer<typeof UndoResultSchema>;

/**
 * What the elevated helper (`dockhand fix helper`) writes on stdout, one JSON object per line: each step as it
 * happens, then the result. The unprivileged side shows the steps live and trusts nothing that does not parse.
 */
export const HelperMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), step: FixStepSchema }),
  z.object({ type: z.literal('record'), record: FixRecordSchema }),
  z.object({ type: z.literal('undo'), result: UndoResultSchema }),
]);
export type HelperMessage = z.infer<typeof HelperMessageSchema>;
