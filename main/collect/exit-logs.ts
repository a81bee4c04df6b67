import { endedBadly } from '../../shared/container-exit';
import type { Fact } from '../../shared/fact';
import type { ContainerFact } from '../../shared/facts';
import type { ExitLogFact } from '../../shared/facts/container-outcomes';
import type { Source } from '../../shared/source';
import { mapLimit } from '../util/timeout';
import { type CollectContext, propagate } from './context';
import { fromApi } from './engine';
import { type EngineApi, EngineApiError } from './engine-api';
import { cleanText, LogTail } from './log-tail';
import { LOG_LINE_CHARS, LOG_TAIL_LINES } from '../../shared/facts/vocabulary';

/** Log reads in flight at once: a journald read can be slow, and a few are plenty for the handful of failed containers. */
const LOG_CONCURRENCY = 4;
const LOG_CALL = `GET /containers/{id}/logs?stdout=1&stderr=1&tail=${LOG_TAIL_LINES}`;

/**
 * The end of the log of each container that failed or was OOM-killed and is down (shared/container-exit.ts), so a
 * host whose containers are fine makes no call here. A log that cannot be read is a value saying why, per container.
 * Bounded twice: tail=N asks the daemon for N entries (it splits long lines into entries of 16 KiB, 1 MB for the local
 * driver), and LogTail keeps N lines of a few hundred characters whatever arrives.
 */
export async function collectExitLogs(ctx: CollectContext): Promise<Fact<ExitLogFact[]>> {
  const containers = await ctx.get('containers');
  if (!containers.ok) return propagate(containers);
  const failed = containers.value.filter(endedBadly);
  const sources: Source[] = [{ kind: 'api', call: LOG_CALL }];
  if (failed.length === 0) return { ok: true, value: [], sources };
  return fromApi(ctx, LOG_CALL, (api) => mapLimit(failed, LOG_CONCURRENCY, (c) => readTail(api, c)));
}

async function readTail(api: EngineApi, c: ContainerFact): Promise<ExitLogFact> {
  const empty = { container: c.id, name: c.name, lines: [], cutLines: 0, streamProblem: null };
  const driver = c.hostConfig.logConfig.type;
  if (driver === 'none') return { ...empty, unreadable: 'its log driver is none: Docker kept nothing to read' };
  const tail = new LogTail(!c.tty, LOG_TAIL_LINES, LOG_LINE_CHARS);
  try {
    await api.getRaw(`/containers/${encodeURIComponent(c.id)}/logs`, { stdout: '1', stderr: '1', tail: String(LOG_TAIL_LINES) }, (chunk) =>
      tail.push(chunk),
    );
  } catch (error) {
    const why =
      error instanceof EngineApiError && error.statusCode === 404
        ? 'the container was removed before its log was read'
        : `the daemon did not return its ${driver || 'default-driver'} log: ${error instanceof Error ? error.message : String(error)}`;
    // Lines that arrived before a broken connection or the time limit are still shown.
    return { ...empty, ...tail.end(), unreadable: cleanText(why) };
  }
  return { ...empty, ...tail.end(), unreadable: null };
}
