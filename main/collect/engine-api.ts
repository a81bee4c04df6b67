import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Endpoint } from '../../shared/endpoint';
import type { FactErrorCode } from '../../shared/fact';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { TimeoutError, withTimeout } from '../util/timeout';
import { ConnectionClosedError, Http1Pool, Http1ProtocolError } from './http1-pool';

/** An Engine API failure, classified so checks can tell "daemon down" from "permission denied" from "not Docker". */
export class EngineApiError extends Error {
  constructor(
    readonly code: FactErrorCode,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'EngineApiError';
  }
}

/**
 * Which code carries a request to the daemon (and encodes its query): the pipelining client (unix, npipe, tcp, TLS), or
 * docker-modem (ssh). What removes objects checks it against the transports whose query handling is proven by a test.
 */
export type RequestPath = 'http1-pool' | 'docker-modem';

export interface EngineApi {
  readonly endpoint: Endpoint;
  readonly requestPath: RequestPath;
  /** GET a JSON resource, e.g. "/info". Rejects with EngineApiError. */
  get<T = unknown>(resource: string, query?: Record<string, string>, timeoutMs?: number): Promise<T>;
  /**
   * Any other method (POST, DELETE): the parsed JSON body, or null when the daemon answers without one (204). Never
   * retried (not idempotent). Rejects with EngineApiError; a 4xx keeps its status code so callers can tell "gone" (404)
   * from "in use" (409).
   */
  request<T = unknown>(method: 'POST' | 'DELETE', resource: string, query?: Record<string, string>, timeoutMs?: number): Promise<T | null>;
  /** Confirms a Docker Engine answers at the endpoint. */
  ping(timeoutMs?: number): Promise<void>;
  /** Releases pooled connections. */
  close(): void;
}

export type Method = 'GET' | 'POST' | 'DELETE';

/**
 * How one request reaches the daemon: a status code and the raw body, or a transport error with a Node error code. The
 * query is passed apart from the path: each transport encodes it its own way (see modemDialOptions).
 * It rejects with TimeoutError when the daemon does not answer within timeoutMs.
 */
export type Transport = (resource: string, query: Record<string, string>, timeoutMs: number, what: string, method: Method) => Promise<{ status: number; body: Buffer }>;

/**
 * Builds the client for an endpoint. Unix sockets, named pipes and tcp (with TLS material) use a pipelining HTTP/1.1
 * pool (http1-pool.ts): the audit's hot path is one inspect per container. ssh:// goes through dockerode's modem, loaded
 * only then (it brings ssh2 and gRPC, ~140 ms of start-up that every local audit would otherwise pay).
 */
export async function createEngineApi(host: Host, endpoint: Endpoint, defaultTimeoutMs: number): Promise<EngineApi> {
  return engineApiOver(endpoint, endpoint.transport === 'ssh' ? await sshTransport(host, endpoint) : await httpTransport(host, endpoint), defaultTimeoutMs);
}

/** The Engine API over one transport: status and error classification, JSON parsing (the same for every transport). */
export function engineApiOver(endpoint: Endpoint, { transport, close, requestPath }: TransportHandle, defaultTimeoutMs: number): EngineApi {
  const where = endpoint.host;

  /** Whether a Docker Engine has answered here: after that, a connection closed mid-call is the daemon going away. */
  let answered = false;
  const call = async (method: Method, resource: string, query: Record<string, string>, timeoutMs: number): Promise<{ status: number; text: string }> => {
    let response: { status: number; body: Buffer };
    try {
      response = await transport(resource, query, timeoutMs, `the Docker daemon at ${where} (${method} ${resource})`, method);
    } catch (error) {
      if (error instanceof TimeoutError) throw new EngineApiError('timeout', error.message);
      throw classifyTransportError(error as NodeJS.ErrnoException, where, `${method} ${resource}`, answered);
    }
    const text = response.body.toString('utf8');
    if (response.status < 200 || response.status > 299) {
      let detail = '';
      try {
        detail = String((JSON.parse(text) as { message?: unknown }).message ?? '');
      } catch {
        detail = text.slice(0, 200).trim();
      }
      if (resource === '/_ping') {
        throw new EngineApiError('malformed', `something answers at ${where}, but not as a Docker Engine (GET /_ping returned HTTP ${response.status})`, response.status);
      }
      throw new EngineApiError('failed', `${method} ${resource} on ${where} returned HTTP ${response.status}${detail ? `: ${detail}` : ''}`, response.status);
    }
    return { status: response.status, text };
  };
  const parse = <T>(method: Method, resource: string, text: string): T => {
    try {
      const value = JSON.parse(text) as T;
      answered = true;
      return value;
    } catch {
      throw new EngineApiError('malformed', `${method} ${resource} on ${where} did not return JSON: is it a Docker Engine?`);
    }
  };

  const get = async <T>(resource: string, query: Record<string, string> = {}, timeoutMs = defaultTimeoutMs): Promise<T> => {
    const { status, text } = await call('GET', resource, query, timeoutMs);
    if (status !== 200) throw new EngineApiError('failed', `GET ${resource} on ${where} returned HTTP ${status}`, status);
    if (resource === '/_ping') return text as T;
    return parse<T>('GET', resource, text);
  };

  const request = async <T>(method: 'POST' | 'DELETE', resource: string, query: Record<string, string> = {}, timeoutMs = defaultTimeoutMs): Promise<T | null> => {
    const { text } = await call(method, resource, query, timeoutMs);
    return text.trim() === '' ? null : parse<T>(method, resource, text);
  };

  return {
    endpoint,
    requestPath,
    get,
    request,
    close,
    async ping(timeoutMs = defaultTimeoutMs) {
      const body = await get<string>('/_ping', {}, timeoutMs);
      if (body.trim() !== 'OK') {
        throw new EngineApiError('malformed', `something answers at ${where}, but not as a Docker Engine (GET /_ping returned ${JSON.stringify(body.slice(0, 80))})`);
      }
      answered = true;
    },
  };
}

