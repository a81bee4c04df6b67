// The proxy model: every place a proxy can be set for Docker (docker.service's environment, daemon.json and flags, the
// running daemon, the client's config.json, the environment, Docker Desktop) and what the daemon ends up with.
import type { Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { compareMinor } from '../preflight/engine-version';
import { parseJsonDocument } from '../preflight/json-document';
import { isDesktop, remoteDaemon } from './applicability';
import { daemonView } from './daemon-view';
import { noProxyEntries } from './no-proxy';
import { INFO, need } from './result';

export type ProxyVar = 'http' | 'https' | 'no';
export const PROXY_VARS: readonly ProxyVar[] = ['http', 'https', 'no'];
/** Go's httpproxy.FromEnvironment reads the upper-case name first and falls back to the lower-case one. */
export const ENV_NAMES: Record<ProxyVar, readonly [string, string]> = {
  http: ['HTTP_PROXY', 'http_proxy'],
  https: ['HTTPS_PROXY', 'https_proxy'],
  no: ['NO_PROXY', 'no_proxy'],
};
export const DAEMON_KEYS: Record<ProxyVar, string> = { http: 'http-proxy', https: 'https-proxy', no: 'no-proxy' };
const CLIENT_KEYS: Record<ProxyVar, string> = { http: 'httpproxy', https: 'httpsproxy', no: 'noproxy' };

export interface ProxyValue {
  /** The variable or key as written where it was found, e.g. "HTTP_PROXY", "proxies.http-proxy". */
  name: string;
  value: string;
  source: Source;
}
export type ProxySettings = Partial<Record<ProxyVar, ProxyValue>>;

/** A proxy URL reduced to what decides where traffic goes: scheme, host and port (never the credentials). */
function proxyIdentity(value: string): string {
  const text = value.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    return `${url.protocol}//${url.host}`.toLowerCase();
  } catch {
    return maskSecretsInText(text).toLowerCase();
  }
}

export function sameProxyValue(v: ProxyVar, a: string | undefined, b: string | undefined): boolean {
  const x = (a ?? '').trim();
  const y = (b ?? '').trim();
  if (x === '' || y === '') return x === y;
  if (v === 'no') return [...new Set(noProxyEntries(x))].sort().join(',') === [...new Set(noProxyEntries(y))].sort().join(',');
  return proxyIdentity(x) === proxyIdentity(y);
}

/** Environment variables resolved as Go resolves them (upper case wins); both cases set differently is reported. */
function fromEnvironment(vars: { name: string; value: string; source: Source }[]): {
  settings: ProxySettings;
  caseConflicts: { v: ProxyVar; upper: ProxyValue; lower: ProxyValue }[];
} {
  const last = new Map<string, { name: string; value: string; source: Source }>();
  for (const e of vars) last.set(e.name, e);
  const settings: ProxySettings = {};
  const caseConflicts: { v: ProxyVar; upper: ProxyValue; lower: ProxyValue }[] = [];
  for (const v of PROXY_VARS) {
    const [upperName, lowerName] = ENV_NAMES[v];
    const upper = last.get(upperName);
    const lower = last.get(lowerName);
    const chosen = upper?.value ? upper : lower?.value ? lower : undefined;
    if (chosen) settings[v] = chosen;
    if (upper?.value && lower?.value && !sameProxyValue(v, upper.value, lower.value)) caseConflicts.push({ v, upper, lower });
  }
  return { settings, caseConflicts };
}

export interface UnitProxies {
  settings: ProxySettings;
  caseConflicts: { v: ProxyVar; upper: ProxyValue; lower: ProxyValue }[];
  /** Whether docker.service is what starts (or started) the daemon being audited, and why Dockhand thinks so. */
  applies: boolean;
  why: string;
}

function unitProxies(facts: Facts): UnitProxies | null {
  if (!facts.serviceUnit.ok) return null;
  const unit = facts.serviceUnit.value;
  const env = fromEnvironment(
    unit.environment.map((e) => ({ name: e.name, value: e.value, source: { kind: 'file', path: e.path, line: e.line } as Source })),
  );
  const exec = unit.execStart;
  if (facts.daemonProcess.ok) {
    const proc = facts.daemonProcess.value;
    const same = exec !== null && exec.argv.slice(1).join('\0') === proc.argv.slice(1).join('\0');
    return same
      ? { ...env, applies: true, why: `the running dockerd (pid ${proc.pid}) has docker.service's command line` }
      : {
          ...env,
          applies: false,
          why: `the running dockerd (pid ${proc.pid}) was not started by docker.service: its command line differs from the unit's ExecStart, so the unit's environment is not its environment`,
        };
  }
  const remote = remoteDaemon(facts);
  if (remote) return { ...env, applies: false, why: `the daemon at ${remote} runs on another machine` };
  return { ...env, applies: true, why: 'docker.service is what starts dockerd here' };
}

