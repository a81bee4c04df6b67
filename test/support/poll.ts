// The one way a test waits for something it cannot be told about (a daemon answering, a file appearing, a process
// gone): it asks again every few milliseconds until the answer is yes, and fails naming what it waited for. Never a
// sleep of a guessed length: on a loaded machine a guess is too short, on an idle one it is time lost.
import { setTimeout as delay } from 'node:timers/promises';

export interface UntilOptions {
  /** What is waited for, as the failure says it: "the daemon answers", "the container is healthy". */
  what: string;
  /** How long before giving up (default 60 s): a bound so that a wrong expectation fails, never hangs. */
  timeoutMs?: number;
  /** How often to ask (default 50 ms). */
  intervalMs?: number;
}

/**
 * Resolves with the condition's first truthy answer; rejects after `timeoutMs` with what was waited for and the last
 * answer. A condition that throws fails the wait at once: that is how it says the wait is hopeless (the process that
 * would answer has exited); an answer that is merely not there yet is a falsy one.
 */
/** What a truthy answer can be: the condition's type without its falsy values. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export async function until<T>(condition: () => T | Promise<T>, options: UntilOptions): Promise<Truthy<T>> {
  const { what, timeoutMs = 60_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await condition();
    if (answer) return answer as Truthy<T>;
    if (Date.now() >= deadline)
      throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}; the last answer: ${JSON.stringify(answer)}`);
    await delay(intervalMs);
  }
}
