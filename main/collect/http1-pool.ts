// A small read-only HTTP/1.1 client that pipelines GETs over a few persistent connections. It sends nothing but GET:
// every call that changes anything goes through dockerode (main/engine/dockerode.ts), and a request line is built here
// only from the GET method, so no caller can turn it into a writer.
//
// Why not node:http: an audit of 1,000 containers is 1,000 inspects, and node:http costs ~0.3 ms of CPU per request
// (one write syscall each, ClientRequest/IncomingMessage streams, agent bookkeeping): on a 2-core host that is CPU
// the daemon needs to answer. Pipelining several GETs per connection and coalescing the writes of one tick into one
// syscall halves the audit's CPU for the same calls. undici pipelines too, but loading it costs more start-up time
// than it saves on a CLI run. The protocol subset is the one the Docker Engine speaks: Content-Length or chunked
// bodies, keep-alive, `Connection: close`.
import type { Duplex } from 'node:stream';
import { ConnectionClosedError, Http1ProtocolError } from '../engine/errors';
import { TimeoutError } from '../util/timeout';

export interface Http1Response {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

export interface Http1PoolOptions {
  /** Opens one connection (unix socket, named pipe, TCP or TLS). */
  connect: () => Duplex;
  /** The Host header every request carries. */
  host: string;
  /** Connections kept open at most. */
  connections: number;
  /** Idempotent requests in flight per connection at most. */
  depth: number;
  /** A response body larger than this fails its request (a hostile or broken endpoint must not exhaust memory). */
  maxBodyBytes: number;
}

export interface Http1RequestOptions {
  timeoutMs: number;
  /** What is being waited for, for the timeout's message. */
  what: string;
}

export { ConnectionClosedError, Http1ProtocolError };

interface Pending {
  path: string;
  head: string;
  retried: boolean;
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve(response: Http1Response): void;
  reject(error: Error): void;
  connection: Connection | null;
}

const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

type BodyState =
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-end' }
  | { kind: 'trailer' }
  | { kind: 'until-close' };

/** One persistent connection: writes requests in order, parses responses in the same order. */
class Connection {
  readonly inFlight: Pending[] = [];
  /** Set once the server said `Connection: close`, the socket ended, or it failed: take no new requests. */
  closing = false;
  private connected = false;
  private corked = false;
  private pending: Buffer = Buffer.alloc(0);
  private status = 0;
  private headers = new Map<string, string>();
  private body: BodyState | null = null;
  private parts: Buffer[] = [];
  private bodyBytes = 0;
  private readonly socket: Duplex;

