import {
  type ApiErrorShape,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  CHANNELS,
  type DockhandTransport,
  type EventName,
  EVENTS,
  type EventPayload,
  PRELOAD_GLOBAL,
} from '../../../shared/api';
import { z } from 'zod';
import { ReportSchema } from '../../../shared/report';
import { SEVERITIES, STATUSES } from '../../../shared/constants';
import { createHttpTransport, type HttpTransport } from './http-transport';

/**
 * The report as this side checks it: every field, but each finding only for what the UI indexes and sorts by. The
 * main process has validated the whole report against the contract before sending it; checking ten thousand findings
 * in full again here would block the page for ~150 ms (a long task) on every load.
 */
const ReportShapeSchema = ReportSchema.extend({
  findings: z.array(
    z.looseObject({
      id: z.string(),
      checkId: z.string(),
      severity: z.enum(SEVERITIES),
      result: z.looseObject({ status: z.enum(STATUSES), message: z.string(), evidence: z.array(z.unknown()) }),
    }),
  ),
});
const OUTPUT_CHECKS: { [C in ChannelName]?: z.ZodType } = {
  'audit.run': ReportShapeSchema,
  'report.last': ReportShapeSchema.nullable(),
};

export class ApiCallError extends Error {
  constructor(
    readonly error: ApiErrorShape,
    readonly channel: ChannelName,
  ) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

/**
 * The renderer's only way to the main process: a typed call per channel that resolves to the result or throws an
 * ApiCallError with the envelope's error. The same class over Electron's preload and over dockhand serve.
 */
export class ApiClient {
  constructor(
    readonly transport: DockhandTransport,
    readonly kind: 'electron' | 'serve',
  ) {}

  async call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const envelope = await this.transport.invoke(channel, input);
    if (!envelope.ok) throw new ApiCallError(envelope.error, channel);
    // What crosses the boundary is checked on this side too: a mismatch (an older main process) is an error, not garbage on screen.
    const checked = (OUTPUT_CHECKS[channel] ?? CHANNELS[channel].output).safeParse(envelope.result);
    if (!checked.success) throw new ApiCallError({ code: 'invalid-output', message: `${channel}: the answer does not match this UI's contract` }, channel);
    return checked.data as ChannelOutput<C>;
  }

  /** Events are checked against the contract too; one that does not match is dropped, not acted on. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.subscribe(event, (payload) => {
      const checked = EVENTS[event].safeParse(payload);
      if (checked.success) listener(checked.data as EventPayload<E>);
    });
  }

  /** serve's event socket state; the desktop app's IPC has no such thing. */
  get http(): HttpTransport | null {
    return this.kind === 'serve' ? (this.transport as HttpTransport) : null;
  }
}

/** The preload's API when running in the desktop app, else dockhand serve's HTTP + WebSocket. */
export function createClient(): ApiClient {
  const bridge = (window as unknown as Record<string, unknown>)[PRELOAD_GLOBAL] as DockhandTransport | undefined;
  return bridge ? new ApiClient(bridge, 'electron') : new ApiClient(createHttpTransport(), 'serve');
}
