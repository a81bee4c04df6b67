import {
  ACCEPTED_BUT_IGNORED_KEYS,
  DAEMON_OPTIONS,
  FLAT_OPTIONS,
  type DaemonOption,
  type NonOptionKey,
  REJECTED_KEYS,
  SKIP_DUPLICATES,
} from './daemon-options';
import { compareMinor, inRange } from './engine-version';

export type DaemonPlatform = 'linux' | 'windows';

/**
 * Flags that are not the flag of a top-level option (cmd/dockerd/docker.go, options.go, config.go, service_windows.go).
 * Their names count as keys for conflicts: a flag given on the command line conflicts with the same name in the file
 * (for the proxy flags, with the child of "proxies", which dockerd flattens).
 */
const OTHER_FLAGS: { name: string; short?: string; since: string; boolean: boolean; platforms?: DaemonPlatform[] }[] = [
  { name: 'config-file', since: '20.10', boolean: false },
  { name: 'version', short: 'v', since: '20.10', boolean: true },
  { name: 'help', short: 'h', since: '20.10', boolean: true },
  { name: 'validate', since: '23.0', boolean: true },
  { name: 'restart', since: '20.10', boolean: true },
  { name: 'http-proxy', since: '23.0', boolean: false },
  { name: 'https-proxy', since: '23.0', boolean: false },
  { name: 'no-proxy', since: '23.0', boolean: false },
  { name: 'register-service', since: '20.10', boolean: true, platforms: ['windows'] },
  { name: 'unregister-service', since: '20.10', boolean: true, platforms: ['windows'] },
  { name: 'run-service', since: '20.10', boolean: true, platforms: ['windows'] },
  { name: 'service-name', since: '20.10', boolean: false, platforms: ['windows'] },
];

export interface FlagDef {
  name: string;
  /** The daemon.json key it conflicts with, or null for flags that set no option. */
  key: string | null;
  boolean: boolean;
}

const applies = (entry: { since: string; until?: string; platforms: readonly string[] }, version: string, platform: DaemonPlatform) =>
  entry.platforms.includes(platform) && inRange(version, entry.since, entry.until);

/** The options and flags of one engine version and platform, indexed for the pre-flight (data: daemon-options.ts). */
export class OptionIndex {
  readonly options = new Map<string, DaemonOption>();
  readonly flags = new Map<string, FlagDef>();
  readonly shorthands = new Map<string, string>();
  /** Keys dockerd accepts without error but does nothing with (mostly flag names used as keys). */
  readonly ignored = new Map<string, NonOptionKey>();
  /** Keys that look like options (struct tags, removed options) but make dockerd refuse to start. */
  readonly rejected = new Map<string, NonOptionKey>();

  constructor(
    readonly version: string,
    readonly platform: DaemonPlatform,
  ) {
    for (const option of DAEMON_OPTIONS) {
      if (!applies(option, version, platform)) continue;
      const platformSince = option.platformSince?.[platform];
      if (platformSince && compareMinor(version, platformSince) < 0) continue;
      this.options.set(option.key, option);
      if (option.flag && (!option.flagSince || compareMinor(version, option.flagSince) >= 0)) {
        this.flags.set(option.flag, {
          name: option.flag,
          key: SKIP_DUPLICATES.includes(option.key) ? null : option.key,
          boolean: option.type === 'boolean',
        });
        if (option.shorthand) this.shorthands.set(option.shorthand, option.flag);
      }
    }
    for (const flag of OTHER_FLAGS) {
      if (!inRange(version, flag.since) || (flag.platforms && !flag.platforms.includes(platform))) continue;
      this.flags.set(flag.name, { name: flag.name, key: flag.name, boolean: flag.boolean });
      if (flag.short) this.shorthands.set(flag.short, flag.name);
    }
    for (const entry of ACCEPTED_BUT_IGNORED_KEYS)
      if (applies(entry, version, platform) && !this.options.has(entry.key)) this.ignored.set(entry.key, entry);
    for (const entry of REJECTED_KEYS)
      if (applies(entry, version, platform) && !this.options.has(entry.key)) this.rejected.set(entry.key, entry);
  }

  /** Options whose object value dockerd does not flatten before checking keys (config.go flatOptions). */
  isFlat(key: string): boolean {
    const lists = compareMinor(this.version, '24.0') >= 0 ? FLAT_OPTIONS['24.0+'] : (FLAT_OPTIONS[this.version] ?? FLAT_OPTIONS['20.10']);
    return (lists ?? []).includes(key);
  }

  /** The option in any version or platform, to explain a key that is valid elsewhere. */
  static anywhere(key: string): DaemonOption[] {
    return DAEMON_OPTIONS.filter((o) => o.key === key);
  }

  /** The daemon.json key that a flag sets, when a flag name is used as a key (insecure-registry → insecure-registries). */
  keyForFlag(name: string): string | null {
    for (const option of this.options.values()) if (option.flag === name && option.key !== name) return option.key;
    return null;
  }
}
