import {
  type EngineDiskTotals,
  type PlannedRemoval,
  type PruneOutcome,
  type PruneProgress,
  type PrunePlan,
  type PruneResult,
} from '../../shared/prune';
import { type EngineApi, EngineApiError } from '../collect/engine-api';
import { arr, obj, type Raw, str, stringMap, strings } from '../collect/raw';
import { apiVersionNumber } from './filters';
import { type DfBuildRecord, diskTotals, parseDf } from './engine-df';
import { assertProvenTransport } from './proven-transports';
import { ownVerdict, type UsedKind, usersIndex } from './rules';
import { DF_TIMEOUT_FACTOR, isActiveState, parseListedContainer } from './snapshot';

/**
 * Applies a plan: exactly its objects, one by one through the single-object endpoints (never the bulk prune ones, which
 * would take whatever qualifies by then, including objects created after the preview). Each object is looked at again
 * right before it goes: gone, started, in use, protected or newer than the cutoff since the plan means it is skipped,
 * with the reason. The bytes freed are measured from the Engine's own disk usage before and after.
 */

/** The plan is for another daemon than the one answering: nothing is removed. */
export class PlanMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanMismatchError';
  }
}

export interface ApplyOptions {
  onProgress?: (event: PruneProgress) => void;
  /** Per call; removals and /system/df get a multiple of it. */
  timeoutMs: number;
}

type Check = { skip: string } | { ok: true; tags: string[] };

/** The Engine answered a build cache removal without removing the record. */
const HELD = Symbol('held');

/** Transport-level failures mean the daemon itself is gone or hung: stop, and report the rest as not attempted. */
function daemonFailed(error: unknown): error is EngineApiError {
  return (
    error instanceof EngineApiError &&
    error.statusCode === undefined &&
    ['unreachable', 'timeout', 'malformed', 'permission-denied'].includes(error.code)
  );
}

