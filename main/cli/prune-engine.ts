import { Command } from 'commander';
import type { Endpoint } from '../../shared/endpoint';
import { DEFAULT_TIMEOUT_MS } from '../collect/collect';
import { type EngineApi, EngineApiError } from '../collect/engine-api';
import { LocalHost } from '../host/local-host';
import { connectEngine } from '../prune/connect';
import { PruneInputError } from '../prune/filters';
import { PlanMismatchError } from '../prune/apply';
import { CliError, EXIT } from './exit-codes';

/** What the disk and prune commands share: which daemon (as the audit chooses it), time limit, error policy. */

function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError('--timeout: expected a positive whole number of milliseconds');
  return n;
}

export function addEndpointOptions(command: Command): Command {
  return command
    .option('-H, --host <address>', 'Docker endpoint (unix://, tcp://, ssh://, npipe://); default: like the docker CLI')
    .option('-c, --context <name>', 'docker context to use')
    .option(
      '--timeout <ms>',
      'time limit per Engine API call, in milliseconds (removals and /system/df get 3x)',
      positiveMs,
      DEFAULT_TIMEOUT_MS,
    );
}

/**
 * Runs `work` with a connected Engine API, closing it after. Failures become one clear line and an exit code: 2 for
 * bad input (options, a plan file, a plan for another daemon), 4 when the daemon cannot be used (down, hung, denied).
 */
export async function withEngine<T>(
  opts: { host?: string; context?: string; timeout: number },
  what: string,
  work: (api: EngineApi, endpoint: Endpoint, host: LocalHost) => Promise<T>,
): Promise<T> {
  const host = new LocalHost();
  let connection: { api: EngineApi; endpoint: Endpoint } | undefined;
  try {
    connection = await connectEngine(host, { host: opts.host, context: opts.context }, opts.timeout);
    return await work(connection.api, connection.endpoint, host);
  } catch (error) {
    throw toCliError(error, what);
  } finally {
    connection?.api.close();
  }
}

export function toCliError(error: unknown, what: string): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof PruneInputError || error instanceof PlanMismatchError) return new CliError(error.message, EXIT.usage);
  if (error instanceof EngineApiError) return new CliError(`cannot ${what}: ${error.message}`, EXIT.incomplete);
  return error;
}
