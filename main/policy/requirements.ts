import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { JsonValue } from '../../shared/json';
import type { RequiredValue } from '../../shared/policy';
import type { Source } from '../../shared/source';
import { daemonView } from '../check-kit/daemon-view';
import { goBypassesProxy } from '../check-kit/no-proxy';
import { proxyPicture } from '../check-kit/proxy';
import { fail, INFO, need, pass, Unavailable } from '../check-kit/result';
import type { LoadedPolicy } from './load';
import { REQUIRED_VALUE } from './meta';

interface Actual {
  value: JsonValue | undefined;
  /** How the value is labelled in evidence: where it was set, or that dockerd's default applies. */
  label: string;
  source: Source;
}

/** What dockerd uses for a key nobody set, where it is one fixed value (not picked at start from the kernel). */
const DOCKERD_DEFAULTS: Record<string, JsonValue> = {
  'log-driver': 'json-file',
  'log-level': 'info',
  'live-restore': false,
  icc: true,
  'userland-proxy': true,
  iptables: true,
  'ip-forward': true,
  experimental: false,
  debug: false,
  'no-new-privileges': false,
  'selinux-enabled': false,
};

/** What the running daemon reports for a key (live audits), where /info says it. */
function reported(facts: Facts, key: string): JsonValue | undefined {
  if (!facts.info.ok) return undefined;
  const i = facts.info.value;
  const byKey: Record<string, JsonValue> = {
    'log-driver': i.loggingDriver,
    'storage-driver': i.driver,
    'live-restore': i.liveRestoreEnabled,
    experimental: i.experimentalBuild,
    'data-root': i.dockerRootDir,
    'registry-mirrors': i.registryMirrors,
    'insecure-registries': i.insecureRegistries,
  };
  return byKey[key];
}

/** The value in effect: the configuration (flag, else daemon.json, with its line), else what the daemon reports, else the default. */
function actualValue(facts: Facts, key: string): Actual {
  const setting = daemonView(facts).setting(key);
  if (setting)
    return { value: setting.value as JsonValue, label: setting.origin === 'flag' ? 'dockerd flag' : 'daemon.json', source: setting.source };
  const running = reported(facts, key);
  if (running !== undefined) return { value: running, label: 'running daemon', source: INFO };
  if (key in DOCKERD_DEFAULTS)
    return {
      value: DOCKERD_DEFAULTS[key],
      label: 'not set: dockerd default',
      source: { kind: 'default', detail: `"${key}" is not set; dockerd uses ${JSON.stringify(DOCKERD_DEFAULTS[key])}` },
    };
  return {
    value: undefined,
    label: 'not set',
    source: { kind: 'default', detail: `"${key}" is not set in daemon.json or the dockerd flags` },
  };
}

/** Flags carry text ("true", "3"); JSON carries types. Scalars compare by their text so both forms of one value agree. */
function sameScalar(a: JsonValue | undefined, b: JsonValue): boolean {
  return a !== undefined && a !== null && typeof a !== 'object' && String(a) === String(b);
}

