import { ApiError } from './errors';

/**
 * One change to the host at a time: a fix restarts the daemon, a prune removes objects, an undo restores files. Two at
 * once (a double click, two windows) would race on the same daemon, so the second is refused with what is running,
 * rather than queued behind a restart the user did not see coming.
 */
export class Exclusive {
  private busy: string | null = null;

  get running(): string | null {
    return this.busy;
  }

  async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.busy)
      throw new ApiError('failed', `Cannot ${what} now: ${this.busy} is still running. Wait for it to finish, then try again.`);
    this.busy = what;
    try {
      return await work();
    } finally {
      this.busy = null;
    }
  }
}
