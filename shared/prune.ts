import { z } from 'zod';

/**
 * Disk cleanup contracts: what `dockhand disk` shows, the prune plan (exact objects and bytes, shown before anything is
 * removed, saved to a file and applied later), the progress events of an apply, and its result.
 */

import { PRUNE_PLAN_VERSION } from './constants';

export { PRUNE_PLAN_VERSION };

export const PruneObjectTypeSchema = z.enum(['container', 'image', 'volume', 'network', 'build-cache']);
export type PruneObjectType = z.infer<typeof PruneObjectTypeSchema>;

/** `--filter label=k`, `label=k=v`, `label!=k`, `label!=k=v`, as `docker system prune` reads them. */
export const LabelFilterSchema = z.object({
  key: z.string().min(1),
  value: z.string().nullable(),
  negate: z.boolean(),
});
export type LabelFilter = z.infer<typeof LabelFilterSchema>;

export const PruneOptionsSchema = z.object({
  containers: z.boolean(),
  images: z.enum(['none', 'dangling', 'unused']),
  /** anonymous: volumes Docker named itself; all: named ones too. Never by default: volumes hold data. */
  volumes: z.enum(['none', 'anonymous', 'all']),
  /** Named volumes the user asked for by name (`--volume NAME`), on top of `volumes`. */
  volumeNames: z.array(z.string()),
  buildCache: z.boolean(),
  networks: z.boolean(),
  /** `--until` as given (a Go duration such as 168h, or a timestamp); the plan's `cutoff` is the instant it means. */
  until: z.string().nullable(),
  labelFilters: z.array(LabelFilterSchema),
  /** Objects carrying this label with the value "true" are never removed. */
  protectLabel: z.string().min(1),
});
export type PruneOptions = z.infer<typeof PruneOptionsSchema>;

export const KeepReasonSchema = z.enum([
  'running', // a running, paused or restarting container
  'in-use', // used by a container that stays (image, volume, network), or a build cache record in use
  'protected', // carries the protection label
  'too-recent', // created (or, for build cache, last used) after the cutoff
  'not-selected', // its type or kind (tagged image with --images dangling, named volume) was not asked for
  'filtered', // excluded by a label filter
  'parent-of-kept', // an image other kept images are built on (removing it would fail, and free nothing)
  'builtin', // the default networks (bridge, host, none)
]);
export type KeepReason = z.infer<typeof KeepReasonSchema>;

export const PlannedRemovalSchema = z.object({
  type: PruneObjectTypeSchema,
  id: z.string(),
  /** Container or volume name, network name, an image's first tag, a build cache record's description. */
  name: z.string().nullable(),
  /** Image tags (all of them: each is removed), empty for other types. */
  tags: z.array(z.string()),
  /** The object's own size as the Engine reports it (an image's Size counts its shared layers); null when unknown. */
  size: z.number().nullable(),
  /**
   * Bytes this removal frees, given everything removed before it in the plan's order: an image's layers shared with
   * another removed image are counted once, on the last of them; layers a kept image uses are not counted.
   */
  reclaim: z.number(),
  created: z.string().nullable(),
  lastUsed: z.string().nullable(),
  why: z.string(),
  /** What it uses that its removal may leave unused: a container's image, volumes and networks, an image's parent. */
  uses: z.array(z.object({ type: PruneObjectTypeSchema, id: z.string() })).optional(),
});
export type PlannedRemoval = z.infer<typeof PlannedRemovalSchema>;

export const KeptObjectSchema = z.object({
  type: PruneObjectTypeSchema,
  id: z.string(),
  name: z.string().nullable(),
  size: z.number().nullable(),
  reason: KeepReasonSchema,
  why: z.string(),
});
export type KeptObject = z.infer<typeof KeptObjectSchema>;

/** Bytes by kind of object. Container logs are files beside the container, not part of the Engine's disk usage. */
export const BytesByTypeSchema = z.object({
  containers: z.number(),
  containerLogs: z.number(),
  images: z.number(),
  volumes: z.number(),
  buildCache: z.number(),
});
export type BytesByType = z.infer<typeof BytesByTypeSchema>;

export const PrunePredictionSchema = z.object({
  byType: BytesByTypeSchema,
  total: z.number(),
  /**
   * Bytes of the total that may not be freed after all: image layers also held by build cache records the plan keeps
   * (BuildKit shares them; they are freed only with the record), and layer sizes the image history could not place.
   */
  uncertain: z.number(),
  /** Volumes whose size the Engine does not know (a non-local driver): removed, but not counted. */
  unknownSizeVolumes: z.number().int(),
  notes: z.array(z.string()),
});
export type PrunePrediction = z.infer<typeof PrunePredictionSchema>;

export const PrunePlanSchema = z.object({
  kind: z.literal('dockhand.prune-plan'),
  schemaVersion: z.literal(PRUNE_PLAN_VERSION),
  planId: z.string().min(1),
  createdAt: z.string(),
  toolVersion: z.string(),
  /** Objects created (build cache: last used) after this instant are kept; null without --until. */
  cutoff: z.string().nullable(),
  engine: z.object({
    /** The daemon's ID (GET /info): a plan is applied only to the daemon it was made for. */
    id: z.string(),
    name: z.string(),
    version: z.string(),
    apiVersion: z.string(),
    endpoint: z.string(),
  }),
  options: PruneOptionsSchema,
  /** In the order they will be removed: containers, images, volumes, networks, build cache (children first). */
  remove: z.array(PlannedRemovalSchema),
  keep: z.array(KeptObjectSchema),
  predicted: PrunePredictionSchema,
  /** sha256 of the plan without this field and the signature: a file edited by hand or damaged is refused. */
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /**
   * HMAC-SHA256 of the plan without this field, with a key only the planning user can read (`hmac-sha256:KEYID:MAC`).
   * A plan read from a file or sent back by the app is applied only with a valid one; a plan planned and applied in one
   * go (`prune apply --yes`) never leaves the process and has none.
   */
  signature: z.string().max(200).optional(),
});
export type PrunePlan = z.infer<typeof PrunePlanSchema>;

