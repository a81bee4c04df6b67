import { TimeoutError } from '../util/timeout';

/**
 * Time a default audit allows per container and per image the daemon reports, on top of the base limit. An inspect
 * costs about 1 ms of the daemon's time on a busy 2-core host (npm run bench); 20 ms each leaves a wide margin, so
 * 5,000 containers get 100 s more, where a fixed 10 s cut the audit short. A daemon that hangs is still found at once:
 * /_ping and every single request keep their own fixed limits.
 */
export const PER_OBJECT_MS = 20;

/** The limit for a collector when the daemon holds `objects` containers and images. */
export function workLimitMs(baseMs: number, objects: number): number {
  return baseMs + PER_OBJECT_MS * Math.max(0, Math.floor(objects));
}

/**
 * Runs `work` until it settles or `limitMs()` has passed since the start, whichever comes first. The limit is asked
 * again when it runs out: it may have grown meanwhile (the daemon's object count is known only once /info answered),
 * and then the wait goes on until the new limit.
 */
export function withWorkLimit<T>(what: string, limitMs: () => number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const check = () => {
      if (settled) return;
      const limit = limitMs();
      const left = limit - (Date.now() - started);
      if (left <= 0) {
        settled = true;
        reject(new TimeoutError(what, limit));
        return;
      }
      timer = setTimeout(check, left);
    };
    check();
    // Started at once (a collector that throws synchronously rejects like one that fails later).
    new Promise<T>((start) => start(work())).then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
