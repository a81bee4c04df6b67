import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { DesktopFact } from '../../shared/facts/desktop';
import type { CheckResult, Evidence, FixRef } from '../../shared/finding';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { isDesktop } from '../check-kit/applicability';
import { docs } from './references';
import { INFO, fail, info, pass, warn } from '../check-kit/result';
import { internalDomains } from './network-helpers';
import { commonBypass, goBypassesProxy, noProxyEntries } from '../check-kit/no-proxy';
import {
  DAEMON_KEYS,
  ENV_NAMES,
  PROXY_VARS,
  proxyPicture,
  type ProxyPicture,
  type ProxySettings,
  type ProxyValue,
  type ProxyVar,
  sameProxyValue,
} from '../check-kit/proxy';

/* ------------------------------------------------------------------------------------------------------------------
 * Proxy: every place a proxy can be set, what dockerd ends up with, and what disagrees
 * ---------------------------------------------------------------------------------------------------------------- */

function proxyEvidence(value: ProxyValue, where: string): Evidence {
  return { label: `${value.name} (${where})`, value: maskSecretsInText(value.value), source: value.source };
}

function describeSettings(settings: ProxySettings): string {
  const parts = PROXY_VARS.filter((v) => settings[v]).map((v) => `${ENV_NAMES[v][0]}=${maskSecretsInText(settings[v]!.value)}`);
  return parts.length > 0 ? parts.join(', ') : 'no proxy';
}

const hasProxy = (s: ProxySettings) => Boolean(s.http || s.https);

