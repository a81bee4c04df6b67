import type { Settings } from '../../shared/api';
import type { EndpointRequest } from '../discover/endpoint';

/** The endpoint `dockhand serve -H/--context` was started with; it outranks the one saved in Settings. */
export type EndpointOverride = { host: string | null; context: string | null } | null;

/**
 * The endpoint an app session audits, fixes and prunes: the one it was started with, else the one saved in Settings.
 * Its origin is said in the app's words, since the discovery's own ("given with --host") names a flag the app has not.
 */
export function chosenEndpoint(settings: Settings, override: EndpointOverride | undefined): EndpointRequest {
  const choice = override ?? settings.endpoint;
  return {
    host: choice.host ?? undefined,
    context: choice.context ?? undefined,
    origin: override ? 'chosen when this Dockhand session was started' : 'set in Settings',
  };
}
