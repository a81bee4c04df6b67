import { isIP } from 'node:net';
import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { DesktopFact } from '../../shared/facts/desktop';
import type { CheckResult, Evidence, FixRef } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { compareMinor } from '../preflight/engine-version';
import { parseJsonDocument } from '../preflight/json-document';
import { isDesktop } from '../check-kit/applicability';
import { daemonView } from '../check-kit/daemon-view';
import { docs } from './references';
import { INFO, fail, info, need, pass, warn } from '../check-kit/result';
import { parseCidr, overlaps, isLoopback, remoteDaemon, internalDomains } from './network-helpers';

/* ------------------------------------------------------------------------------------------------------------------
 * Proxy: every place a proxy can be set, what dockerd ends up with, and what disagrees
 * ---------------------------------------------------------------------------------------------------------------- */

export type ProxyVar = 'http' | 'https' | 'no';
const PROXY_VARS: readonly ProxyVar[] = ['http', 'https', 'no'];
/** Go's httpproxy.FromEnvironment reads the upper-case name first and falls back to the lower-case one. */
const ENV_NAMES: Record<ProxyVar, readonly [string, string]> = {
  http: ['HTTP_PROXY', 'http_proxy'],
  https: ['HTTPS_PROXY', 'https_proxy'],
  no: ['NO_PROXY', 'no_proxy'],
};
const DAEMON_KEYS: Record<ProxyVar, string> = { http: 'http-proxy', https: 'https-proxy', no: 'no-proxy' };
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
  return { label: `${value.name} (${where})`, value: maskSecretsInText(value.value), source: value.source };
}

function describeSettings(settings: ProxySettings): string {
  const parts = PROXY_VARS.filter((v) => settings[v]).map((v) => `${ENV_NAMES[v][0]}=${maskSecretsInText(settings[v]!.value)}`);
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

/**
 * The variables two consumers' settings differ in, when they differ in a proxy: containers, the CLI and the daemon
 * need different NO_PROXY lists (containers must bypass localhost and host.docker.internal, Go never proxies loopback),
 * so NO_PROXY alone differing is not "a different proxy" — proxy.no-proxy judges each consumer's list against its needs.
 * When the proxies differ too, NO_PROXY's difference is shown beside them.
 */
function proxyDifferences(a: ProxySettings, b: ProxySettings): ProxyVar[] {
  const vars = differing(a, b);
  return vars.some((v) => v !== 'no') ? vars : [];
}

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
  const vars = proxyDifferences(p.client.settings, p.effective);
  if ((!clientHas && !daemonHas) || vars.length === 0) return null;
  const client = { settings: p.client.settings, where: `~/.docker/config.json "${p.client.entry}"`, unset: { kind: 'file', path: clientConfigPath(facts) } as Source };
  const options = { target: 'client-vs-daemon', evidence: pairEvidence(vars, daemonSide(p), client) };
  if (clientHas && daemonHas) return warn("Containers and builds get a different proxy (from the client's config.json) than the daemon uses for pulls: one of the two is probably out of date.", options);
  if (daemonHas) return info('The daemon pulls through a proxy, but containers and builds get none (no "proxies" in the client\'s config.json): a RUN step that downloads will fail if the proxy is the only way out.', options);
  return info("Containers and builds get a proxy from the client's config.json, but the daemon itself uses none for pulls.", options);
}

function environmentVsDaemon(p: ProxyPicture): CheckResult | null {
  if (!p.env || !hasProxy(p.env)) return null;
  const vars = proxyDifferences(p.env, p.effective);
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

const internalHosts = (domains: string[]) => domains.map((d) => ({ host: `registry.${d}`, shown: `names under ${d}` }));
/** What every container tool should reach directly: this machine, by each of its names. */
const LOCAL_HOSTS = [
  { host: 'localhost', shown: 'localhost' },
  { host: '127.0.0.1', shown: '127.0.0.1' },
  { host: 'host.docker.internal', shown: 'host.docker.internal' },
];

/**
 * Docker Desktop's manual proxy bypass list, judged like the daemon's NO_PROXY: it must cover this machine's names and
 * the internal domains. Desktop's own check (desktop.proxy-exclusions) reports it, proxy.no-proxy does not repeat it.
 */
export function judgeDesktopBypass(desktop: DesktopFact, domains: string[]): CheckResult | null {
  const { proxy, settingsPath } = desktop;
  const source: Source = { kind: 'file', path: settingsPath };
  const settings: ProxySettings = {};
  if (proxy.http) settings.http = { name: 'proxyHttp', value: proxy.http, source };
  if (proxy.https) settings.https = { name: 'proxyHttps', value: proxy.https, source };
  // Desktop's field takes commas; older Windows builds also accepted semicolons and spaces.
  const entries = (proxy.exclude ?? '').split(/[,;\s]+/).filter(Boolean);
  if (entries.length > 0) settings.no = { name: 'proxyExclude', value: entries.join(','), source };
  return evaluateNoProxyScope({ target: 'desktop', label: 'Docker Desktop', who: 'Docker Desktop (its proxy bypass list)', settings, required: [...LOCAL_HOSTS, ...internalHosts(domains)], semantics: 'common', writeTo: settingsPath });
}

function noProxyScopes(facts: Facts, p: ProxyPicture, domains: string[]): NoProxyScope[] {
  const internal = internalHosts(domains);
  const scopes: NoProxyScope[] = [];
  const daemonNoProxySource = p.configured.no?.source ?? p.effective.no?.source;
  const daemonWrite = daemonNoProxySource?.kind === 'file' ? daemonNoProxySource.path : 'a docker.service drop-in (or daemon.json "proxies" on 23.0+)';
  scopes.push({ target: 'daemon', label: 'daemon', who: "the daemon's pulls and pushes", settings: p.effective, required: internal, semantics: 'go', writeTo: daemonWrite });
  if (p.client) scopes.push({ target: 'containers', label: 'containers and builds', who: 'containers and builds (~/.docker/config.json)', settings: p.client.settings, required: [...LOCAL_HOSTS, ...internal], semantics: 'common', writeTo: clientConfigPath(facts) });
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

/**
 * The fix for a NO_PROXY gap: the daemon's proxy rewritten with the new NO_PROXY (daemon.proxy), Desktop's exclusion
 * list, or none where the file is not one a fix may write (the client's config.json, the shell's environment).
 */
function fixFor(scope: NoProxyScope, add: string[], value: string): FixRef | null {
  if (scope.target === 'daemon') return { id: 'daemon.proxy', params: { no: value, add } };
  if (scope.target === 'desktop') return { id: 'desktop.settings', params: { file: scope.writeTo, key: 'overrideProxyExclude', value } };
  return null;
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
    evidence.push({ label: `NO_PROXY to write (${scope.writeTo})`, value, source: { kind: 'default', detail: 'the current entries, then the missing ones' } });
    return fail(`NO_PROXY for ${scope.who} does not cover ${missing.join(', ')}: those requests go to the proxy, which usually cannot reach them (or should not see them).`, {
      target: scope.target,
      evidence,
      fix: fixFor(scope, add, value),
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
  fixId: 'daemon.proxy',
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
