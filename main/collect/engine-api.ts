// The one Engine client. Every caller (audit collectors, disk, prune plan and apply, fix checks) gets an EngineApi from
// createEngineApi: GETs go through `reads` (see READS below), every call that changes anything through dockerode's
// object API, for every endpoint kind (unix, npipe, tcp with or without TLS, ssh through the system's ssh).
import type { Endpoint } from '../../shared/endpoint';
import type { Host } from '../host/host';
import { type DockerHandle, dockerFor, type Modem, type ModemDial, type ModemError } from '../engine/dockerode';
import { classifyTransportError, EngineApiError } from '../engine/errors';
import type { BuildPruneAnswer, EngineApi, ReadHandle, Reader, ReadResponse, RemovableKind, RequestPath } from '../engine/types';
import { TimeoutError, withTimeout } from '../util/timeout';
import { http1Reads } from './http1-reads';

export { EngineApiError } from '../engine/errors';
export type { EngineApi, RemovableKind, RequestPath } from '../engine/types';

/** Connections (or ssh logins) open at once to one daemon. */
const CONNECTIONS = 8;
const SSH_CONNECTIONS = 4;

export interface EngineApiOptions {
  /** Which client carries GETs; by default the one READS names for this endpoint. */
  reads?: RequestPath;
}

/**
 * Which client carries the GETs of each endpoint kind. Measured by bench/transport.ts (see its notes): over ssh only
 * dockerode (through the system's ssh) exists.
 */
function defaultReads(endpoint: Endpoint): RequestPath {
  return endpoint.transport === 'ssh' ? 'dockerode' : 'http1-reads';
}

export async function createEngineApi(
  host: Host,
  endpoint: Endpoint,
  defaultTimeoutMs: number,
  options: EngineApiOptions = {},
): Promise<EngineApi> {
  const connections = endpoint.transport === 'ssh' ? SSH_CONNECTIONS : CONNECTIONS;
  // dockerode is loaded (and its agent set up) only when something needs it: a local audit reads through the fast
  // path and never pays its start-up.
  let docker: Promise<DockerHandle> | undefined;
  const getDocker = () => (docker ??= dockerFor(host, endpoint, connections));
  const reads = options.reads ?? defaultReads(endpoint);
  let reader: ReadHandle;
  if (reads === 'http1-reads') {
    reader = await http1Reads(host, endpoint, connections);
  } else {
    const handle = await getDocker();
    reader = { read: modemReader(handle.modem), requestPath: 'dockerode', tls: handle.tls, close: () => undefined };
  }
  return engineApiOver(endpoint, reader, getDocker, defaultTimeoutMs, () => {
    reader.close();
    void docker?.then(
      (d) => d.close(),
      () => undefined,
    );
  });
}