/** Where each child of "proxies" is in daemon.json, for evidence that points at the line. */
function childPositions(text: string | null, parent: string): Map<string, { line: number; column: number }> {
  const positions = new Map<string, { line: number; column: number }>();
  if (text === null) return positions;
  const doc = parseJsonDocument(text.replace(/^\uFEFF/, ''));
  if (!doc.ok) return positions;
  const prop = doc.properties.find((p) => p.key === parent);
  for (const child of prop?.value.type === 'object' ? (prop.value.children ?? []) : []) {
    const keyNode = child.children?.[0];
    if (keyNode) positions.set(String(keyNode.value), doc.positionAt(keyNode.offset));
  }
  return positions;
}

export interface DaemonConfigProxies {
  settings: ProxySettings;
  /** "proxies" and --http-proxy exist from Engine 23.0; older daemons refuse to start with them. */
  supported: boolean;
  engineVersion: string;
}

function daemonConfigProxies(facts: Facts): DaemonConfigProxies {
  const view = daemonView(facts);
  const settings: ProxySettings = {};
  if (view.flags && view.flagsSource) {
    for (const v of PROXY_VARS) {
      const values = view.flags.get(DAEMON_KEYS[v]);
      const value = values?.[values.length - 1];
      if (value) settings[v] = { name: `--${DAEMON_KEYS[v]}`, value, source: view.flagsSource };
    }
  }
  const proxies = view.file?.get('proxies');
  if (proxies && facts.daemonConfig.ok && typeof proxies.value === 'object' && proxies.value !== null && !Array.isArray(proxies.value)) {
    const config = facts.daemonConfig.value;
    const positions = childPositions(config.text, 'proxies');
    for (const v of PROXY_VARS) {
      const value = (proxies.value as Record<string, unknown>)[DAEMON_KEYS[v]];
      if (typeof value !== 'string' || value === '' || settings[v]) continue;
      const at = positions.get(DAEMON_KEYS[v]) ?? { line: proxies.line, column: proxies.column };
      settings[v] = {
        name: `proxies.${DAEMON_KEYS[v]}`,
        value,
        source: { kind: 'file', path: config.path, line: at.line, column: at.column },
      };
    }
  }
  let supported = true;
  try {
    supported = compareMinor(view.engineVersion, '23.0') >= 0;
  } catch {
    // An engine version that is not a version: assume the newest rules, as the daemon view does.
  }
  return { settings, supported, engineVersion: view.engineVersion };
}

/** The client's ~/.docker/config.json "proxies" entry for this endpoint (else "default"): what containers and builds get. */
function clientProxies(facts: Facts): { settings: ProxySettings; entry: string } | null {
  if (!facts.clientConfig.ok) return null;
  const config = facts.clientConfig.value;
  const endpoint = facts.endpoint.ok ? facts.endpoint.value.host : null;
  const entry = endpoint && config.proxies[endpoint] ? endpoint : config.proxies['default'] ? 'default' : null;
  if (!entry) return { settings: {}, entry: 'default' };
  const settings: ProxySettings = {};
  for (const [key, value] of Object.entries(config.proxies[entry]!)) {
    const v = PROXY_VARS.find((p) => CLIENT_KEYS[p] === key.toLowerCase().replace(/[-_]/g, ''));
    if (v && value) settings[v] = { name: `proxies.${entry}.${key}`, value, source: { kind: 'file', path: config.path } };
  }
  return { settings, entry };
}

function processEnvProxies(facts: Facts): ProxySettings | null {
  if (!facts.processEnv.ok) return null;
  return fromEnvironment(facts.processEnv.value.vars.map((e) => ({ ...e, source: { kind: 'env', name: e.name } as Source }))).settings;
}

/** Docker Desktop's manual proxy (Settings > Resources > Proxies), which it gives its engine and containers. */
function desktopProxies(facts: Facts): { settings: ProxySettings; mode: string | null } | null {
  if (!isDesktop(facts) || !facts.desktop.ok) return null;
  const { proxy, settingsPath } = facts.desktop.value;
  const source: Source = { kind: 'file', path: settingsPath };
  const settings: ProxySettings = {};
  if (proxy.mode === 'manual') {
    if (proxy.http) settings.http = { name: 'proxyHttp', value: proxy.http, source };
    if (proxy.https) settings.https = { name: 'proxyHttps', value: proxy.https, source };
    if (proxy.exclude) settings.no = { name: 'proxyExclude', value: proxy.exclude, source };
  }
  return { settings, mode: proxy.mode };
}

