import type { AppInfo, ChannelName, ChannelOutput, ChannelParsedInput, Settings } from '../../shared/api';
import type { FixSessionOptions } from '../fix/session';
import type { Host } from '../host/host';
import type { SelfCommand } from '../util/self-command';
import type { RunAudit } from './audit-runner';
import type { EndpointOverride } from './endpoint-choice';
import type { EventSink } from './events';
import type { LastAuditStore } from './last-audit-store';
import type { SettingsStore } from './settings-store';

/** One function per channel: typed by the channel map, given inputs already validated, outputs validated after. */
export type Handlers = { [C in ChannelName]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> };

export interface ApiContext {
  transport: AppInfo['transport'];
  host: Host;
  settings: SettingsStore;
  lastAudit: LastAuditStore;
  events: EventSink;
  configDir: string;
  /** `dockhand serve -H/-c`: wins over the saved endpoint for this session. */
  endpointOverride?: EndpointOverride;
  runtime?: { electron: string | null; chrome: string | null };
  /** The audit to run; tests inject a failing one. */
  audit?: RunAudit;
  /** How the elevated fix helper is started (absent or not ok: elevation is refused with what to do instead). */
  self?: SelfCommand;
  /** The fix journal (default: DOCKHAND_STATE_DIR, else the system's state directory). */
  fixStateDir?: string;
  fixTimeouts?: FixSessionOptions['timeouts'];
}

/** What the checks are told beyond the facts, from the settings (the CLI's --internal-domain, --trusted-user, --server). */
export function checkOptionsFromSettings(settings: Settings): Record<string, unknown> {
  return {
    ...(settings.internalDomains.length > 0 && { internalDomains: settings.internalDomains }),
    ...(settings.trustedUsers.length > 0 && { trustedDockerUsers: settings.trustedUsers }),
    ...(settings.server && { server: true }),
  };
}
