import WebSocket from 'ws';
import { type EventName, type EventPayload, parseEventMessage } from '../../shared/api';
import type { Served } from './serve';

export interface EventStream {
  /**
   * The next event of that name matching `match`, received after this call: register before the action that causes
   * it. Resolves in the socket's own message callback, so a reaction (killing the daemon) lands as early as it can.
   */
  next<E extends EventName>(event: E, match: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>>;
  close(): void;
}

/**
 * `dockhand serve`'s event socket, opened from the test process with the page's session cookie: the same fix.progress
 * and prune.progress the page hears, without a round trip through the browser.
 */
export async function openEvents(served: Served, cookies: { name: string; value: string }[]): Promise<EventStream> {
  const ws = new WebSocket(`ws://127.0.0.1:${served.port}/ws`, {
    headers: { Origin: served.origin, Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the event socket was refused: HTTP ${res.statusCode}`)));
  });
  const waiters = new Set<(raw: unknown) => void>();
  ws.on('message', (data) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return;
    }
    for (const w of [...waiters]) w(raw);
  });
  return {
    next(event, match, timeoutMs = 180_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching ${event} event within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        const waiter = (raw: unknown) => {
          const message = parseEventMessage(raw);
          if (message?.event !== event || !match(message.payload as never)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(message.payload as never);
        };
        waiters.add(waiter);
      });
    },
    close: () => ws.close(),
  };
}
