import os from 'node:os';
import type { Fact } from '../../shared/fact';
import type { DnsFact, HostNetworkFact, IptablesFact } from '../../shared/facts/network';
import type { Source } from '../../shared/source';
import { type Host, HostError, toHostError } from '../host/host';
import { type CollectContext, failure } from './context';
import { flagValue } from './daemon-config';
import { parseIptablesSave, parseNftRuleset } from './firewall-rules';

const ROUTE_FILE = '/proc/net/route';
const SYS_NET = '/sys/class/net';
const RESOLV_CONF = '/etc/resolv.conf';
/** What systemd-resolved writes for programs that must not use its 127.0.0.53 stub; dockerd reads it in that case. */
const RESOLVED_UPSTREAM = '/run/systemd/resolve/resolv.conf';
const SMALL_FILE = 1024 * 1024;
const IPTABLES_TIMEOUT_MS = 3000;

// Route flags from <linux/route.h>.
const RTF_GATEWAY = 0x0002;
const RTF_REJECT = 0x0200;

type Route = HostNetworkFact['routes'][number];

/**
 * An IPv4 address as the kernel prints it in /proc/net/route: the 32-bit value in host byte order, in hex. On a
 * little-endian machine "000011AC" is 0xAC 0x11 0x00 0x00 in memory, i.e. 172.17.0.0.
 */
export function decodeProcAddress(hex: string, littleEndian: boolean): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const n = parseInt(hex, 16);
  const octets = [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return (littleEndian ? octets.reverse() : octets).join('.');
}

/** Prefix length of a netmask, or null when the mask is not contiguous (the kernel never prints one). */
function maskToPrefix(mask: string): number | null {
  const parts = mask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  if (!/^1*0*$/.test(bits)) return null;
  return bits.replace(/0+$/, '').length;
}

export interface ParsedRoutes {
  routes: Route[];
  defaultRoute: HostNetworkFact['defaultRoute'];
}

/**
 * Parses /proc/net/route (the main routing table, IPv4). Reject routes (unreachable, blackhole) carry no traffic and
 * are left out; among several default routes the kernel uses the one with the lowest metric.
 */
export function parseProcNetRoute(text: string, path = ROUTE_FILE, littleEndian = os.endianness() === 'LE'): ParsedRoutes {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const col = (name: string) => header.indexOf(name);
  const cols = {
    iface: col('Iface'),
    dest: col('Destination'),
    gw: col('Gateway'),
    flags: col('Flags'),
    metric: col('Metric'),
    mask: col('Mask'),
  };
  if (Object.values(cols).some((i) => i < 0)) {
    throw new HostError(
      'malformed',
      `${path} line 1: expected the header "Iface Destination Gateway Flags ... Metric Mask", got ${JSON.stringify(lines[0] ?? '')}`,
      path,
    );
  }
  const routes: Route[] = [];
  let best: { iface: string; gateway: string | null; metric: number } | null = null;
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    const field = (index: number) => f[index] ?? '';
    const dest = decodeProcAddress(field(cols.dest), littleEndian);
    const gw = decodeProcAddress(field(cols.gw), littleEndian);
    const mask = decodeProcAddress(field(cols.mask), littleEndian);
    const flags = parseInt(field(cols.flags), 16);
    const metric = Number(field(cols.metric));
    const prefix = mask === null ? null : maskToPrefix(mask);
    if (dest === null || gw === null || prefix === null || Number.isNaN(flags) || !Number.isInteger(metric)) {
      throw new HostError('malformed', `${path} line ${i + 1}: not a route entry: ${JSON.stringify(line.trim())}`, path);
    }
    if (flags & RTF_REJECT) continue;
    const iface = field(cols.iface);
    const gateway = flags & RTF_GATEWAY ? gw : null;
    routes.push({ destination: `${dest}/${prefix}`, iface, gateway });
    if (prefix === 0 && (best === null || metric < best.metric)) best = { iface, gateway, metric };
  }
  return { routes, defaultRoute: best ? { iface: best.iface, gateway: best.gateway } : null };
}

async function readText(host: Host, path: string): Promise<string> {
  return (await host.readFile(path, SMALL_FILE)).toString('utf8');
}

/** Every interface and its MTU. sysfs lists the interfaces of the network namespace that mounted it: the host's. */
async function interfaceMtus(host: Host): Promise<{ name: string; mtu: number | null }[]> {
  const names = await host.readDir(SYS_NET);
  return Promise.all(
    names.map(async (name) => {
      try {
        const mtu = Number((await readText(host, `${SYS_NET}/${name}/mtu`)).trim());
        return { name, mtu: Number.isInteger(mtu) && mtu > 0 ? mtu : null };
      } catch {
        // An interface removed while listing (a container's veth going away) simply has no MTU to report.
        return { name, mtu: null };
      }
    }),
  );
}

/**
 * IPv4 addresses per interface of this machine, from getifaddrs(3) through Node (what systeminformation reads too).
 * Not systeminformation itself: its networkInterfaces() runs a blocking shell (execSync) per interface, ~35 ms each,
 * which on a host with hundreds of container veths would freeze every other collector for seconds. Like libuv, this
 * omits interfaces that are not up and running (an idle docker0 without carrier): their routes still count.
 */