function asList(v: JsonValue | undefined): JsonValue[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

function deepEqual(a: JsonValue | undefined, b: JsonValue): boolean {
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length && b.every((x, i) => deepEqual(a[i], x));
  if (b && typeof b === 'object') {
    if (!a || typeof a !== 'object' || Array.isArray(a)) return false;
    const keys = Object.keys(b);
    return keys.length === Object.keys(a).length && keys.every((k) => deepEqual(a[k], b[k]!));
  }
  return sameScalar(a, b);
}

/** Whether the actual value satisfies the requirement, and the requirement in words. */
export function matches(actual: JsonValue | undefined, required: RequiredValue): { ok: boolean; wanted: string } {
  const show = (v: JsonValue) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (Array.isArray(required)) return { ok: deepEqual(asList(actual), required), wanted: show(required) };
  if (typeof required !== 'object')
    return { ok: sameScalar(Array.isArray(actual) && actual.length === 1 ? actual[0] : actual, required), wanted: show(required) };
  if ('present' in required)
    return {
      ok:
        asList(actual).length > 0 && !(actual && typeof actual === 'object' && !Array.isArray(actual) && Object.keys(actual).length === 0),
      wanted: 'set (any value)',
    };
  if ('equals' in required) return { ok: deepEqual(actual, required.equals), wanted: show(required.equals) };
  if ('oneOf' in required)
    return { ok: required.oneOf.some((v) => sameScalar(actual, v)), wanted: `one of ${required.oneOf.map(show).join(', ')}` };
  const wanted = required.includes;
  if (Array.isArray(wanted)) {
    const have = asList(actual);
    return { ok: wanted.every((w) => have.some((h) => sameScalar(h, w))), wanted: `a list including ${wanted.map(show).join(', ')}` };
  }
  const obj = actual && typeof actual === 'object' && !Array.isArray(actual) ? actual : {};
  return { ok: Object.entries(wanted).every(([k, v]) => deepEqual(obj[k], v)), wanted: `an object including ${show(wanted)}` };
}

function policySource(policy: LoadedPolicy, key: string): Source {
  return { kind: 'file', path: policy.path, line: policy.requireLines[key] };
}

function daemonRequirement(facts: Facts, policy: LoadedPolicy, key: string, required: RequiredValue): CheckResult {
  need(facts.daemonConfig, 'the daemon configuration');
  const actual = actualValue(facts, key);
  const { ok, wanted } = matches(actual.value, required);
  const shown = actual.value === undefined ? 'not set' : typeof actual.value === 'string' ? actual.value : JSON.stringify(actual.value);
  const evidence: Evidence[] = [
    { label: `${key} (${actual.label})`, value: actual.value ?? null, source: actual.source },
    { label: 'required by the policy', value: wanted, source: policySource(policy, key) },
  ];
  return ok
    ? pass(`${key} is ${shown}, as the policy requires.`, { target: key, evidence })
    : fail(`${key} is ${shown}${actual.label.startsWith('not set') ? ` (${actual.label})` : ''}; the policy requires ${wanted}.`, {
        target: key,
        evidence,
      });
}

/** NO_PROXY covers a domain when Go goes direct to its subdomains and, unless written with a leading dot, to itself. */
function covers(noProxy: string, domain: string): boolean {
  const subdomainsOnly = /^(\*)?\./.test(domain);
  const bare = domain.replace(/^\*?\./, '').toLowerCase();
  return goBypassesProxy(noProxy, `dockhand-probe.${bare}`) && (subdomainsOnly || goBypassesProxy(noProxy, bare));
}

function noProxyRequirement(facts: Facts, policy: LoadedPolicy, domains: readonly string[]): CheckResult {
  const picture = proxyPicture(facts);
  const no = picture.effective.no;
  const value = no?.value ?? '';
  const missing = domains.filter((d) => !covers(value, d));
  const evidence: Evidence[] = [
    no
      ? { label: `NO_PROXY (${no.name})`, value: no.value, source: no.source }
      : {
          label: 'NO_PROXY',
          value: null,
          source: picture.running ? INFO : { kind: 'default', detail: 'NO_PROXY is not set for the daemon' },
        },
    { label: 'domains the policy requires in NO_PROXY', value: [...domains], source: policySource(policy, 'no-proxy') },
  ];
  if (missing.length === 0)
    return pass(`The daemon's NO_PROXY covers ${domains.join(', ')}, as the policy requires.`, { target: 'no-proxy', evidence });
  const proxied = picture.effective.http || picture.effective.https ? '' : ' (no proxy is set either, but the policy requires the entries)';
  return fail(
    `The daemon's NO_PROXY ${no ? `(${value}) does not cover` : 'is not set, so it does not cover'} ${missing.join(', ')}${proxied}.`,
    { target: 'no-proxy', evidence },
  );
}

/** The policy's `require` section as one check, one result per required key: a pure function of the facts, like every check. */
export function requiredValuesCheck(policy: LoadedPolicy): Check | null {
  const daemon = policy.policy.require?.daemon ?? {};
  const noProxy = policy.policy.require?.['no-proxy'];
  if (Object.keys(daemon).length === 0 && !noProxy) return null;
  return {
    ...REQUIRED_VALUE,
    evaluate(facts) {
      const results = Object.entries(daemon).map(([key, required]) => guard(key, () => daemonRequirement(facts, policy, key, required)));
      if (noProxy) results.push(guard('no-proxy', () => noProxyRequirement(facts, policy, noProxy)));
      return results;
    },
  };
}

/** One requirement whose fact is missing is skipped (or an error) on its own, not the whole check. */
function guard(target: string, evaluate: () => CheckResult): CheckResult {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof Unavailable) return { ...error.result, target };
    throw error;
  }
}
