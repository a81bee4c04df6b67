import type { Endpoint } from '../../shared/endpoint';
import type { Fact, FactError } from '../../shared/fact';
import type { Facts } from '../../shared/facts';
import type { Source } from '../../shared/source';
import type { EndpointRequest } from '../discover/endpoint';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { EngineApiError, type EngineApi } from './engine-api';

/** The --config-file a daemon was last seen running with, by endpoint (null: none remembered for it). */
export type LastSeenConfig = (endpointHost: string) => { path: string; reason: string } | null;

export type FactKey = Exclude<keyof Facts, 'schemaVersion' | 'toolVersion' | 'collectedAt' | 'mode' | 'root' | 'collectors'>;
export type FactValue<K extends FactKey> = Facts[K] extends Fact<infer T> ? T : never;

/** What every collector may use: the host, the user's options, and the other facts (memoised, so each is collected once). */
export interface CollectContext {
  readonly host: Host;
  readonly request: EndpointRequest & { configFile?: string; flags?: string[]; lastSeenConfig?: LastSeenConfig };
  /** The limit for one ordinary request. */
  readonly timeoutMs: number;
  /**
   * The limit for work that grows with the daemon's containers and images (known once /info answered); absent where
   * only a few host-side facts are collected (timeoutMs then).
   */
  workTimeoutMs?(): Promise<number>;
  get<K extends FactKey>(key: K): Promise<Facts[K]>;
  /** The Engine API, after a successful /_ping; rejects with the reason the daemon cannot be used. */
  api(): Promise<EngineApi>;
  endpoint(): Promise<Endpoint | null>;
}

export function failure<T>(error: unknown, sources: Source[] = []): Fact<T> {
  return { ok: false, error: toFactError(error), sources };
}

function toFactError(error: unknown): FactError {
  if (error instanceof HostError || error instanceof EngineApiError) return { code: error.code, message: error.message };
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/** A fact copied from another collector's failure, so a daemon that is down is reported once, the same way everywhere. */
export function propagate<T>(from: Fact<unknown> & { ok: false }): Fact<T> {
  return { ok: false, error: from.error, sources: from.sources };
}
