import type { Platform, RuleStage } from './daemon-options';
import { compareMinor, inRange } from './engine-version';
import { goSizeBytes, isDnsSearchDomain, isGoDuration, isGoIP, isGoSize, isNetworkAddress, parseGoCidr } from './go-values';
import type { HostFacts } from './host-facts';

/** The phrase every "dockerd starts, but no container can run" warning carries (tests and the UI look for it). */
export const CONTAINERS_FAIL = 'containers will fail to start';

/** What dockerd does when a rule fires. */
export type RuleEffect = 'refuses' | 'containers-fail' | 'warns';

export interface RuleContext {
  /** Minor version, e.g. "26.1". */
  version: string;
  platform: Platform;
  /** A key's value: the file's when set there (and not null), else what its flag gave, else undefined. */
  value(key: string): unknown;
  /** A key's value in the file only. */
  fileValue(key: string): unknown;
  /** A key's strings (list options: the file's list or the flag's repeated values). */
  strings(key: string): string[];
  /** A boolean option as dockerd resolves it: file, flag, or the default. */
  bool(key: string, fallback: boolean): boolean;
  /** The value given to a command-line flag, when it was given. */
  flag(name: string): string[] | undefined;
  /** The host's facts, when the caller knows them (null: the pre-flight must not guess). */
  host: HostFacts | null;
}

/** A rule that needs the host's facts to decide, asked without them: the pre-flight says what dockerd will check. */
export interface HostUnknown {
  unknown: string;
}

export interface StartRule {
  /** The option whose presence (in the file or by its flag) makes dockerd apply the rule. */
  key: string;
  /** Other options whose presence alone also makes dockerd apply it. */
  also?: readonly string[];
  since?: string;
  until?: string;
  platforms?: Platform[];
  stage: RuleStage;
  effect: RuleEffect;
  /** What dockerd requires, in a line. */
  check: string;
  /** Why the rule fires for this configuration (a message), null when it does not, or what the host must provide. */
  test(c: RuleContext): string | null | HostUnknown;
}

/** The host's answer; null when there is no host to ask or it cannot tell (the rule then says what dockerd will check). */
const ask = <T>(c: RuleContext, question: (host: HostFacts) => T | null): T | null => (c.host ? question(c.host) : null);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const q = (v: unknown) => JSON.stringify(v);
/** encoding/json matches struct field names case-insensitively. */
const field = (o: Record<string, unknown>, name: string): unknown => {
  const k = Object.keys(o).findLast((key) => key.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
};

/**
 * native.cgroupdriver as dockerd resolves it from exec-opts; "cgroupfs" when none is given. Given twice, the first one
 * wins before 28.0 and the last one from 28.0 (seen on 20.10, 26.1 and 28.5).
 */
function cgroupDriver(c: RuleContext): string {
  return cgroupDriverIn(c.strings('exec-opts'), c.version) ?? 'cgroupfs';
}

/** The native.cgroupdriver that exec-opts choose on `version`, as in cgroupDriver; undefined when they choose none. */
export function cgroupDriverIn(execOpts: readonly string[], version: string): string | undefined {
  const drivers: string[] = [];
  for (const opt of execOpts) {
    const [k, v] = opt.split('=', 2).map((s) => s.trim());
    if (k?.toLowerCase() === 'native.cgroupdriver' && v !== undefined) drivers.push(v);
  }
  return compareMinor(version, '28.0') < 0 ? drivers[0] : drivers.at(-1);
}

/** The built-in log drivers of Debian's docker.io builds (daemon/logdrivers_linux.go). */
const LOG_DRIVERS = ['none', 'local', 'json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'gcplogs', 'logentries'];

/** json-file and local options (daemon/logger/jsonfilelog, local) besides the generic mode / max-buffer-size. */
const LOG_OPTS: Record<string, string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
};

/** Storage drivers each engine is built with (daemon/graphdriver/register); the rest are unknown names. */
function storageDrivers(version: string): string[] {
  const all = ['overlay2', 'fuse-overlayfs', 'btrfs', 'zfs', 'vfs'];
  if (compareMinor(version, '24.0') < 0) all.push('aufs', 'overlay');
  if (compareMinor(version, '25.0') < 0) all.push('devicemapper');
  return all;
}

function registryHostProblem(entry: string, what: string): string | null {
  if (entry.includes('://')) return `${what} ${q(entry)} must not contain '://'`;
  if (entry.includes('/')) return parseGoCidr(entry) ? null : `${what} ${q(entry)} is not a valid CIDR`;
  const [host, port] = entry.split(/:(?=[^:]*$)/);
  if (!host || host.startsWith('-') || host.endsWith('-'))
    return `${what} ${q(entry)} is not a valid index name (it cannot begin or end with a hyphen)`;
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) <= 65535)) return `${what} ${q(entry)} has an invalid port`;
  return null;
}

function mirrorProblem(raw: string, version: string): string | null {
  // Quoted in messages with any credentials masked: a report must not carry a registry password.
  const mirror = raw.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, '$1***@');
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(mirror);
  if (!m) return `invalid mirror: ${q(mirror)} must be an http:// or https:// URL`;
  const [, scheme, authority, pathPart, query, fragment] = m;
  if (!['http', 'https'].includes(scheme!.toLowerCase())) return `invalid mirror: unsupported scheme ${q(scheme)} in ${q(mirror)}`;
  if (authority!.includes('@')) return `invalid mirror: username/password not allowed in ${q(mirror)}`;
  if (query || fragment) return `invalid mirror: query or fragment at the end of ${q(mirror)}`;
  // A path other than "/" became legal in 24.0.8 / 25.0.
  if (pathPart && pathPart !== '/' && compareMinor(version, '25.0') < 0)
    return `invalid mirror: path at the end of ${q(mirror)} (allowed from Docker Engine 25.0)`;
  return null;
}

/** Why dockerd's pool parser refuses one default-address-pools entry, or null. */
function poolProblem(pool: unknown, version: string): string | null {
  const o = obj(pool);
  if (!o) return null;
  const base = str(field(o, 'base')) ?? '';
  const size = field(o, 'size');
  const cidr = parseGoCidr(base);
  if (!cidr) return `default-address-pools base ${q(base)} is not a CIDR`;
  const bits = typeof size === 'number' ? size : 0;
  if (compareMinor(version, '27.0') < 0 && (bits <= 0 || bits > (cidr.family === 4 ? 32 : 128))) return `invalid pools size: ${bits}`;
  if (bits < cidr.bits) return `default-address-pools size /${bits} is smaller than its base's prefix /${cidr.bits}`;
  if (compareMinor(version, '27.0') >= 0 && bits > (cidr.family === 4 ? 32 : 128))
    return `default-address-pools size /${bits} is longer than an address`;
  return null;
}

