// dockerode, set up for the endpoint Dockhand resolved (main/discover/endpoint.ts): unix socket, named pipe, tcp with or
// without TLS, or ssh through the system's ssh (ssh-dialer.ts).
import type http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import type Dockerode from 'dockerode';
import type { Endpoint } from '../../shared/endpoint';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { httpModule, httpsModule } from '../util/builtin-later';
import { parseSshUrl, sshAgent } from './ssh-dialer';

/** The part of docker-modem's Modem the reads use: one request, its JSON (or raw) answer or an error. */
export interface Modem {
  dial(opts: ModemDial, cb: (err: ModemError | null, data: unknown) => void): void;
}

export type ModemError = Error & { statusCode?: number; json?: unknown; code?: string };

export interface ModemDial {
  path: string;
  method: 'GET' | 'POST' | 'DELETE';
  options: { _query: Record<string, string>; _body: Record<string, never> };
  abortSignal: AbortSignal;
  statusCodes: Record<number, true>;
  /** Hand back the response stream instead of the parsed body (for bodies that are not JSON). */
  isStream?: boolean;
}

export interface DockerHandle {
  docker: Dockerode;
  modem: Modem;
  /** Whether requests are encrypted (https): a reset before any answer is then a refused handshake. */
  tls: boolean;
  close(): void;
}

/**
 * Loaded with require, not import(): the CLI bundle runs from V8's code cache through vm.Script (bin/dockhand.cjs),
 * which has no dynamic-import callback. dockerode is CommonJS, resolved from this file's directory (main/engine in the
 * sources, dist/ in the bundles) up to node_modules; loaded only when first needed (with ssh2 and gRPC it costs
 * ~140 ms of start-up).
 */
function loadDockerode(): typeof Dockerode {
  const load = createRequire(path.join(import.meta.dirname, 'dockerode.js'));
  // docker-modem follows redirects (to any scheme): an endpoint answering 3xx with `Location: http://…` would have the
  // request repeated there, in the clear and to a host the user never named. The Engine never redirects.
  (load('docker-modem/lib/http.js') as { maxRedirects: number }).maxRedirects = 0;
  return load('dockerode') as typeof Dockerode;
}

/**
 * docker-modem reads DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY itself when it is constructed (and throws on
 * a missing certificate, and lets them override what it is given for ssh). Dockhand resolved the endpoint already
 * (--host, --context, the environment), so the modem is built with those variables out of sight.
 */
function withoutDockerEnv<T>(make: () => T): T {
  const names = ['DOCKER_HOST', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'DOCKER_CLIENT_TIMEOUT', 'DOCKER_PATH_PREFIX'];
  const saved = names.map((name) => [name, process.env[name]] as const);
  for (const name of names) delete process.env[name];
  try {
    return make();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

export async function readTlsMaterial(host: Host, dir: string): Promise<{ ca?: Buffer; cert?: Buffer; key?: Buffer }> {
  const read = async (name: string) => {
    try {
      return await host.readFile(path.join(dir, name), 1024 * 1024);
    } catch (error) {
      if (error instanceof HostError && error.code === 'not-found') return undefined;
      throw error;
    }
  };
  const [ca, cert, key] = await Promise.all([read('ca.pem'), read('cert.pem'), read('key.pem')]);
  if (Boolean(cert) !== Boolean(key)) {
    throw new HostError(
      'malformed',
      `${host.displayPath(dir)} has ${cert ? 'cert.pem but no key.pem' : 'key.pem but no cert.pem'}: a client certificate needs both`,
    );
  }
  return { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) };
}

/**
 * docker-modem waits for a response's 'end' and never listens for its errors: a daemon that closes the connection
 * half-way through a body left the call pending until its time limit, read as "hung" rather than "closed". The
 * socket's close fails the request instead (the modem does listen for the request's errors).
 */
function failRequestsOnClose(agent: http.Agent): void {
  type Create = (options: unknown, callback: unknown) => Duplex | undefined;
  const target = agent as unknown as { createConnection: Create };
  const create = target.createConnection.bind(agent);
  target.createConnection = (options, callback) => {
    const socket = create(options, callback);
    socket?.once('close', () => {
      const request = (socket as Duplex & { _httpMessage?: http.ClientRequest & { res?: http.IncomingMessage } })._httpMessage;
      if (request?.res && !request.res.complete) {
        request.emit('error', Object.assign(new Error('the connection closed before the response was complete'), { code: 'ECONNRESET' }));
      }
    });
    return socket;
  };
}

/**
 * docker-modem logs every request with `debug('Sending: %s', util.inspect(options, { showHidden: true, depth: null }))`,
 * and the inspect runs whether or not its debug output is on. The options hold the agent, with every open socket:
 * about 30 ms of CPU per request here (3 s for 100 container inspects, 13× the docker CLI). The agent inspects as its
 * name instead.
 */
function cheapToInspect(agent: http.Agent): void {
  Object.defineProperty(agent, inspect.custom, { value: () => `[${agent.constructor.name}]`, enumerable: false });
}

/** Builds dockerode for `endpoint`, with at most `connections` connections (or ssh logins) open at once. */
export async function dockerFor(host: Host, endpoint: Endpoint, connections: number): Promise<DockerHandle> {
  let options: Record<string, unknown>;
  let agent: http.Agent;
  let tls = false;
  if (endpoint.transport === 'unix' || endpoint.transport === 'npipe') {
    agent = new (httpModule().Agent)({ keepAlive: true, maxSockets: connections });
    options = { socketPath: endpoint.host.replace(/^(unix|npipe):\/\//, ''), host: undefined, protocol: 'http' };
  } else if (endpoint.transport === 'ssh') {
    const target = parseSshUrl(endpoint.host);
    const sock = host.env('SSH_AUTH_SOCK');
    const env = { ...process.env, PATH: host.env('PATH') ?? process.env.PATH, ...(sock ? { SSH_AUTH_SOCK: sock } : {}) };
    agent = sshAgent(target, env, connections);
    // The "host" only names the Host header: the agent's connections are ssh processes.
    options = { socketPath: undefined, host: 'docker', port: undefined, protocol: 'http' };
  } else {
    const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const config = endpoint.tls;
    const port = url.port ? Number(url.port) : config ? 2376 : 2375;
    if (config) {
      tls = true;
      const material = config.certPath ? await readTlsMaterial(host, config.certPath) : {};
      // Without verification (a context's SkipTLSVerify, DOCKER_TLS without _VERIFY) the connection is encrypted but
      // the server is not authenticated, as with the docker CLI. Never plain HTTP once TLS is asked for.
      const https = httpsModule();
      agent = new https.Agent({
        keepAlive: true,
        maxSockets: connections,
        ...material,
        rejectUnauthorized: config.verify,
        servername: net.isIP(hostname) ? undefined : hostname,
      });
    } else {
      agent = new (httpModule().Agent)({ keepAlive: true, maxSockets: connections });
    }
    options = {
      socketPath: undefined,
      host: hostname,
      port,
      protocol: tls ? 'https' : 'http',
      ca: undefined,
      cert: undefined,
      key: undefined,
    };
  }
  failRequestsOnClose(agent);
  cheapToInspect(agent);
  const Docker = loadDockerode();
  const docker = withoutDockerEnv(() => new Docker({ ...options, agent, sshOptions: {} } as Dockerode.DockerOptions));
  return { docker, modem: (docker as unknown as { modem: Modem }).modem, tls, close: () => agent.destroy() };
}
