import type { Endpoint } from '../../shared/endpoint';

/**
 * Which code carries the requests (and encodes their queries): dockerode (every call that changes anything, and every
 * read where no faster path is kept), or the read-only pipelining client for the audit's bulk GETs.
 */
export type RequestPath = 'dockerode' | 'http1-reads';

/** What a removal may remove: never forced; a container keeps its volumes (v=0), an image its untagged parents (noprune=1). */
export type RemovableKind = 'container' | 'image' | 'volume' | 'network';

export interface BuildPruneAnswer {
  CachesDeleted?: unknown;
  SpaceReclaimed?: unknown;
}

/** The one Engine client every caller uses (audit collectors, disk, prune plan and apply, fix checks). */
export interface EngineApi {
  readonly endpoint: Endpoint;
  /** What carries GETs; removals always go through dockerode. */
  readonly requestPath: RequestPath;
  /** GET a JSON resource, e.g. "/info". Rejects with EngineApiError (a 4xx/5xx keeps its status and the Engine's message). */
  get<T = unknown>(resource: string, query?: Record<string, string>, timeoutMs?: number): Promise<T>;
  /**
   * GET a resource that is not JSON (a container's log), handing the body to `consume` as it arrives: in one piece
   * over the pipelining client (which has it whole), in chunks over dockerode. Rejects like get.
   */
  getRaw(resource: string, query: Record<string, string>, consume: (chunk: Buffer) => void, timeoutMs?: number): Promise<void>;
  /**
   * Removes one object through dockerode's object API, never forced. Not retried. Rejects with EngineApiError; a 4xx
   * keeps its status code so callers can tell "gone" (404) from "in use" (409).
   */
  remove(kind: RemovableKind, id: string, timeoutMs?: number): Promise<void>;
  /** Starts a container (dockerode's object API); one that already runs (304) is not an error. */
  start(containerId: string, timeoutMs?: number): Promise<void>;
  /** POST /build/prune with all=1 and these filters (dockerode has no object API that passes them). */
  pruneBuildCache(filters: Record<string, string[]>, timeoutMs?: number): Promise<BuildPruneAnswer | null>;
  /** Confirms a Docker Engine answers at the endpoint. */
  ping(timeoutMs?: number): Promise<void>;
  /** Releases pooled connections (and ssh processes). */
  close(): void;
}

/**
 * How one GET reaches the daemon: a status code and the raw body, or a transport error with a Node error code. The
 * query is passed apart from the path (each reader encodes it its own way). Rejects with TimeoutError after timeoutMs.
 * With `consume`, a 200 body is handed to it as it arrives (and not returned): bodies that are not JSON.
 */
export type Reader = (
  resource: string,
  query: Record<string, string>,
  timeoutMs: number,
  what: string,
  consume?: (chunk: Buffer) => void,
) => Promise<ReadResponse>;

/** A status and the raw body, or (docker-modem parses JSON itself) the value already parsed. */
export type ReadResponse = { status: number; body: Buffer } | { status: number; value: unknown };

export interface ReadHandle {
  read: Reader;
  requestPath: RequestPath;
  /** Whether the reads are encrypted: a reset before any answer is then a refused TLS handshake. */
  tls: boolean;
  close(): void;
}
