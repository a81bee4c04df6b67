import type { Check } from '../../shared/check';
import type { EngineInfo, Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { desktopReason, usesUserns } from '../check-kit/applicability';
import { daemonView, type SettingValue } from '../check-kit/daemon-view';
import { cgroupDriverIn } from '../preflight/start-rules';
import { DAEMON_JSON_DOCS, docs } from './references';
import { fail, INFO, need, pass, skipped, warn } from '../check-kit/result';

/**
 * One daemon.json key the running daemon reports back in /info, and how to compare the two.
 * `reload`: dockerd re-reads it on SIGHUP (the "Configuration reload behavior" list of dockerd's documentation).
 * `fallback`: what dockerd uses when the key is not set, where that is one fixed value; a key without one (data-root,
 * storage-driver, the cgroup driver: chosen at start from the host) is compared only when set.
 */
interface Compared {
  key: string;
  /** How the setting is named to the user, when the key alone would not say (one option inside a list). */
  name?: string;
  reload: boolean;
  running(info: EngineInfo, facts: Facts): Normal | undefined;
  /** `engineVersion` (major.minor): engines resolve some values differently (a cgroup driver given twice). */
  configured(value: unknown, engineVersion: string): Normal | undefined;
  fallback?: Normal;
  /** The first engine (major.minor) that has the key; older ones refuse it (daemon.config.valid says so). */
  since?: [number, number];
}

/** A comparable form: scalars as text, lists sorted, so `true` and "true", or one list in two orders, agree. */
type Normal = string | string[];

const text = (v: unknown): Normal | undefined =>
  typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined;
const list = (v: unknown): Normal | undefined => {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : null;
  return items?.every((x) => typeof x === 'string') ? [...(items as string[])].map((s) => s.trim()).sort() : undefined;
};

/** dockerd stores mirrors with one trailing slash ("https://m.example/"); the file may have none. */
const noTrailingSlash = (values: Normal | undefined): Normal | undefined =>
  Array.isArray(values) ? values.map((v) => v.replace(/\/+$/, '')).sort() : values;

/** Docker always treats loopback as insecure; it is not something a user configured. */
const BUILTIN_INSECURE = new Set(['127.0.0.0/8', '::1/128']);

/** An IPv4 CIDR as dockerd stores it: the network address (10.1.2.3/16 is kept as 10.1.0.0/16). */
function networkOf(entry: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(entry);
  if (!m) return entry.toLowerCase();
  const bits = Number(m[5]);
  if (bits > 32 || m.slice(1, 5).some((o) => Number(o) > 255)) return entry;
  const address = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (address & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${bits}`;
}

/** The runtimes every engine registers itself (20.10 also lists its v1 shim): present without any "runtimes" key. */
const BUILTIN_RUNTIMES = new Set(['runc', 'io.containerd.runc.v2', 'io.containerd.runtime.v1.linux']);

/** /info masks proxy credentials (xxxxx:xxxxx@): only scheme, host and port can be compared. */
function withoutCredentials(url: string): string {
  return url.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

function proxyKey(key: 'http-proxy' | 'https-proxy' | 'no-proxy', field: 'httpProxy' | 'httpsProxy' | 'noProxy'): Compared {
  return {
    key: `proxies.${key}`,
    reload: false,
    since: [23, 0],
    running: (info) => withoutCredentials(info[field]),
    configured: (proxies) => {
      const v = typeof proxies === 'object' && proxies !== null ? (proxies as Record<string, unknown>)[key] : undefined;
      return typeof v === 'string' ? withoutCredentials(v) : undefined;
    },
  };
}

/** The pre-flight's resolution: the key in any case, the first of two drivers before 28.0 and the last from 28.0. */
function cgroupDriverOf(execOpts: unknown, engineVersion: string): Normal | undefined {
  const opts = (Array.isArray(execOpts) ? execOpts : [execOpts]).filter((o): o is string => typeof o === 'string');
  return cgroupDriverIn(opts, engineVersion);
}

const COMPARED: readonly Compared[] = [
  { key: 'live-restore', reload: true, running: (i) => String(i.liveRestoreEnabled), configured: text, fallback: 'false' },
  {
    key: 'debug',
    reload: true,
    running: (i) => (i.debug === undefined ? undefined : String(i.debug)),
    configured: text,
    fallback: 'false',
  },
  { key: 'labels', reload: true, running: (i) => [...i.labels].sort(), configured: list, fallback: [] },
  {
    key: 'insecure-registries',
    reload: true,
    running: (i) => i.insecureRegistries.filter((r) => !BUILTIN_INSECURE.has(r)).sort(),
    configured: (v) => {
      const values = list(v);
      return Array.isArray(values)
        ? values
            .map(networkOf)
            .filter((r) => !BUILTIN_INSECURE.has(r))
            .sort()
        : undefined;
    },
    fallback: [],
  },
  {
    key: 'registry-mirrors',
    reload: true,
    running: (i) => noTrailingSlash(i.registryMirrors),
    configured: (v) => noTrailingSlash(list(v)),
    fallback: [],
  },
  { key: 'default-runtime', reload: true, running: (i) => i.defaultRuntime ?? undefined, configured: text, fallback: 'runc' },
  {
    key: 'runtimes',
    reload: true,
    running: (i) => i.runtimes.filter((r) => !BUILTIN_RUNTIMES.has(r)).sort(),
    configured: (v) =>
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.keys(v)
            .filter((r) => !BUILTIN_RUNTIMES.has(r))
            .sort()
        : undefined,
    fallback: [],
  },
  { key: 'log-driver', reload: false, running: (i) => i.loggingDriver || undefined, configured: text, fallback: 'json-file' },
  { key: 'experimental', reload: false, running: (i) => String(i.experimentalBuild), configured: text, fallback: 'false' },
  {
    key: 'storage-driver',
    reload: false,
    // With the containerd image store the daemon reports the snapshotter ("overlayfs"), not the graph driver's name.
    running: (i) =>
      i.driverStatus.some(([k, v]) => k === 'driver-type' && v.startsWith('io.containerd.snapshotter')) ? undefined : i.driver || undefined,
    configured: text,
  },
  {
    key: 'data-root',
    reload: false,
    // userns-remap puts the daemon's root one level down (ROOT/UID.GID); a symlinked data root is reported resolved.
    running: (i, facts) => (usesUserns(facts) || !i.dockerRootDir ? undefined : i.dockerRootDir.replace(/\/+$/, '')),
    configured: (v) => (typeof v === 'string' ? v.replace(/\/+$/, '') : undefined),
  },
  {
    key: 'exec-opts',
    name: 'exec-opts native.cgroupdriver',
    reload: false,
    // "none" is forced (rootless on cgroup v1): not something a configuration chose.
    running: (i) => (i.cgroupDriver && i.cgroupDriver !== 'none' ? i.cgroupDriver : undefined),
    configured: cgroupDriverOf,
  },
  proxyKey('http-proxy', 'httpProxy'),
  proxyKey('https-proxy', 'httpsProxy'),
  proxyKey('no-proxy', 'noProxy'),
];

export interface Drift {
  key: string;
  reload: boolean;
  configured: Normal;
  running: Normal;
  /** Where the configured value was read; null when the key is not set (dockerd's default applies). */
  setting: SettingValue | null;
}

const same = (a: Normal, b: Normal): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;

/**
 * The keys whose daemon.json value differs from what the running daemon reports. Only daemon.json is compared: a value
 * set by a flag of the running process is in effect by definition, and dockerd refuses a key set both ways.
 */
function configDrift(facts: Facts): Drift[] {
  if (!facts.info.ok) return [];
  const view = daemonView(facts);
  const out: Drift[] = [];
  const [major, minor] = view.engineVersion.split('.').map(Number) as [number, number];
  for (const c of COMPARED) {
    if (c.since && (major < c.since[0] || (major === c.since[0] && minor < c.since[1]))) continue;
    const [top, sub] = c.key.split('.') as [string, string | undefined];
    if (view.flags?.has(top)) continue;
    const setting = view.setting(top);
    if (setting?.origin === 'flag') continue;
    const running = c.running(facts.info.value, facts);
    if (running === undefined) continue;
    const configured = setting ? c.configured(setting.value, view.engineVersion) : c.fallback;
    // A value of the wrong type is daemon.config.valid's finding; a proxy key not set falls back to the environment.
    if (configured === undefined || (sub && setting === null)) continue;
    if (!same(configured, running)) out.push({ key: c.name ?? c.key, reload: c.reload, configured, running, setting });
  }
  return out;
}

const FIX = { id: 'daemon.apply-config', params: {} };

export const daemonRestartPending: Check = {
  id: 'daemon.restart-pending',
  title: 'The running daemon uses the configuration in daemon.json',
  category: 'daemon-config',
  severity: 'medium',
  rationale:
    'dockerd reads daemon.json when it starts, and some keys again on a reload (SIGHUP). An edit that was never applied is a trap: the file says one thing, the daemon does another, and the change takes effect at the next reboot or upgrade, when nobody connects it to the edit (a log driver, a storage driver or a data root that switches then loses logs, images and volumes from view). Only what /info reports is compared: live-restore, debug, labels, insecure-registries, registry-mirrors, default-runtime and runtimes (applied by a reload), and log-driver, experimental, storage-driver, data-root, the cgroup driver of exec-opts and proxies (applied by a restart only). Proxy credentials are masked by the daemon, so only scheme, host and port are compared. A restart pending fails; a reload pending only warns, since applying it stops nothing.',
  remediation:
    '`dockhand fix apply daemon.restart-pending` restarts dockerd with the file as it is (refused when dockerd would not start with it). By hand, if the file is what you want: `systemctl reload docker` (or `kill -HUP $(pidof dockerd)`) when only reloadable keys differ, `systemctl restart docker` otherwise (check the file first with `dockhand daemon-config check /etc/docker/daemon.json`; without live-restore a restart stops every container). If the running daemon is right, put its values back in daemon.json.',
  references: [
    DAEMON_JSON_DOCS,
    docs('Configuration reload behavior', 'https://docs.docker.com/reference/cli/dockerd/#configuration-reload-behavior'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.apply-config',
  applies(facts) {
    const desktop = desktopReason(facts);
    if (desktop) return desktop;
    if (facts.daemonConfig.ok && facts.daemonConfig.value.foundBy === 'user')
      return 'the daemon.json audited was given on the command line: it is not the file the running daemon read';
    return null;
  },
  evaluate(facts) {
    // A daemon that cannot be asked has nothing pending: its configuration applies when it starts (never a drift claim).
    need(facts.info, 'the running daemon');
    const config = need(facts.daemonConfig, 'daemon.json');
    // A value set by a flag nobody could read would look like a change.
    const flags = need(facts.daemonFlags, "dockerd's flags");
    if (flags.from !== 'process')
      return skipped(
        `the running dockerd's own command line is not known (flags from the ${flags.from === 'user' ? 'command line' : 'service unit'}): what it was started with cannot be told from what will apply next`,
      );
    const view = daemonView(facts);
    if (view.file === null) return skipped(`${config.path} cannot be parsed (see daemon.config.valid): dockerd would not load it`);
    const file = { kind: 'file' as const, path: config.path };
    const drift = configDrift(facts);
    const about: Evidence[] = [{ label: 'daemon.json', value: file.path, source: file }];
    if (drift.length === 0) {
      return pass(`The running daemon reports what ${file.path} configures (${COMPARED.length} settings compared).`, { evidence: about });
    }
    const evidence: Evidence[] = [...about];
    for (const d of drift) {
      evidence.push(
        d.setting
          ? { label: `${d.key} (daemon.json)`, value: d.configured, source: d.setting.source }
          : {
              label: `${d.key} (not in daemon.json: dockerd's default)`,
              value: d.configured,
              source: { kind: 'default', detail: `"${d.key}" is not set in ${file.path}` },
            },
        { label: `${d.key} (running daemon)`, value: d.running, source: INFO },
      );
    }
    const keys = drift.map((d) => d.key).join(', ');
    const pid = facts.daemonProcess.ok ? facts.daemonProcess.value.pid : null;
    const invalid = (view.preflight?.problems ?? []).some((p) => p.severity === 'error')
      ? ' First correct the problems daemon.config.valid reports: dockerd will refuse the file as it is.'
      : '';
    if (drift.every((d) => d.reload)) {
      const how = `\`systemctl reload docker\`${pid ? ` or \`kill -HUP ${pid}\`` : ''}`;
      return warn(
        `A reload is pending: the running daemon does not use ${file.path} for ${keys}. dockerd applies these on a reload: ${how}.${invalid}`,
        { evidence, fix: FIX },
      );
    }
    const restartOnly = drift
      .filter((d) => !d.reload)
      .map((d) => d.key)
      .join(', ');
    return fail(
      `A restart is pending: the running daemon does not use ${file.path} for ${keys} (${restartOnly} only on a restart: \`systemctl restart docker\`).${invalid}`,
      { evidence, fix: FIX },
    );
  },
};

export const DAEMON_DRIFT_CHECKS: readonly Check[] = [daemonRestartPending];