  constructor(
    private readonly pool: Http1Pool,
    private readonly options: Http1PoolOptions,
  ) {
    this.socket = options.connect();
    this.socket.once('connect', () => (this.connected = true));
    this.socket.once('secureConnect', () => (this.connected = true));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (error: Error) => this.fail(error));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.fail(new ConnectionClosedError('the connection closed before the response was complete')));
  }

  get idle(): boolean {
    return this.inFlight.length === 0;
  }

  /** May take another GET now (GETs are idempotent: pipelining them is safe, RFC 9112 §9.3.2), up to the depth. */
  accepts(): boolean {
    return !this.closing && this.inFlight.length < this.options.depth;
  }

  send(request: Pending): void {
    request.connection = this;
    this.inFlight.push(request);
    // Requests issued in the same tick go out in one write syscall.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(request.head);
  }

  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      let data: Buffer | null = chunk;
      while (data && data.length > 0) data = this.body ? this.consumeBody(data) : this.consumeHead(data);
    } catch (error) {
      this.destroyWith(error as Error);
    }
  }

  /** Buffers until the blank line ends the head, then parses it; returns the bytes after it. */
  private consumeHead(data: Buffer): Buffer | null {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const end = this.pending.indexOf(HEAD_END);
    if (end < 0) {
      if (this.pending.length > MAX_HEAD_BYTES) throw new Http1ProtocolError(`a response head longer than ${MAX_HEAD_BYTES} bytes`);
      return null;
    }
    const lines = this.pending.toString('latin1', 0, end).split('\r\n');
    const rest = this.pending.subarray(end + HEAD_END.length);
    this.pending = Buffer.alloc(0);
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!match) throw new Http1ProtocolError(`not an HTTP/1.1 response: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
    const status = Number(match[1]);
    if (status >= 100 && status < 200) return rest; // an interim response: the real one follows
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    this.status = status;
    this.headers = headers;
    this.parts = [];
    this.bodyBytes = 0;
    if ((headers.get('connection') ?? '').toLowerCase() === 'close') this.closing = true;
    if (status === 204 || status === 304) {
      this.complete();
      return rest;
    }
    if (/(^|,)\s*chunked\s*$/i.test(headers.get('transfer-encoding') ?? '')) this.body = { kind: 'chunk-size' };
    else if (headers.has('content-length')) {
      const length = Number(headers.get('content-length'));
      if (!Number.isSafeInteger(length) || length < 0)
        throw new Http1ProtocolError(`an invalid Content-Length: ${headers.get('content-length')}`);
      this.checkSize(length);
      this.body = { kind: 'length', remaining: length };
      if (length === 0) {
        this.complete();
        return rest;
      }
    } else {
      this.closing = true;
      this.body = { kind: 'until-close' };
    }
    return rest;
  }

  /** Consumes body bytes for the current state; returns what is left over. */
  private consumeBody(data: Buffer): Buffer | null {
    const body = this.body!;
    switch (body.kind) {
      case 'length':
      case 'chunk-data': {
        const take = Math.min(body.remaining, data.length);
        this.addPart(data.subarray(0, take));
        body.remaining -= take;
        if (body.remaining === 0) {
          if (body.kind === 'length') this.complete();
          else this.body = { kind: 'chunk-end' };
        }
        return data.subarray(take);
      }
      case 'until-close':
        this.addPart(data);
        return null;
      case 'chunk-end':
      case 'chunk-size':
      case 'trailer': {
        const line = this.takeLine(data);
        if (!line) return null;
        if (body.kind === 'chunk-end') {
          if (line.text !== '') throw new Http1ProtocolError('a chunk not followed by CRLF');
          this.body = { kind: 'chunk-size' };
        } else if (body.kind === 'chunk-size') {
          const size = parseInt(line.text.split(';')[0]!.trim(), 16);
          if (!Number.isSafeInteger(size) || size < 0)
            throw new Http1ProtocolError(`an invalid chunk size: ${JSON.stringify(line.text.slice(0, 40))}`);
          if (size === 0) this.body = { kind: 'trailer' };
          else {
            this.checkSize(this.bodyBytes + size);
            this.body = { kind: 'chunk-data', remaining: size };
          }
        } else if (line.text === '') {
          this.complete();
        }
        return line.rest;
      }
    }
  }

  /** A CRLF-terminated line, buffering a partial one across packets. */
  private takeLine(data: Buffer): { text: string; rest: Buffer } | null {
    const joined = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const end = joined.indexOf(CRLF);
    if (end < 0) {
      if (joined.length > MAX_HEAD_BYTES) throw new Http1ProtocolError('a chunk-size or trailer line too long');
      this.pending = joined;
      return null;
    }
    this.pending = Buffer.alloc(0);
    return { text: joined.toString('latin1', 0, end), rest: joined.subarray(end + CRLF.length) };
  }

  private addPart(part: Buffer): void {
    this.checkSize(this.bodyBytes + part.length);
    this.bodyBytes += part.length;
    this.parts.push(part);
  }

  private checkSize(bytes: number): void {
    if (bytes > this.options.maxBodyBytes) throw new Http1ProtocolError(`a response body over ${this.options.maxBodyBytes} bytes`);
  }

  private complete(): void {
    this.body = null;
    const request = this.inFlight.shift();
    const body = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    if (request) this.pool.settle(request, { status: this.status, headers: this.headers, body });
    if (this.closing && this.inFlight.length === 0) this.destroy();
    this.pool.drain();
  }

  private onEnd(): void {
    if (this.body?.kind === 'until-close') this.complete();
    this.fail(new ConnectionClosedError('the daemon closed the connection'));
  }

  private destroyWith(error: Error): void {
    this.fail(error);
    this.socket.destroy();
  }

  /** The connection is unusable: requests not yet answered are retried once elsewhere, or fail with why. */
  private fail(error: Error): void {
    this.closing = true;
    const orphans = this.inFlight.splice(0);
    const connectFailed = !this.connected;
    this.pool.forget(this);
    for (const request of orphans) this.pool.retryOrReject(request, error, connectFailed || error instanceof Http1ProtocolError);
    this.pool.drain();
  }
}

export class Http1Pool {
  private readonly connections = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private closed = false;

  constructor(private readonly options: Http1PoolOptions) {}

  /**
   * GETs `path`. The method is fixed, and the path must be one request-target (printable ASCII, no space or control
   * character): a CR/LF in it would smuggle a second request (a DELETE) into the pipeline.
   */
  get(path: string, options: Http1RequestOptions): Promise<Http1Response> {
    if (!/^\/[\x21-\x7e]*$/.test(path)) return Promise.reject(new TypeError(`not a request path: ${JSON.stringify(path.slice(0, 80))}`));
    const head = `GET ${path} HTTP/1.1\r\nHost: ${this.options.host}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      const request: Pending = {
        path,
        head,
        retried: false,
        settled: false,
        timer: setTimeout(() => this.timeOut(request, new TimeoutError(options.what, options.timeoutMs)), options.timeoutMs),
        resolve,
        reject,
        connection: null,
      };
      if (this.closed) {
        this.settle(request, new Error('the client is closed'));
        return;
      }
      this.queue.push(request);
      this.drain();
    });
  }

  close(): void {
    this.closed = true;
    for (const request of this.queue.splice(0)) this.settle(request, new Error('the client is closed'));
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
  }

  /** Hands queued requests to connections that can take them, opening new ones up to the limit. */
  drain(): void {
    while (this.queue.length > 0 && !this.closed) {
      const request = this.queue[0]!;
      if (request.settled) {
        this.queue.shift();
        continue;
      }
      const connection = this.pick();
      if (!connection) return;
      this.queue.shift();
      connection.send(request);
    }
  }

  private pick(): Connection | null {
    let best: Connection | null = null;
    for (const c of this.connections) if (c.accepts() && (!best || c.inFlight.length < best.inFlight.length)) best = c;
    // A new connection beats queueing behind others' responses.
    if ((!best || !best.idle) && this.connections.size < this.options.connections) {
      best = new Connection(this, this.options);
      this.connections.add(best);
    }
    return best;
  }

  forget(connection: Connection): void {
    this.connections.delete(connection);
  }

  settle(request: Pending, outcome: Http1Response | Error): void {
    if (request.settled) return;
    request.settled = true;
    clearTimeout(request.timer);
    if (outcome instanceof Error) request.reject(outcome);
    else request.resolve(outcome);
  }

  /** A GET whose connection broke is sent again once (GETs are idempotent), unless connecting itself failed. */
  retryOrReject(request: Pending, error: Error, final: boolean): void {
    if (request.settled) return;
    if (!final && !request.retried && !this.closed) {
      request.retried = true;
      request.connection = null;
      this.queue.unshift(request);
      return;
    }
    this.settle(request, error);
  }

  /** A request that timed out: its connection cannot deliver the responses behind it either, so it is dropped. */
  private timeOut(request: Pending, error: TimeoutError): void {
    this.settle(request, error);
    const index = this.queue.indexOf(request);
    if (index >= 0) this.queue.splice(index, 1);
    request.connection?.destroy();
  }
}
