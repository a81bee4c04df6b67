import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/api';
import type { Host } from '../host/host';
import { configDir as defaultConfigDir, LAST_AUDIT_FILE, SETTINGS_FILE } from './config-dir';
import { createDispatcher, type Dispatch } from './dispatch';
import { EventHub } from './events';
import { type ApiContext, type Handlers } from './context';
import { createHandlers } from './handlers';
import { LastAuditStore } from './last-audit-store';
import { SettingsStore } from './settings-store';

export interface ApiOptions {
  transport: AppInfo['transport'];
  host: Host;
  configDir?: string;
  endpointOverride?: ApiContext['endpointOverride'];
  runtime?: ApiContext['runtime'];
  audit?: ApiContext['audit'];
  self?: ApiContext['self'];
  fixStateDir?: ApiContext['fixStateDir'];
  fixTimeouts?: ApiContext['fixTimeouts'];
  log?: (message: string) => void;
}

export interface Api {
  dispatch: Dispatch;
  events: EventHub;
  handlers: Handlers;
  configDir: string;
}

/** The API as both transports use it: the handler table over the real audit, its event hub and its dispatcher. */
export function createApi(options: ApiOptions): Api {
  const dir = options.configDir ?? defaultConfigDir(process.platform, process.env, os.homedir());
  const events = new EventHub();
  const handlers = createHandlers({
    transport: options.transport,
    host: options.host,
    settings: new SettingsStore(path.join(dir, SETTINGS_FILE)),
    lastAudit: new LastAuditStore(path.join(dir, LAST_AUDIT_FILE)),
    events,
    configDir: dir,
    endpointOverride: options.endpointOverride,
    runtime: options.runtime,
    audit: options.audit,
    self: options.self,
    fixStateDir: options.fixStateDir,
    fixTimeouts: options.fixTimeouts,
  });
  return { dispatch: createDispatcher(handlers, options.log), events, handlers, configDir: dir };
}
