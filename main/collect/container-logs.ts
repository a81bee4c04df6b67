// What containers' logs cost on disk: each log with its rotated files.
import path from 'node:path';
import type { Fact } from '../../shared/fact';
import type { ContainerLogFact } from '../../shared/facts/disk';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { mapLimit } from '../util/timeout';
import { type CollectContext, failure, propagate } from './context';
import { daemonFilesystemHere } from './disk';

const STAT_CONCURRENCY = 16;

/**
 * Each container's log with its rotated files (json-file keeps NAME.1, NAME.2…, compressed as .gz): together they are
 * what the container's logging costs on disk. A log already gone (container removed meanwhile) is skipped; one that
 * cannot be read fails the fact, because a partial list would understate the total.
 */
export async function collectContainerLogs(ctx: CollectContext): Promise<Fact<ContainerLogFact[]>> {
  const containers = await ctx.get('containers');
  if (!containers.ok) return propagate(containers);
  const here = await daemonFilesystemHere(ctx);
  const sources: Source[] = [...containers.sources];
  if (!here.local) return failure(new HostError('unsupported', `container log files cannot be measured from here: ${here.why}`), sources);
  const host = ctx.host;
  const withLogs = containers.value.filter((c) => c.logPath);
  try {
    const sizes = await mapLimit(withLogs, STAT_CONCURRENCY, async (c): Promise<ContainerLogFact | null> => {
      const bytes = await logBytes(host, c.logPath);
      return bytes === null ? null : { container: c.name, path: host.displayPath(c.logPath), bytes };
    });
    return { ok: true, value: sizes.filter((s): s is ContainerLogFact => s !== null), sources };
  } catch (error) {
    return failure(error, sources);
  }
}

/** A container id as the daemon names its directory: anything else is not looked up (no path from the daemon's words). */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * Containers' log files found in their directories under the data root, without one inspect per container: json-file
 * writes <data-root>/containers/<id>/<id>-json.log, local writes local-logs/container.log there (each with rotated
 * siblings). `dockhand disk` measures every container this way; a container with neither has no log file to count.
 * The result names each container by id. `ids` 'all' takes them from <data-root>/containers itself, so the
 * measuring need not wait for the daemon's list.
 */
export async function collectLogsByDirectory(
  ctx: CollectContext,
  dataRoot: string,
  ids: readonly string[] | 'all',
): Promise<Fact<ContainerLogFact[]>> {
  const here = await daemonFilesystemHere(ctx);
  const sources: Source[] = [{ kind: 'file', path: ctx.host.displayPath(path.posix.join(dataRoot, 'containers')) }];
  if (!here.local) return failure(new HostError('unsupported', `container log files cannot be measured from here: ${here.why}`), sources);
  const host = ctx.host;
  try {
    // Listed only once the data root is known to be this machine's (above): a remote daemon's path may exist here too.
    const wanted = ids === 'all' ? ((await listOrNone(host, path.posix.join(dataRoot, 'containers'))) ?? []) : ids;
    const sizes = await mapLimit(
      wanted.filter((id) => CONTAINER_ID.test(id)),
      STAT_CONCURRENCY,
      async (id): Promise<ContainerLogFact | null> => {
        const dir = path.posix.join(dataRoot, 'containers', id);
        // One listing per container says which log files exist: a created container has none, and asking for each
        // file by name costs two failed lookups per container on a host of thousands.
        const names = await listOrNone(host, dir);
        if (names === null) return null;
        const json = await rotatedBytes(host, dir, `${id}-json.log`, names);
        const localDir = path.posix.join(dir, 'local-logs');
        const local = names.includes('local-logs')
          ? await rotatedBytes(host, localDir, 'container.log', (await listOrNone(host, localDir)) ?? [])
          : null;
        if (json === null && local === null) return null;
        return {
          container: id,
          path: host.displayPath(json !== null ? path.posix.join(dir, `${id}-json.log`) : path.posix.join(localDir, 'container.log')),
          bytes: (json ?? 0) + (local ?? 0),
        };
      },
    );
    return { ok: true, value: sizes.filter((s): s is ContainerLogFact => s !== null), sources };
  } catch (error) {
    return failure(error, sources);
  }
}

/** A log file and its rotated siblings (NAME.1, NAME.2.gz…), given the directory's listing; null when there is no log. */
async function rotatedBytes(host: Host, dir: string, base: string, names: readonly string[]): Promise<number | null> {
  if (!names.includes(base)) return null;
  let bytes: number;
  try {
    bytes = (await host.stat(path.posix.join(dir, base))).size;
  } catch (error) {
    // Removed since the listing (the container went away): nothing to count.
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
  return bytes + (await siblingBytes(host, dir, base, names));
}

/** The rotated files of the log `base` among a directory's entries. */
async function siblingBytes(host: Host, dir: string, base: string, names: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const name of names) {
    if (!/^\.\d+(\.gz)?$/.test(name.slice(base.length)) || !name.startsWith(base)) continue;
    bytes += await host.stat(path.posix.join(dir, name)).then(
      (s) => s.size,
      () => 0,
    );
  }
  return bytes;
}

/** A directory's entries; null when it does not exist (the container was removed meanwhile). */
async function listOrNone(host: Host, dir: string): Promise<string[] | null> {
  try {
    return await host.readDir(dir);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
}

/** A log path the daemon named: the file itself first (an unreadable one fails with its own path), then its siblings. */
async function logBytes(host: Host, logPath: string): Promise<number | null> {
  let bytes: number;
  try {
    bytes = (await host.stat(logPath)).size;
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
  const dir = path.posix.dirname(logPath);
  return bytes + (await siblingBytes(host, dir, path.posix.basename(logPath), await host.readDir(dir).catch(() => [] as string[])));
}
