import { z } from 'zod';
import { CHANNEL_NAME_LIST, EVENT_NAME_LIST } from './api-names';
import { CollectorRunSchema } from './audit-run';
import { FixPlanSchema, FixRecordSchema, FixStepSchema, UndoResultSchema } from './fix';
import { JsonValueSchema } from './json';
import { RestartImpactSchema } from './restart-impact';
import { GO_DURATION, LABEL_KEY, PRUNE_INPUT_LIMITS, VOLUME_NAME } from './prune-input';
import { PrunePlanSchema, PruneProgressSchema, PruneResultSchema } from './prune';
import { FindingSchema } from './finding';
import { ReportSchema } from './report';
import { type Screen, SCREEN_IDS } from './screens';

/**
 * The one contract between the UI and the main process, whatever carries it (Electron IPC, or `dockhand serve`'s
 * HTTP + WebSocket). Each channel names its input and output schema; every call is answered with an envelope, never a
 * thrown error, so a transport only moves JSON and the renderer always has something to show. The main process
 * validates every input (the renderer is untrusted) and every output (a handler's bug is a contract error, not
 * garbage on screen). Screens added later (fix plans, history, disk prune) add channels and events here.
 */

// ---------------------------------------------------------------------------------------------------------------
// Envelope

export const ApiErrorCodeSchema = z.enum([
  'invalid-input', // the input failed its schema (the message lists the problems)
  'unknown-channel',
  'unauthorized', // serve: no valid session or token
  'forbidden', // serve: wrong Host or Origin; Electron: a sender that is not the app's own page
  'failed', // the handler met an error it explains (settings file unreadable, audit could not start...)
  'invalid-output', // the handler answered outside the contract: a Dockhand bug
  'transport', // the client could not reach the main process (server stopped, connection lost)
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorSchema = z.object({ code: ApiErrorCodeSchema, message: z.string() });
export type ApiErrorShape = z.infer<typeof ApiErrorSchema>;

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };

function envelopeSchema<T extends z.ZodType>(result: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), result }), z.object({ ok: z.literal(false), error: ApiErrorSchema })]);
}

/** An envelope whose result is not checked yet: what a client reads off the wire before the channel's schema. */
export const AnyEnvelopeSchema = envelopeSchema(z.unknown());

// ---------------------------------------------------------------------------------------------------------------
// Settings

/** Like the docker CLI's -H: a scheme Dockhand can talk to. */
const DockerHostSchema = z
  .string()
  .trim()
  .max(1024)
  .regex(/^(unix|tcp|ssh|npipe):\/\/\S+$/, 'a Docker endpoint such as unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host');
/** docker context names: the CLI's own rule. */
const ContextNameSchema = z
  .string()
  .trim()
  .max(256)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/, 'a docker context name');
