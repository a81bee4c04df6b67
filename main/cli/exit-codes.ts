/** Exit codes of the `dockhand` command, one meaning each (README lists them). */
export const EXIT = {
  ok: 0,
  /** audit: a finding at or above --fail-on remains. */
  findings: 1,
  /** bad usage, or an input that cannot be read (a missing or unreadable file). */
  usage: 2,
  /** daemon-config check: dockerd will not start with this file. */
  willNotStart: 3,
  /** audit: incomplete, some check ended in `error` (daemon unreachable, a file unreadable). */
  incomplete: 4,
  /** fix apply: the daemon did not come back with the change; the original files were restored and it is up again. */
  rolledBack: 5,
  /** fix apply: the change could not be made or rolled back completely (the journal says what is where). */
  fixFailed: 6,
  internal: 70,
  /** standard output failed with something other than a closed pipe (EX_IOERR): said on stderr. */
  outputFailed: 74,
  /** standard output was closed before everything was written (`| head`): 128 + SIGPIPE, as a shell reports it. */
  outputClosed: 141,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
