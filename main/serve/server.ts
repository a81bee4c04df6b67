import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope } from '../../shared/api';
import type { Api } from '../api/index';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../ui-assets/csp';
import { isAllowedHost, isSameOrigin, Sessions } from './security';
import { contentType, readStaticFile } from '../ui-assets/static-files';

export interface ServeOptions {
  api: Api;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** 0: a free port chosen by the system. */
  port?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  readonly port: number;
  readonly origin: string;
  readonly token: string;
  /** What the user opens: the origin with the token, exchanged for a session cookie on first load. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = '/api/';
const WS_PATH = '/ws';

const UNAUTHORIZED_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dockhand: sign-in link needed</title></head>
<body><h1>Open the link dockhand serve printed</h1><p>This Dockhand server only answers to the URL with the token it printed
when it started (<code>http://127.0.0.1:PORT/?token=…</code>). Copy it from the terminal running <code>dockhand serve</code>.</p></body></html>`;

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  send(res, status, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(envelope));
}

function deny(res: ServerResponse, status: 401 | 403, code: 'unauthorized' | 'forbidden', message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * `dockhand serve`: the UI and its API on 127.0.0.1 only. Static files (the built renderer) over GET, channel calls
 * as POST /api/<channel> with a JSON body answered by an envelope, events over one WebSocket at /ws.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const { api } = options;
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const sessions = new Sessions(port);
  const origin = `http://127.0.0.1:${port}`;

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') {
      send(res, 405, { Allow: 'POST', 'Content-Type': 'text/plain' }, 'API calls are POST requests');
      return;
    }
    if (!isSameOrigin(req.headers.origin, req.headers.host, port))
      return deny(res, 403, 'forbidden', 'This request did not come from the Dockhand page (Origin).');
    if (!sessions.authenticate(req)) return deny(res, 401, 'unauthorized', 'Not signed in: open the link dockhand serve printed.');
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, {
        ok: false,
        error: { code: 'invalid-input', message: 'API calls take a JSON body (Content-Type: application/json).' },
      });
    }
    let input: unknown;
    try {
      const body = await readBody(req);
      input = body === '' ? {} : JSON.parse(body);
    } catch (error) {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'invalid-input', message: `The request body is not JSON: ${(error as Error).message}` },
      });
    }
    let name: string;
    try {
      name = decodeURIComponent(channel);
    } catch {
      name = channel;
    }
    sendJson(res, 200, await api.dispatch(name, input));
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'Method not allowed');
      return;
    }
    // A page loaded by another site (a cross-origin fetch or a frame) would carry its Origin.
    if (req.headers.origin !== undefined && !isSameOrigin(req.headers.origin, req.headers.host, port)) {
      send(res, 403, { 'Content-Type': 'text/plain' }, 'Forbidden origin');
      return;
    }
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (!sessions.tokenMatches(token)) {
        send(res, 401, { 'Content-Type': 'text/html; charset=utf-8' }, UNAUTHORIZED_PAGE);
        return;
      }
      // Trade the token for a session cookie and drop it from the address bar.
      url.searchParams.delete('token');
      send(res, 303, { 'Set-Cookie': sessions.cookieHeader(sessions.create()), Location: `${url.pathname}${url.search}` }, '');
      return;
    }
    if (!sessions.authenticate(req)) {
      send(res, 401, { 'Content-Type': 'text/html; charset=utf-8' }, UNAUTHORIZED_PAGE);
      return;
    }
    const found = await readStaticFile(options.rendererDir, url.pathname);
    if (!found) {
      send(res, 404, { 'Content-Type': 'text/plain' }, 'Not found');
      return;
    }
    const csp = contentSecurityPolicy({ connect: [`ws://${req.headers.host}`] });
    send(res, 200, { 'Content-Type': contentType(found.file), 'Content-Security-Policy': csp }, req.method === 'HEAD' ? '' : found.body);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isAllowedHost(req.headers.host, port)) {
      send(res, 403, { 'Content-Type': 'text/plain' }, 'Forbidden host: open Dockhand at 127.0.0.1 or localhost');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      send(res, 400, { 'Content-Type': 'text/plain' }, 'Bad request');
      return;
    }
    const work = url.pathname.startsWith(API_PREFIX)
      ? handleApi(req, res, url.pathname.slice(API_PREFIX.length))
      : handleStatic(req, res, url);
    work.catch((error: unknown) => {
      log(`request ${req.method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'failed', message: 'The server met an internal error.' } });
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (new URL(req.url ?? '/', origin).pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!isSameOrigin(req.headers.origin, req.headers.host, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!sessions.authenticate(req)) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    // Events go one way; the API is called over HTTP. A client that talks is closed.
    ws.on('message', () => ws.close(1003, 'this socket only sends events'));
    ws.on('error', () => undefined);
  });
  const unsubscribe = api.events.subscribe((message) => {
    const text = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  return {
    port,
    origin,
    token: sessions.token,
    url: `${origin}/?token=${sessions.token}`,
    async close() {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