/** The filter strings of builder.gc.policy[]. */
function gcFilters(c: RuleContext): string[] {
  const gc = obj(field(obj(c.value('builder')) ?? {}, 'gc'));
  const policies = gc ? field(gc, 'policy') : undefined;
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((p) => {
    const filter = obj(p) ? field(obj(p)!, 'filter') : undefined;
    return Array.isArray(filter) ? filter.filter((f): f is string => typeof f === 'string') : [];
  });
}

/** An MTU above 65535, which the kernel refuses for `what` (the engine decides when it sets it). */
function mtuTooLarge(c: RuleContext, what: string): string | null {
  const v = c.value('mtu');
  return typeof v === 'number' && v > 65535 ? `mtu ${v} is above 65535, which the kernel refuses for ${what}` : null;
}

const nonEmpty = (v: unknown) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(obj(v) && Object.keys(v as object).length === 0);

/**
 * The start-up rules of daemon-options.ts, each an executable predicate with its engine range (learned from moby's
 * daemon/config, cmd/dockerd and daemon/*_unix.go at the tags listed there, and proved on 20.10, 26.1 and 28.5 by the
 * recorded oracle, oracle-recording.json). Type and presence rules are not here: the option table's types,
 * since/until, enum/min/max and the unknown-key and flag/file conflict checks of preflight.ts carry them.
 */