function runningProxies(facts: Facts): ProxySettings | null {
  if (!facts.info.ok) return null;
  const i = facts.info.value;
  const settings: ProxySettings = {};
  if (i.httpProxy) settings.http = { name: 'HttpProxy', value: i.httpProxy, source: INFO };
  if (i.httpsProxy) settings.https = { name: 'HttpsProxy', value: i.httpsProxy, source: INFO };
  if (i.noProxy) settings.no = { name: 'NoProxy', value: i.noProxy, source: INFO };
  return settings;
}

export interface ProxyPicture {
  running: ProxySettings | null;
  unit: UnitProxies | null;
  daemonConfig: DaemonConfigProxies;
  desktop: { settings: ProxySettings; mode: string | null } | null;
  /** What the daemon gets at its next start, per variable, where Dockhand can tell. */
  configured: ProxySettings;
  configuredKnown: Record<ProxyVar, boolean>;
  /** What the daemon uses: the running daemon's answer, else the configuration. */
  effective: ProxySettings;
  effectiveFrom: string;
  client: { settings: ProxySettings; entry: string } | null;
  env: ProxySettings | null;
  notes: Evidence[];
}

/**
 * What the daemon gets at its next start, per variable, where Dockhand can tell: Docker Desktop's settings; else
 * docker.service's environment (when that unit starts this daemon), overridden per variable by daemon.json "proxies"
 * or --http-proxy flags (23.0+, dockerd's configureProxyEnv).
 */
function configuredProxies(
  facts: Facts,
  unit: UnitProxies | null,
  daemonConfig: DaemonConfigProxies,
  desktop: ProxyPicture['desktop'],
  notes: Evidence[],
) {
  const settings: ProxySettings = {};
  const known: Record<ProxyVar, boolean> = { http: false, https: false, no: false };
  if (desktop) {
    Object.assign(settings, desktop.settings);
    for (const v of PROXY_VARS) known[v] = desktop.mode === 'manual';
    if (desktop.mode === 'system')
      notes.push({
        label: 'Docker Desktop proxy mode',
        value: 'system: the OS proxy settings, which Dockhand does not read',
        source: { kind: 'file', path: facts.desktop.ok ? facts.desktop.value.settingsPath : '' },
      });
    return { settings, known };
  }
  if (unit) {
    notes.push({
      label: 'docker.service environment applies',
      value: `${unit.applies ? 'yes' : 'no'}: ${unit.why}`,
      source: { kind: 'file', path: facts.serviceUnit.ok ? facts.serviceUnit.value.fragmentPath : '' },
    });
    if (unit.applies) {
      Object.assign(settings, unit.settings);
      for (const v of PROXY_VARS) known[v] = true;
    }
  }
  const fromConfig = PROXY_VARS.filter((v) => daemonConfig.settings[v]);
  if (!daemonConfig.supported && fromConfig.length > 0) {
    notes.push({
      label: 'daemon.json "proxies"',
      value: `ignored: Engine ${daemonConfig.engineVersion} predates 23.0, which introduced it (dockerd refuses to start with it)`,
      source: daemonConfig.settings[fromConfig[0]!]!.source,
    });
  } else {
    for (const v of fromConfig) {
      settings[v] = daemonConfig.settings[v];
      known[v] = true;
    }
  }
  return { settings, known };
}

export function proxyPicture(facts: Facts): ProxyPicture {
  if (!facts.info.ok && !facts.serviceUnit.ok && !facts.daemonConfig.ok && !(isDesktop(facts) && facts.desktop.ok)) {
    need(facts.info, "the daemon's proxy settings");
  }
  const running = runningProxies(facts);
  const unit = unitProxies(facts);
  const daemonConfig = daemonConfigProxies(facts);
  const desktop = desktopProxies(facts);
  const notes: Evidence[] = [];
  const configured = configuredProxies(facts, unit, daemonConfig, desktop, notes);
  if (!running)
    notes.push({
      label: 'running daemon',
      value: `unavailable: ${facts.info.ok ? '' : facts.info.error.message}; judged from the configuration`,
      source: facts.info.sources[0] ?? INFO,
    });
  return {
    running,
    unit,
    daemonConfig,
    desktop,
    configured: configured.settings,
    configuredKnown: configured.known,
    effective: running ?? configured.settings,
    effectiveFrom: running ? 'as the running daemon reports' : 'judged from its configuration: the daemon could not be asked',
    client: clientProxies(facts),
    env: processEnvProxies(facts),
    notes,
  };
}