export async function applyPlan(api: EngineApi, plan: PrunePlan, options: ApplyOptions): Promise<PruneResult> {
  assertProvenTransport(api);
  const startedAt = new Date().toISOString();
  const slow = options.timeoutMs * DF_TIMEOUT_FACTOR;
  const info = obj(await api.get('/info'));
  if (str(info.ID) !== plan.engine.id) {
    throw new PlanMismatchError(
      `the plan was made for the daemon ${plan.engine.name || '?'} (ID ${plan.engine.id}) at ${plan.engine.endpoint}; ${api.endpoint.host} is ${str(info.Name) || '?'} (ID ${str(info.ID) || '?'}): make a new plan for it`,
    );
  }
  const version = obj(await api.get('/version'));
  const apiVersion = apiVersionNumber(str(version.ApiVersion));
  const total = plan.remove.length;
  const outcomes: PruneOutcome[] = [];
  let bytesSoFar = 0;
  const emit = (phase: PruneProgress['phase'], outcome: PruneOutcome | null) =>
    options.onProgress?.({ planId: plan.planId, phase, done: outcomes.length, total, bytesSoFar, outcome });

  emit('measuring-before', null);
  const before = await measure(api, slow);
  let fatal: EngineApiError | null = null;
  let buildCache: Map<string, DfBuildRecord> | null = null;
  const cutoff = plan.cutoff ? new Date(plan.cutoff) : null;

  /** One attempt at one object: its outcome, or HELD when the Engine kept a build cache record a later pass may free. */
  const attempt = async (item: PlannedRemoval): Promise<PruneOutcome | typeof HELD> => {
    if (fatal) return { ...base(item), status: 'not-attempted', reason: `the daemon stopped answering: ${fatal.message}` };
    let asked = false;
    try {
      if (item.type === 'build-cache' && buildCache === null) buildCache = await currentBuildCache(api, apiVersion, slow);
      const check = await recheck(api, plan, item, cutoff, buildCache);
      if ('skip' in check) return { ...base(item), status: 'skipped', reason: check.skip };
      asked = true;
      const removed = await removeOne(api, item, check.tags, slow);
      if (removed === HELD) return HELD;
      return removed === true ? { ...base(item), status: 'removed', reason: null } : { ...base(item), status: 'skipped', reason: removed };
    } catch (error) {
      if (!daemonFailed(error)) return { ...base(item), status: 'failed', reason: error instanceof Error ? error.message : String(error) };
      fatal = error;
      // A removal the daemon received but never answered may still have happened (a hung daemon may carry it out
      // once it runs again): say so rather than claim it is still there.
      return asked
        ? {
            ...base(item),
            status: 'unconfirmed',
            reason: `the daemon stopped answering while removing it: it may or may not be gone (preview again to see) — ${error.message}`,
          }
        : {
            ...base(item),
            status: 'failed',
            reason: `the daemon stopped answering before it was removed: it is still there — ${error.message}`,
          };
    }
  };
  const settle = (item: PlannedRemoval, outcome: PruneOutcome) => {
    outcomes.push(outcome);
    if (outcome.status === 'removed') bytesSoFar += item.reclaim;
    emit('removing', outcome);
  };

  let held: PlannedRemoval[] = [];
  for (const next of plan.remove) {
    const outcome = await attempt(next);
    if (outcome === HELD) held.push(next);
    else settle(next, outcome);
  }
  // Build cache records the Engine kept because another record was still built on them: where the Engine lists no
  // parents (26.1, 28.5) the plan could not put children first, so each pass frees the parents of the last one's
  // records. A pass that frees none ends it: what is left is held by something the plan does not remove.
  while (held.length > 0) {
    buildCache = null; // read again: the records the last pass removed are gone, their parents free
    const still: PlannedRemoval[] = [];
    for (const next of held) {
      const outcome = await attempt(next);
      if (outcome === HELD) still.push(next);
      else settle(next, outcome);
    }
    if (still.length === held.length) {
      for (const next of still)
        settle(next, {
          ...base(next),
          status: 'skipped',
          reason:
            'the Engine kept it: another record is still built on it (one the plan keeps, or made since the plan), or a build is using it',
        });
      break;
    }
    held = still;
  }

  let after: EngineDiskTotals | null = null;
  if (!fatal) {
    emit('measuring-after', null);
    try {
      after = await measure(api, slow);
    } catch (error) {
      if (!daemonFailed(error)) throw error;
      fatal = error;
    }
  }
  const count = (status: PruneOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const removedIds = new Set(outcomes.filter((o) => o.status === 'removed' && o.type === 'container').map((o) => o.id));
  const result: PruneResult = {
    kind: 'dockhand.prune-result',
    planId: plan.planId,
    startedAt,
    finishedAt: new Date().toISOString(),
    complete: fatal === null,
    error: fatal ? fatal.message : null,
    outcomes,
    counts: {
      removed: count('removed'),
      skipped: count('skipped'),
      failed: count('failed'),
      unconfirmed: count('unconfirmed'),
      notAttempted: count('not-attempted'),
    },
    predicted: { removed: bytesSoFar, plan: plan.predicted.total - plan.predicted.byType.containerLogs },
    freed: {
      before,
      after,
      engineBytes: after ? before.total - after.total : null,
      containerLogs: removedIds.size > 0 ? containerLogShare(plan, removedIds) : 0,
    },
  };
  emit('done', null);
  return result;
}

function base(item: PlannedRemoval): Pick<PruneOutcome, 'type' | 'id' | 'name' | 'predicted'> {
  return { type: item.type, id: item.id, name: item.name, predicted: item.reclaim };
}

async function measure(api: EngineApi, timeoutMs: number): Promise<EngineDiskTotals> {
  return diskTotals(parseDf(obj(await api.get('/system/df', {}, timeoutMs))));
}

/** Build cache records have no inspect endpoint: read them all once, cheaply where the API can list just them (1.42+). */
async function currentBuildCache(api: EngineApi, apiVersion: number, timeoutMs: number): Promise<Map<string, DfBuildRecord>> {
  const raw = obj(await api.get('/system/df', apiVersion >= 1.042 ? { type: 'build-cache' } : {}, timeoutMs));
  return new Map(parseDf(raw).buildCache.map((r) => [r.id, r]));
}

/** The plan's container log figure is a sum; the per-container split is the plan's own (logs are not in df). */
function containerLogShare(plan: PrunePlan, removed: ReadonlySet<string>): number {
  const planned = plan.remove.filter((r) => r.type === 'container');
  if (planned.length === 0) return 0;
  return planned.every((r) => removed.has(r.id))
    ? plan.predicted.byType.containerLogs
    : Math.round((plan.predicted.byType.containerLogs * removed.size) / planned.length);
}

const gone = (what: string) => ({ skip: `${what} no longer exists (removed by someone else since the plan)` });

async function inspect(api: EngineApi, resource: string): Promise<Raw | null> {
  try {
    return obj(await api.get(resource));
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return null;
    throw error;
  }
}

/**
 * The containers using the object now, by the planner's own rule (rules.ts): every container in any state, read fresh
 * for each object, since one may have been created since the plan (created-but-not-started ones included).
 */
async function usersNow(api: EngineApi, kind: UsedKind, item: PlannedRemoval): Promise<string[]> {
  const containers = arr(await api.get('/containers/json', { all: '1' })).map((c) => parseListedContainer(obj(c), new Map()));
  return usersIndex(containers, kind)({ id: item.id, name: item.name }).map((c) => `${c.name} (${c.state})`);
}

function usedSince(users: readonly string[], what: string): { skip: string } {
  return {
    skip: `${what} since the plan by container ${users.slice(0, 3).join(', ')}${users.length > 3 ? ` and ${users.length - 3} more` : ''}`,
  };
}

/**
 * Is the object still what the plan saw: there, unused, stopped, unprotected, matching the filters, not newer than the
 * cutoff? Each rule is the planner's own function (rules.ts), applied to the object as the daemon shows it now.
 */
async function recheck(
  api: EngineApi,
  plan: PrunePlan,
  item: PlannedRemoval,
  cutoff: Date | null,
  buildCache: Map<string, DfBuildRecord> | null,
): Promise<Check> {
  const own = (labels: unknown, created: unknown): Check | null => {
    const v = ownVerdict({ labels: stringMap(labels), created: str(created) || null }, plan.options, cutoff, 'created');
    return v ? { skip: `${v.why} (checked again at apply)` } : null;
  };
  switch (item.type) {
    case 'container': {
      const c = await inspect(api, `/containers/${encodeURIComponent(item.id)}/json`);
      if (!c) return gone('the container');
      const state = str(obj(c.State).Status);
      if (isActiveState(state)) return { skip: `started since the plan: it is ${state} now` };
      return own(obj(c.Config).Labels, c.Created) ?? { ok: true, tags: [] };
    }
    case 'image': {
      const image = await inspect(api, `/images/${encodeURIComponent(item.id)}/json`);
      if (!image) return gone('the image');
      const mine = own(obj(image.Config).Labels, image.Created);
      if (mine) return mine;
      const users = await usersNow(api, 'image', item);
      if (users.length > 0) return usedSince(users, 'in use');
      const tags = strings(image.RepoTags).filter((t) => t !== '<none>:<none>');
      const added = tags.filter((t) => !item.tags.includes(t));
      if (added.length > 0) return { skip: `tagged ${added.join(', ')} since the plan` };
      return { ok: true, tags: [...tags, ...strings(image.RepoDigests).filter((d) => d !== '<none>@<none>')] };
    }
    case 'volume': {
      const volume = await inspect(api, `/volumes/${encodeURIComponent(item.id)}`);
      if (!volume) return gone('the volume');
      const mine = own(volume.Labels, volume.CreatedAt);
      if (mine) return mine;
      const users = await usersNow(api, 'volume', item);
      return users.length > 0 ? usedSince(users, 'in use') : { ok: true, tags: [] };
    }
    case 'network': {
      const network = await inspect(api, `/networks/${encodeURIComponent(item.id)}`);
      if (!network) return gone('the network');
      const mine = own(network.Labels, network.Created);
      if (mine) return mine;
      const users = await usersNow(api, 'network', item);
      return users.length > 0 ? usedSince(users, 'attached') : { ok: true, tags: [] };
    }
    case 'build-cache': {
      const record = buildCache?.get(item.id);
      if (!record) return gone('the build cache record');
      if (record.inUse) return { skip: 'in use by a build since the plan' };
      if (item.lastUsed !== record.lastUsedAt && record.lastUsedAt && cutoff !== null && Date.parse(record.lastUsedAt) > cutoff.getTime())
        return { skip: `used by a build since the plan (${record.lastUsedAt})` };
      return { ok: true, tags: [] };
    }
  }
}

/**
 * Removes one object, never forced: the Engine's own refusal (409, in use) is a skip with its message. Returns true,
 * why it was not removed, or HELD for a build cache record the Engine kept.
 */
async function removeOne(
  api: EngineApi,
  item: PlannedRemoval,
  refs: readonly string[],
  timeoutMs: number,
): Promise<true | string | typeof HELD> {
  try {
    switch (item.type) {
      case 'container':
        // v=0: the container's anonymous volumes stay unless the plan lists them (volumes are opt-in).
        await api.remove('container', item.id, timeoutMs);
        return true;
      case 'image':
        // An image with several references cannot be deleted by ID without force: untag all but one first. noprune=1
        // keeps untagged parents that the plan did not list.
        for (const ref of refs.slice(0, -1)) await api.remove('image', ref, timeoutMs);
        await api.remove('image', item.id, timeoutMs);
        return true;
      case 'volume':
        await api.remove('volume', item.id, timeoutMs);
        return true;
      case 'network':
        await api.remove('network', item.id, timeoutMs);
        return true;
      case 'build-cache': {
        // One record: moby turns the id filter into BuildKit's `id~=ID`, a regular-expression match, which is why the
        // ID was first found among the Engine's own records (recheck); all=1, which otherwise leaves shared and
        // internal records. The Engine keeps a record while another is built on it (BuildKit takes only records nobody
        // references), whatever the filter: 20.10 through 28.5, read in moby's vendored BuildKit and seen here.
        const answer = obj(await api.pruneBuildCache({ id: [item.id] }, timeoutMs));
        if (!strings(answer.CachesDeleted).includes(item.id)) return HELD;
        return true;
      }
    }
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return `no longer exists (removed by someone else since the plan)`;
    if (error instanceof EngineApiError && error.statusCode === 409)
      return `the Engine refused: ${error.message.replace(/^.*returned HTTP 409: /, '')}`;
    throw error;
  }
}