const START_RULES: readonly StartRule[] = [
  {
    key: 'allow-nondistributable-artifacts',
    until: '28.1',
    stage: 'startup',
    effect: 'refuses',
    check: 'each entry is a CIDR or host[:port] without a scheme',
    test: (c) =>
      c
        .strings('allow-nondistributable-artifacts')
        .map((e) => registryHostProblem(e, 'allow-nondistributable-artifacts registry'))
        .find(Boolean) ?? null,
  },
  {
    key: 'api-cors-header',
    since: '28.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'empty: the option was removed in 28.0 (use a reverse proxy for CORS)',
    test: (c) =>
      nonEmpty(c.value('api-cors-header'))
        ? `"api-cors-header" was removed in Docker Engine 28.0; use a reverse proxy if you need CORS headers`
        : null,
  },
  {
    key: 'authorization-plugins',
    stage: 'startup',
    effect: 'refuses',
    check: 'each plugin is installed (dockerd looks it up before it serves the API)',
    test: (c) =>
      c.strings('authorization-plugins').length > 0
        ? {
            unknown: `authorization plugins ${c.strings('authorization-plugins').join(', ')} must be installed, or dockerd refuses to start`,
          }
        : null,
  },
  {
    key: 'bip',
    stage: 'startup',
    effect: 'refuses',
    check: 'not together with "bridge"',
    test: (c) =>
      nonEmpty(c.value('bip')) && nonEmpty(c.value('bridge'))
        ? 'bip and bridge are mutually exclusive: dockerd configures either its own bridge (bip) or an existing one (bridge)'
        : null,
  },
  {
    key: 'bip',
    stage: 'startup',
    effect: 'refuses',
    check: 'an IPv4 CIDR whose address is not the network address (it becomes the bridge gateway)',
    test: (c) => {
      const bip = str(c.value('bip'));
      if (!bip) return null;
      const cidr = parseGoCidr(bip);
      if (!cidr) return `bip ${q(bip)} is not an address with a prefix length, e.g. "172.31.0.1/24"`;
      if (cidr.family !== 4) return `bip ${q(bip)} must be an IPv4 address (use bip6 for IPv6)`;
      if (isNetworkAddress(cidr))
        return `bip ${q(bip)} is the network address itself; the bridge needs a host address such as ${bip.replace(/\.0\//, '.1/')}`;
      return null;
    },
  },
  {
    key: 'bip6',
    stage: 'startup',
    effect: 'refuses',
    check: 'not together with "bridge"',
    test: (c) => (nonEmpty(c.value('bip6')) && nonEmpty(c.value('bridge')) ? 'bip6 and bridge are mutually exclusive' : null),
  },
  {
    key: 'bridge',
    stage: 'startup',
    effect: 'refuses',
    check: 'an existing bridge interface, or "none"',
    test: (c) => {
      const bridge = str(c.value('bridge'));
      if (!bridge || bridge === 'none') return null;
      const exists = ask(c, (h) => h.readable(`/sys/class/net/${bridge}/bridge/bridge_id`));
      if (exists === null) return { unknown: `the bridge interface ${q(bridge)} must exist` };
      return exists ? null : `the bridge interface ${q(bridge)} does not exist`;
    },
  },
  {
    key: 'builder',
    stage: 'decode',
    effect: 'refuses',
    check: 'gc is an object, gc.policy a list of objects; history.maxAge an integer (24.0) or a duration (25.0+)',
    test: (c) => {
      const builder = obj(c.value('builder'));
      if (!builder) return null;
      const gc = field(builder, 'gc');
      if (gc !== undefined && gc !== null && !obj(gc)) return `builder.gc must be an object`;
      const history = obj(field(builder, 'history'));
      const maxAge = history ? field(history, 'maxAge') : undefined;
      if (maxAge !== undefined && compareMinor(c.version, '24.0') >= 0) {
        if (compareMinor(c.version, '25.0') < 0 && typeof maxAge !== 'number')
          return 'builder.history.maxAge must be a number of seconds in Docker Engine 24.0';
        if (compareMinor(c.version, '25.0') >= 0 && (typeof maxAge !== 'string' || !isGoDuration(maxAge)))
          return `builder.history.maxAge must be a duration in quotes such as "48h" from Docker Engine 25.0, not ${q(maxAge)}`;
      }
      return null;
    },
  },
  {
    key: 'builder',
    until: '23.0',
    stage: 'decode',
    effect: 'refuses',
    check: 'every gc.policy filter has "=" (20.10 panics on one without)',
    test: (c) => {
      const bad = gcFilters(c).find((f) => !f.includes('='));
      return bad === undefined ? null : `builder.gc.policy filter ${q(bad)} has no "=": Docker Engine ${c.version} crashes on it`;
    },
  },
  {
    key: 'builder',
    since: '28.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'gc.policy "unused-for" / "until" filters carry a duration (read when BuildKit starts)',
    test: (c) => {
      const bad = gcFilters(c).find((f) => /^(unused-for|until)(=|$)/.test(f) && !isGoDuration(f.split('=')[1] ?? ''));
      return bad === undefined ? null : `builder.gc.policy filter ${q(bad)} needs a duration such as "unused-for=24h"`;
    },
  },
  {
    key: 'builder',
    since: '28.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'gc sizes parse as sizes (28.0+ parses them when BuildKit starts; earlier engines ignore a bad one)',
    test: (c) => {
      const gc = obj(field(obj(c.value('builder')) ?? {}, 'gc'));
      const bad = ['defaultKeepStorage', 'defaultReservedSpace', 'defaultMaxUsedSpace', 'defaultMinFreeSpace']
        .map((f) => (gc ? field(gc, f) : undefined))
        .find((v) => typeof v === 'string' && v !== '' && !isGoSize(v));
      return bad === undefined ? null : `builder.gc size ${q(bad)} is not a size such as "10GB"`;
    },
  },
  {
    key: 'group',
    stage: 'startup',
    effect: 'refuses',
    check: 'the group that owns the API socket exists (the default "docker" may be missing: then only a warning)',
    test: (c) => {
      const group = str(c.value('group'));
      if (!group || group === 'docker' || /^\d+$/.test(group)) return null;
      const exists = ask(c, (h) => h.groupExists(group));
      if (exists === null) return { unknown: `the group ${q(group)} must exist` };
      return exists ? null : `the group ${q(group)} does not exist, so dockerd cannot hand it the API socket`;
    },
  },
  {
    key: 'cgroup-parent',
    stage: 'startup',
    effect: 'refuses',
    check: 'with the systemd cgroup driver, a slice name "xxx.slice"',
    test: (c) => {
      const parent = str(c.value('cgroup-parent'));
      if (!parent || cgroupDriver(c) !== 'systemd') return null;
      return parent.length > 6 && parent.endsWith('.slice')
        ? null
        : `cgroup-parent ${q(parent)} must be a slice named like "docker.slice" with the systemd cgroup driver`;
    },
  },
  {
    key: 'cluster-advertise',
    until: '23.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'only together with cluster-store',
    test: (c) =>
      nonEmpty(c.value('cluster-advertise')) && !nonEmpty(c.value('cluster-store'))
        ? 'cluster-advertise must be accompanied by cluster-store'
        : null,
  },
  {
    key: 'cluster-store',
    until: '23.0',
    stage: 'startup',
    effect: 'refuses',
    check: "a key/value store backend the build registers (Debian's docker.io 20.10 registers none)",
    test: (c) =>
      nonEmpty(c.value('cluster-store'))
        ? `no key/value store backend is built into this engine for cluster-store ${q(c.value('cluster-store'))} (Debian's docker.io 20.10 has none)`
        : null,
  },
  ...(['cluster-advertise', 'cluster-store', 'cluster-store-opts'] as const).map((key): StartRule => ({
    key,
    until: '23.0',
    stage: 'validate',
    effect: 'warns',
    check: 'deprecated (Swarm classic, external key/value stores)',
    test: (c) =>
      nonEmpty(c.value(key)) ? `"${key}" is deprecated (external key/value stores); it is removed in Docker Engine 23.0` : null,
  })),
  ...(['cluster-advertise', 'cluster-store', 'cluster-store-opts'] as const).map((key): StartRule => ({
    key,
    since: '23.0',
    until: '24.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'empty: host discovery with external key/value stores was removed in 23.0',
    test: (c) =>
      nonEmpty(c.value(key))
        ? `"${key}" was removed in Docker Engine 23.0 (host discovery and overlay networks with external k/v stores)`
        : null,
  })),
  {
    key: 'containerd-namespace',
    stage: 'startup',
    effect: 'refuses',
    check: 'differs from the plugins namespace ("plugins.moby")',
    test: (c) =>
      c.value('containerd-namespace') === 'plugins.moby'
        ? 'containers namespace and plugins namespace cannot be the same ("plugins.moby")'
        : null,
  },
  {
    key: 'cpu-rt-runtime',
    stage: 'startup',
    effect: 'containers-fail',
    check: "the real-time budget fits the host's (cpu.rt_runtime_us of the root cgroup; written when the first container starts)",
    test: (c) => {
      const v = c.value('cpu-rt-runtime');
      if (typeof v !== 'number' || v === 0) return null;
      if (v < 0) return `cpu-rt-runtime ${v} is negative, which the kernel refuses`;
      const budget = ask(c, (h) => h.realtimeBudget);
      if (budget === null) return { unknown: `cpu-rt-runtime ${v} must not exceed the host's real-time budget` };
      return typeof budget === 'number' && v > budget ? `cpu-rt-runtime ${v} exceeds the host's real-time budget of ${budget} µs` : null;
    },
  },
  ...(['cpu-rt-period', 'cpu-rt-runtime'] as const).map((key): StartRule => ({
    key,
    stage: 'startup',
    effect: 'refuses',
    check: 'a daemon-wide real-time budget needs cgroup v1 with CPU real-time support',
    test: (c) => {
      const v = c.value(key);
      if (typeof v !== 'number' || v === 0) return null;
      const budget = ask(c, (h) => h.realtimeBudget);
      if (budget === null) return { unknown: `${key} needs a kernel with CPU real-time group scheduling (cgroup v1)` };
      return budget === 'none' ? `${key}: this kernel has no CPU real-time group scheduling (or runs cgroup v2)` : null;
    },
  })),
  {
    key: 'data-root',
    until: '23.0',
    stage: 'decode',
    effect: 'refuses',
    check: 'not together with "graph" in the file',
    // The file alone: "graph" in the file with --data-root on the command line starts (seen on 20.10).
    test: (c) =>
      nonEmpty(c.fileValue('graph')) && nonEmpty(c.fileValue('data-root'))
        ? `cannot specify both "graph" and "data-root" in the file`
        : null,
  },
  {
    key: 'graph',
    since: '23.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'empty: use "data-root" (the key is unknown from 24.0)',
    test: (c) => (nonEmpty(c.value('graph')) ? `the "graph" option is deprecated; use "data-root" instead` : null),
  },
  {
    key: 'default-address-pools',
    stage: 'startup',
    effect: 'refuses',
    check: 'each base is a CIDR and each size a prefix length no shorter than the base',
    test: (c) => {
      const pools = c.value('default-address-pools');
      return Array.isArray(pools) ? (pools.map((p) => poolProblem(p, c.version)).find(Boolean) ?? null) : null;
    },
  },
  ...(['default-gateway', 'default-gateway-v6', 'ip', 'host-gateway-ip'] as const).map((key): StartRule => ({
    key,
    stage: 'decode',
    effect: 'refuses',
    check: '"" or an IP address',
    test: (c) => {
      const v = str(c.value(key));
      return v && !isGoIP(v) ? `${key} ${q(v)} is not an IP address` : null;
    },
  })),
  {
    key: 'default-gateway',
    stage: 'startup',
    effect: 'refuses',
    check: 'inside the default bridge network',
    test: (c) => {
      const gw = str(c.value('default-gateway'));
      if (!gw || !isGoIP(gw)) return null;
      const bip = parseGoCidr(str(c.value('bip')) ?? '172.17.0.1/16');
      if (!bip || bip.family !== 4 || (isGoIP(gw) && gw.includes(':'))) return null;
      const n = (ip: string) => ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
      const span = 2 ** (32 - bip.bits);
      return Math.floor(n(gw) / span) === Math.floor(n(bip.ip) / span)
        ? null
        : `default-gateway ${gw} is outside the default bridge network`;
    },
  },
  {
    key: 'default-runtime',
    stage: 'startup',
    effect: 'refuses',
    check: 'runc, io.containerd.runc.v2, a name in "runtimes" (or --add-runtime), or (23.0+) a containerd shim name with a "."',
    test: (c) => {
      const name = str(c.value('default-runtime'));
      if (!name) return null;
      const known = [
        'runc',
        'io.containerd.runc.v2',
        ...Object.keys(obj(c.value('runtimes')) ?? {}),
        ...(c.flag('add-runtime') ?? []).map((r) => r.split('=')[0]!),
      ];
      if (compareMinor(c.version, '23.0') < 0) known.push('io.containerd.runtime.v1.linux');
      if (known.includes(name)) return null;
      if (compareMinor(c.version, '23.0') >= 0 && name.includes('.') && !name.includes('/')) return null;
      return `specified default runtime ${q(name)} does not exist`;
    },
  },
  {
    key: 'default-runtime',
    since: '23.0',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'a containerd shim name needs its shim binary (containerd-shim-NAME-vN) installed',
    test: (c) => {
      const name = str(c.value('default-runtime'));
      const m = name ? /^io\.containerd\.(\w+)\.(v\d+)$/.exec(name) : null;
      if (!m || name === 'io.containerd.runc.v2' || Object.keys(obj(c.value('runtimes')) ?? {}).includes(name!)) return null;
      const shim = `containerd-shim-${m[1]}-${m[2]}`;
      const installed = ask(c, (h) => h.hasCommand(shim));
      if (installed === null) return { unknown: `the runtime ${name} needs ${shim} installed` };
      return installed ? null : `the runtime ${name} needs ${shim}, which is not installed`;
    },
  },
  {
    key: 'default-shm-size',
    stage: 'decode',
    effect: 'refuses',
    check: 'a size such as "64M"',
    test: (c) => {
      const v = c.value('default-shm-size');
      return typeof v === 'string' && !isGoSize(v) ? `default-shm-size ${q(v)} is not a size such as "64M"` : null;
    },
  },
  {
    key: 'default-ulimits',
    stage: 'decode',
    effect: 'refuses',
    check: 'an object of {"Name", "Hard", "Soft"} objects with whole numbers',
    test: (c) => {
      for (const [name, u] of Object.entries(obj(c.value('default-ulimits')) ?? {})) {
        const o = obj(u);
        if (u !== null && !o) return `default-ulimits ${q(name)} must be an object like {"Name": "${name}", "Hard": 1024, "Soft": 1024}`;
        for (const f of ['Hard', 'Soft']) {
          const v = o ? field(o, f) : undefined;
          if (v !== undefined && v !== null && !Number.isInteger(v)) return `default-ulimits ${name}.${f} must be a whole number`;
        }
      }
      return null;
    },
  },
  {
    key: 'default-ulimits',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'known ulimit names, soft limit not above the hard one (checked when a container is created)',
    test: (c) => {
      for (const [name, u] of Object.entries(obj(c.value('default-ulimits')) ?? {})) {
        const o = obj(u) ?? {};
        const real = str(field(o, 'Name')) ?? name;
        if (!ULIMITS.includes(real)) return `default ulimit ${q(real)} is not a ulimit name`;
        const soft = field(o, 'Soft');
        const hard = field(o, 'Hard');
        if (typeof soft === 'number' && typeof hard === 'number' && soft > hard)
          return `default ulimit ${real}: soft limit ${soft} is above the hard limit ${hard}`;
        const ceiling = c.host?.hardLimit(real) ?? null;
        if (c.host && c.host.canRaiseLimits === false && ceiling !== null && typeof hard === 'number' && hard > ceiling) {
          return `default ulimit ${real}: hard limit ${hard} is above dockerd's own (${ceiling}), which it may not raise here (no CAP_SYS_RESOURCE)`;
        }
      }
      return null;
    },
  },
  {
    key: 'default-network-opts',
    stage: 'decode',
    effect: 'refuses',
    check: 'an object of driver objects whose values are strings',
    test: (c) => {
      for (const [driver, opts] of Object.entries(obj(c.value('default-network-opts')) ?? {})) {
        const o = obj(opts);
        if (opts !== null && !o) return `default-network-opts ${q(driver)} must be an object of strings`;
        const bad = Object.entries(o ?? {}).find(([, v]) => typeof v !== 'string' && v !== null);
        if (bad) return `default-network-opts ${driver}.${bad[0]} must be a string (write it in quotes)`;
      }
      return null;
    },
  },
  {
    key: 'dns',
    stage: 'validate',
    effect: 'refuses',
    check: 'IP addresses ("" allowed from 25.0)',
    test: (c) => {
      const bad = c.strings('dns').find((ip) => !isGoIP(ip) && !(ip === '' && compareMinor(c.version, '25.0') >= 0));
      return bad === undefined ? null : `${q(bad)} is not an IP address`;
    },
  },
  {
    key: 'dns',
    since: '25.0',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'no empty entry (accepted at start, refused when a container gets its resolv.conf)',
    test: (c) => (c.strings('dns').includes('') ? 'an empty "dns" entry becomes a nameserver no container can use' : null),
  },
  {
    key: 'dns-search',
    stage: 'validate',
    effect: 'refuses',
    check: 'domains (a letter, labels of letters, digits and inner hyphens) or "."',
    test: (c) => {
      const bad = c.strings('dns-search').find((d) => !isDnsSearchDomain(d));
      return bad === undefined ? null : `${q(bad)} is not a valid domain`;
    },
  },
  {
    key: 'exec-opts',
    since: '28.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'every entry key=value; on Linux only native.cgroupdriver',
    test: (c) => {
      for (const opt of c.strings('exec-opts')) {
        const [k, v] = opt.split('=', 2).map((s) => s.trim());
        if (!k || v === undefined || v === '') return `invalid exec-opt (${opt}): must be formatted 'opt=value'`;
        if (k.toLowerCase() === 'isolation') return `invalid exec-opt (${opt}): option 'isolation' is only supported on windows`;
        if (k.toLowerCase() !== 'native.cgroupdriver') return `invalid exec-opt (${opt}): unknown option: '${k}'`;
      }
      return null;
    },
  },
  {
    key: 'exec-opts',
    platforms: ['linux'],
    stage: 'startup',
    effect: 'refuses',
    check: 'native.cgroupdriver is cgroupfs or systemd',
    test: (c) => {
      const driver = cgroupDriver(c);
      return ['cgroupfs', 'systemd'].includes(driver)
        ? null
        : `native.cgroupdriver option ${driver} not supported (use cgroupfs or systemd)`;
    },
  },
  {
    key: 'exec-opts',
    platforms: ['linux'],
    stage: 'startup',
    effect: 'containers-fail',
    check: 'the systemd cgroup driver needs systemd running as PID 1',
    test: (c) => {
      if (cgroupDriver(c) !== 'systemd') return null;
      const systemd = ask(c, (h) => h.systemd);
      if (systemd === null) return { unknown: 'the systemd cgroup driver needs systemd as PID 1, or every container fails to start' };
      return systemd ? null : 'the systemd cgroup driver needs systemd as PID 1, and this host does not run it';
    },
  },
  {
    key: 'exec-opts',
    platforms: ['windows'],
    stage: 'startup',
    effect: 'refuses',
    check: 'isolation is default, process or hyperv',
    test: (c) => {
      for (const opt of c.strings('exec-opts')) {
        const [k, v] = opt.split('=', 2).map((s) => s.trim());
        if (k?.toLowerCase() === 'isolation' && !['default', 'process', 'hyperv'].includes((v ?? '').toLowerCase()))
          return `invalid exec-opt value for 'isolation': ${q(v)}`;
        if (k?.toLowerCase() !== 'isolation' && compareMinor(c.version, '28.0') < 0) return `unrecognised exec-opt ${q(k)}`;
      }
      return null;
    },
  },
  {
    key: 'features',
    stage: 'decode',
    effect: 'refuses',
    check: 'a map of booleans',
    test: (c) => {
      const bad = Object.entries(obj(c.value('features')) ?? {}).find(([, v]) => typeof v !== 'boolean' && v !== null);
      return bad ? `features ${q(bad[0])} must be true or false (without quotes)` : null;
    },
  },
  {
    key: 'features',
    since: '26.1',
    until: '28.0',
    platforms: ['linux'],
    stage: 'validate',
    effect: 'refuses',
    check: 'no "windows-dns-proxy" feature on Linux',
    test: (c) =>
      obj(c.value('features')) && 'windows-dns-proxy' in obj(c.value('features'))!
        ? `feature option 'windows-dns-proxy' is only available on Windows`
        : null,
  },
  {
    key: 'fixed-cidr',
    stage: 'startup',
    effect: 'refuses',
    check: 'an IPv4 CIDR (one outside the bridge network is accepted: dockerd starts and allocates from it)',
    test: (c) => {
      const v = str(c.value('fixed-cidr'));
      if (!v) return null;
      const cidr = parseGoCidr(v);
      return cidr && cidr.family === 4 ? null : `fixed-cidr ${q(v)} is not an IPv4 CIDR`;
    },
  },
  {
    key: 'fixed-cidr',
    since: '28.0',
    stage: 'startup',
    effect: 'containers-fail',
    check:
      'inside the network of an explicit bip (28.0+ allocates each container from fixed-cidr and fails outside it; 20.10 and 26.1 run containers)',
    test: (c) => {
      const fixed = parseGoCidr(str(c.value('fixed-cidr')) ?? '');
      const bip = parseGoCidr(str(c.value('bip')) ?? '');
      if (!fixed || !bip || fixed.family !== 4 || bip.family !== 4) return null;
      const n = (ip: string) => ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
      const span = 2 ** (32 - Math.min(bip.bits, fixed.bits));
      return Math.floor(n(fixed.ip) / span) === Math.floor(n(bip.ip) / span)
        ? null
        : `fixed-cidr ${str(c.value('fixed-cidr'))} is not inside the bridge network of bip ${str(c.value('bip'))}, so no container gets an address`;
    },
  },
  {
    key: 'ipv6',
    until: '28.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'IPv6 on the default bridge needs fixed-cidr-v6 (28.0+ picks a subnet itself; 27.x was not recorded)',
    test: (c) =>
      c.bool('ipv6', false) && !nonEmpty(c.value('fixed-cidr-v6'))
        ? 'IPv6 is enabled for the default bridge, but no subnet is configured: set fixed-cidr-v6'
        : null,
  },
  {
    key: 'fixed-cidr-v6',
    stage: 'validate',
    effect: 'refuses',
    check: 'a CIDR (20.10 parses it when the network controller starts, 25.0+ while validating; fe80::/64 is accepted with ipv6 off)',
    test: (c) => {
      const v = str(c.value('fixed-cidr-v6'));
      if (!v) return null;
      const cidr = parseGoCidr(v);
      if (!cidr) return `fixed-cidr-v6 ${q(v)} is not a CIDR`;
      return cidr.family !== 6 && compareMinor(c.version, '25.0') >= 0 ? `fixed-cidr-v6 ${q(v)} is not an IPv6 subnet` : null;
    },
  },
  {
    key: 'host-gateway-ip',
    since: '28.0',
    stage: 'conflict',
    effect: 'refuses',
    check: 'not together with "host-gateway-ips" in the file',
    test: (c) =>
      nonEmpty(c.value('host-gateway-ip')) && nonEmpty(c.value('host-gateway-ips'))
        ? 'host-gateway-ip and host-gateway-ips must not both be specified'
        : null,
  },
  {
    key: 'host-gateway-ips',
    stage: 'validate',
    effect: 'refuses',
    check: 'IP addresses, at most one IPv4 and one IPv6',
    test: (c) => {
      const ips = c.strings('host-gateway-ips');
      const bad = ips.find((ip) => !isGoIP(ip));
      if (bad !== undefined) return `host-gateway-ips ${q(bad)} is not an IP address`;
      if (ips.filter((ip) => !ip.includes(':')).length > 1) return 'only one IPv4 host gateway IP address can be specified';
      if (ips.filter((ip) => ip.includes(':')).length > 1) return 'only one IPv6 host gateway IP address can be specified';
      return null;
    },
  },
  {
    key: 'hosts',
    stage: 'validate',
    effect: 'refuses',
    check: 'each entry a daemon address (unix://, tcp://, fd://, host:port)',
    test: (c) => {
      const bad = c.strings('hosts').find((h) => !/^(unix|tcp|fd|npipe|ssh):\/\//.test(h) && !/^[^:/]*:\d+$/.test(h) && h !== '');
      return bad === undefined ? null : `hosts entry ${q(bad)} is not a valid daemon address (unix://, tcp://, fd://)`;
    },
  },
  {
    key: 'icc',
    stage: 'startup',
    effect: 'refuses',
    check: 'icc=false needs iptables',
    test: (c) =>
      !c.bool('icc', true) && !c.bool('iptables', true) ? 'icc=false uses iptables to function: set icc or iptables to true' : null,
  },
  {
    key: 'icc',
    since: '27.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'icc=false with IPv6 needs ip6tables',
    test: (c) =>
      !c.bool('icc', true) && c.bool('ipv6', false) && !c.bool('ip6tables', true)
        ? 'icc=false with ipv6 uses ip6tables to function: set icc or ip6tables to true'
        : null,
  },
  {
    key: 'insecure-registries',
    stage: 'startup',
    effect: 'refuses',
    check: 'each entry a CIDR or host[:port] without a scheme',
    // An http:// or https:// prefix is stripped first (seen on every engine): only other schemes are refused.
    test: (c) =>
      c
        .strings('insecure-registries')
        .map((e) => registryHostProblem(e.replace(/^https?:\/\//, ''), 'insecure registry'))
        .find(Boolean) ?? null,
  },
  {
    key: 'ip-masq',
    stage: 'startup',
    effect: 'warns',
    check: 'ip-masq has no effect without iptables',
    test: (c) => (c.value('ip-masq') === true && !c.bool('iptables', true) ? 'ip-masq is ignored when iptables is false' : null),
  },
  {
    key: 'ip6tables',
    until: '27.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'ip6tables needs experimental',
    test: (c) =>
      c.bool('ip6tables', false) && !c.bool('experimental', false)
        ? 'ip6tables rules are only available if experimental features are enabled (before Docker Engine 27.0)'
        : null,
  },
  {
    key: 'labels',
    stage: 'validate',
    effect: 'refuses',
    check: 'key=value, and one value per key',
    test: (c) => {
      const seen = new Map<string, string>();
      for (const label of c.strings('labels')) {
        const eq = label.indexOf('=');
        // Only the "=" is required: "=value" (an empty key) is accepted.
        if (eq < 0) return `bad attribute format: ${label}`;
        const [k, v] = [label.slice(0, eq), label.slice(eq + 1)];
        if (seen.has(k) && seen.get(k) !== v) return `conflicting labels for ${k}: ${q(seen.get(k))} and ${q(v)}`;
        seen.set(k, v);
      }
      return null;
    },
  },
  {
    key: 'labels',
    stage: 'validate',
    effect: 'refuses',
    check: 'no label in the reserved com.docker.*, io.docker.*, org.dockerproject.* namespaces',
    test: (c) => {
      const bad = c.strings('labels').find((l) => /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/i.test(l));
      return bad === undefined ? null : `label ${q(bad)} is in a namespace reserved for Docker's own use`;
    },
  },
  {
    key: 'log-driver',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'a built-in driver or an installed logging plugin (looked up when a container is created)',
    test: (c) => {
      const driver = str(c.value('log-driver'));
      if (!driver || LOG_DRIVERS.includes(driver)) return null;
      return `there is no built-in log driver ${q(driver)}, so each container needs a logging plugin of that name`;
    },
  },
  {
    key: 'log-driver',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'journald needs systemd-journald running',
    test: (c) => {
      if (c.value('log-driver') !== 'journald') return null;
      const journald = ask(c, (h) => h.journald);
      if (journald === null) return { unknown: 'the journald log driver needs systemd-journald running' };
      return journald ? null : 'the journald log driver needs systemd-journald, which is not running here';
    },
  },
  {
    key: 'log-driver',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'fluentd needs a fluentd listening at fluentd-address (default localhost:24224) unless fluentd-async is set',
    test: (c) => {
      if (c.value('log-driver') !== 'fluentd') return null;
      const opts = obj(c.value('log-opts')) ?? {};
      if (opts['fluentd-async'] === 'true' || opts['fluentd-async-connect'] === 'true') return null;
      return `the fluentd log driver connects to ${str(opts['fluentd-address']) ?? 'localhost:24224'} when each container starts; without a fluentd listening there`;
    },
  },
  {
    key: 'log-opts',
    stage: 'startup',
    effect: 'refuses',
    check: 'options the log driver knows, and a known mode',
    test: (c) => {
      const opts = obj(c.value('log-opts'));
      const driver = str(c.value('log-driver')) ?? 'json-file';
      if (!opts || driver === 'none') return null;
      const mode = str(opts.mode);
      if (mode && !['blocking', 'non-blocking'].includes(mode)) return `logging mode not supported: ${mode}`;
      const bufferSize = str(opts['max-buffer-size']);
      if (bufferSize !== null && !isGoSize(bufferSize)) return `max-buffer-size ${q(bufferSize)} is not a size`;
      if (!LOG_DRIVERS.includes(driver)) return `no log driver named ${q(driver)} is registered (its options cannot be checked)`;
      const allowed = LOG_OPTS[driver];
      const unknown = allowed && Object.keys(opts).find((k) => !allowed.includes(k) && k !== 'mode' && k !== 'max-buffer-size');
      return unknown ? `unknown log opt '${unknown}' for ${driver} log driver` : null;
    },
  },
  {
    key: 'log-opts',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'max-size a positive size, max-file a whole number >= 1, compress a boolean (read when a container is created)',
    test: (c) => {
      const opts = obj(c.value('log-opts'));
      const driver = str(c.value('log-driver')) ?? 'json-file';
      if (!opts || !['json-file', 'local'].includes(driver)) return null;
      const size = str(opts['max-size']);
      if (size !== null && (goSizeBytes(size, false) ?? 0) <= 0) return `log-opts max-size ${q(size)} is not a positive size (e.g. "10m")`;
      const files = str(opts['max-file']);
      if (files !== null && !/^[-+]?\d+$/.test(files)) return `log-opts max-file ${q(files)} is not a whole number`;
      if (files !== null && Number(files) < 1) return 'log-opts max-file cannot be less than 1';
      const compress = str(opts.compress);
      if (compress !== null && !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(compress))
        return `log-opts compress ${q(compress)} is not true or false`;
      return null;
    },
  },
  {
    key: 'max-download-attempts',
    until: '23.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'at least 1 (0 became "the default" in 23.0)',
    test: (c) => {
      const v = c.value('max-download-attempts');
      return typeof v === 'number' && v < 1 ? `invalid max download attempts: ${v}` : null;
    },
  },
  {
    key: 'metrics-addr',
    stage: 'startup',
    effect: 'refuses',
    check: 'a host:port dockerd can listen on',
    test: (c) => {
      const v = str(c.value('metrics-addr'));
      return v && !/^[^\s]*:\d{1,5}$/.test(v) ? `metrics-addr ${q(v)} is not a host:port address` : null;
    },
  },
  {
    key: 'mtu',
    stage: 'validate',
    effect: 'refuses',
    check: 'not negative (20.10: refused when the default bridge is created; 23.0+: while validating)',
    test: (c) => {
      const v = c.value('mtu');
      return typeof v === 'number' && v < 0 ? `invalid default MTU: ${v}` : null;
    },
  },
  {
    key: 'mtu',
    since: '26.1',
    stage: 'startup',
    effect: 'refuses',
    check:
      'an MTU the kernel accepts for the default bridge (at most 65535; 26.1 and 28.5 set it when they create the bridge; 23.0–26.0 were not recorded)',
    test: (c) => mtuTooLarge(c, 'the default bridge'),
  },
  {
    key: 'mtu',
    until: '26.1',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'an MTU the kernel accepts for a veth (at most 65535; set when a container joins the bridge)',
    test: (c) => mtuTooLarge(c, "each container's network interface"),
  },
  {
    key: 'mtu',
    since: '25.0',
    platforms: ['windows'],
    stage: 'validate',
    effect: 'warns',
    check: 'not configurable on Windows',
    test: (c) =>
      typeof c.value('mtu') === 'number' && ![0, 1500].includes(c.value('mtu') as number)
        ? 'the MTU of the default network is not configurable on Windows and is ignored'
        : null,
  },
  {
    key: 'network-diagnostic-port',
    since: '28.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'between 0 and 65535',
    test: (c) => {
      const v = c.value('network-diagnostic-port');
      return typeof v === 'number' && (v < 0 || v > 65535)
        ? `invalid network-diagnostic-port (${v}): value must be between 0 and 65535`
        : null;
    },
  },
  {
    key: 'node-generic-resources',
    stage: 'validate',
    effect: 'refuses',
    check: 'each entry name=value; discrete values not negative',
    test: (c) => {
      for (const r of c.strings('node-generic-resources')) {
        const m = /^([^=]+)=(.+)$/.exec(r);
        if (!m) return `could not parse GenericResource: incorrect term ${r}, missing '=' or malformed expression`;
        if (/^-\d+$/.test(m[2]!)) return `could not parse GenericResource: cannot ask for negative resource ${r}`;
      }
      return null;
    },
  },
  {
    key: 'oom-score-adjust',
    since: '25.0',
    stage: 'validate',
    effect: 'refuses',
    check: '0: the option was removed in 25.0',
    test: (c) =>
      typeof c.value('oom-score-adjust') === 'number' && c.value('oom-score-adjust') !== 0
        ? `"oom-score-adjust" was removed in Docker Engine 25.0`
        : null,
  },
  {
    key: 'oom-score-adjust',
    until: '25.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'between -1000 and 1000',
    test: (c) => {
      const v = c.value('oom-score-adjust');
      return typeof v === 'number' && (v < -1000 || v > 1000) ? `oom-score-adjust ${v} is outside -1000..1000` : null;
    },
  },
  {
    key: 'registry-mirrors',
    stage: 'validate',
    effect: 'refuses',
    check: 'http:// or https:// URLs without credentials, query or fragment (a path only from 25.0)',
    test: (c) =>
      c
        .strings('registry-mirrors')
        .map((m) => mirrorProblem(m, c.version))
        .find(Boolean) ?? null,
  },
  {
    key: 'runtimes',
    stage: 'decode',
    effect: 'refuses',
    check: 'an object of runtime objects',
    test: (c) => {
      const bad = Object.entries(obj(c.value('runtimes')) ?? {}).find(([, v]) => v !== null && !obj(v));
      return bad ? `runtime ${q(bad[0])} must be an object like {"path": "/usr/bin/crun"}` : null;
    },
  },
  {
    key: 'runtimes',
    stage: 'validate',
    effect: 'refuses',
    check: 'no runtime named "runc" (reserved)',
    test: (c) => (obj(c.value('runtimes')) && 'runc' in obj(c.value('runtimes'))! ? `runtime name 'runc' is reserved` : null),
  },
  {
    key: 'runtimes',
    since: '24.0',
    stage: 'startup',
    effect: 'refuses',
    check: 'each runtime has a path or a runtimeType (not both); options only with runtimeType, runtimeArgs only with path',
    test: (c) => {
      for (const [name, v] of Object.entries(obj(c.value('runtimes')) ?? {})) {
        const o = obj(v);
        if (!o) continue;
        const path = nonEmpty(field(o, 'path'));
        const type = nonEmpty(field(o, 'runtimeType'));
        if (!path && !type) return `runtime ${name}: either a runtimeType or a path must be configured`;
        if (path && type) return `runtime ${name}: cannot configure both path and runtimeType for the same runtime`;
        if (path && nonEmpty(field(o, 'options'))) return `runtime ${name}: options cannot be used with a path runtime`;
        if (type && nonEmpty(field(o, 'runtimeArgs'))) return `runtime ${name}: args cannot be used with a runtimeType runtime`;
      }
      return null;
    },
  },
  {
    key: 'seccomp-profile',
    stage: 'startup',
    effect: 'refuses',
    check: 'a readable file ("builtin" and "unconfined" are keywords from 23.0; before, they are file names)',
    test: (c) => {
      const v = str(c.value('seccomp-profile'));
      if (!v) return null;
      if (v === 'builtin' || v === 'unconfined') {
        if (compareMinor(c.version, '23.0') >= 0) return null;
        // A file of that name in dockerd's working directory (/) is not a real possibility.
        return `Docker Engine ${c.version} reads "seccomp-profile" as a file path: ${q(v)} is a keyword only from 23.0, so it looks for a file named ${v}`;
      }
      const readable = ask(c, (h) => h.readable(v));
      if (readable === null) return { unknown: `the seccomp profile ${q(v)} must be a readable JSON file` };
      return readable ? null : `the seccomp profile ${q(v)} cannot be read`;
    },
  },
  {
    key: 'seccomp-profile',
    stage: 'startup',
    effect: 'containers-fail',
    check: 'the profile is JSON (dockerd reads the file at start but decodes it only when a container is created)',
    test: (c) => {
      const v = str(c.value('seccomp-profile'));
      // Without a host, or with a profile dockerd cannot read, the rule above speaks.
      if (!v || v === 'builtin' || v === 'unconfined' || ask(c, (h) => h.readable(v)) !== true) return null;
      const json = ask(c, (h) => h.holdsJson(v));
      if (json === null) return { unknown: `the seccomp profile ${q(v)} must be JSON` };
      return json ? null : `the seccomp profile ${q(v)} is not JSON, so decoding it fails for every container`;
    },
  },
  {
    key: 'storage-driver',
    stage: 'startup',
    effect: 'refuses',
    check: 'a driver this engine is built with, that the host supports',
    test: (c) => {
      const v = str(c.value('storage-driver'));
      if (!v) return null;
      if (!storageDrivers(c.version).includes(v))
        return `Docker Engine ${c.version} has no storage driver ${q(v)} (it has ${storageDrivers(c.version).join(', ')})`;
      if (!c.host)
        return v === 'vfs' || v === 'overlay2'
          ? null
          : { unknown: `the storage driver ${v} must be supported by the host's kernel and data-root filesystem` };
      const dataRoot = c.flag('data-root')?.at(-1) ?? str(c.value('data-root')) ?? '/var/lib/docker';
      const unknown = { unknown: `the storage driver ${v} must be supported by the host's kernel and data-root filesystem` };
      if (v === 'btrfs' || v === 'zfs') {
        const fs = c.host.filesystemOf(dataRoot);
        if (fs === null) return unknown;
        if (fs !== v) return `the storage driver ${v} needs data-root on ${v}, not ${fs}`;
      }
      if (v === 'aufs') {
        const kernel = c.host.kernelFilesystems;
        if (kernel === null) return unknown;
        if (!kernel.includes('aufs')) return 'the storage driver aufs needs a kernel with aufs';
      }
      if (v === 'devicemapper') return 'the storage driver devicemapper is not built into this engine package';
      if (v === 'fuse-overlayfs') {
        const installed = c.host.isExecutable('/usr/bin/fuse-overlayfs');
        if (installed === null) return unknown;
        if (!installed) return 'the storage driver fuse-overlayfs needs /usr/bin/fuse-overlayfs';
      }
      return null;
    },
  },
  {
    key: 'storage-opts',
    stage: 'startup',
    effect: 'refuses',
    check: 'options the storage driver knows',
    test: (c) =>
      c.strings('storage-opts').length > 0
        ? { unknown: 'storage-opts are checked by the storage driver against the host when dockerd starts' }
        : null,
  },
  {
    key: 'tls',
    stage: 'validate',
    also: ['tlsverify'],
    effect: 'refuses',
    check: 'with tls, or tlsverify given at all (even false), the certificate and key files exist (default ~/.docker/{ca,cert,key}.pem)',
    test: (c) => {
      const verify = c.bool('tlsverify', false);
      // "tlsverify" given at all turns TLS on, whatever its value (seen on 20.10, 26.1 and 28.5 with "tlsverify": false).
      if (!c.bool('tls', false) && c.value('tlsverify') === undefined) return null;
      const dir = '/root/.docker';
      const files = [
        str(c.value('tlscert')) || `${dir}/cert.pem`,
        str(c.value('tlskey')) || `${dir}/key.pem`,
        ...(verify ? [str(c.value('tlscacert')) || `${dir}/ca.pem`] : []),
      ];
      const answers = files.map((f) => ask(c, (h) => h.readable(f)));
      const missing = files.find((_, i) => answers[i] === false);
      if (missing) return `TLS is on but ${missing} cannot be read`;
      return answers.includes(null) ? { unknown: `TLS is on: ${files.join(', ')} must exist` } : null;
    },
  },
  {
    key: 'userland-proxy-path',
    since: '25.0',
    stage: 'validate',
    effect: 'refuses',
    check: 'with userland-proxy on, an absolute path to an executable',
    test: (c) => {
      const v = c.value('userland-proxy-path');
      if (typeof v !== 'string' || !c.bool('userland-proxy', true)) return null;
      // An empty path keeps the default (seen on 26.1 and 28.5).
      if (v === '') return null;
      if (!v.startsWith('/')) return `userland-proxy-path must be an absolute path: ${v}`;
      const executable = ask(c, (h) => h.isExecutable(v));
      if (executable === null) return { unknown: `userland-proxy-path ${v} must be an executable file` };
      return executable ? null : `userland-proxy-path ${v} is not an executable file`;
    },
  },
  {
    key: 'userns-remap',
    stage: 'startup',
    effect: 'refuses',
    check: 'a user (or "default") with subordinate id ranges',
    test: (c) => {
      const v = str(c.value('userns-remap'));
      if (!v || v === 'default') return null;
      const name = v.split(':')[0]!;
      const ranges = ask(c, (h) => h.hasSubordinateIds(name));
      if (ranges === null) return { unknown: `the user ${name} must exist and have ranges in /etc/subuid and /etc/subgid` };
      return ranges ? null : `the user ${name} has no subordinate ids in /etc/subuid`;
    },
  },
  {
    key: 'rootless',
    stage: 'startup',
    effect: 'refuses',
    check: 'rootless with the systemd cgroup driver needs cgroup v2',
    test: (c) => {
      if (!c.bool('rootless', false) || cgroupDriver(c) !== 'systemd') return null;
      const fs = ask(c, (h) => h.filesystemOf('/sys/fs/cgroup'));
      if (fs === null) return { unknown: 'rootless with the systemd cgroup driver needs cgroup v2' };
      return fs === 'cgroup2' ? null : 'exec-opt native.cgroupdriver=systemd requires cgroup v2 for rootless mode';
    },
  },
];

/** Linux ulimit names dockerd knows (go-units ulimit.go). */
const ULIMITS = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
];

/** The rules that apply to an engine version and platform. */
export function rulesFor(version: string, platform: Platform): StartRule[] {
  return START_RULES.filter((r) => inRange(version, r.since ?? '20.10', r.until) && (!r.platforms || r.platforms.includes(platform)));
}