function interfaceAddresses(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    const v4 = (addresses ?? []).filter((a) => a.family === 'IPv4' && a.cidr).map((a) => a.cidr!);
    if (v4.length > 0) byName.set(name, v4);
  }
  return byName;
}

export async function collectHostNetwork(ctx: CollectContext): Promise<Fact<HostNetworkFact>> {
  const { host } = ctx;
  if (host.kind === 'rootfs') {
    return failure(
      new HostError('unsupported', 'auditing an offline root filesystem: interfaces and routes exist only on a running machine'),
    );
  }
  if (host.platform !== 'linux') {
    return failure(
      new HostError(
        'unsupported',
        `host interfaces and routes are read on Linux only (this is ${host.platform}; Docker Desktop's engine has its own network in its VM)`,
      ),
    );
  }
  const sources: Source[] = [
    { kind: 'file', path: ROUTE_FILE },
    { kind: 'file', path: `${SYS_NET}/*/mtu` },
  ];
  try {
    const { routes, defaultRoute } = parseProcNetRoute(await readText(host, ROUTE_FILE));
    const mtus = await interfaceMtus(host);
    // Only the machine Dockhand runs on can be asked for its addresses; recorded fixtures have their files only.
    let addresses = new Map<string, string[]>();
    if (host.kind === 'local') {
      addresses = interfaceAddresses();
      sources.push({ kind: 'command', command: 'getifaddrs(3) (Node os.networkInterfaces)' });
    }
    const interfaces = mtus.map(({ name, mtu }) => ({ name, mtu, addresses: addresses.get(name) ?? [] }));
    return { ok: true, value: { interfaces, routes, defaultRoute }, sources };
  } catch (error) {
    return failure(toHostError(error, 'host network'), sources);
  }
}

type ResolvConf = DnsFact['resolvConf'];

/**
 * resolv.conf(5) as glibc and dockerd read it: comment lines start with # or ;, "search" and its obsolete alias
 * "domain" replace each other (the last one wins), "options" accumulate. Unknown directives are ignored.
 */
function parseResolvConf(text: string, path: string): ResolvConf {
  const conf: ResolvConf = { path, nameservers: [], search: [], options: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const [directive, ...args] = line.split(/\s+/);
    if (args.length === 0) return;
    if (directive === 'nameserver') conf.nameservers.push({ address: args[0]!, line: i + 1 });
    else if (directive === 'search' || directive === 'domain') conf.search = args;
    else if (directive === 'options') conf.options.push(...args);
  });
  return conf;
}

async function readResolvConf(host: Host, path: string): Promise<ResolvConf | null> {
  try {
    return parseResolvConf(await readText(host, path), host.displayPath(path));
  } catch (error) {
    const err = toHostError(error, path);
    if (err.code === 'not-found') return null;
    throw err;
  }
}

export async function collectDns(ctx: CollectContext): Promise<Fact<DnsFact>> {
  const { host } = ctx;
  if (host.platform !== 'linux') {
    return failure(
      new HostError(
        'unsupported',
        `resolv.conf is read on Linux only (this is ${host.platform}; Docker Desktop's VM has its own resolver)`,
      ),
    );
  }
  const sources: Source[] = [{ kind: 'file', path: RESOLV_CONF }];
  try {
    const resolvConf = await readResolvConf(host, RESOLV_CONF);
    if (!resolvConf && host.kind === 'rootfs') {
      // Usually a symlink into /run (systemd-resolved, NetworkManager), which exists only once the machine boots.
      return failure(
        new HostError(
          'unsupported',
          `${RESOLV_CONF} does not exist in this offline root (it is often a symlink into /run, which is empty until boot)`,
          RESOLV_CONF,
        ),
        sources,
      );
    }
    if (!resolvConf) return failure(new HostError('not-found', `${RESOLV_CONF}: no such file or directory`, RESOLV_CONF), sources);
    const upstream = await readResolvConf(host, RESOLVED_UPSTREAM);
    if (upstream) sources.push({ kind: 'file', path: RESOLVED_UPSTREAM });
    return { ok: true, value: { resolvConf, upstream }, sources };
  } catch (error) {
    return failure(toHostError(error, 'resolv.conf'), sources);
  }
}

/** Where dockerd is told not to manage iptables (--iptables=false, "iptables": false), or null. */
async function dockerIptablesOff(ctx: CollectContext): Promise<string | null> {
  const [flags, config] = await Promise.all([ctx.get('daemonFlags'), ctx.get('daemonConfig')]);
  if (flags.ok && flagValue(flags.value.args, 'iptables') === 'false') return '--iptables=false';
  if (!config.ok || !config.value.text) return null;
  try {
    const parsed = JSON.parse(config.value.text.replace(/^\uFEFF/, '')) as unknown;
    return parsed !== null && typeof parsed === 'object' && (parsed as Record<string, unknown>).iptables === false
      ? `"iptables": false in ${config.value.path}`
      : null;
  } catch {
    // A broken daemon.json is the pre-flight's finding; whether the rules matter is then for iptables to say.
    return null;
  }
}