/** Connections and pipelining depth: up to 64 requests in flight, the daemon's goroutines answer them in parallel. */
const POOL_CONNECTIONS = 8;
const PIPELINE_DEPTH = 8;
/** No Engine answer the audit reads comes near this; a larger one is a broken or hostile endpoint. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface TransportHandle {
  transport: Transport;
  requestPath: RequestPath;
  close(): void;
}

async function httpTransport(host: Host, endpoint: Endpoint): Promise<TransportHandle> {
  let connect: () => Duplex;
  let hostHeader = 'docker';
  if (endpoint.transport === 'unix' || endpoint.transport === 'npipe') {
    const socketPath = endpoint.host.replace(/^(unix|npipe):\/\//, '');
    connect = () => net.connect({ path: socketPath });
  } else {
    const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
    const tlsConfig = endpoint.tls;
    const port = url.port ? Number(url.port) : tlsConfig ? 2376 : 2375;
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    hostHeader = `${url.hostname}:${port}`;
    if (tlsConfig) {
      const material = tlsConfig.certPath ? await readTlsMaterial(host, tlsConfig.certPath) : {};
      // Without verification (a context's SkipTLSVerify), the connection is encrypted but the server is not authenticated.
      const servername = net.isIP(hostname) ? undefined : hostname;
      connect = () => tls.connect({ ...material, host: hostname, port, servername, rejectUnauthorized: tlsConfig.verify });
    } else {
      connect = () => net.connect({ host: hostname, port });
    }
  }
  const pool = new Http1Pool({ connect, host: hostHeader, connections: POOL_CONNECTIONS, depth: PIPELINE_DEPTH, maxBodyBytes: MAX_BODY_BYTES });
  const transport: Transport = async (resource, query, timeoutMs, what, method) => {
    const qs = new URLSearchParams(query).toString();
    const { status, body } = await pool.request(qs ? `${resource}?${qs}` : resource, { timeoutMs, what, method });
    return { status, body };
  };
  return { transport, requestPath: 'http1-pool', close: () => pool.close() };
}

async function sshTransport(host: Host, endpoint: Endpoint): Promise<TransportHandle> {
  // Loaded with require, not import(): the CLI bundle runs from V8's code cache through vm.Script (bin/dockhand.cjs),
  // which has no dynamic-import callback, so `import('dockerode')` failed there ("A dynamic import callback was not
  // specified") and every ssh:// endpoint with it. dockerode is CommonJS; resolved from this file's directory
  // (main/collect in the sources, dist/ in the bundles) up to node_modules.
  const Docker = createRequire(path.join(import.meta.dirname, 'engine-api.js'))('dockerode') as typeof import('dockerode');
  const url = new URL(endpoint.host);
  const docker = new Docker({
    protocol: 'ssh',
    host: url.hostname,
    port: url.port ? Number(url.port) : 22,
    username: url.username || undefined,
    sshOptions: { agent: host.env('SSH_AUTH_SOCK') },
  } as import('dockerode').DockerOptions);
  return { transport: modemTransport((docker as unknown as { modem: Modem }).modem), requestPath: 'docker-modem', close: () => undefined };
}

/** The part of docker-modem's Modem the ssh transport uses: one request, its JSON (or raw) answer or an error. */
export interface Modem {
  dial(opts: ModemDial, cb: (err: (Error & { statusCode?: number; json?: unknown }) | null, data: unknown) => void): void;
}