/** A domain NO_PROXY must cover: "corp.example", ".corp.example" or "*.corp.example". */
const DomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(\*\.|\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a domain such as corp.example');
/** A POSIX user name (useradd's NAME_REGEX, with a trailing $ for machine accounts). */
const UserNameSchema = z
  .string()
  .trim()
  .max(64)
  .regex(/^[a-z_][a-z0-9_.-]*\$?$/i, 'a user name such as alice');

export const ThemeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof ThemeSchema>;

export const SettingsSchema = z.object({
  /** Which daemon to audit; both null: choose like the docker CLI (DOCKER_HOST, context, default socket). */
  endpoint: z.object({ host: DockerHostSchema.nullable(), context: ContextNameSchema.nullable() }),
  theme: ThemeSchema,
  internalDomains: z.array(DomainSchema).max(200),
  trustedUsers: z.array(UserNameSchema).max(200),
  /** Judge the host as a server (audit rules, scheduled cleanup). */
  server: z.boolean(),
  /** Per-collector time limit. */
  timeoutMs: z.number().int().min(1000).max(120_000),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  endpoint: { host: null, context: null },
  theme: 'system',
  internalDomains: [],
  trustedUsers: [],
  server: false,
  timeoutMs: 10_000,
};

/** settings.set takes the fields to change; unknown keys are refused, not ignored, so a typo is not a silent no-op. */
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Disk usage: one picture (main/api/disk-summary.ts) that Overview, Disk and the default prune preview all show

export const DiskCategorySchema = z.object({
  kind: z.enum(['images', 'containers', 'volumes', 'build-cache', 'container-logs']),
  count: z.number().int(),
  /** In use: images with containers, running containers, volumes referenced, cache in use. */
  active: z.number().int(),
  bytes: z.number(),
  /**
   * What the default cleanup (the Disk screen's default options: never volumes) would free of it, as its preview
   * predicts: each byte once. Container logs go with their containers and are counted there.
   */
  reclaimableBytes: z.number(),
  /** What the figure means when it is not plain (shared layers counted once, sizes a driver does not report). */
  note: z.string().nullable().optional(),
  /** The size could not be measured from here (logs of a remote daemon): `bytes` is 0 and says nothing. */
  unknown: z.boolean().optional(),
});
export type DiskCategory = z.infer<typeof DiskCategorySchema>;

export const DiskSummarySchema = z.object({
  collectedAt: z.string(),
  categories: z.array(DiskCategorySchema),
  totalBytes: z.number(),
  reclaimableBytes: z.number(),
  /** The filesystem holding Docker's data root, when it could be read. */
  dataRoot: z
    .object({ path: z.string(), totalBytes: z.number(), availableBytes: z.number(), mountPoint: z.string().nullable() })
    .nullable(),
  /** Why object sizes are missing (daemon down, /system/df failed), when they are. */
  error: z.string().nullable(),
  /** The endpoint and Engine measured. */
  endpoint: z.string().nullable().optional(),
  engineVersion: z.string().nullable().optional(),
});
export type DiskSummary = z.infer<typeof DiskSummarySchema>;

// ---------------------------------------------------------------------------------------------------------------
// App and host

export const EndpointChoiceSchema = z.object({ host: z.string().nullable(), context: z.string().nullable() });

export const AppInfoSchema = z.object({
  name: z.literal('Dockhand'),
  version: z.string(),
  transport: z.enum(['electron', 'serve']),
  host: z.object({ hostname: z.string(), platform: z.string(), arch: z.string(), user: z.string() }),
  runtime: z.object({ node: z.string(), electron: z.string().nullable(), chrome: z.string().nullable() }),
  paths: z.object({ configDir: z.string(), settingsFile: z.string() }),
  /** An endpoint given on the command line (`dockhand serve -H`), which wins over the settings for this session. */
  endpointOverride: EndpointChoiceSchema.nullable(),
  auditRunning: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The last report, read in parts

/**
 * The last report without its findings, and how many there are. A report over a thousand containers is ~6 MB of
 * findings: read whole, decoding it is one long task on the page. The UI reads this, then the findings a page at a time.
 */
export const ReportHeadSchema = ReportSchema.omit({ findings: true }).extend({ findingCount: z.number().int().min(0) });
export type ReportHead = z.infer<typeof ReportHeadSchema>;

/** Findings per report.findings call at most: about 600 kB of JSON per thousand. */
const FINDINGS_PAGE_MAX = 5000;

export const FindingsPageSchema = z.object({
  /** The report the page is from: when it differs from the head's, a newer audit replaced it meanwhile. */
  generatedAt: z.string(),
  total: z.number().int().min(0),
  findings: z.array(FindingSchema),
});
export type FindingsPage = z.infer<typeof FindingsPageSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Fixes (main/fix) and disk cleanup (main/prune)

export const FixPlanInputSchema = z
  .object({
    checkId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[a-z0-9][a-z0-9.-]*$/, 'a check id such as daemon.log-rotation'),
    /** Which finding when the check has several (a container, a registry). */
    target: z.string().max(500).optional(),
    /** Overrides of the fix's parameters (the CLI's --set key=value). */
    set: z.record(z.string().max(100), JsonValueSchema).optional(),
  })
  .strict();

export { type UndoResult } from './fix';

const FixRecordIdSchema = z.string().regex(/^[0-9A-Za-z-]{1,80}$/);

export const FixHistorySchema = z.object({
  /** Newest first. */
  records: z.array(FixRecordSchema),
  /** Journal entries that could not be read (named so they can be looked at by hand). */
  damaged: z.array(z.string()),
});
export type FixHistory = z.infer<typeof FixHistorySchema>;

/** What the Disk screen's form chooses: every option `dockhand prune plan` takes, with its rules (shared/prune-input.ts). */
export const PruneFormSchema = z
  .object({
    /** A Go duration such as 168h (keep what is newer), or null for no age limit. */
    until: z.string().trim().max(40).regex(GO_DURATION, 'a duration such as 168h, 30m or 1h30m').nullable(),
    containers: z.boolean(),
    images: z.enum(['none', 'dangling', 'unused']),
    volumes: z.enum(['none', 'anonymous', 'all']),
    /** Named volumes to remove by name (`--volume NAME`), on top of `volumes`. */
    volumeNames: z.array(z.string().regex(VOLUME_NAME, 'a volume name such as pgdata')).max(PRUNE_INPUT_LIMITS.volumeNames),
    buildCache: z.boolean(),
    networks: z.boolean(),
    /** `--filter label=KEY[=VALUE]` (negate: `label!=`); all must hold. */
    labelFilters: z
      .array(
        z
          .object({
            key: z.string().regex(LABEL_KEY, 'a label key, without = or spaces'),
            value: z.string().max(PRUNE_INPUT_LIMITS.labelValue).nullable(),
            negate: z.boolean(),
          })
          .strict(),
      )
      .max(PRUNE_INPUT_LIMITS.labelFilters),
    /** Objects with this label set to "true" are never removed (`--protect-label`). */
    protectLabel: z.string().regex(LABEL_KEY, 'a label key, without = or spaces'),
  })
  .strict();
export type PruneForm = z.infer<typeof PruneFormSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Channels

/** Every channel takes an object, so inputs can grow without breaking callers. */
/** This machine's size and load now (systeminformation), shown next to Docker's usage. */
export const HostStatsSchema = z.object({
  cpu: z.object({
    model: z.string(),
    cores: z.number().int().min(0),
    physicalCores: z.number().int().min(0),
    busyPercent: z.number().min(0).max(100).nullable(),
  }),
  memory: z.object({ totalBytes: z.number().min(0), availableBytes: z.number().min(0) }),
  /** 1, 5 and 15 minute load averages; null where the OS has none (Windows). */
  load: z.object({ one: z.number(), five: z.number(), fifteen: z.number() }).nullable(),
  /** The filesystem holding Docker's data root (from the last audit), when it is this machine's. */
  dataRootFs: z
    .object({
      dataRoot: z.string(),
      mountPoint: z.string(),
      fsType: z.string(),
      totalBytes: z.number().min(0),
      usedBytes: z.number().min(0),
      availableBytes: z.number().min(0),
    })
    .nullable(),
  /** Why dataRootFs is null. */
  dataRootNote: z.string().nullable(),
});
export type HostStats = z.infer<typeof HostStatsSchema>;

const NoInputSchema = z.object({}).strict();

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for the docs and error messages. */
  readonly summary: string;
}

function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): ChannelDef<I, O> {
  return { input, output, summary };
}

export const CHANNELS = {
  'app.info': channel(NoInputSchema, AppInfoSchema, 'What this app is and where it runs'),
  'audit.run': channel(
    NoInputSchema,
    ReportSchema,
    'Audit the Docker host now (joins an audit already running); progress arrives as audit.progress events',
  ),
  'report.last': channel(NoInputSchema, ReportSchema.nullable(), 'The last audit report, kept across restarts; null before the first'),
  'report.head': channel(
    NoInputSchema,
    ReportHeadSchema.nullable(),
    'The last audit report without its findings, and how many there are; null before the first',
  ),
  'report.findings': channel(
    z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(FINDINGS_PAGE_MAX) }).strict(),
    FindingsPageSchema.nullable(),
    "A page of the last report's findings, in the report's order; null before the first audit",
  ),
  'disk.summary': channel(
    NoInputSchema,
    DiskSummarySchema.nullable(),
    "Docker's disk usage as last measured (after an audit, a preview or a prune); null before the first",
  ),
  'settings.get': channel(NoInputSchema, SettingsSchema, 'The saved settings (defaults where none are saved)'),
  'settings.set': channel(SettingsPatchSchema, SettingsSchema, 'Change some settings, save them atomically, return them all'),
  'fix.plan': channel(
    FixPlanInputSchema,
    FixPlanSchema,
    "Plan a finding's fix: diffs, commands, elevation, verification, credentials masked; changes nothing. The API keeps the exact plan for fix.apply",
  ),
  'fix.apply': channel(
    // restartContainers: start the containers the restart stopped again afterwards (default true).
    z.object({ planId: FixPlanSchema.shape.id, restartContainers: z.boolean().optional() }).strict(),
    FixRecordSchema,
    'Apply the exact plan fix.plan made under this id, verify it, roll back if the daemon breaks; each step arrives as a fix.progress event',
  ),
  'fix.undo': channel(
    z.object({ id: FixRecordIdSchema.optional(), force: z.boolean(), restartContainers: z.boolean().optional() }).strict(),
    UndoResultSchema,
    'Undo an applied fix (the latest without an id); restartContainers (default true) starts the containers its restart stopped again',
  ),
  'fix.undo-impact': channel(
    z.object({ id: FixRecordIdSchema.optional() }).strict(),
    z.object({ id: z.string(), title: z.string(), impact: RestartImpactSchema.nullable() }).nullable(),
    'What undoing a fix would do to the running containers (impact null: the undo does not restart the daemon); null when there is no such fix',
  ),
  'fix.history': channel(NoInputSchema, FixHistorySchema, 'Applied fixes, newest first'),
  'disk.usage': channel(
    NoInputSchema,
    DiskSummarySchema,
    "Docker's disk usage now, by type, each byte once, and what the default cleanup would free; also sent as disk.changed",
  ),
  'prune.plan': channel(
    z.object({ options: PruneFormSchema }).strict(),
    PrunePlanSchema,
    'The exact objects a prune would remove and keep, and the bytes; removes nothing',
  ),
  'prune.apply': channel(
    z.object({ plan: PrunePlanSchema }).strict(),
    PruneResultSchema,
    'Remove exactly the planned objects; progress arrives as prune.progress events',
  ),
  'host.stats': channel(NoInputSchema, HostStatsSchema, "This machine's CPU, memory, load and the data root's filesystem, now"),
} as const satisfies Record<string, ChannelDef>;

