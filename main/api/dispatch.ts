import { z } from 'zod';
import { type ChannelName, type ChannelOutput, CHANNELS, type Envelope, isChannelName } from '../../shared/api';
import { ApiError } from './errors';
import type { Handlers } from './context';

/** Any transport's entry point: a channel name and an untrusted input in, an envelope out. Never throws. */
export interface Dispatch {
  <C extends ChannelName>(channel: C, input: unknown): Promise<Envelope<ChannelOutput<C>>>;
  (channel: unknown, input: unknown): Promise<Envelope<unknown>>;
}

/** The schema's complaints in one readable line: "endpoint.host: a Docker endpoint such as …; theme: …". */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}

export function createDispatcher(handlers: Handlers, log: (message: string) => void = () => undefined): Dispatch {
  /**
   * Outputs already checked, by identity: the last report is the same object on every report.last call, and checking
   * ten thousand findings again each time costs ~150 ms. Handlers never mutate what they hand out.
   */
  const checkedOutputs = new Map<string, WeakMap<object, unknown>>();
  return (async (channel: unknown, input: unknown): Promise<Envelope<unknown>> => {
    if (!isChannelName(channel))
      return { ok: false, error: { code: 'unknown-channel', message: `No such channel: ${String(channel).slice(0, 100)}` } };
    const def = CHANNELS[channel];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid-input', message: `${channel}: ${describeIssues(parsed.error)}` } };
    let result: unknown;
    try {
      result = await (handlers[channel] as (i: unknown) => Promise<unknown>)(parsed.data);
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: { code: error.code, message: error.message } };
      log(`${channel} failed: ${(error as Error).stack ?? String(error)}`);
      return { ok: false, error: { code: 'failed', message: `${channel} failed: ${(error as Error).message ?? String(error)}` } };
    }
    const cache = checkedOutputs.get(channel) ?? checkedOutputs.set(channel, new WeakMap()).get(channel)!;
    const key = typeof result === 'object' && result !== null ? result : null;
    if (key && cache.has(key)) return { ok: true, result: cache.get(key) };
    const checked = def.output.safeParse(result);
    if (!checked.success) {
      log(`${channel} answered outside its contract: ${describeIssues(checked.error)}`);
      return {
        ok: false,
        error: {
          code: 'invalid-output',
          message: `${channel} gave an answer outside the contract (a Dockhand bug): ${describeIssues(checked.error)}`,
        },
      };
    }
    if (key) cache.set(key, checked.data);
    return { ok: true, result: checked.data };
  }) as Dispatch;
}
