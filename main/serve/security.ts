import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The checks every request to `dockhand serve` passes before anything else, as pure functions of its headers. The
 * server listens on 127.0.0.1 only, yet any web page the user opens can send requests there: the token (or the session
 * it is exchanged for) proves the request comes from someone who saw the printed URL; the Host check defeats DNS
 * rebinding (a hostile name resolving to 127.0.0.1 carries its own name in Host); the Origin check stops other pages
 * from driving the API or the WebSocket with the user's cookie.
 */

/** Host headers this server answers to: only its own loopback address and port. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** The Origin a request must carry: the page's own, i.e. the (already checked) Host it was sent to, over http. */
export function isSameOrigin(origin: string | undefined, host: string | undefined, port: number): boolean {
  return origin !== undefined && isAllowedHost(host, port) && origin === `http://${host}`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

/** Constant-time comparison of secrets of any length (hashing first evens the lengths). */
function secretEquals(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * The server's secrets: the token printed in the URL (good for the life of the server, like Jupyter's, so the same
 * link opens a second browser) and the sessions it was exchanged for. The browser keeps a session in an HttpOnly,
 * SameSite=Strict cookie, named after the port because cookies are shared by every port of a host.
 */
export class Sessions {
  readonly token = newSecret();
  private readonly ids = new Set<string>();

  constructor(readonly port: number) {}

  get cookieName(): string {
    return `dockhand-${this.port}`;
  }

  tokenMatches(candidate: string | null | undefined): boolean {
    return typeof candidate === 'string' && secretEquals(candidate, this.token);
  }

  create(): string {
    const id = newSecret();
    this.ids.add(id);
    return id;
  }

  cookieHeader(id: string): string {
    return `${this.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** How the request proves itself, if it does: the session cookie, or the token as a bearer header (scripts, tests). */
  authenticate(req: Pick<IncomingMessage, 'headers'>): 'session' | 'bearer' | null {
    const session = parseCookies(req.headers.cookie).get(this.cookieName);
    if (session !== undefined) {
      for (const id of this.ids) if (secretEquals(session, id)) return 'session';
    }
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && this.tokenMatches(auth.slice('Bearer '.length))) return 'bearer';
    return null;
  }
}
