// Reading a host's small text files for the collectors: Linux only, missing files told apart, size-capped.
import type { Host } from '../host/host';
import { HostError } from '../host/host';

export const MAX_ACCOUNT_BYTES = 8 * 1024 * 1024;
const MAX_SMALL_FILE_BYTES = 1024 * 1024;

export function linuxOnly(host: Host, what: string): HostError | null {
  return host.platform === 'linux' ? null : new HostError('unsupported', `${what} are read on Linux hosts only (this is ${host.platform})`);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof HostError && error.code === 'not-found';
}

export async function readText(host: Host, file: string, maxBytes = MAX_SMALL_FILE_BYTES): Promise<string> {
  return (await host.readFile(file, maxBytes)).toString('utf8').replace(/^\uFEFF/, '');
}

/** The text of a file, or null when it does not exist; other errors (permission denied) propagate. */
export async function readOptional(host: Host, file: string, maxBytes = MAX_SMALL_FILE_BYTES): Promise<string | null> {
  try {
    return await readText(host, file, maxBytes);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

export const INTEGER = /^\d+$/;
