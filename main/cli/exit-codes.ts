/** Exit codes of the `dockhand` command, one meaning each (README lists them). */
export const EXIT = {
  ok: 0,
  /** audit: a finding at or above --fail-on remains. */
  findings: 1,
  /** bad usage, or an input that cannot be read (a missing or unreadable file). */
  usage: 2,
  /** daemon-config check: dockerd will not start with this file. */
  willNotStart: 3,
  /** audit: incomplete, the Docker daemon could not be reached (daemon checks are errors). */
  incomplete: 4,
  internal: 70,
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
