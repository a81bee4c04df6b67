import type { DockhandTransport, Envelope, EventName } from '../../../shared/api';
import { loadContract } from './load-contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** `dockhand serve`'s side of the contract: POST /api/<channel> for calls, one WebSocket at /ws for events. */
export interface HttpTransport extends DockhandTransport {
  /** The event socket's state, for a "reconnecting" banner. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

const transportError = (message: string): Envelope<never> => ({ ok: false, error: { code: 'transport', message } });

export function createHttpTransport(base: URL = new URL(window.location.href)): HttpTransport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  let retryMs = 500;
  let state: ConnectionState = 'closed';

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  // Reconnects with backoff: the server may restart, an SSH tunnel may drop and come back.
  function connect(): void {
    if (socket) return;
    setState('connecting');
    const ws = new WebSocket(new URL('ws', `ws://${base.host}/`).href);
    socket = ws;
    ws.onopen = () => {
      retryMs = 500;
      setState('open');
    };
    ws.onmessage = (message) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(message.data));
      } catch {
        return;
      }
      void loadContract().then((contract) => {
        const event = contract.readEventMessage(raw);
        if (event) for (const l of listeners.get(event.event) ?? []) l(event.payload);
      });
    };
    ws.onclose = () => {
      socket = null;
      setState('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  }

  return {
    async invoke(channel, input) {
      let response: Response;
      try {
        response = await fetch(new URL(`api/${channel}`, new URL('/', base)), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch (error) {
        return transportError(`dockhand serve did not answer (${(error as Error).message}). Is it still running?`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return transportError(`dockhand serve answered HTTP ${response.status} without an envelope`);
      }
      const envelope = (await loadContract()).readEnvelope(body);
      if (!envelope) return transportError(`dockhand serve answered HTTP ${response.status} outside the contract`);
      // The result is checked against the channel's schema by the client, like every transport's.
      return envelope as Envelope<never>;
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      connect();
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