/** The Engine API over one reader and dockerode: status and error classification, JSON parsing, the same for every endpoint. */
function engineApiOver(
  endpoint: Endpoint,
  reader: ReadHandle,
  docker: () => Promise<DockerHandle>,
  defaultTimeoutMs: number,
  close: () => void,
): EngineApi {
  const where = endpoint.host;
  /** Whether a Docker Engine has answered here: after that, a connection closed mid-call is the daemon going away. */
  let answered = false;

  const transportError = (error: unknown, call: string, tls: boolean): EngineApiError => {
    if (error instanceof EngineApiError) return error;
    if (error instanceof TimeoutError) return new EngineApiError('timeout', error.message);
    if (error instanceof Error && error.name === 'HostError')
      return new EngineApiError('failed', `cannot connect to ${where}: ${error.message}`);
    return classifyTransportError(error as NodeJS.ErrnoException, where, call, answered, tls);
  };
  const statusError = (call: string, status: number, detail: string): EngineApiError =>
    new EngineApiError('failed', `${call} on ${where} returned HTTP ${status}${detail ? `: ${detail}` : ''}`, status);

  const read = async (
    resource: string,
    query: Record<string, string>,
    timeoutMs: number,
    consume?: (chunk: Buffer) => void,
  ): Promise<ReadResponse> => {
    const call = `GET ${resource}`;
    try {
      return await reader.read(resource, query, timeoutMs, `the Docker daemon at ${where} (${call})`, consume);
    } catch (error) {
      throw transportError(error, call, reader.tls);
    }
  };

  const get = async <T>(resource: string, query: Record<string, string> = {}, timeoutMs = defaultTimeoutMs): Promise<T> => {
    const call = `GET ${resource}`;
    const response = await read(resource, query, timeoutMs);
    if ('value' in response && response.status === 200 && resource !== '/_ping') {
      answered = true;
      return response.value as T;
    }
    const text =
      'value' in response
        ? Buffer.isBuffer(response.value)
          ? response.value.toString('utf8')
          : JSON.stringify(response.value ?? '')
        : response.body.toString('utf8');
    if (response.status !== 200) {
      if (resource === '/_ping') {
        throw new EngineApiError(
          'malformed',
          `something answers at ${where}, but not as a Docker Engine (GET /_ping returned HTTP ${response.status})`,
          response.status,
        );
      }
      throw statusError(call, response.status, engineMessage(text));
    }
    if (resource === '/_ping') return text as T;
    try {
      const value = JSON.parse(text) as T;
      answered = true;
      return value;
    } catch {
      throw new EngineApiError('malformed', `${call} on ${where} did not return JSON: is it a Docker Engine?`);
    }
  };

  /** One call through dockerode's object API, with the same time limit and error classification as the reads. */
  const write = async <T>(call: string, timeoutMs: number, work: (d: Dockerode, signal: AbortSignal) => Promise<T>): Promise<T> => {
    let handle: DockerHandle;
    try {
      handle = await docker();
    } catch (error) {
      throw transportError(error, call, false);
    }
    try {
      return await withTimeout(`the Docker daemon at ${where} (${call})`, timeoutMs, (signal) => work(handle.docker, signal));
    } catch (error) {
      const status = (error as ModemError).statusCode;
      if (status) throw statusError(call, status, engineMessage((error as ModemError).json));
      throw transportError(error, call, handle.tls);
    }
  };

  return {
    endpoint,
    requestPath: reader.requestPath,
    get,
    async getRaw(resource, query, consume, timeoutMs = defaultTimeoutMs) {
      const response = await read(resource, query, timeoutMs, consume);
      if (response.status !== 200) {
        throw statusError(`GET ${resource}`, response.status, engineMessage('value' in response ? response.value : response.body));
      }
      answered = true;
    },
    close,
    async remove(kind: RemovableKind, id: string, timeoutMs = defaultTimeoutMs) {
      // Names are passed encoded, as they go on the wire (dockerode puts them into the path as given).
      const name = encodeURIComponent(id);
      switch (kind) {
        case 'container':
          return void (await write(`DELETE /containers/${name}`, timeoutMs, (d, abortSignal) =>
            d.getContainer(name).remove({ v: false, force: false, abortSignal }),
          ));
        case 'image':
          return void (await write(`DELETE /images/${name}`, timeoutMs, (d, abortSignal) =>
            d.getImage(name).remove({ noprune: true, abortSignal }),
          ));
        case 'volume':
          return void (await write(`DELETE /volumes/${name}`, timeoutMs, (d, abortSignal) => d.getVolume(name).remove({ abortSignal })));
        case 'network':
          return void (await write(`DELETE /networks/${name}`, timeoutMs, (d, abortSignal) => d.getNetwork(name).remove({ abortSignal })));
      }
    },
    async start(containerId: string, timeoutMs = defaultTimeoutMs) {
      const name = encodeURIComponent(containerId);
      return void (await write(`POST /containers/${name}/start`, timeoutMs, (d, abortSignal) =>
        d.getContainer(name).start({ abortSignal }),
      ));
    },
    async pruneBuildCache(filters: Record<string, string[]>, timeoutMs = defaultTimeoutMs) {
      // dockerode's pruneBuilder() sends no query: the filters would be dropped and every unused record pruned.
      return write('POST /build/prune', timeoutMs, (d, signal) =>
        dial<BuildPruneAnswer | null>(
          (d as unknown as { modem: Modem }).modem,
          modemDialOptions('/build/prune', { all: '1', filters: JSON.stringify(filters) }, 'POST', signal),
        ),
      );
    },
    async ping(timeoutMs = defaultTimeoutMs) {
      const body = await get<string>('/_ping', {}, timeoutMs);
      if (body.trim() !== 'OK') {
        throw new EngineApiError(
          'malformed',
          `something answers at ${where}, but not as a Docker Engine (GET /_ping returned ${JSON.stringify(body.slice(0, 80))})`,
        );
      }
      answered = true;
    },
  };
}