export interface ModemDial {
  path: string;
  method: Method;
  options: { _query: Record<string, string>; _body: Record<string, never> };
  abortSignal: AbortSignal;
  statusCodes: Record<number, true>;
}

/**
 * How a request is handed to docker-modem. The modem treats a `?` in the path as "the query follows from options": it
 * appends its own encoding of `options._query` there, or, when options are empty, cuts the path's last character (the
 * `?` it expects to be last). A path that already carries its query therefore lost its last character (`?all=1` became
 * `?all=`, `noprune=1` became `noprune=`). So the query travels only as `_query`, and the path ends at `?`. `_body` is
 * empty so a POST sends no JSON body (the modem would otherwise send the query parameters as one).
 */
export function modemDialOptions(resource: string, query: Record<string, string>, method: Method, abortSignal: AbortSignal): ModemDial {
  const hasQuery = Object.keys(query).length > 0;
  return {
    path: hasQuery ? `${resource}?` : resource,
    method,
    options: { _query: { ...query }, _body: {} },
    abortSignal,
    statusCodes: { 200: true, 201: true, 204: true },
  };
}

/** A Transport over docker-modem (dockerode's HTTP layer); exported for the tests of its query handling. */
export function modemTransport(modem: Modem): Transport {
  return (resource, query, timeoutMs, what, method) =>
    withTimeout(what, timeoutMs, (signal) => new Promise((resolve, reject) => {
      modem.dial(modemDialOptions(resource, query, method, signal), (err, data) => {
        if (err?.statusCode) resolve({ status: err.statusCode, body: Buffer.from(JSON.stringify(err.json ?? {})) });
        else if (err) reject(err);
        else resolve({ status: 200, body: data == null ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)) });
      });
    }));
}

async function readTlsMaterial(host: Host, dir: string): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer }> {
  const read = async (name: string) => {
    try {
      return await host.readFile(path.join(dir, name), 1024 * 1024);
    } catch (error) {
      if (error instanceof HostError && error.code === 'not-found') return undefined;
      throw error;
    }
  };
  const [ca, cert, key] = await Promise.all([read('ca.pem'), read('cert.pem'), read('key.pem')]);
  return { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) };
}

function classifyTransportError(error: NodeJS.ErrnoException, where: string, call: string, answeredBefore = false): EngineApiError {
  const closed = error instanceof ConnectionClosedError || error.code === 'ECONNRESET' || error.code === 'EPIPE';
  if (closed && answeredBefore) {
    return new EngineApiError('unreachable', `the Docker daemon at ${where} closed the connection during ${call}: it stopped or crashed`);
  }
  if (error instanceof Http1ProtocolError) {
    return new EngineApiError('malformed', `something answers at ${where}, but not as an HTTP/1.1 server (${error.message}): it is not a Docker Engine`);
  }
  if (error instanceof ConnectionClosedError) {
    return new EngineApiError('malformed', `the connection to ${where} was closed during ${call}: is it a Docker Engine?`);
  }
  switch (error.code) {
    case 'ENOENT':
      return new EngineApiError('unreachable', `the Docker socket ${where} does not exist: is the daemon running?`);
    case 'ECONNREFUSED':
      return new EngineApiError('unreachable', `connection refused at ${where}: the Docker daemon is not running (or not listening there)`);
    case 'EACCES':
    case 'EPERM':
      return new EngineApiError('permission-denied', `permission denied on ${where}: run as a member of the docker group (or with sudo), or choose another endpoint`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EngineApiError('unreachable', `cannot resolve the host of ${where}`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new EngineApiError('unreachable', `cannot reach ${where} (${error.code})`);
    case 'ABORT_ERR':
      return new EngineApiError('timeout', `the Docker daemon at ${where} did not answer ${call} in time`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new EngineApiError('malformed', `the connection to ${where} was closed during ${call}: is it a Docker Engine?`);
    default:
      if (error.code?.startsWith('HPE_')) {
        return new EngineApiError('malformed', `something answers at ${where}, but not with HTTP (${error.code}): it is not a Docker Engine`);
      }
      if (/certificate|self.signed|TLS|SSL/i.test(error.message)) return new EngineApiError('failed', `TLS to ${where} failed: ${error.message}`);
      return new EngineApiError('failed', `${call} on ${where} failed: ${error.message}`);
  }
}