/** The Engine's disk usage (GET /system/df), each byte once: layers once however many images share them. */
export const EngineDiskTotalsSchema = z.object({
  /** LayersSize: every image layer once. */
  images: z.number(),
  /** Sum of the containers' writable layers (SizeRw). */
  containers: z.number(),
  /** Sum of the volumes whose size is known. */
  volumes: z.number(),
  /** Build cache records not shared with image layers (shared ones are already in `images`). */
  buildCache: z.number(),
  total: z.number(),
});
export type EngineDiskTotals = z.infer<typeof EngineDiskTotalsSchema>;

/**
 * unconfirmed: the daemon was asked to remove the object and never answered, so it may or may not be gone (a hung
 * daemon can carry the removal out once it runs again); counted apart from what is surely still there.
 */
export const PruneObjectStatusSchema = z.enum(['removed', 'skipped', 'failed', 'unconfirmed', 'not-attempted']);
export type PruneObjectStatus = z.infer<typeof PruneObjectStatusSchema>;

export const PruneOutcomeSchema = z.object({
  type: PruneObjectTypeSchema,
  id: z.string(),
  name: z.string().nullable(),
  status: PruneObjectStatusSchema,
  /** Why it was skipped, failed or not attempted. */
  reason: z.string().nullable(),
  predicted: z.number(),
});
export type PruneOutcome = z.infer<typeof PruneOutcomeSchema>;

export const PruneProgressSchema = z.object({
  planId: z.string(),
  phase: z.enum(['measuring-before', 'removing', 'measuring-after', 'done']),
  done: z.number().int(),
  total: z.number().int(),
  /** Predicted bytes of the objects removed so far. */
  bytesSoFar: z.number(),
  /** The object just handled, with its outcome (phase 'removing'). */
  outcome: PruneOutcomeSchema.nullable(),
});
export type PruneProgress = z.infer<typeof PruneProgressSchema>;

/** An object the prune's own options would remove now that it kept before the prune (an image a removed container used). */
export const FreedUpSchema = z.object({
  type: PruneObjectTypeSchema,
  id: z.string(),
  name: z.string().nullable(),
  reclaim: z.number(),
  /** Why it qualifies now, in the plan's words. */
  why: z.string(),
  /** Why the plan kept it before. */
  keptBecause: KeepReasonSchema,
});
export type FreedUp = z.infer<typeof FreedUpSchema>;

export const PruneResultSchema = z.object({
  kind: z.literal('dockhand.prune-result'),
  planId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** false when the daemon failed part-way: `outcomes` says what was and was not removed. */
  complete: z.boolean(),
  error: z.string().nullable(),
  outcomes: z.array(PruneOutcomeSchema),
  counts: z.object({
    removed: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    unconfirmed: z.number().int(),
    notAttempted: z.number().int(),
  }),
  /** What the plan predicted for the objects actually removed, and for the whole plan. */
  predicted: z.object({ removed: z.number(), plan: z.number() }),
  freed: z.object({
    before: EngineDiskTotalsSchema.nullable(),
    after: EngineDiskTotalsSchema.nullable(),
    /** before.total − after.total: what the Engine's own accounting says was freed; null when either is unknown. */
    engineBytes: z.number().nullable(),
    /** Log files of removed containers (not in the Engine's accounting), from their sizes at planning time. */
    containerLogs: z.number(),
  }),
  /**
   * What became reclaimable by the prune itself: objects the same options would remove now that the plan kept (an
   * image left unused or dangling once its containers went), to run again for. Set by the app, which measures the
   * Engine again after a prune; absent when it was not measured.
   */
  nowReclaimable: z
    .object({
      objects: z.array(FreedUpSchema),
      bytes: z.number(),
      /** The options that remove them: the applied plan's, with unused images and networks included. */
      options: PruneOptionsSchema,
      /** The options added to the applied plan's, as the CLI spells them ("--images unused"); empty when the same options do. */
      added: z.array(z.string()),
    })
    .optional(),
});
export type PruneResult = z.infer<typeof PruneResultSchema>;

/** `dockhand disk`: usage by type, each byte counted once, and what a default plan could reclaim. */
export const DiskReportSchema = z.object({
  kind: z.literal('dockhand.disk'),
  collectedAt: z.string(),
  endpoint: z.string(),
  engineVersion: z.string(),
  rows: z.array(
    z.object({
      type: z.enum(['images', 'containers', 'volumes', 'build-cache', 'container-logs']),
      count: z.number().int(),
      /** Bytes on disk, each once; null when it cannot be measured from here (logs of a remote daemon). */
      bytes: z.number().nullable(),
      /** Objects whose size is unknown (volumes of a non-local driver). */
      unknown: z.number().int(),
      note: z.string().nullable(),
    }),
  ),
  total: z.number(),
  dataRoot: z.object({ path: z.string(), totalBytes: z.number(), availableBytes: z.number() }).nullable(),
});
export type DiskReport = z.infer<typeof DiskReportSchema>;