type Dockerode = DockerHandle['docker'];

/** The Engine's own message from an error body ({"message": …}), or the start of whatever else it sent. */
function engineMessage(body: unknown): string {
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return String((body as { message?: unknown }).message ?? '');
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? '');
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? '');
  } catch {
    return text.slice(0, 200).trim();
  }
}

/**
 * How a request is handed to docker-modem. The modem treats a `?` in the path as "the query follows from options": it
 * appends its own encoding of `options._query` there, or, when options are empty, cuts the path's last character (the
 * `?` it expects to be last). A path that already carries its query therefore lost its last character (`?all=1` became
 * `?all=`, `noprune=1` became `noprune=`). So the query travels only as `_query`, and the path ends at `?`. `_body` is
 * empty so a POST sends no JSON body (the modem would otherwise send the query parameters as one).
 */
function modemDialOptions(
  resource: string,
  query: Record<string, string>,
  method: ModemDial['method'],
  abortSignal: AbortSignal,
): ModemDial {
  const hasQuery = Object.keys(query).length > 0;
  return {
    path: hasQuery ? `${resource}?` : resource,
    method,
    options: { _query: { ...query }, _body: {} },
    abortSignal,
    statusCodes: { 200: true, 201: true, 204: true },
  };
}

function dial<T>(modem: Modem, options: ModemDial): Promise<T> {
  return new Promise((resolve, reject) => modem.dial(options, (err, data) => (err ? reject(err) : resolve(data as T))));
}

/** GETs through docker-modem (dockerode's HTTP layer); exported for the tests of its query handling. */
function modemReader(modem: Modem): Reader {
  return (resource, query, timeoutMs, what, consume) =>
    withTimeout(
      what,
      timeoutMs,
      (signal) =>
        new Promise((resolve, reject) => {
          if (consume) {
            // The modem would parse the body as JSON when it can (a log line `42` would come back as a number): the stream, as it comes.
            modem.dial({ ...modemDialOptions(resource, query, 'GET', signal), isStream: true }, (err, data) => {
              if (err?.statusCode) resolve({ status: err.statusCode, value: { message: err.message } });
              else if (err) reject(err);
              else
                streamInto(data as NodeJS.ReadableStream, consume, signal).then(
                  () => resolve({ status: 200, body: Buffer.alloc(0) }),
                  reject,
                );
            });
            return;
          }
          modem.dial(modemDialOptions(resource, query, 'GET', signal), (err, data) => {
            if (err?.statusCode) resolve({ status: err.statusCode, value: err.json });
            else if (err) reject(err);
            // The modem hands back parsed JSON, or the raw bytes when the body is not JSON (/_ping's "OK").
            else resolve(Buffer.isBuffer(data) ? { status: 200, body: data } : { status: 200, value: data });
          });
        }),
    );
}

/** Hands a response stream's chunks to `consume` until it ends; an abort (the time limit) or a broken connection rejects. */
function streamInto(stream: NodeJS.ReadableStream, consume: (chunk: Buffer) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const destroy = () => (stream as NodeJS.ReadableStream & { destroy(error?: Error): void }).destroy();
    if (signal.aborted) destroy();
    signal.addEventListener('abort', destroy, { once: true });
    stream.on('data', (chunk: Buffer | string) => consume(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    stream.once('end', () => resolve());
    stream.once('error', reject);
    // Closed without 'end': the connection broke, or the abort above destroyed it.
    stream.once('close', () => reject(new Error('the connection closed before the response was complete')));
  });
}
