import type { Endpoint } from '../../shared/endpoint';
import { type EngineApi, EngineApiError, createEngineApi } from '../collect/engine-api';
import { discoverEndpoint, type EndpointRequest } from '../discover/endpoint';
import type { Host } from '../host/host';

/** A daemon that does not answer /_ping in this time is reported as hung, as the audit does. */
const PING_TIMEOUT_MS = 5_000;

/**
 * The Engine API of the endpoint the user means (same discovery as the audit), after a /_ping: a daemon that is
 * down, hung or not Docker rejects here with an EngineApiError that says so, before any cleanup work starts.
 */
export async function connectEngine(
  host: Host,
  request: EndpointRequest,
  timeoutMs: number,
): Promise<{ api: EngineApi; endpoint: Endpoint }> {
  const found = await discoverEndpoint(host, request);
  if (!found.ok) throw new EngineApiError(found.error.code, `no Docker endpoint: ${found.error.message}`);
  const api = await createEngineApi(host, found.value, timeoutMs);
  try {
    // Over ssh every request is a new login and a `docker system dial-stdio` on the far side: the call's own limit.
    await api.ping(found.value.transport === 'ssh' ? timeoutMs : Math.min(PING_TIMEOUT_MS, timeoutMs));
  } catch (error) {
    api.close();
    throw error;
  }
  return { api, endpoint: found.value };
}