function effectiveEvidence(p: ProxyPicture): Evidence[] {
  const where = p.running ? 'running daemon' : 'configured';
  const shown = PROXY_VARS.filter((v) => p.effective[v]).map((v) => proxyEvidence(p.effective[v]!, where));
  const evidence =
    shown.length > 0
      ? shown
      : [
          {
            label: `daemon proxy (${where})`,
            value: 'none',
            source: p.running ? INFO : ({ kind: 'default', detail: 'no proxy is set for the daemon' } as Source),
          },
        ];
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
function pairEvidence(
  vars: ProxyVar[],
  a: { settings: ProxySettings; where: string; unset: Source },
  b: { settings: ProxySettings; where: string; unset: Source },
): Evidence[] {
  const side = (v: ProxyVar, s: typeof a): Evidence =>
    s.settings[v]
      ? proxyEvidence(s.settings[v]!, s.where)
      : { label: `${ENV_NAMES[v][0]} (${s.where})`, value: 'not set', source: s.unset };
  return vars.flatMap((v) => [side(v, a), side(v, b)]);
}

function daemonSide(p: ProxyPicture, where = 'daemon') {
  return {
    settings: p.effective,
    where,
    unset: p.running ? INFO : ({ kind: 'default', detail: "not set in the daemon's configuration" } as Source),
  };
}

function runningVsConfigured(facts: Facts, p: ProxyPicture): CheckResult | null {
  if (!p.running) return null;
  const vars = differing(p.running, p.configured, (v) => p.configuredKnown[v]);
  if (vars.length === 0) return null;
  const names = vars.map((v) => ENV_NAMES[v][0]).join(', ');
  const apply = isDesktop(facts)
    ? 'Apply & restart in Docker Desktop'
    : 'a daemon restart (`systemctl daemon-reload && systemctl restart docker`)';
  return warn(
    `The running daemon's ${names} differ from what its configuration gives it: the change waits for ${apply}, or the value comes from a place Dockhand did not read.`,
    {
      target: 'running-vs-configured',
      evidence: pairEvidence(vars, daemonSide(p, 'running daemon'), {
        settings: p.configured,
        where: 'configured',
        unset: { kind: 'default', detail: 'not set where the daemon is configured' },
      }),
    },
  );
}

function daemonJsonVsUnit(p: ProxyPicture): CheckResult | null {
  const unit = p.unit?.settings ?? {};
  const file = p.daemonConfig.settings;
  const vars = PROXY_VARS.filter(
    (v) => p.daemonConfig.supported && unit[v] && file[v] && !sameProxyValue(v, unit[v]!.value, file[v]!.value),
  );
  if (vars.length === 0) return null;
  return warn(
    `daemon.json sets ${vars.map((v) => DAEMON_KEYS[v]).join(', ')} differently from docker.service's environment: since Engine 23.0 dockerd uses daemon.json and overrides the environment, so the unit's values are dead configuration that misleads whoever reads it.`,
    {
      target: 'daemon-json-vs-service-unit',
      evidence: vars.flatMap((v) => [proxyEvidence(file[v]!, 'daemon.json, used'), proxyEvidence(unit[v]!, 'docker.service, overridden')]),
    },
  );
}

function unitCaseConflicts(p: ProxyPicture): CheckResult[] {
  return (p.unit?.caseConflicts ?? []).map((c) =>
    warn(
      `docker.service sets both ${c.upper.name} and ${c.lower.name}, to different values: dockerd (Go) uses ${c.upper.name}, while tools that read only the lower-case name (curl, wget, apt) use the other.`,
      {
        target: `service-unit-case:${ENV_NAMES[c.v][0]}`,
        evidence: [proxyEvidence(c.upper, 'docker.service, used by dockerd'), proxyEvidence(c.lower, 'docker.service')],
      },
    ),
  );
}

/** Containers and builds get the client's config.json proxies, the daemon pulls with its own. */
function clientVsDaemon(facts: Facts, p: ProxyPicture): CheckResult | null {
  if (!p.client) return null;
  const clientHas = hasProxy(p.client.settings);
  const daemonHas = hasProxy(p.effective);
  const vars = proxyDifferences(p.client.settings, p.effective);
  if ((!clientHas && !daemonHas) || vars.length === 0) return null;
  const client = {
    settings: p.client.settings,
    where: `~/.docker/config.json "${p.client.entry}"`,
    unset: { kind: 'file', path: clientConfigPath(facts) } as Source,
  };
  const options = { target: 'client-vs-daemon', evidence: pairEvidence(vars, daemonSide(p), client) };
  if (clientHas && daemonHas)
    return warn(
      "Containers and builds get a different proxy (from the client's config.json) than the daemon uses for pulls: one of the two is probably out of date.",
      options,
    );
  if (daemonHas)
    return info(
      'The daemon pulls through a proxy, but containers and builds get none (no "proxies" in the client\'s config.json): a RUN step that downloads will fail if the proxy is the only way out.',
      options,
    );
  return info("Containers and builds get a proxy from the client's config.json, but the daemon itself uses none for pulls.", options);
}

function environmentVsDaemon(p: ProxyPicture): CheckResult | null {
  if (!p.env || !hasProxy(p.env)) return null;
  const vars = proxyDifferences(p.env, p.effective);
  if (vars.length === 0) return null;
  return info(
    "Dockhand's own environment (the shell the docker CLI runs in) sets a proxy that differs from the daemon's: the CLI uses it to reach tcp:// daemons, the daemon never sees it.",
    {
      target: 'environment-vs-daemon',
      evidence: pairEvidence(vars, daemonSide(p), {
        settings: p.env,
        where: 'environment',
        unset: { kind: 'default', detail: 'not set in the environment' },
      }),
    },
  );
}

/** Each pair of sources that disagree, as one result with both values as evidence. */
function proxyDisagreements(facts: Facts, p: ProxyPicture): CheckResult[] {
  return [
    runningVsConfigured(facts, p),
    daemonJsonVsUnit(p),
    ...unitCaseConflicts(p),
    clientVsDaemon(facts, p),
    environmentVsDaemon(p),
  ].filter((r): r is CheckResult => r !== null);
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
    'A Docker proxy can be set in six places: docker.service\'s environment (drop-ins, EnvironmentFile), daemon.json "proxies" or --http-proxy flags (Engine 23.0+, which override the environment), what the running daemon actually loaded, the client\'s ~/.docker/config.json "proxies" (given to containers and builds), the shell environment of the docker CLI, and Docker Desktop\'s settings. When they disagree, pulls work and builds fail (or the reverse), a restart suddenly changes behaviour, or an edited file has no effect because another place wins.',
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
    const anything =
      hasProxy(picture.effective) ||
      Boolean(picture.effective.no) ||
      problems.length > 0 ||
      (picture.client && hasProxy(picture.client.settings));
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
  return evaluateNoProxyScope({
    target: 'desktop',
    label: 'Docker Desktop',
    who: 'Docker Desktop (its proxy bypass list)',
    settings,
    required: [...LOCAL_HOSTS, ...internalHosts(domains)],
    semantics: 'common',
    writeTo: settingsPath,
  });
}

function noProxyScopes(facts: Facts, p: ProxyPicture, domains: string[]): NoProxyScope[] {
  const internal = internalHosts(domains);
  const scopes: NoProxyScope[] = [];
  const daemonNoProxySource = p.configured.no?.source ?? p.effective.no?.source;
  const daemonWrite =
    daemonNoProxySource?.kind === 'file' ? daemonNoProxySource.path : 'a docker.service drop-in (or daemon.json "proxies" on 23.0+)';
  scopes.push({
    target: 'daemon',
    label: 'daemon',
    who: "the daemon's pulls and pushes",
    settings: p.effective,
    required: internal,
    semantics: 'go',
    writeTo: daemonWrite,
  });
  if (p.client)
    scopes.push({
      target: 'containers',
      label: 'containers and builds',
      who: 'containers and builds (~/.docker/config.json)',
      settings: p.client.settings,
      required: [...LOCAL_HOSTS, ...internal],
      semantics: 'common',
      writeTo: clientConfigPath(facts),
    });
  const endpoint = facts.endpoint.ok ? facts.endpoint.value : null;
  if (p.env && endpoint?.transport === 'tcp') {
    try {
      const daemonHost = new URL(endpoint.host).hostname.replace(/^\[|\]$/g, '');
      const settings: ProxySettings = { ...(endpoint.tls ? { https: p.env.https } : { http: p.env.http }), no: p.env.no };
      scopes.push({
        target: 'cli',
        label: 'docker CLI',
        who: `the docker CLI reaching ${endpoint.host}`,
        settings,
        required: [{ host: daemonHost, shown: daemonHost }],
        semantics: 'go',
        writeTo: 'the NO_PROXY environment variable',
      });
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
    ...(scope.settings.no
      ? []
      : [
          {
            label: `NO_PROXY (${scope.label})`,
            value: 'not set',
            source: { kind: 'default', detail: 'nothing bypasses the proxy' } as Source,
          },
        ]),
  ];
  if (noProxyEntries(noProxy).includes('*')) {
    return pass(`NO_PROXY is "*" for ${scope.who}: the proxy is bypassed for every host, so the proxy setting has no effect.`, {
      target: scope.target,
      evidence,
    });
  }
  const missing: string[] = [];
  const cidrOnly: string[] = [];
  for (const r of scope.required) {
    const verdict = scope.semantics === 'go' ? (goBypassesProxy(noProxy, r.host) ? 'yes' : 'no') : commonBypass(noProxy, r.host);
    if (verdict === 'no') missing.push(r.shown);
    if (verdict === 'cidr-only') cidrOnly.push(r.shown);
  }
  evidence.push({
    label: 'must bypass the proxy',
    value: scope.required.map((r) => r.shown),
    source: {
      kind: 'default',
      detail:
        scope.semantics === 'go'
          ? 'internal domains given to Dockhand; Go never proxies localhost or loopback addresses'
          : 'local names every container tool should reach directly, and the internal domains given to Dockhand',
    },
  });
  if (missing.length > 0) {
    // "corp.example" rather than ".corp.example": it covers the domain and its subdomains in every client.
    const add = missing.map((m) => m.replace(/^names under /, ''));
    const value = [...noProxyEntries(noProxy), ...add].join(',');
    evidence.push({
      label: `NO_PROXY to write (${scope.writeTo})`,
      value,
      source: { kind: 'default', detail: 'the current entries, then the missing ones' },
    });
    return fail(
      `NO_PROXY for ${scope.who} does not cover ${missing.join(', ')}: those requests go to the proxy, which usually cannot reach them (or should not see them).`,
      {
        target: scope.target,
        evidence,
        fix: fixFor(scope, add, value),
      },
    );
  }
  if (cidrOnly.length > 0) {
    return warn(
      `NO_PROXY for ${scope.who} covers ${cidrOnly.join(', ')} only through a CIDR, which Go, Python and curl 7.86+ understand but wget, busybox and older curl ignore.`,
      { target: scope.target, evidence },
    );
  }
  if (scope.required.length === 0) {
    return pass(
      `Nothing to check in NO_PROXY for ${scope.who}: Go never proxies localhost or loopback addresses, and no internal domains were given to Dockhand.`,
      { target: scope.target, evidence },
    );
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
    return pass('No HTTP or HTTPS proxy is set for the daemon, containers or the CLI: there is nothing for NO_PROXY to bypass.', {
      evidence: effectiveEvidence(picture),
    });
  },
};
