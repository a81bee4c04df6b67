import { isIP } from 'node:net';
import type { Check, CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { DnsFact, HostNetworkFact } from '../../shared/facts/network';
import type { CheckResult, Evidence } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { compareMinor } from '../preflight/engine-version';
import { parseJsonDocument } from '../preflight/json-document';
import { isDesktop, isRootless } from './applicability';
import { daemonView, type SettingValue, settingBoolean, settingEvidence, settingStrings } from './daemon-view';
import { docs } from './references';
import { errored, fail, info, need, pass, skipped, warn } from './result';

const INFO: Source = { kind: 'api', call: 'GET /info' };
const BRIDGE_API: Source = { kind: 'api', call: 'GET /networks/bridge' };
const RESOLVED_UPSTREAM = '/run/systemd/resolve/resolv.conf';

/* ------------------------------------------------------------------------------------------------------------------
 * Small helpers: IPv4 arithmetic, settings, applicability
 * ---------------------------------------------------------------------------------------------------------------- */

interface Cidr {
  base: number;
  prefix: number;
  text: string;
}

function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const formatIPv4 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

/** "172.26.0.1/16" → the network 172.26.0.0/16 (bip names the gateway address, not the network). */
function parseCidr(text: string): Cidr | null {
  const [ip = '', len = '32', extra] = text.trim().split('/');
  const addr = parseIPv4(ip);
  const prefix = Number(len);
  if (addr === null || extra !== undefined || !/^\d{1,2}$/.test(len) || prefix > 32) return null;
  const base = (addr & maskOf(prefix)) >>> 0;
  return { base, prefix, text: `${formatIPv4(base)}/${prefix}` };
}

function overlaps(a: Cidr, b: Cidr): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

/** Loopback as Go's netip sees it: 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
function isLoopback(address: string): boolean {
  const a = address.trim().toLowerCase();
  const v4 = parseIPv4(a.replace(/^::ffff:/, ''));
  if (v4 !== null) return v4 >>> 24 === 127;
  return a === '::1' || a === '0:0:0:0:0:0:0:1';
}

/** The endpoint's host when the daemon runs on another machine (tcp:// or ssh:// to a host that is not loopback). */
function remoteDaemon(facts: Facts): string | null {
  if (!facts.endpoint.ok || facts.endpoint.value.flavour !== 'remote') return null;
  try {
    const host = new URL(facts.endpoint.value.host).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || isLoopback(host) ? null : facts.endpoint.value.host;
  } catch {
    return facts.endpoint.value.host;
  }
}

/** Why the host's own network facts (interfaces, routes, resolv.conf, iptables) say nothing about this daemon's. */
function hostNetworkDoesNotApply(facts: Facts): string | null {
  if (isDesktop(facts)) return "Docker Desktop runs the engine in its own VM, with that VM's network, DNS and firewall";
  if (isRootless(facts)) return "a rootless daemon's containers sit behind its own user-mode network (RootlessKit), not the host's bridge and firewall";
  const remote = remoteDaemon(facts);
  if (remote) return `the daemon at ${remote} runs on another machine: this machine's network is not its network`;
  return null;
}

/** Docker's bridges: the default one (docker0 unless renamed) and user-defined ones (br- and 12 hex digits). */
function dockerBridgeNames(facts: Facts): (name: string) => boolean {
  const defaultName = (facts.bridgeNetwork.ok ? facts.bridgeNetwork.value.options['com.docker.network.bridge.name'] : undefined) ?? 'docker0';
  return (name) => name === defaultName || name === 'docker0' || /^br-[0-9a-f]{12}$/.test(name);
}

/* ------------------------------------------------------------------------------------------------------------------
 * Proxy: every place a proxy can be set, what dockerd ends up with, and what disagrees
 * ---------------------------------------------------------------------------------------------------------------- */

type ProxyVar = 'http' | 'https' | 'no';
const PROXY_VARS: readonly ProxyVar[] = ['http', 'https', 'no'];
/** Go's httpproxy.FromEnvironment reads the upper-case name first and falls back to the lower-case one. */
const ENV_NAMES: Record<ProxyVar, readonly [string, string]> = {
  http: ['HTTP_PROXY', 'http_proxy'],
  https: ['HTTPS_PROXY', 'https_proxy'],
  no: ['NO_PROXY', 'no_proxy'],
};
const DAEMON_KEYS: Record<ProxyVar, string> = { http: 'http-proxy', https: 'https-proxy', no: 'no-proxy' };
const CLIENT_KEYS: Record<ProxyVar, string> = { http: 'httpproxy', https: 'httpsproxy', no: 'noproxy' };

interface ProxyValue {
  /** The variable or key as written where it was found, e.g. "HTTP_PROXY", "proxies.http-proxy". */
  name: string;
  value: string;
  source: Source;
}
type ProxySettings = Partial<Record<ProxyVar, ProxyValue>>;

/** Masks a password in a proxy URL, also in the scheme-less form Go accepts ("user:pass@proxy:3128"). */
function masked(value: string): string {
  const withScheme = maskSecretsInText(value);
  return withScheme.includes('://') ? withScheme : withScheme.replace(/^([^\s:@/]+):([^\s@/]+)@/, '$1:****@');
}

/** A proxy URL reduced to what decides where traffic goes: scheme, host and port (never the credentials). */
function proxyIdentity(value: string): string {
  const text = value.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
    return `${url.protocol}//${url.host}`.toLowerCase();
  } catch {
    return masked(text).toLowerCase();
  }
}

function noProxyEntries(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
}

function sameProxyValue(v: ProxyVar, a: string | undefined, b: string | undefined): boolean {
  const x = (a ?? '').trim();
  const y = (b ?? '').trim();
  if (x === '' || y === '') return x === y;
  if (v === 'no') return [...new Set(noProxyEntries(x))].sort().join(',') === [...new Set(noProxyEntries(y))].sort().join(',');
  return proxyIdentity(x) === proxyIdentity(y);
}

function proxyEvidence(value: ProxyValue, where: string): Evidence {
  return { label: `${value.name} (${where})`, value: masked(value.value), source: value.source };
}

function describeSettings(settings: ProxySettings): string {
  const parts = PROXY_VARS.filter((v) => settings[v]).map((v) => `${ENV_NAMES[v][0]}=${masked(settings[v]!.value)}`);
  return parts.length > 0 ? parts.join(', ') : 'no proxy';
}

