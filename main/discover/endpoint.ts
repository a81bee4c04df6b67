import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Endpoint } from '../../shared/endpoint';
import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Fact } from '../../shared/fact';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';

export interface EndpointRequest {
  /** --host */
  host?: string;
  /** --context */
  context?: string;
  /** Where host or context came from, in the words of whoever asked; the CLI's flags when absent. */
  origin?: string;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Docker's client config directory: $DOCKER_CONFIG, else ~/.docker (as the docker CLI does). */
export function dockerConfigDir(host: Host): string {
  return host.env('DOCKER_CONFIG') || path.join(host.user().home, '.docker');
}

/**
 * Picks the Docker endpoint the way the docker CLI does (--context, --host, DOCKER_HOST, DOCKER_CONTEXT, the current
 * context in config.json, then the default socket), and, where the CLI would stop at a missing default socket, goes on
 * to the rootless and Docker Desktop sockets. The result says which endpoint and why.
 */
export async function discoverEndpoint(host: Host, request: EndpointRequest = {}): Promise<Fact<Endpoint>> {
  const sources: Source[] = [];
  try {
    if (request.host && request.context) {
      throw new HostError('failed', 'conflicting options: give either --host or --context, not both');
    }
    if (request.context)
      return ok(
        await fromContext(
          host,
          request.context,
          request.origin ? `context ${request.context}, ${request.origin}` : `--context ${request.context}`,
          sources,
        ),
        sources,
      );
    if (request.host) return ok(fromHostString(host, request.host, request.origin ?? 'given with --host', null), sources);
    const envHost = host.env('DOCKER_HOST');
    if (envHost) {
      sources.push({ kind: 'env', name: 'DOCKER_HOST' });
      return ok(fromHostString(host, envHost, 'DOCKER_HOST is set', null), sources);
    }
    const envContext = host.env('DOCKER_CONTEXT');
    if (envContext) {
      sources.push({ kind: 'env', name: 'DOCKER_CONTEXT' });
      return ok(await fromContext(host, envContext, `DOCKER_CONTEXT=${envContext}`, sources), sources);
    }
    const current = await currentContext(host, sources);
    if (current && current !== 'default') {
      return ok(
        await fromContext(host, current, `current context '${current}' in ${path.join(dockerConfigDir(host), 'config.json')}`, sources),
        sources,
      );
    }
    return ok(
      await defaultSocket(host, sources, request.origin ? `no endpoint ${request.origin}, no DOCKER_HOST or context` : undefined),
      sources,
    );
  } catch (error) {
    const err = error instanceof HostError ? error : new HostError('failed', String((error as Error)?.message ?? error));
    return { ok: false, error: { code: err.code, message: err.message }, sources };
  }
}

function ok(value: Endpoint, sources: Source[]): Fact<Endpoint> {
  return { ok: true, value, sources };
}

async function readJson(host: Host, file: string): Promise<unknown> {
  const text = (await host.readFile(file, MAX_CONFIG_BYTES)).toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HostError('malformed', `${host.displayPath(file)} is not valid JSON: ${(error as Error).message}`, file);
  }
}

async function currentContext(host: Host, sources: Source[]): Promise<string | null> {
  const file = path.join(dockerConfigDir(host), 'config.json');
  let config: unknown;
  try {
    config = await readJson(host, file);
  } catch (error) {
    // No client config is the common case; a broken one must not stop the audit, the CLI itself ignores it here.
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
  sources.push({ kind: 'file', path: host.displayPath(file) });
  const value = (config as { currentContext?: unknown } | null)?.currentContext;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Context metadata lives under contexts/meta/<sha256 of the name>/meta.json, TLS material under contexts/tls/<same>/docker. */
async function fromContext(host: Host, name: string, why: string, sources: Source[]): Promise<Endpoint> {
  if (name === 'default') {
    const envHost = host.env('DOCKER_HOST');
    return envHost
      ? fromHostString(host, envHost, `${why} (the default context uses DOCKER_HOST)`, 'default')
      : defaultSocket(host, sources, why);
  }
  const digest = createHash('sha256').update(name).digest('hex');
  const dir = path.join(dockerConfigDir(host), 'contexts');
  const metaFile = path.join(dir, 'meta', digest, 'meta.json');
  let meta: unknown;
  try {
    meta = await readJson(host, metaFile);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') {
      throw new HostError('not-found', `context '${name}' (${why}) does not exist: no ${host.displayPath(metaFile)}`, metaFile);
    }
    throw error;
  }
  sources.push({ kind: 'file', path: host.displayPath(metaFile) });
  const docker = (meta as { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } })?.Endpoints?.docker;
  if (!docker || typeof docker.Host !== 'string' || docker.Host === '') {
    throw new HostError('malformed', `context '${name}' has no docker endpoint in ${host.displayPath(metaFile)}`, metaFile);
  }
  const endpoint = fromHostString(host, docker.Host, `${why}`, name);
  if (endpoint.transport === 'tcp') {
    const tlsDir = path.join(dir, 'tls', digest, 'docker');
    // `docker context create --docker ca=…,cert=…,key=…` stores whichever it was given: a client certificate for a
    // server whose CA is a public one has no ca.pem.
    const exists = (name: string) =>
      host.stat(path.join(tlsDir, name)).then(
        () => true,
        () => false,
      );
    const hasTls = (await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map(exists))).some(Boolean);
    endpoint.tls =
      hasTls || docker.SkipTLSVerify === true ? { verify: docker.SkipTLSVerify !== true, certPath: hasTls ? tlsDir : null } : null;
  }
  return endpoint;
}