export type Channels = typeof CHANNELS;
export type ChannelName = keyof Channels;
/** What a caller passes (before defaults and trimming). */
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
/** What a handler receives (after validation). */
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;

export const CHANNEL_NAMES: readonly ChannelName[] = CHANNEL_NAME_LIST;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

// ---------------------------------------------------------------------------------------------------------------
// Events (main → UI)

export const AuditProgressSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('started'), runId: z.string(), startedAt: z.string(), collectors: z.array(z.string()) }),
  /** One collector finished (ok, skipped, error or timeout). */
  z.object({ phase: z.literal('collector'), runId: z.string(), run: CollectorRunSchema, done: z.number().int(), total: z.number().int() }),
  z.object({ phase: z.literal('evaluating'), runId: z.string() }),
  z.object({ phase: z.literal('finished'), runId: z.string(), durationMs: z.number(), score: z.number() }),
  z.object({ phase: z.literal('failed'), runId: z.string(), error: ApiErrorSchema }),
]);
export type AuditProgress = z.infer<typeof AuditProgressSchema>;

/** Screens the native menu can open. */
export const ScreenSchema = z.enum(SCREEN_IDS);
export type { Screen };

export const EVENTS = {
  'audit.progress': AuditProgressSchema,
  /** The native menu asks the UI to show a screen (Electron only). */
  'app.navigate': z.object({ screen: ScreenSchema }),
  /** Settings changed (by another window or tab): reload them. */
  'settings.changed': SettingsSchema,
  /** A step of the fix being applied or undone (write, restart, wait for the daemon, verify, rollback, restore), as it happens. */
  'fix.progress': z.object({ planId: z.string(), step: FixStepSchema }),
  'prune.progress': PruneProgressSchema,
  /** The disk picture was measured again (an audit, Measure again, a preview, a prune): every screen shows this one. */
  'disk.changed': DiskSummarySchema,
} as const satisfies Record<string, z.ZodType>;

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

