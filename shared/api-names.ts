/**
 * The channel and event names alone, without their schemas: what Electron's preload needs to build its API, kept
 * free of zod so the preload stays small. shared/api.ts checks at compile time that these lists are exactly the
 * keys of its channel and event maps.
 */
export const CHANNEL_NAME_LIST = [
  'app.info',
  'audit.run',
  'report.last',
  'report.head',
  'report.findings',
  'disk.summary',
  'settings.get',
  'settings.set',
  'fix.plan',
  'fix.apply',
  'fix.undo',
  'fix.undo-impact',
  'fix.history',
  'disk.usage',
  'prune.plan',
  'prune.apply',
  'host.stats',
] as const;
export const EVENT_NAME_LIST = [
  'audit.progress',
  'app.navigate',
  'settings.changed',
  'fix.progress',
  'prune.progress',
  'disk.changed',
] as const;

/** Electron's preload exposes the API on window under this name. */
export const PRELOAD_GLOBAL = 'dockhand';
/** IPC channel names: one per API channel under this prefix, plus one for events. */
export const IPC_PREFIX = 'dockhand:';
export const IPC_EVENT_CHANNEL = 'dockhand:event';