/** The first line of a command's complaint, for an error message that fits on one line. */
function firstLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

/** What may be known of the daemon's network namespace before reading its rules. */
type Namespace = { netns: IptablesFact['netns']; prefix: string[] };

/**
 * The network namespace the daemon runs in, as the kernel proves it: /proc/PID/ns/net of the daemon's process (found
 * and proven by the daemonProcess collector) against /proc/self/ns/net. In another namespace (a daemon started with
 * `unshare -n`, in a container, under ip netns), the rules are read there with nsenter, which needs root like iptables.
 */
async function daemonNamespace(ctx: CollectContext): Promise<Namespace> {
  const daemon = await ctx.get('daemonProcess');
  if (!daemon.ok || ctx.host.kind !== 'local') return { netns: null, prefix: [] };
  const pid = daemon.value.pid;
  const link = `/proc/${pid}/ns/net`;
  const [own, theirs] = await Promise.all([ctx.host.stat('/proc/self/ns/net'), ctx.host.stat(link)]).catch((error: unknown) => {
    // Reading the rules of some other namespace than the daemon's would judge the wrong firewall: say why instead.
    const err = toHostError(error, link);
    throw new HostError(
      err.code,
      `the daemon's network namespace (${link}) cannot be read: ${err.message}${err.code === 'permission-denied' ? ' (it needs root, like iptables)' : ''}`,
    );
  });
  if (own.ino === undefined || theirs.ino === undefined) return { netns: null, prefix: [] };
  const netns = { daemonPid: pid, daemonNetns: theirs.ino, ownNetns: own.ino };
  return { netns, prefix: own.ino === theirs.ino ? [] : ['nsenter', `--net=/proc/${pid}/ns/net`, '--'] };
}

const RULES_MAX_BYTES = 32 * 1024 * 1024;

/** Runs one rules dump; a missing program is null (the caller tries the other), every other failure a HostError. */
async function dump(host: Host, argv: string[]): Promise<string | null> {
  const shown = argv.join(' ');
  const result = await host.run(argv[0]!, argv.slice(1), { timeoutMs: IPTABLES_TIMEOUT_MS, maxBytes: RULES_MAX_BYTES });
  const complaint = firstLine(`${result.stderr}\n${result.stdout}`);
  if (result.timedOut) throw new HostError('timeout', `${shown} did not finish within ${IPTABLES_TIMEOUT_MS / 1000} s`);
  if (result.code === null) {
    if (/ENOENT/.test(result.stderr)) return null;
    throw new HostError('failed', `${shown} could not be started: ${complaint}`);
  }
  // nsenter reports a missing program as "failed to execute iptables-save: No such file or directory" (exit 127).
  if (result.code === 127 && /No such file or directory/i.test(complaint)) return null;
  if (result.code !== 0) {
    const denied = /permission denied|you must be root|operation not permitted/i.test(complaint);
    throw new HostError(
      denied ? 'permission-denied' : 'failed',
      denied ? `${shown} needs root (CAP_NET_ADMIN): ${complaint}` : `${shown} exited with ${result.code}: ${complaint}`,
    );
  }
  if (result.truncated)
    throw new HostError(
      'too-large',
      `${shown} printed more than ${RULES_MAX_BYTES / 1024 / 1024} MiB: the rules were not judged from part of them`,
    );
  return result.stdout;
}

export async function collectIptables(ctx: CollectContext): Promise<Fact<IptablesFact>> {
  const { host } = ctx;
  const sources: Source[] = [{ kind: 'command', command: 'iptables-save' }];
  if (host.platform !== 'linux') {
    return failure(new HostError('unsupported', `iptables exists on Linux only (this is ${host.platform})`), sources);
  }
  const off = await dockerIptablesOff(ctx);
  if (off)
    return failure(
      new HostError('unsupported', `not run: dockerd does not manage iptables (${off}), so the firewall rules are not Docker's`),
      sources,
    );
  try {
    const { netns, prefix } = await daemonNamespace(ctx);
    // iptables-save is what dockerd's own iptables prints (either backend); nft sees only iptables-nft's rules.
    const formats = [
      { format: 'iptables-save' as const, argv: [...prefix, 'iptables-save'], parse: parseIptablesSave },
      { format: 'nft' as const, argv: [...prefix, 'nft', 'list', 'ruleset'], parse: parseNftRuleset },
    ];
    for (const { format, argv, parse } of formats) {
      const command = argv.join(' ');
      sources[0] = { kind: 'command', command };
      const text = await dump(host, argv);
      if (text === null) continue;
      const tables = parse(text, command);
      const forwardPolicy = tables.filter.find((c) => c.name === 'FORWARD')?.policy ?? null;
      return { ok: true, value: { forwardPolicy, command, format, tables, netns }, sources };
    }
    return failure(new HostError('not-found', 'neither iptables-save nor nft is installed or on PATH'), sources);
  } catch (error) {
    return failure(toHostError(error, sources[0]!.kind === 'command' ? sources[0]!.command : 'iptables-save'), sources);
  }
}