// The name lists the preload uses must be exactly the maps' keys: adding a channel without its name fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelNamesMatch: Same<(typeof CHANNEL_NAME_LIST)[number], ChannelName> = true;
const eventNamesMatch: Same<(typeof EVENT_NAME_LIST)[number], EventName> = true;
void channelNamesMatch;
void eventNamesMatch;

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}

/** What travels over the WebSocket and the IPC event channel: one validated event. */
export const EventMessageSchema = z.object({ event: z.string(), payload: z.unknown() });
export type EventMessage = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

/**
 * Parses a message off the wire into a typed event, or null when it is not one (unknown name, bad payload): a client
 * drops what it cannot read rather than acting on it.
 */
export function parseEventMessage(raw: unknown): EventMessage | null {
  const msg = EventMessageSchema.safeParse(raw);
  if (!msg.success || !isEventName(msg.data.event)) return null;
  const payload = EVENTS[msg.data.event].safeParse(msg.data.payload);
  return payload.success ? ({ event: msg.data.event, payload: payload.data } as EventMessage) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// The typed API both transports expose to the renderer

/** What the renderer calls, over either transport: one method per channel, results always in an envelope. */
export interface DockhandTransport {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Envelope<ChannelOutput<C>>>;
  /** Listens to one event; returns the function that stops listening. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export { IPC_EVENT_CHANNEL, IPC_PREFIX } from './api-names';
