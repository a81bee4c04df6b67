import { PRELOAD_GLOBAL } from '../../../shared/api-names';
import type {
  ApiErrorShape,
  ChannelInput,
  ChannelName,
  ChannelOutput,
  DockhandTransport,
  EventName,
  EventPayload,
} from '../../../shared/api';
import { createHttpTransport, type HttpTransport } from './http-transport';
import { loadContract } from './load-contract';

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
    // What crosses the boundary is checked on this side too.
    const checked = (await loadContract()).checkOutput(channel, envelope.result);
    if (!checked.ok) throw new ApiCallError(checked.error, channel);
    return checked.value as ChannelOutput<C>;
  }

  /** Events are checked against the contract too; one that does not match is dropped, not acted on. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    // One promise for every event: they are still handled in the order they arrived.
    return this.transport.subscribe(event, (payload) => {
      void loadContract().then((contract) => {
        const checked = contract.checkEvent(event, payload);
        if (checked) listener(checked.value as EventPayload<E>);
      });
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
  // Fetched now, built in a task of its own while React renders the shell; the first answer waits for it.
  void loadContract();
  const bridge = (window as unknown as Record<string, unknown>)[PRELOAD_GLOBAL] as DockhandTransport | undefined;
  return bridge ? new ApiClient(bridge, 'electron') : new ApiClient(createHttpTransport(), 'serve');
}
