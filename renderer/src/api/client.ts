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

const SEVERITY_SET = new Set<unknown>(SEVERITIES);
const STATUS_SET = new Set<unknown>(STATUSES);

/** What the UI indexes and sorts a finding by. */
function hasFindingShape(value: unknown): boolean {
  const f = value as { id?: unknown; checkId?: unknown; severity?: unknown; result?: { status?: unknown; message?: unknown; evidence?: unknown } } | null;
  return (
    typeof f?.id === 'string' &&
    typeof f.checkId === 'string' &&
    SEVERITY_SET.has(f.severity) &&
    STATUS_SET.has(f.result?.status) &&
    typeof f.result?.message === 'string' &&
    Array.isArray(f.result.evidence)
  );
}

/**
 * The report as this side checks it: every field, but each finding only for what the UI indexes and sorts by (a plain
 * loop). The main process has validated the whole report against the contract before sending it; checking ten
 * thousand findings in full again here blocked the page for ~90 ms on every load.
 */
const ReportShapeSchema = ReportSchema.extend({
  findings: z.array(z.unknown()).refine((all) => all.every(hasFindingShape), 'a finding without its id, severity, status, message or evidence'),
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
    // Reading a large answer off the wire is one task already: check it in the next, so the page can paint between.
    await yieldToPage();
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

/** Lets the browser run what is waiting (input, paint) before the next piece of work. */
export const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The preload's API when running in the desktop app, else dockhand serve's HTTP + WebSocket. */
export function createClient(): ApiClient {
  const bridge = (window as unknown as Record<string, unknown>)[PRELOAD_GLOBAL] as DockhandTransport | undefined;
  return bridge ? new ApiClient(bridge, 'electron') : new ApiClient(createHttpTransport(), 'serve');
}
