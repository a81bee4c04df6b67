import https from 'node:https';
import path from 'node:path';
import Docker from 'dockerode';
import type { Endpoint } from '../../shared/endpoint';
import type { FactErrorCode } from '../../shared/fact';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { TimeoutError, withTimeout } from '../util/timeout';

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

export interface EngineApi {
  readonly endpoint: Endpoint;
  /** GET a JSON resource, e.g. "/info". Rejects with EngineApiError. */
  get<T = unknown>(resource: string, query?: Record<string, string>, timeoutMs?: number): Promise<T>;
  /** Confirms a Docker Engine answers; returns the API version it reported. */
  ping(timeoutMs?: number): Promise<void>;
  readonly docker: Docker;
}

interface ModemError extends Error {
  code?: string;
  statusCode?: number;
  json?: unknown;
}

/** Builds the client for an endpoint: unix socket, named pipe, tcp (TLS material from the endpoint) or ssh. */
export async function createEngineApi(host: Host, endpoint: Endpoint, defaultTimeoutMs: number): Promise<EngineApi> {
  const docker = new Docker(await modemOptions(host, endpoint));
  const where = endpoint.host;
  const modem = (docker as unknown as { modem: { dial(opts: object, cb: (err: ModemError | null, data: unknown) => void): void } }).modem;

  const get = <T>(resource: string, query: Record<string, string> = {}, timeoutMs = defaultTimeoutMs): Promise<T> =>
    withTimeout(`the Docker daemon at ${where} (GET ${resource})`, timeoutMs, (signal) =>
      new Promise<T>((resolve, reject) => {
        modem.dial(
          { path: `${resource}?`, method: 'GET', options: { ...query }, abortSignal: signal, statusCodes: { 200: true } },
          (err, data) => (err ? reject(classify(err, where, resource)) : resolve(data as T)),
        );
      }),
    ).catch((error: unknown) => {
      if (error instanceof TimeoutError) throw new EngineApiError('timeout', error.message);
      throw error;
    });

  return {
    endpoint,
    docker,
    get,
    async ping(timeoutMs = defaultTimeoutMs) {
      const body = await get<unknown>('/_ping', {}, timeoutMs);
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
      if (text.trim() !== 'OK') {
        throw new EngineApiError('malformed', `something answers at ${where}, but not as a Docker Engine (GET /_ping returned ${JSON.stringify(text.slice(0, 80))})`);
      }
    },
  };
}

async function modemOptions(host: Host, endpoint: Endpoint): Promise<Docker.DockerOptions> {
  const address = endpoint.host;
  switch (endpoint.transport) {
    case 'unix':
      return { socketPath: address.slice('unix://'.length) };
    case 'npipe':
      return { socketPath: address.slice('npipe://'.length) };
    case 'ssh': {
      const url = new URL(address);
      return {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port ? Number(url.port) : 22,
        username: url.username || undefined,
        sshOptions: { agent: host.env('SSH_AUTH_SOCK') },
      } as Docker.DockerOptions;
    }
    case 'tcp': {
      const url = new URL(address.replace(/^tcp:/, 'http:'));
      const tls = endpoint.tls;
      const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
      if (!tls) return { protocol: 'http', host: url.hostname, port };
      const material = tls.certPath ? await readTlsMaterial(host, tls.certPath) : {};
      // Without verification (a context's SkipTLSVerify), the connection is encrypted but the server is not authenticated.
      const agent = new https.Agent({ ...material, rejectUnauthorized: tls.verify, keepAlive: true });
      return { protocol: 'https', host: url.hostname, port, ...material, agent } as Docker.DockerOptions;
    }
  }
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

function classify(error: ModemError, where: string, resource: string): EngineApiError {
  if (error.statusCode) {
    const detail = typeof error.json === 'object' && error.json && 'message' in error.json ? String((error.json as { message: unknown }).message) : '';
    if (resource === '/_ping' && error.statusCode === 404) {
      return new EngineApiError('malformed', `something answers at ${where}, but not as a Docker Engine (GET /_ping returned HTTP 404)`, 404);
    }
    return new EngineApiError('failed', `GET ${resource} on ${where} returned HTTP ${error.statusCode}${detail ? `: ${detail}` : ''}`, error.statusCode);
  }
  switch (error.code) {
    case 'ENOENT':
      return new EngineApiError('unreachable', `the Docker socket ${where} does not exist: is the daemon running?`);
    case 'ECONNREFUSED':
      return new EngineApiError('unreachable', `connection refused at ${where}: the Docker daemon is not running (or not listening there)`);
    case 'EACCES':
    case 'EPERM':
      return new EngineApiError(
        'permission-denied',
        `permission denied on ${where}: run as a member of the docker group (or with sudo), or choose another endpoint`,
      );
    case 'ABORT_ERR':
      return new EngineApiError('timeout', `the Docker daemon at ${where} did not answer GET ${resource} in time`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new EngineApiError('malformed', `the connection to ${where} was closed during GET ${resource}: is it a Docker Engine?`);
    default:
      if (error.code?.startsWith('HPE_')) {
        return new EngineApiError('malformed', `something answers at ${where}, but not with HTTP (${error.code}): it is not a Docker Engine`);
      }
      return new EngineApiError('failed', `GET ${resource} on ${where} failed: ${error.message}`);
  }
}