function parseHostString(value: string): { transport: Endpoint['transport']; host: string } {
  const trimmed = value.trim();
  const match = /^([a-z]+):\/\/(.*)$/i.exec(trimmed);
  if (!match) {
    throw new HostError('malformed', `'${value}' is not a Docker endpoint: expected unix://, tcp://, ssh:// or npipe://`);
  }
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  switch (scheme) {
    case 'unix':
      if (!rest.startsWith('/')) throw new HostError('malformed', `'${value}': a unix socket needs an absolute path`);
      return { transport: 'unix', host: `unix://${rest}` };
    case 'npipe':
      return { transport: 'npipe', host: `npipe://${rest}` };
    case 'ssh':
      if (!rest) throw new HostError('malformed', `'${value}': ssh:// needs a host`);
      return { transport: 'ssh', host: `ssh://${rest}` };
    case 'tcp':
    case 'http':
    case 'https': {
      if (!rest) throw new HostError('malformed', `'${value}': tcp:// needs a host`);
      return { transport: 'tcp', host: `tcp://${rest.replace(/\/+$/, '')}` };
    }
    default:
      throw new HostError('malformed', `'${value}': unsupported scheme ${scheme}:// (expected unix, tcp, ssh or npipe)`);
  }
}

function fromHostString(host: Host, value: string, reason: string, context: string | null): Endpoint {
  const parsed = parseHostString(value);
  let tls: Endpoint['tls'] = null;
  if (parsed.transport === 'tcp') {
    // As the docker CLI: DOCKER_TLS_VERIFY (any value) is TLS that verifies the daemon, DOCKER_TLS alone is TLS that
    // does not; the material comes from DOCKER_CERT_PATH, else the config directory.
    const verify = Boolean(host.env('DOCKER_TLS_VERIFY'));
    const certPath = host.env('DOCKER_CERT_PATH') || null;
    if (verify || host.env('DOCKER_TLS') || certPath) tls = { verify, certPath: certPath ?? dockerConfigDir(host) };
  }
  return { ...parsed, tls, context, reason, flavour: flavourOf(host, parsed.host, parsed.transport) };
}

function flavourOf(host: Host, address: string, transport: Endpoint['transport']): Endpoint['flavour'] {
  if (daemonElsewhere({ transport, host: address })) return 'remote';
  // tcp to a loopback address: which daemon listens there (a local one, a forwarded port) is proven by the collectors.
  if (transport === 'tcp') return 'unknown';
  if (address.startsWith('npipe://')) return /docker_engine$|dockerDesktop/i.test(address) ? 'desktop' : 'unknown';
  const socket = address.slice('unix://'.length);
  const home = host.user().home;
  if (home && socket.startsWith(path.join(home, '.docker') + '/')) return 'desktop';
  if (/^\/run\/user\/\d+\//.test(socket) || (host.env('XDG_RUNTIME_DIR') && socket.startsWith(host.env('XDG_RUNTIME_DIR') + '/'))) {
    return 'rootless';
  }
  if (socket === '/var/run/docker.sock' || socket === '/run/docker.sock') return host.platform === 'darwin' ? 'desktop' : 'rootful';
  return 'unknown';
}

/** The default socket, then the rootless and Desktop sockets: the first that exists wins. */
async function defaultSocket(host: Host, sources: Source[], why = 'no DOCKER_HOST, context or --host given'): Promise<Endpoint> {
  if (host.platform === 'win32') {
    return {
      transport: 'npipe',
      host: 'npipe:////./pipe/docker_engine',
      tls: null,
      context: null,
      reason: `${why}: Windows default named pipe`,
      flavour: 'desktop',
    };
  }
  const home = host.user().home;
  const uid = host.user().uid;
  const runtimeDir = host.env('XDG_RUNTIME_DIR') || (uid !== null ? `/run/user/${uid}` : null);
  const candidates: { socket: string; label: string }[] = [{ socket: '/var/run/docker.sock', label: 'the default socket' }];
  if (runtimeDir) candidates.push({ socket: path.join(runtimeDir, 'docker.sock'), label: 'the rootless socket' });
  if (host.platform === 'darwin')
    candidates.push({ socket: path.join(home, '.docker', 'run', 'docker.sock'), label: "Docker Desktop's socket" });
  candidates.push({ socket: path.join(home, '.docker', 'desktop', 'docker.sock'), label: "Docker Desktop's socket" });
  for (const candidate of candidates) {
    const exists = await host.stat(candidate.socket).then(
      (s) => s.isSocket,
      () => false,
    );
    if (exists) {
      const address = `unix://${candidate.socket}`;
      const skipped = candidates.slice(0, candidates.indexOf(candidate)).map((c) => c.socket);
      const reason = skipped.length ? `${why}: ${candidate.label} (${skipped.join(', ')} not found)` : `${why}: ${candidate.label}`;
      return { transport: 'unix', host: address, tls: null, context: null, reason, flavour: flavourOf(host, address, 'unix') };
    }
  }
  return {
    transport: 'unix',
    host: 'unix:///var/run/docker.sock',
    tls: null,
    context: null,
    reason: `${why}: no Docker socket found (tried ${candidates.map((c) => c.socket).join(', ')})`,
    flavour: 'rootful',
  };
}
