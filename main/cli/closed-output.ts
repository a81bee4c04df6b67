import { EXIT } from './exit-codes';

/**
 * Standard output that goes away mid-run (`dockhand audit --format json | head -c 10`, a closed terminal, a full disk
 * behind `>`). Node reports it as an 'error' event on process.stdout, which with no listener is an uncaught exception:
 * a stack trace and exit 1, the code that means "failing findings". Instead the run finishes what it started (a fix
 * half-applied because a reader stopped reading would be worse), writes nothing more there, and exits with
 * EXIT.outputClosed (EPIPE: the reader closed the pipe, the shell's own 128 + SIGPIPE) or EXIT.outputFailed (any other
 * write error, said once on stderr).
 */
let lost: 'closed' | 'failed' | null = null;

export function watchOutput(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (lost) return;
    lost = error.code === 'EPIPE' ? 'closed' : 'failed';
    if (lost === 'failed') process.stderr.write(`dockhand: cannot write to standard output: ${error.message}\n`);
  });
  // Nothing useful can be done when stderr itself is gone; an unhandled error there must not crash the run either.
  process.stderr.on('error', () => undefined);
}

/** Writes to stdout; resolves when written or when stdout is gone (watchOutput has recorded why). */
export function writeStdout(text: string): Promise<void> {
  if (lost || process.stdout.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
}

/**
 * The exit code once the command is done: a refusal, a rollback or a failure (2 and up) says more than lost output and
 * is kept; "no failing finding" (0) and "failing findings" (1) were not fully delivered, so they give way.
 */
export function exitCodeAfterOutput(code: number): number {
  if (!lost || code >= EXIT.usage) return code;
  return lost === 'closed' ? EXIT.outputClosed : EXIT.outputFailed;
}
