import type { ContainerFact } from './facts';

/**
 * How a container ended, from its inspect State: the one reading both the log collector (which logs to read) and the
 * container checks (what to report) use.
 *
 * - `up`: running, paused or restarting; the restart-loop and health checks judge those.
 * - `not-started`: created and never started, with no start error.
 * - `completed`: exit code 0.
 * - `stopped`: exit code 130, 137 or 143 (SIGINT, SIGKILL, SIGTERM) without an OOM kill: what `docker stop`,
 *   `docker kill` and Ctrl-C leave. A crash rarely ends by these signals; a stop by hand almost always does.
 * - `oom-killed`: State.OOMKilled, whatever the exit code.
 * - `failed`: any other non-zero exit code, or a start that failed (State.Error).
 */
export type ContainerOutcome =
  | { kind: 'up' | 'not-started' | 'completed' }
  | { kind: 'stopped'; signal: string }
  | { kind: 'oom-killed' }
  | { kind: 'failed'; meaning: string | null };

/** Signals an exit code 128+N names, for the ones a person can act on. */
const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
};
const STOP_SIGNALS = new Set([2, 9, 15]);

/** What an exit code usually means, where it says more than "the program reported an error". */
const MEANINGS: Record<number, string> = {
  126: 'the command was found but could not be executed (permissions, or not an executable)',
  127: 'the command was not found (a wrong path, or a missing interpreter or library)',
  128: 'Docker could not start the command (State.Error says why)',
  255: 'the command exited with -1 (or a code out of range)',
};
const SIGNAL_MEANINGS: Record<string, string> = {
  SIGILL: 'killed by SIGILL: an illegal instruction (built for a newer CPU than this one?)',
  SIGABRT: 'killed by SIGABRT: the program aborted itself (a failed assertion or a fatal runtime error)',
  SIGBUS: 'killed by SIGBUS: a bus error (a memory-mapped file that shrank, or a full /dev/shm)',
  SIGFPE: 'killed by SIGFPE: an arithmetic error',
  SIGSEGV: 'killed by SIGSEGV: a segmentation fault',
  SIGPIPE: 'killed by SIGPIPE: it wrote to a pipe or socket nobody read',
  SIGHUP: 'killed by SIGHUP',
};

function signalOf(exitCode: number): string | null {
  return exitCode > 128 && exitCode < 160 ? (SIGNALS[exitCode - 128] ?? `signal ${exitCode - 128}`) : null;
}

export function outcomeOf(c: ContainerFact): ContainerOutcome {
  const { state } = c;
  if (state.running || state.restarting) return { kind: 'up' };
  if (state.oomKilled) return { kind: 'oom-killed' };
  const code = state.exitCode;
  if (code === 0)
    return state.error ? { kind: 'failed', meaning: null } : { kind: state.status === 'created' ? 'not-started' : 'completed' };
  const signal = signalOf(code);
  if (signal && STOP_SIGNALS.has(code - 128)) return { kind: 'stopped', signal };
  return { kind: 'failed', meaning: MEANINGS[code] ?? (signal ? (SIGNAL_MEANINGS[signal] ?? `killed by ${signal}`) : null) };
}

/** Whether the container ended in a way worth reading its log for: it failed, or was killed for memory. */
export function endedBadly(c: ContainerFact): boolean {
  const kind = outcomeOf(c).kind;
  return kind === 'failed' || kind === 'oom-killed';
}