const hasProxy = (s: ProxySettings) => Boolean(s.http || s.https);

/** Environment variables resolved as Go resolves them (upper case wins); both cases set differently is reported. */
function fromEnvironment(vars: { name: string; value: string; source: Source }[]): { settings: ProxySettings; caseConflicts: { v: ProxyVar; upper: ProxyValue; lower: ProxyValue }[] } {
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

interface UnitProxies {
  settings: ProxySettings;
  caseConflicts: { v: ProxyVar; upper: ProxyValue; lower: ProxyValue }[];
  /** Whether docker.service is what starts (or started) the daemon being audited, and why Dockhand thinks so. */
  applies: boolean;
  why: string;
}

function unitProxies(facts: Facts): UnitProxies | null {
  if (!facts.serviceUnit.ok) return null;
  const unit = facts.serviceUnit.value;
  const env = fromEnvironment(unit.environment.map((e) => ({ name: e.name, value: e.value, source: { kind: 'file', path: e.path, line: e.line } as Source })));
  const exec = unit.execStart;
  if (facts.daemonProcess.ok) {
    const proc = facts.daemonProcess.value;
    const same = exec !== null && exec.argv.slice(1).join('\0') === proc.argv.slice(1).join('\0');
    return same
      ? { ...env, applies: true, why: `the running dockerd (pid ${proc.pid}) has docker.service's command line` }
      : { ...env, applies: false, why: `the running dockerd (pid ${proc.pid}) was not started by docker.service: its command line differs from the unit's ExecStart, so the unit's environment is not its environment` };
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

interface DaemonConfigProxies {
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
      settings[v] = { name: `proxies.${DAEMON_KEYS[v]}`, value, source: { kind: 'file', path: config.path, line: at.line, column: at.column } };
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

interface ProxyPicture {
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
function configuredProxies(facts: Facts, unit: UnitProxies | null, daemonConfig: DaemonConfigProxies, desktop: ProxyPicture['desktop'], notes: Evidence[]) {
  const settings: ProxySettings = {};
  const known: Record<ProxyVar, boolean> = { http: false, https: false, no: false };
  if (desktop) {
    Object.assign(settings, desktop.settings);
    for (const v of PROXY_VARS) known[v] = desktop.mode === 'manual';
    if (desktop.mode === 'system') notes.push({ label: 'Docker Desktop proxy mode', value: 'system: the OS proxy settings, which Dockhand does not read', source: { kind: 'file', path: facts.desktop.ok ? facts.desktop.value.settingsPath : '' } });
    return { settings, known };
  }
  if (unit) {
    notes.push({ label: 'docker.service environment applies', value: `${unit.applies ? 'yes' : 'no'}: ${unit.why}`, source: { kind: 'file', path: facts.serviceUnit.ok ? facts.serviceUnit.value.fragmentPath : '' } });
    if (unit.applies) {
      Object.assign(settings, unit.settings);
      for (const v of PROXY_VARS) known[v] = true;
    }
  }
  const fromConfig = PROXY_VARS.filter((v) => daemonConfig.settings[v]);
  if (!daemonConfig.supported && fromConfig.length > 0) {
    notes.push({ label: 'daemon.json "proxies"', value: `ignored: Engine ${daemonConfig.engineVersion} predates 23.0, which introduced it (dockerd refuses to start with it)`, source: daemonConfig.settings[fromConfig[0]!]!.source });
  } else {
    for (const v of fromConfig) {
      settings[v] = daemonConfig.settings[v];
      known[v] = true;
    }
  }
  return { settings, known };
}

function proxyPicture(facts: Facts): ProxyPicture {
  if (!facts.info.ok && !facts.serviceUnit.ok && !facts.daemonConfig.ok && !(isDesktop(facts) && facts.desktop.ok)) {
    need(facts.info, "the daemon's proxy settings");
  }
  const running = runningProxies(facts);
  const unit = unitProxies(facts);
  const daemonConfig = daemonConfigProxies(facts);
  const desktop = desktopProxies(facts);
  const notes: Evidence[] = [];
  const configured = configuredProxies(facts, unit, daemonConfig, desktop, notes);
  if (!running) notes.push({ label: 'running daemon', value: `unavailable: ${facts.info.ok ? '' : facts.info.error.message}; judged from the configuration`, source: facts.info.sources[0] ?? INFO });
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

function effectiveEvidence(p: ProxyPicture): Evidence[] {
  const where = p.running ? 'running daemon' : 'configured';
  const shown = PROXY_VARS.filter((v) => p.effective[v]).map((v) => proxyEvidence(p.effective[v]!, where));
  const evidence = shown.length > 0 ? shown : [{ label: `daemon proxy (${where})`, value: 'none', source: p.running ? INFO : ({ kind: 'default', detail: 'no proxy is set for the daemon' } as Source) }];
  return [...evidence, ...p.notes];
}

const differing = (a: ProxySettings, b: ProxySettings, only: (v: ProxyVar) => boolean = () => true) =>
  PROXY_VARS.filter((v) => only(v) && !sameProxyValue(v, a[v]?.value, b[v]?.value));

/** Both sides' values of each differing variable ("not set" where a side has none), for evidence. */
function pairEvidence(vars: ProxyVar[], a: { settings: ProxySettings; where: string; unset: Source }, b: { settings: ProxySettings; where: string; unset: Source }): Evidence[] {
  const side = (v: ProxyVar, s: typeof a): Evidence =>
    s.settings[v] ? proxyEvidence(s.settings[v]!, s.where) : { label: `${ENV_NAMES[v][0]} (${s.where})`, value: 'not set', source: s.unset };
  return vars.flatMap((v) => [side(v, a), side(v, b)]);
}

function daemonSide(p: ProxyPicture, where = 'daemon') {
  return { settings: p.effective, where, unset: p.running ? INFO : ({ kind: 'default', detail: "not set in the daemon's configuration" } as Source) };
}

function runningVsConfigured(facts: Facts, p: ProxyPicture): CheckResult | null {
  if (!p.running) return null;
  const vars = differing(p.running, p.configured, (v) => p.configuredKnown[v]);
  if (vars.length === 0) return null;
  const names = vars.map((v) => ENV_NAMES[v][0]).join(', ');
  const apply = isDesktop(facts) ? 'Apply & restart in Docker Desktop' : 'a daemon restart (`systemctl daemon-reload && systemctl restart docker`)';
  return warn(`The running daemon's ${names} differ from what its configuration gives it: the change waits for ${apply}, or the value comes from a place Dockhand did not read.`, {
    target: 'running-vs-configured',
    evidence: pairEvidence(vars, daemonSide(p, 'running daemon'), { settings: p.configured, where: 'configured', unset: { kind: 'default', detail: 'not set where the daemon is configured' } }),
  });
}

function daemonJsonVsUnit(p: ProxyPicture): CheckResult | null {
  const unit = p.unit?.settings ?? {};
  const file = p.daemonConfig.settings;
  const vars = PROXY_VARS.filter((v) => p.daemonConfig.supported && unit[v] && file[v] && !sameProxyValue(v, unit[v]!.value, file[v]!.value));
  if (vars.length === 0) return null;
  return warn(
    `daemon.json sets ${vars.map((v) => DAEMON_KEYS[v]).join(', ')} differently from docker.service's environment: since Engine 23.0 dockerd uses daemon.json and overrides the environment, so the unit's values are dead configuration that misleads whoever reads it.`,
    { target: 'daemon-json-vs-service-unit', evidence: vars.flatMap((v) => [proxyEvidence(file[v]!, 'daemon.json, used'), proxyEvidence(unit[v]!, 'docker.service, overridden')]) },
  );
}

function unitCaseConflicts(p: ProxyPicture): CheckResult[] {
  return (p.unit?.caseConflicts ?? []).map((c) =>
    warn(`docker.service sets both ${c.upper.name} and ${c.lower.name}, to different values: dockerd (Go) uses ${c.upper.name}, while tools that read only the lower-case name (curl, wget, apt) use the other.`, {
      target: `service-unit-case:${ENV_NAMES[c.v][0]}`,
      evidence: [proxyEvidence(c.upper, 'docker.service, used by dockerd'), proxyEvidence(c.lower, 'docker.service')],
    }),
  );
}

/** Containers and builds get the client's config.json proxies, the daemon pulls with its own. */
function clientVsDaemon(facts: Facts, p: ProxyPicture): CheckResult | null {
  if (!p.client) return null;
  const clientHas = hasProxy(p.client.settings);
  const daemonHas = hasProxy(p.effective);
  const vars = differing(p.client.settings, p.effective);
  if ((!clientHas && !daemonHas) || vars.length === 0) return null;
  const client = { settings: p.client.settings, where: `~/.docker/config.json "${p.client.entry}"`, unset: { kind: 'file', path: clientConfigPath(facts) } as Source };
  const options = { target: 'client-vs-daemon', evidence: pairEvidence(vars, daemonSide(p), client) };
  if (clientHas && daemonHas) return warn("Containers and builds get a different proxy (from the client's config.json) than the daemon uses for pulls: one of the two is probably out of date.", options);
  if (daemonHas) return info('The daemon pulls through a proxy, but containers and builds get none (no "proxies" in the client\'s config.json): a RUN step that downloads will fail if the proxy is the only way out.', options);
  return info("Containers and builds get a proxy from the client's config.json, but the daemon itself uses none for pulls.", options);
}

function environmentVsDaemon(p: ProxyPicture): CheckResult | null {
  if (!p.env || !hasProxy(p.env)) return null;
  const vars = differing(p.env, p.effective);
  if (vars.length === 0) return null;
  return info("Dockhand's own environment (the shell the docker CLI runs in) sets a proxy that differs from the daemon's: the CLI uses it to reach tcp:// daemons, the daemon never sees it.", {
    target: 'environment-vs-daemon',
    evidence: pairEvidence(vars, daemonSide(p), { settings: p.env, where: 'environment', unset: { kind: 'default', detail: 'not set in the environment' } }),
  });
}

/** Each pair of sources that disagree, as one result with both values as evidence. */
function proxyDisagreements(facts: Facts, p: ProxyPicture): CheckResult[] {
  return [runningVsConfigured(facts, p), daemonJsonVsUnit(p), ...unitCaseConflicts(p), clientVsDaemon(facts, p), environmentVsDaemon(p)].filter((r): r is CheckResult => r !== null);
}

function clientConfigPath(facts: Facts): string {
  return facts.clientConfig.ok ? facts.clientConfig.value.path : '~/.docker/config.json';
}

const PROXY_REFERENCES = [
  docs('Configure the daemon to use a proxy', 'https://docs.docker.com/engine/daemon/proxy/'),
  docs('Use a proxy server with the Docker CLI', 'https://docs.docker.com/engine/cli/proxy/'),
  docs('Go httpproxy: how NO_PROXY is matched', 'https://pkg.go.dev/golang.org/x/net/http/httpproxy#Config'),
];

export const proxyConsistent: Check = {
  id: 'proxy.consistent',
  title: 'Proxy settings agree wherever they are set',
  category: 'proxy',
  severity: 'medium',
  rationale:
    "A Docker proxy can be set in six places: docker.service's environment (drop-ins, EnvironmentFile), daemon.json \"proxies\" or --http-proxy flags (Engine 23.0+, which override the environment), what the running daemon actually loaded, the client's ~/.docker/config.json \"proxies\" (given to containers and builds), the shell environment of the docker CLI, and Docker Desktop's settings. When they disagree, pulls work and builds fail (or the reverse), a restart suddenly changes behaviour, or an edited file has no effect because another place wins.",
  remediation:
    'Keep one source of truth per consumer: the daemon\'s proxy in daemon.json "proxies" (23.0+) or a docker.service drop-in (not both), restart the daemon after changing it (`systemctl daemon-reload && systemctl restart docker`), and the same proxy in ~/.docker/config.json "proxies" for containers and builds. Set HTTP_PROXY and http_proxy to the same value, or only one of them.',
  references: PROXY_REFERENCES,
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
  evaluate(facts) {
    const picture = proxyPicture(facts);
    const evidence = effectiveEvidence(picture);
    const problems = proxyDisagreements(facts, picture);
    const anything = hasProxy(picture.effective) || Boolean(picture.effective.no) || problems.length > 0 || (picture.client && hasProxy(picture.client.settings));
    const summary = anything
      ? `The daemon uses ${describeSettings(picture.effective)} (${picture.effectiveFrom}).`
      : 'No proxy is set for the daemon, its containers or the client.';
    if (problems.length === 0) return pass(anything ? `${summary} Every source that sets a proxy agrees.` : summary, { evidence });
    return [info(summary, { evidence }), ...problems];
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * NO_PROXY coverage
 * ---------------------------------------------------------------------------------------------------------------- */

/** Strips a ":port" (and IPv6 brackets) from a NO_PROXY entry; entries with a port match only that port. */
function entryHost(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const m = /^([^:]+):\d+$/.exec(entry);
  return m ? m[1]! : entry;
}

function cidrContains(entry: string, host: string): boolean {
  if (!entry.includes('/')) return false;
  const range = parseCidr(entry);
  const ip = parseCidr(host);
  return range !== null && ip !== null && ip.prefix === 32 && overlaps(range, ip) && ip.prefix >= range.prefix;
}

/**
 * Whether Go's http.ProxyFromEnvironment (dockerd, the docker CLI) goes direct to `host`: localhost and loopback
 * addresses always; "*" for everything; CIDRs and IPs for IP literals; "corp.example" for it and its subdomains;
 * ".corp.example" (or "*.corp.example") for subdomains only.
 */
export function goBypassesProxy(noProxy: string, host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || (isIP(h) && isLoopback(h))) return true;
  for (const entry of noProxyEntries(noProxy)) {
    if (entry === '*') return true;
    if (cidrContains(entry, h)) return true;
    const e = entryHost(entry);
    if (isIP(e)) {
      if (e === h) return true;
      continue;
    }
    let suffix = e.startsWith('*.') ? e.slice(1) : e;
    const matchesItself = !suffix.startsWith('.');
    if (matchesItself) suffix = `.${suffix}`;
    if (h.endsWith(suffix) || (matchesItself && h === suffix.slice(1))) return true;
  }
  return false;
}

/**
 * Whether the usual tools in a container (curl, wget, Python, Node) go direct to `host`: a name matches itself and its
 * subdomains, a leading dot is ignored, "*" matches everything; a CIDR is understood only by some (Go, Python, curl
 * 7.86+), not by wget, busybox or older curl.
 */
function commonBypass(noProxy: string, host: string): 'yes' | 'cidr-only' | 'no' {
  const h = host.toLowerCase();
  let cidrOnly = false;
  for (const entry of noProxyEntries(noProxy)) {
    if (entry === '*') return 'yes';
    if (entry.includes('/')) {
      cidrOnly ||= cidrContains(entry, h);
      continue;
    }
    const e = entryHost(entry).replace(/^\*?\./, '');
    if (h === e || (!isIP(h) && h.endsWith(`.${e}`))) return 'yes';
  }
  return cidrOnly ? 'cidr-only' : 'no';
}

function internalDomains(context: CheckContext): string[] {
  const raw = context.options.internalDomains;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((d): d is string => typeof d === 'string')
    .map((d) => d.trim().toLowerCase().replace(/^\*?\./, ''))
    .filter((d) => d !== '');
}

interface NoProxyScope {
  target: 'daemon' | 'containers' | 'desktop' | 'cli';
  /** Short, for evidence labels. */
  label: string;
  /** For sentences. */
  who: string;
  settings: ProxySettings;
  /** Hosts that must go direct, and how each is described to the user. */
  required: { host: string; shown: string }[];
  semantics: 'go' | 'common';
  /** Where a fix would write the new NO_PROXY. */
  writeTo: string;
}

function noProxyScopes(facts: Facts, p: ProxyPicture, domains: string[]): NoProxyScope[] {
  const internal = domains.map((d) => ({ host: `registry.${d}`, shown: `names under ${d}` }));
  const local = [
    { host: 'localhost', shown: 'localhost' },
    { host: '127.0.0.1', shown: '127.0.0.1' },
    { host: 'host.docker.internal', shown: 'host.docker.internal' },
  ];
  const scopes: NoProxyScope[] = [];
  const daemonNoProxySource = p.configured.no?.source ?? p.effective.no?.source;
  const daemonWrite = daemonNoProxySource?.kind === 'file' ? daemonNoProxySource.path : 'a docker.service drop-in (or daemon.json "proxies" on 23.0+)';
  scopes.push({ target: 'daemon', label: 'daemon', who: "the daemon's pulls and pushes", settings: p.effective, required: internal, semantics: 'go', writeTo: daemonWrite });
  if (p.client) scopes.push({ target: 'containers', label: 'containers and builds', who: 'containers and builds (~/.docker/config.json)', settings: p.client.settings, required: [...local, ...internal], semantics: 'common', writeTo: clientConfigPath(facts) });
  if (p.desktop?.mode === 'manual') {
    scopes.push({ target: 'desktop', label: 'Docker Desktop', who: 'Docker Desktop', settings: p.desktop.settings, required: [...local, ...internal], semantics: 'common', writeTo: facts.desktop.ok ? facts.desktop.value.settingsPath : 'Docker Desktop settings' });
  }
  const endpoint = facts.endpoint.ok ? facts.endpoint.value : null;
  if (p.env && endpoint?.transport === 'tcp') {
    try {
      const daemonHost = new URL(endpoint.host).hostname.replace(/^\[|\]$/g, '');
      const settings: ProxySettings = { ...(endpoint.tls ? { https: p.env.https } : { http: p.env.http }), no: p.env.no };
      scopes.push({ target: 'cli', label: 'docker CLI', who: `the docker CLI reaching ${endpoint.host}`, settings, required: [{ host: daemonHost, shown: daemonHost }], semantics: 'go', writeTo: 'the NO_PROXY environment variable' });
    } catch {
      // An endpoint that is not a URL has no host to check.
    }
  }
  return scopes;
}

function evaluateNoProxyScope(scope: NoProxyScope): CheckResult | null {
  if (!hasProxy(scope.settings)) return null;
  const noProxy = scope.settings.no?.value ?? '';
  const evidence: Evidence[] = [
    ...PROXY_VARS.filter((v) => scope.settings[v]).map((v) => proxyEvidence(scope.settings[v]!, scope.label)),
    ...(scope.settings.no ? [] : [{ label: `NO_PROXY (${scope.label})`, value: 'not set', source: { kind: 'default', detail: 'nothing bypasses the proxy' } as Source }]),
  ];
  if (noProxyEntries(noProxy).includes('*')) {
    return pass(`NO_PROXY is "*" for ${scope.who}: the proxy is bypassed for every host, so the proxy setting has no effect.`, { target: scope.target, evidence });
  }
  const missing: string[] = [];
  const cidrOnly: string[] = [];
  for (const r of scope.required) {
    const verdict = scope.semantics === 'go' ? (goBypassesProxy(noProxy, r.host) ? 'yes' : 'no') : commonBypass(noProxy, r.host);
    if (verdict === 'no') missing.push(r.shown);
    if (verdict === 'cidr-only') cidrOnly.push(r.shown);
  }
  evidence.push({ label: 'must bypass the proxy', value: scope.required.map((r) => r.shown), source: { kind: 'default', detail: scope.semantics === 'go' ? 'internal domains given to Dockhand; Go never proxies localhost or loopback addresses' : 'local names every container tool should reach directly, and the internal domains given to Dockhand' } });
  if (missing.length > 0) {
    // "corp.example" rather than ".corp.example": it covers the domain and its subdomains in every client.
    const add = missing.map((m) => m.replace(/^names under /, ''));
    const value = [...noProxyEntries(noProxy), ...add].join(',');
    return fail(`NO_PROXY for ${scope.who} does not cover ${missing.join(', ')}: those requests go to the proxy, which usually cannot reach them (or should not see them).`, {
      target: scope.target,
      evidence,
      fix: { id: 'proxy.no-proxy', params: { scope: scope.target, add, value, file: scope.writeTo } },
    });
  }
  if (cidrOnly.length > 0) {
    return warn(`NO_PROXY for ${scope.who} covers ${cidrOnly.join(', ')} only through a CIDR, which Go, Python and curl 7.86+ understand but wget, busybox and older curl ignore.`, { target: scope.target, evidence });
  }
  if (scope.required.length === 0) {
    return pass(`Nothing to check in NO_PROXY for ${scope.who}: Go never proxies localhost or loopback addresses, and no internal domains were given to Dockhand.`, { target: scope.target, evidence });
  }
  return pass(`NO_PROXY for ${scope.who} covers ${scope.required.map((r) => r.shown).join(', ')}.`, { target: scope.target, evidence });
}

export const proxyNoProxy: Check = {
  id: 'proxy.no-proxy',
  title: 'NO_PROXY covers local and internal destinations',
  category: 'proxy',
  severity: 'medium',
  rationale:
    'With a proxy set, every request whose host NO_PROXY does not match goes to the proxy: pulls from an internal registry, a container calling host.docker.internal or localhost, a service on the corporate network. The proxy usually cannot reach them (timeouts, 403s that look like registry errors) or should not see them. How entries match depends on the client: in Go (dockerd, the docker CLI) "corp.example" matches it and its subdomains, ".corp.example" and "*.corp.example" only subdomains, "*" disables the proxy entirely, CIDRs like 10.0.0.0/8 match IP addresses, and localhost and loopback are never proxied. Tools inside containers differ: wget, busybox and older curl ignore CIDRs, and most treat a leading dot as optional.',
  remediation:
    'Add the missing entries to NO_PROXY where that consumer reads it: the daemon\'s in daemon.json "proxies"."no-proxy" (23.0+) or its docker.service drop-in, then restart the daemon; containers\' in ~/.docker/config.json "proxies"."default"."noProxy". Write internal domains as "corp.example" (it and its subdomains in every client) and list IP ranges as CIDRs only for clients that understand them.',
  references: PROXY_REFERENCES,
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: 'proxy.no-proxy',
  evaluate(facts, context) {
    const picture = proxyPicture(facts);
    const domains = internalDomains(context);
    const results = noProxyScopes(facts, picture, domains)
      .map(evaluateNoProxyScope)
      .filter((r): r is CheckResult => r !== null);
    if (results.length > 0) return results;
    return pass('No HTTP or HTTPS proxy is set for the daemon, containers or the CLI: there is nothing for NO_PROXY to bypass.', { evidence: effectiveEvidence(picture) });
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * DNS
 * ---------------------------------------------------------------------------------------------------------------- */

type ResolvConf = DnsFact['resolvConf'];

/**
 * The file dockerd copies into containers on the default bridge (libnetwork resolvconf.Path): systemd-resolved's
 * upstream list when /etc/resolv.conf names only the 127.0.0.53 stub, else /etc/resolv.conf.
 */
function fileDockerReads(dns: DnsFact): { conf: ResolvConf | null; path: string; why: string } {
  const ns = dns.resolvConf.nameservers;
  if (ns.length === 1 && ns[0]!.address === '127.0.0.53') {
    return { conf: dns.upstream, path: RESOLVED_UPSTREAM, why: `the only nameserver in ${dns.resolvConf.path} is systemd-resolved's stub 127.0.0.53, so dockerd reads ${RESOLVED_UPSTREAM} instead` };
  }
  return { conf: dns.resolvConf, path: dns.resolvConf.path, why: `dockerd copies ${dns.resolvConf.path} into containers on the default bridge` };
}

/** A nameserver that survives dockerd's filter for the default bridge: valid, not loopback, IPv6 only with IPv6 on. */
function survives(address: string, ipv6: boolean): boolean {
  const family = isIP(address);
  return family !== 0 && !isLoopback(address) && (family === 4 || ipv6);
}

function nameserverEvidence(conf: ResolvConf): Evidence[] {
  return conf.nameservers.map((n) => ({ label: `nameserver (${conf.path})`, value: n.address, source: { kind: 'file', path: conf.path, line: n.line } as Source }));
}

export const dnsHostResolvers: Check = {
  id: 'dns.host-resolvers',
  title: "Containers get the host's DNS servers, not Google's fallback",
  category: 'dns',
  severity: 'medium',
  rationale:
    "Containers on the default bridge network, and RUN steps of `docker build`, get a copy of the host's resolv.conf without its loopback nameservers (127.0.0.1 inside a container is the container itself). When no nameserver is left, dockerd writes Google's public resolvers 8.8.8.8 and 8.8.4.4 instead. On corporate networks these are usually blocked and never know internal names: apt-get, pip and pulls of internal dependencies fail inside containers while they work on the host. Containers on user-defined networks are not affected: Docker's embedded DNS forwards to the host's loopback resolver from the host's namespace. On systemd-resolved hosts whose /etc/resolv.conf lists only the 127.0.0.53 stub, dockerd reads systemd-resolved's upstream list instead.",
  remediation:
    'Set "dns" in daemon.json to your network\'s resolvers (the upstream servers systemd-resolved uses are in /run/systemd/resolve/resolv.conf) and restart the daemon; containers then use them directly, bypassing the local stub\'s per-interface routing (VPN split DNS). To keep the local resolver instead, make it also listen on docker0\'s address (e.g. DNSStubListenerExtra=172.17.0.1 for systemd-resolved) and set "dns" to that address.',
  references: [
    docs('Networking overview: DNS services', 'https://docs.docker.com/engine/network/#dns-services'),
    docs('dockerd reference: daemon configuration file', 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.dns',
  applies: hostNetworkDoesNotApply,
  evaluate(facts) {
    const dns = need(facts.dns, 'the host resolv.conf');
    const view = daemonView(facts);
    const configured = view.setting('dns');
    const servers = settingStrings(configured);
    const upstreamServers = (dns.upstream?.nameservers ?? []).map((n) => n.address).filter((a) => survives(a, false));
    const fix = upstreamServers.length > 0 ? { id: 'daemon.dns', params: { servers: upstreamServers } } : null;
    if (servers.length > 0) {
      const evidence = [settingEvidence('dns', configured, { value: null, detail: '' })];
      if (servers.every(isLoopback)) {
        return fail(`The daemon's "dns" names only loopback addresses (${servers.join(', ')}): inside a container that is the container itself, so name resolution fails on the default bridge.`, { evidence, fix });
      }
      return pass(`Containers use the daemon's "dns" servers ${servers.join(', ')}.`, { evidence });
    }
    const read = fileDockerReads(dns);
    const ipv6 = settingBoolean(view.setting('ipv6')) === true;
    const evidence: Evidence[] = [
      settingEvidence('dns', configured, { value: null, detail: 'no "dns" in daemon.json or flags: containers get the host\'s resolv.conf' }),
      ...nameserverEvidence(dns.resolvConf),
      { label: 'file dockerd reads', value: read.path, source: { kind: 'default', detail: read.why } },
    ];
    if (dns.upstream && read.conf === dns.upstream) evidence.push(...nameserverEvidence(dns.upstream));
    if (!read.conf) {
      return fail(`dockerd reads ${read.path} (127.0.0.53 is the only nameserver in ${dns.resolvConf.path}), but that file does not exist: containers on the default bridge get Google's 8.8.8.8 and 8.8.4.4.`, { evidence, fix });
    }
    const usable = read.conf.nameservers.filter((n) => survives(n.address, ipv6)).map((n) => n.address);
    if (usable.length > 0) return pass(`Containers on the default bridge use ${usable.join(', ')} from ${read.path}.`, { evidence });
    const listed = read.conf.nameservers.map((n) => n.address);
    const why = listed.length > 0 ? `${read.path} lists only ${listed.join(', ')}, which dockerd drops (loopback${ipv6 ? '' : ', or IPv6 with IPv6 off'})` : `${read.path} lists no nameserver`;
    return fail(`Containers on the default bridge and \`docker build\` steps get Google's public DNS (8.8.8.8, 8.8.4.4): ${why}.${fix ? ` systemd-resolved's upstream servers are ${upstreamServers.join(', ')}.` : ''}`, { evidence, fix });
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * MTU
 * ---------------------------------------------------------------------------------------------------------------- */

/** The MTU containers on the default bridge get: the running network's option, else the configured "mtu", else 1500. */
function bridgeMtu(facts: Facts): { mtu: number; evidence: Evidence[] } {
  const option = facts.bridgeNetwork.ok ? facts.bridgeNetwork.value.options['com.docker.network.driver.mtu'] : undefined;
  if (option && /^\d+$/.test(option)) return { mtu: Number(option), evidence: [{ label: 'com.docker.network.driver.mtu (default bridge network)', value: Number(option), source: BRIDGE_API }] };
  // Without the running bridge or the configuration, 1500 would be a guess.
  if (!facts.daemonConfig.ok) need(facts.bridgeNetwork, 'the default bridge network');
  const unavailable: Evidence[] = facts.bridgeNetwork.ok
    ? []
    : [{ label: 'default bridge network (running daemon)', value: `unavailable: ${facts.bridgeNetwork.error.message}; judged from the configuration`, source: BRIDGE_API }];
  const configured = daemonView(facts).setting('mtu');
  const value = Number(configured?.value);
  if (configured && Number.isInteger(value) && value > 0) return { mtu: value, evidence: [...unavailable, settingEvidence('mtu', configured, { value: 1500, detail: '' })] };
  return { mtu: 1500, evidence: [...unavailable, settingEvidence('mtu', null, { value: 1500, detail: "dockerd's default bridge MTU" })] };
}

export const networkMtu: Check = {
  id: 'network.mtu',
  title: "The bridge MTU is not larger than the uplink's",
  category: 'network',
  severity: 'medium',
  rationale:
    "Containers on the default bridge send packets up to the bridge MTU (1500 unless \"mtu\" is set). When the host's uplink carries less (VPNs, WireGuard, overlay and cloud networks often use 1380-1460), full-size packets must be fragmented or answered with ICMP 'fragmentation needed'. Where that ICMP is filtered, connections hang after the handshake: TLS downloads, git clone, apt-get and docker build stall inside containers while everything works on the host, whose own packets already fit.",
  remediation:
    'Set "mtu" in daemon.json to the uplink MTU (or lower) and restart the daemon; it applies to the default bridge. User-defined networks (docker compose creates one per project) take "default-network-opts": {"bridge": {"com.docker.network.driver.mtu": "<mtu>"}} (Engine 24.0+) or driver_opts com.docker.network.driver.mtu per network.',
  references: [
    docs('Bridge network driver options', 'https://docs.docker.com/engine/network/drivers/bridge/#options'),
    docs('dockerd reference: daemon configuration file', 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.mtu',
  applies: hostNetworkDoesNotApply,
  evaluate(facts) {
    const net = need(facts.hostNetwork, 'host interfaces and routes');
    if (!net.defaultRoute) return skipped('no IPv4 default route in /proc/net/route: there is no uplink to compare the bridge MTU with');
    const iface = net.defaultRoute.iface;
    const uplink = net.interfaces.find((i) => i.name === iface);
    if (!uplink || uplink.mtu === null) return errored(`the MTU of ${iface}, the default route's interface, could not be read from /sys/class/net/${iface}/mtu`);
    const bridge = bridgeMtu(facts);
    const bridgeName = (facts.bridgeNetwork.ok ? facts.bridgeNetwork.value.options['com.docker.network.bridge.name'] : undefined) ?? 'docker0';
    const bridgeIface = net.interfaces.find((i) => i.name === bridgeName);
    const evidence: Evidence[] = [
      { label: `uplink ${iface} MTU (default route${net.defaultRoute.gateway ? ` via ${net.defaultRoute.gateway}` : ''})`, value: uplink.mtu, source: { kind: 'file', path: `/sys/class/net/${iface}/mtu` } },
      ...bridge.evidence,
      ...(bridgeIface?.mtu ? [{ label: `${bridgeName} interface MTU (this host)`, value: bridgeIface.mtu, source: { kind: 'file', path: `/sys/class/net/${bridgeName}/mtu` } as Source }] : []),
    ];
    if (bridge.mtu > uplink.mtu) {
      return fail(`The default bridge MTU (${bridge.mtu}) is larger than the uplink ${iface}'s (${uplink.mtu}): full-size packets from containers do not fit, and connections can hang where ICMP is filtered.`, {
        evidence,
        fix: { id: 'daemon.mtu', params: { mtu: uplink.mtu } },
      });
    }
    return pass(`The default bridge MTU (${bridge.mtu}) fits the uplink ${iface} (${uplink.mtu}).`, { evidence });
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * iptables FORWARD policy
 * ---------------------------------------------------------------------------------------------------------------- */

/**
 * Interfaces of other things the host forwards for: libvirt/KVM (virbr, vnet, tap), plain Linux bridges (br0, vmbr for
 * Proxmox), LXC/LXD/Incus, Kubernetes CNIs. Docker's own bridges are excluded by the caller.
 */
const OTHER_FORWARDING = /^(virbr\d+|vnet\d+|tap\d+|br\d+|br-.+|vmbr\d+|lxcbr\d+|lxdbr\d+|incusbr\d+|cni\d+|cbr\d+|flannel\.\d+|cali[0-9a-f]+|weave|kube-bridge)$/;

export const networkForwardPolicy: Check = {
  id: 'network.forward-policy',
  title: "Docker's FORWARD DROP policy does not cut off other forwarded traffic",
  category: 'network',
  severity: 'medium',
  rationale:
    "When dockerd has to turn on IPv4 forwarding itself (net.ipv4.ip_forward was 0 when it started) and manages iptables, it also sets the filter table's FORWARD policy to DROP (since Engine 1.13), so the host does not route arbitrary traffic into containers. Docker's own bridges keep working through the ACCEPT rules it adds. Everything else this host forwards does not: VMs on a libvirt/KVM or Proxmox bridge (once br_netfilter passes bridged frames through iptables), LXC/LXD/Incus containers, Kubernetes CNI bridges, a host acting as a router. If forwarding was already on when dockerd started, it leaves the policy alone. On a host that forwards only for Docker, DROP is the intended, safer default.",
  remediation:
    "Accept the other traffic in the DOCKER-USER chain, which Docker evaluates first and never rewrites, e.g. `iptables -I DOCKER-USER -i br0 -o br0 -j ACCEPT` for a bridge with VMs (persist it with your firewall tooling). Alternatively, on Engine 28.0+ set \"ip-forward-no-drop\": true, or enable net.ipv4.ip_forward at boot (/etc/sysctl.d) so dockerd leaves the policy alone; then your own firewall must keep unpublished container ports unreachable from the network.",
  references: [
    docs('Packet filtering and firewalls', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/'),
    docs('Docker with iptables: Docker on a router', 'https://docs.docker.com/engine/network/firewall-iptables/'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies(facts) {
    const host = hostNetworkDoesNotApply(facts);
    if (host) return host;
    if (settingBoolean(daemonView(facts).setting('iptables')) === false) return 'Docker does not manage iptables ("iptables": false): the FORWARD policy is the host\'s own choice';
    return null;
  },
  evaluate(facts) {
    const fw = need(facts.iptables, 'the iptables FORWARD policy');
    const evidence: Evidence[] = [
      { label: 'FORWARD policy', value: fw.forwardPolicy, source: { kind: 'command', command: fw.command } },
      settingEvidence('iptables', daemonView(facts).setting('iptables'), { value: true, detail: 'Docker manages iptables unless "iptables": false' }),
    ];
    if (fw.forwardPolicy !== 'DROP') return pass(`The FORWARD policy is ${fw.forwardPolicy}: no DROP policy stands in the way of traffic this host forwards for others.`, { evidence });
    if (!facts.hostNetwork.ok) {
      return info(`The FORWARD policy is DROP; the interfaces could not be listed (${facts.hostNetwork.error.message}) to tell whether anything besides Docker forwards through this host.`, { evidence });
    }
    const ownBridge = dockerBridgeNames(facts);
    const others = facts.hostNetwork.value.interfaces.filter((i) => OTHER_FORWARDING.test(i.name) && !ownBridge(i.name));
    if (others.length === 0) {
      return pass("The FORWARD policy is DROP, Docker's default when it enables IP forwarding; no VM, LXC or other bridge interface was found, so nothing else depends on forwarding.", {
        evidence: [...evidence, { label: 'interfaces', value: facts.hostNetwork.value.interfaces.map((i) => i.name), source: { kind: 'file', path: '/sys/class/net' } }],
      });
    }
    const names = others.map((i) => i.name);
    return warn(
      `The FORWARD policy is DROP and this host also forwards for ${names.join(', ')}: their traffic is dropped unless a rule accepts it (libvirt's NAT networks add such rules with its iptables backend; bridged VMs, LXD bridges and libvirt's nftables backend do not).`,
      { evidence: [...evidence, ...names.map((n) => ({ label: 'other forwarding interface', value: n, source: { kind: 'file', path: `/sys/class/net/${n}` } as Source }))] },
    );
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * Address pools and bip vs host routes
 * ---------------------------------------------------------------------------------------------------------------- */

/** dockerd's local-scope default pools (libnetwork ipamutils): 172.17-31.0.0/16 and 192.168.0.0/16 split into /20s. */
const DEFAULT_POOLS = ['172.17.0.0/16', '172.18.0.0/16', '172.19.0.0/16', '172.20.0.0/14', '172.24.0.0/14', '172.28.0.0/14', '192.168.0.0/16'];

interface DockerRange {
  cidr: Cidr;
  what: string;
  /** Every setting or API answer that puts Docker on this range (the running bridge and the bip that made it). */
  evidence: Evidence[];
  /** Docker uses it whatever the routes say (bip, fixed-cidr, an existing network), or picks from it avoiding on-link routes. */
  kind: 'fixed' | 'pool';
}

function poolBases(setting: SettingValue): string[] {
  const values = Array.isArray(setting.value) ? setting.value : [setting.value];
  return values.flatMap((p) => {
    if (typeof p === 'object' && p !== null && typeof (p as Record<string, unknown>).base === 'string') return [(p as Record<string, string>).base!];
    // --default-address-pool base=10.10.0.0/16,size=24
    const m = typeof p === 'string' ? /(?:^|,)base=([^,]+)/.exec(p) : null;
    return m ? [m[1]!] : [];
  });
}

function dockerRanges(facts: Facts): DockerRange[] {
  const view = daemonView(facts);
  const ranges: DockerRange[] = [];
  const add = (text: string, what: string, evidence: Evidence, kind: DockerRange['kind']) => {
    const cidr = parseCidr(text);
    if (!cidr) return;
    // fixed-cidr lies inside the bridge subnet and bip names it: one range, with every setting that put Docker there.
    const same = ranges.find((r) => r.kind === kind && (r.cidr.text === cidr.text || (kind === 'fixed' && r.cidr.prefix <= cidr.prefix && overlaps(r.cidr, cidr))));
    if (same) same.evidence.push(evidence);
    else ranges.push({ cidr, what, evidence: [evidence], kind });
  };
  if (facts.bridgeNetwork.ok) {
    for (const subnet of facts.bridgeNetwork.value.subnets) add(subnet, 'the default bridge network', { label: 'default bridge subnet', value: subnet, source: BRIDGE_API }, 'fixed');
  }
  for (const key of ['bip', 'fixed-cidr'] as const) {
    const setting = view.setting(key);
    const text = settingStrings(setting)[0];
    if (setting && text) add(text, `"${key}"`, settingEvidence(key, setting, { value: null, detail: '' }), 'fixed');
  }
  const pools = view.setting('default-address-pools');
  if (pools) {
    const evidence = settingEvidence('default-address-pools', pools, { value: null, detail: '' });
    for (const base of poolBases(pools)) add(base, 'the "default-address-pools" pool', evidence, 'pool');
  } else {
    for (const base of DEFAULT_POOLS) add(base, "Docker's default address pool", { label: 'default address pool (not configured)', value: base, source: { kind: 'default', detail: "dockerd's built-in pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s" } }, 'pool');
  }
  return ranges;
}

type HostRoute = HostNetworkFact['routes'][number];

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function routeEvidence(route: HostRoute): Evidence {
  return { label: `host route via ${route.iface}${route.gateway ? ` (gateway ${route.gateway})` : ' (on-link)'}`, value: route.destination, source: { kind: 'file', path: '/proc/net/route' } };
}

export const networkAddressPools: Check = {
  id: 'network.address-pools',
  title: "Docker's subnets do not overlap the host's routes",
  category: 'network',
  severity: 'medium',
  rationale:
    "Docker routes its bridge subnets to its own bridges. When one overlaps a network the host reaches through another interface (the office LAN, a VPN, a cloud VPC peering), the more specific route wins: containers, and often the host itself, can no longer reach that part of the network, and the symptom is a timeout to one internal range only. \"bip\", \"fixed-cidr\" and existing networks are used whatever the routes say. New networks come from \"default-address-pools\" (172.17-31.0.0/16 and 192.168.0.0/16 by default); dockerd skips subnets that overlap on-link routes when it allocates them, but not routes through a gateway (VPN split tunnels, routed corporate ranges), nor routes that appear later.",
  remediation:
    'Move Docker out of the way: set "bip" (e.g. "10.200.0.1/24") and "default-address-pools" (e.g. [{"base": "10.201.0.0/16", "size": 24}]) in daemon.json to a range no host route uses, restart the daemon, and re-create the networks that overlap (`docker network rm`, `docker compose up` again).',
  references: [
    docs('dockerd reference: daemon configuration file', 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file'),
    docs('Bridge network driver', 'https://docs.docker.com/engine/network/drivers/bridge/'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies: hostNetworkDoesNotApply,
  evaluate(facts) {
    const net = need(facts.hostNetwork, 'host interfaces and routes');
    const ownBridge = dockerBridgeNames(facts);
    const routes = net.routes.filter((r) => !ownBridge(r.iface) && !r.destination.endsWith('/0'));
    const ranges = dockerRanges(facts);
    const results: CheckResult[] = [];
    const skippedByDocker: Evidence[] = [];
    for (const range of ranges) {
      for (const route of routes) {
        const dest = parseCidr(route.destination);
        if (!dest || !overlaps(range.cidr, dest)) continue;
        const target = `${range.cidr.text}:${route.destination}`;
        const evidence = [...range.evidence, routeEvidence(route)];
        if (range.kind === 'fixed') {
          results.push(fail(`${capitalized(range.what)} (${range.cidr.text}) overlaps the host route to ${route.destination} via ${route.iface}: containers cannot reach the overlapping addresses.`, { target, evidence }));
        } else if (route.gateway) {
          results.push(
            warn(`${capitalized(range.what)} ${range.cidr.text} overlaps the route to ${route.destination} through gateway ${route.gateway} (${route.iface}): dockerd avoids only on-link routes, so a new network (docker compose creates one per project) can take those addresses and cut containers off from them.`, { target, evidence }),
          );
        } else {
          skippedByDocker.push({ label: `pool ${range.cidr.text} overlaps on-link route ${route.destination} (${route.iface})`, value: 'dockerd skips these subnets when allocating', source: { kind: 'file', path: '/proc/net/route' } });
        }
      }
    }
    if (results.length > 0) return results;
    return pass(`None of Docker's subnets (${ranges.map((r) => r.cidr.text).join(', ')}) collides with the ${routes.length} host route${routes.length === 1 ? '' : 's'} outside Docker's bridges.`, {
      evidence: [...new Set(ranges.flatMap((r) => r.evidence)), ...routes.map(routeEvidence), ...skippedByDocker],
    });
  },
};

export const NETWORK_CHECKS: readonly Check[] = [proxyConsistent, proxyNoProxy, dnsHostResolvers, networkMtu, networkForwardPolicy, networkAddressPools];
