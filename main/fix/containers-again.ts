// The running containers around a daemon restart, through the Engine API as the unprivileged user: which ran just
// before, how each one is after, and (when asked) starting again those that ran before and do not now. Never through
// the root helper: starting a container is the Docker API's to allow, like `docker start`.
import type { ContainerAfter, ContainersAfter } from '../../shared/restart-impact';
import { createEngineApi, type EngineApi, EngineApiError } from '../collect/engine-api';
import { discoverEndpoint } from '../discover/endpoint';
import { LocalHost } from '../host/local-host';

/** A container running just before the restart: StartedAt tells "kept running" from "started again" afterwards. */
export interface RunningBefore {
  id: string;
  name: string;
  restartPolicy: string;
  startedAt: string;
}

interface Inspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; StartedAt: string };
  HostConfig: { RestartPolicy?: { Name?: string } | null };
}

const API_TIMEOUT_MS = 15_000;
/** Inspections and starts in flight at once. */
const PARALLEL = 8;

async function inParallel<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return out;
}

/** The Engine API of the daemon at `endpoint` (a plan's), for `work`; closed after. */
export async function withEngine<T>(endpoint: string | null, work: (api: EngineApi) => Promise<T>): Promise<T> {
  if (!endpoint) throw new Error('the plan names no daemon endpoint');
  const host = new LocalHost();
  const found = await discoverEndpoint(host, { host: endpoint });
  if (!found.ok) throw new Error(found.error.message);
  const api = await createEngineApi(host, found.value, API_TIMEOUT_MS);
  try {
    return await work(api);
  } finally {
    api.close();
  }
}

const inspect = (api: EngineApi, id: string) => api.get<Inspect>(`/containers/${encodeURIComponent(id)}/json`);

/** The containers running now, with their restart policy and start time. */
export async function runningContainers(api: EngineApi): Promise<RunningBefore[]> {
  const list = await api.get<{ Id: string }[]>('/containers/json');
  const found = await inParallel(list, async (c) =>
    inspect(api, c.Id).catch((error: unknown) =>
      error instanceof EngineApiError && error.statusCode === 404 ? null : Promise.reject(error),
    ),
  );
  return found
    .filter((c): c is Inspect => c !== null && c.State.Running)
    .map((c) => ({
      id: c.Id,
      name: c.Name.replace(/^\//, ''),
      restartPolicy: c.HostConfig.RestartPolicy?.Name ?? '',
      startedAt: c.State.StartedAt,
    }));
}

/** Where a container ran before the restart is now, started again first when asked and it is down. */
async function afterOne(api: EngineApi, before: RunningBefore, startAgain: boolean): Promise<ContainerAfter> {
  const base = { id: before.id, name: before.name, restartPolicy: before.restartPolicy };
  let now: Inspect;
  try {
    now = await inspect(api, before.id);
  } catch (error) {
    if (error instanceof EngineApiError && error.statusCode === 404) return { ...base, state: 'gone', how: 'gone', error: null };
    return { ...base, state: 'unknown', how: 'unknown', error: (error as Error).message };
  }
  if (now.State.Running) {
    return {
      ...base,
      state: now.State.Status,
      how: now.State.StartedAt === before.startedAt ? 'kept-running' : 'restarted-by-policy',
      error: null,
    };
  }
  if (!startAgain) return { ...base, state: now.State.Status, how: 'left-stopped', error: null };
  try {
    await api.start(before.id);
  } catch (error) {
    // 304: the daemon started it meanwhile (its restart policy).
    if (!(error instanceof EngineApiError && error.statusCode === 304)) {
      const state = await inspect(api, before.id).then(
        (c) => c.State.Status,
        () => now.State.Status,
      );
      return { ...base, state, how: 'start-failed', error: (error as Error).message };
    }
  }
  const started = await inspect(api, before.id).catch(() => null);
  return {
    ...base,
    state: started?.State.Status ?? 'unknown',
    how: started?.State.Running ? 'started-again' : 'start-failed',
    error: started?.State.Running
      ? null
      : started
        ? `it exited at once (${started.State.Status})`
        : 'it could not be inspected after the start',
  };
}

/** The containers that ran before, after the restart; those down are started again when `startAgain`. */
export async function containersAfter(api: EngineApi, before: readonly RunningBefore[], startAgain: boolean): Promise<ContainersAfter> {
  return { startAgain, containers: await inParallel(before, (c) => afterOne(api, c, startAgain)), error: null };
}
