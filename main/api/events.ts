import { EVENTS, type EventMessage, type EventName, type EventPayload } from '../../shared/api';

export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/**
 * Fans main-process events out to every connected UI (Electron windows, WebSocket clients). Payloads are validated
 * on the way out, like channel outputs: a malformed event is a Dockhand bug and throws here, not in the renderer.
 */
export class EventHub implements EventSink {
  private readonly listeners = new Set<(message: EventMessage) => void>();

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = EVENTS[event].parse(payload);
    const message = { event, payload: checked } as EventMessage;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // One broken connection must not stop the others from hearing the event.
      }
    }
  }
}
