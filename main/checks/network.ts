import { isIP } from 'node:net';
import type { Check } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { HostNetworkFact } from '../../shared/facts/network';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { daemonView, type SettingValue, settingBoolean, settingEvidence, settingStrings } from '../check-kit/daemon-view';
import { docs } from './references';
import { errored, fail, info, need, pass, skipped, warn } from '../check-kit/result';
import { type Cidr, parseCidr, overlaps, isLoopback } from '../util/ipv4';
import {
  hostNetworkDoesNotApply,
  dockerBridgeNames,
  noDefaultBridge,
  BRIDGE_API,
  fileDockerReads,
  nameserverEvidence,
  DNS_REFERENCES,
  dockerFirewallDoesNotApply,
} from './network-helpers';
import { dnsPublicForInternal } from './dns-public';
import { networkDockerChains } from './docker-chains';
import { proxyConsistent, proxyNoProxy } from './proxy';

/* ------------------------------------------------------------------------------------------------------------------
 * DNS
 * ---------------------------------------------------------------------------------------------------------------- */

/** A nameserver that survives dockerd's filter for the default bridge: valid, not loopback, IPv6 only with IPv6 on. */
function survives(address: string, ipv6: boolean): boolean {
  const family = isIP(address);
  return family !== 0 && !isLoopback(address) && (family === 4 || ipv6);
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
  references: DNS_REFERENCES,
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.dns',
  // Its verdicts are about the resolv.conf copy containers on the default bridge get; containers on user-defined
  // networks use Docker's embedded DNS.
  applies: (facts) => hostNetworkDoesNotApply(facts) ?? noDefaultBridge(facts),
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
        return fail(
          `The daemon's "dns" names only loopback addresses (${servers.join(', ')}): inside a container that is the container itself, so name resolution fails on the default bridge.`,
          { evidence, fix },
        );
      }
      return pass(`Containers use the daemon's "dns" servers ${servers.join(', ')}.`, { evidence });
    }
    const read = fileDockerReads(dns);
    const ipv6 = settingBoolean(view.setting('ipv6')) === true;
    const evidence: Evidence[] = [
      settingEvidence('dns', configured, {
        value: null,
        detail: 'no "dns" in daemon.json or flags: containers get the host\'s resolv.conf',
      }),
      ...nameserverEvidence(dns.resolvConf),
      { label: 'file dockerd reads', value: read.path, source: { kind: 'default', detail: read.why } },
    ];
    if (dns.upstream && read.conf === dns.upstream) evidence.push(...nameserverEvidence(dns.upstream));
    if (!read.conf) {
      return fail(
        `dockerd reads ${read.path} (127.0.0.53 is the only nameserver in ${dns.resolvConf.path}), but that file does not exist: containers on the default bridge get Google's 8.8.8.8 and 8.8.4.4.`,
        { evidence, fix },
      );
    }
    const usable = read.conf.nameservers.filter((n) => survives(n.address, ipv6)).map((n) => n.address);
    if (usable.length > 0) return pass(`Containers on the default bridge use ${usable.join(', ')} from ${read.path}.`, { evidence });
    const listed = read.conf.nameservers.map((n) => n.address);
    const why =
      listed.length > 0
        ? `${read.path} lists only ${listed.join(', ')}, which dockerd drops (loopback${ipv6 ? '' : ', or IPv6 with IPv6 off'})`
        : `${read.path} lists no nameserver`;
    return fail(
      `Containers on the default bridge and \`docker build\` steps get Google's public DNS (8.8.8.8, 8.8.4.4): ${why}.${fix ? ` systemd-resolved's upstream servers are ${upstreamServers.join(', ')}.` : ''}`,
      { evidence, fix },
    );
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * MTU
 * ---------------------------------------------------------------------------------------------------------------- */

/** The MTU containers on the default bridge get: the running network's option, else the configured "mtu", else 1500. */
function bridgeMtu(facts: Facts): { mtu: number; evidence: Evidence[] } {
  const option = facts.bridgeNetwork.ok ? facts.bridgeNetwork.value.options['com.docker.network.driver.mtu'] : undefined;
  if (option && /^\d+$/.test(option))
    return {
      mtu: Number(option),
      evidence: [{ label: 'com.docker.network.driver.mtu (default bridge network)', value: Number(option), source: BRIDGE_API }],
    };
  // Without the running bridge or the configuration, 1500 would be a guess.
  if (!facts.daemonConfig.ok) need(facts.bridgeNetwork, 'the default bridge network');
  const unavailable: Evidence[] = facts.bridgeNetwork.ok
    ? []
    : [
        {
          label: 'default bridge network (running daemon)',
          value: `unavailable: ${facts.bridgeNetwork.error.message}; judged from the configuration`,
          source: BRIDGE_API,
        },
      ];
  const configured = daemonView(facts).setting('mtu');
  const value = Number(configured?.value);
  if (configured && Number.isInteger(value) && value > 0)
    return { mtu: value, evidence: [...unavailable, settingEvidence('mtu', configured, { value: 1500, detail: '' })] };
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
  // The "mtu" setting is the default bridge's; user-defined networks carry their own option.
  applies: (facts) => hostNetworkDoesNotApply(facts) ?? noDefaultBridge(facts),
  evaluate(facts) {
    const net = need(facts.hostNetwork, 'host interfaces and routes');
    if (!net.defaultRoute) return skipped('no IPv4 default route in /proc/net/route: there is no uplink to compare the bridge MTU with');
    const iface = net.defaultRoute.iface;
    const uplink = net.interfaces.find((i) => i.name === iface);
    if (!uplink || uplink.mtu === null)
      return errored(`the MTU of ${iface}, the default route's interface, could not be read from /sys/class/net/${iface}/mtu`);
    const bridge = bridgeMtu(facts);
    const bridgeName =
      (facts.bridgeNetwork.ok ? facts.bridgeNetwork.value.options['com.docker.network.bridge.name'] : undefined) ?? 'docker0';
    const bridgeIface = net.interfaces.find((i) => i.name === bridgeName);
    const evidence: Evidence[] = [
      {
        label: `uplink ${iface} MTU (default route${net.defaultRoute.gateway ? ` via ${net.defaultRoute.gateway}` : ''})`,
        value: uplink.mtu,
        source: { kind: 'file', path: `/sys/class/net/${iface}/mtu` },
      },
      ...bridge.evidence,
      ...(bridgeIface?.mtu
        ? [
            {
              label: `${bridgeName} interface MTU (this host)`,
              value: bridgeIface.mtu,
              source: { kind: 'file', path: `/sys/class/net/${bridgeName}/mtu` } as Source,
            },
          ]
        : []),
    ];
    if (bridge.mtu > uplink.mtu) {
      return fail(
        `The default bridge MTU (${bridge.mtu}) is larger than the uplink ${iface}'s (${uplink.mtu}): full-size packets from containers do not fit, and connections can hang where ICMP is filtered.`,
        {
          evidence,
          fix: { id: 'daemon.mtu', params: { mtu: uplink.mtu } },
        },
      );
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
const OTHER_FORWARDING =
  /^(virbr\d+|vnet\d+|tap\d+|br\d+|br-.+|vmbr\d+|lxcbr\d+|lxdbr\d+|incusbr\d+|cni\d+|cbr\d+|flannel\.\d+|cali[0-9a-f]+|weave|kube-bridge)$/;

export const networkForwardPolicy: Check = {
  id: 'network.forward-policy',
  title: "Docker's FORWARD DROP policy does not cut off other forwarded traffic",
  category: 'network',
  severity: 'medium',
  rationale:
    "When dockerd has to turn on IPv4 forwarding itself (net.ipv4.ip_forward was 0 when it started) and manages iptables, it also sets the filter table's FORWARD policy to DROP (since Engine 1.13), so the host does not route arbitrary traffic into containers. Docker's own bridges keep working through the ACCEPT rules it adds. Everything else this host forwards does not: VMs on a libvirt/KVM or Proxmox bridge (once br_netfilter passes bridged frames through iptables), LXC/LXD/Incus containers, Kubernetes CNI bridges, a host acting as a router. If forwarding was already on when dockerd started, it leaves the policy alone. On a host that forwards only for Docker, DROP is the intended, safer default.",
  remediation:
    'Accept the other traffic in the DOCKER-USER chain, which Docker evaluates first and never rewrites, e.g. `iptables -I DOCKER-USER -i br0 -o br0 -j ACCEPT` for a bridge with VMs (persist it with your firewall tooling). Alternatively, on Engine 28.0+ set "ip-forward-no-drop": true, or enable net.ipv4.ip_forward at boot (/etc/sysctl.d) so dockerd leaves the policy alone; then your own firewall must keep unpublished container ports unreachable from the network.',
  references: [
    docs('Packet filtering and firewalls', 'https://docs.docker.com/engine/network/packet-filtering-firewalls/'),
    docs('Docker with iptables: Docker on a router', 'https://docs.docker.com/engine/network/firewall-iptables/'),
  ],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies: (facts) => dockerFirewallDoesNotApply(facts, "the FORWARD policy is the host's own choice"),
  evaluate(facts) {
    const fw = need(facts.iptables, 'the iptables FORWARD policy');
    // No FORWARD chain at all (no filter table loaded, or a flushed nft ruleset): nothing filters forwarded packets.
    const policy = fw.forwardPolicy ?? 'ACCEPT (no FORWARD chain)';
    const evidence: Evidence[] = [
      { label: 'FORWARD policy', value: policy, source: { kind: 'command', command: fw.command } },
      settingEvidence('iptables', daemonView(facts).setting('iptables'), {
        value: true,
        detail: 'Docker manages iptables unless "iptables": false',
      }),
    ];
    if (fw.forwardPolicy !== 'DROP')
      return pass(`The FORWARD policy is ${policy}: no DROP policy stands in the way of traffic this host forwards for others.`, {
        evidence,
      });
    if (!facts.hostNetwork.ok) {
      return info(
        `The FORWARD policy is DROP; the interfaces could not be listed (${facts.hostNetwork.error.message}) to tell whether anything besides Docker forwards through this host.`,
        { evidence },
      );
    }
    const ownBridge = dockerBridgeNames(facts);
    const others = facts.hostNetwork.value.interfaces.filter((i) => OTHER_FORWARDING.test(i.name) && !ownBridge(i.name));
    if (others.length === 0) {
      return pass(
        "The FORWARD policy is DROP, Docker's default when it enables IP forwarding; no VM, LXC or other bridge interface was found, so nothing else depends on forwarding.",
        {
          evidence: [
            ...evidence,
            {
              label: 'interfaces',
              value: facts.hostNetwork.value.interfaces.map((i) => i.name),
              source: { kind: 'file', path: '/sys/class/net' },
            },
          ],
        },
      );
    }
    const names = others.map((i) => i.name);
    return warn(
      `The FORWARD policy is DROP and this host also forwards for ${names.join(', ')}: their traffic is dropped unless a rule accepts it (libvirt's NAT networks add such rules with its iptables backend; bridged VMs, LXD bridges and libvirt's nftables backend do not).`,
      {
        evidence: [
          ...evidence,
          ...names.map((n) => ({
            label: 'other forwarding interface',
            value: n,
            source: { kind: 'file', path: `/sys/class/net/${n}` } as Source,
          })),
        ],
      },
    );
  },
};

/* ------------------------------------------------------------------------------------------------------------------
 * Address pools and bip vs host routes
 * ---------------------------------------------------------------------------------------------------------------- */

/** dockerd's local-scope default pools (libnetwork ipamutils): 172.17-31.0.0/16 and 192.168.0.0/16 split into /20s. */
const DEFAULT_POOLS = [
  '172.17.0.0/16',
  '172.18.0.0/16',
  '172.19.0.0/16',
  '172.20.0.0/14',
  '172.24.0.0/14',
  '172.28.0.0/14',
  '192.168.0.0/16',
];

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
    if (typeof p === 'object' && p !== null && typeof (p as Record<string, unknown>).base === 'string')
      return [(p as Record<string, string>).base!];
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
    const same = ranges.find(
      (r) => r.kind === kind && (r.cidr.text === cidr.text || (kind === 'fixed' && r.cidr.prefix <= cidr.prefix && overlaps(r.cidr, cidr))),
    );
    if (same) same.evidence.push(evidence);
    else ranges.push({ cidr, what, evidence: [evidence], kind });
  };
  if (facts.bridgeNetwork.ok) {
    for (const subnet of facts.bridgeNetwork.value.subnets)
      add(subnet, 'the default bridge network', { label: 'default bridge subnet', value: subnet, source: BRIDGE_API }, 'fixed');
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
    for (const base of DEFAULT_POOLS)
      add(
        base,
        "Docker's default address pool",
        {
          label: 'default address pool (not configured)',
          value: base,
          source: { kind: 'default', detail: "dockerd's built-in pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s" },
        },
        'pool',
      );
  }
  return ranges;
}

type HostRoute = HostNetworkFact['routes'][number];

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function routeEvidence(route: HostRoute): Evidence {
  return {
    label: `host route via ${route.iface}${route.gateway ? ` (gateway ${route.gateway})` : ' (on-link)'}`,
    value: route.destination,
    source: { kind: 'file', path: '/proc/net/route' },
  };
}

export const networkAddressPools: Check = {
  id: 'network.address-pools',
  title: "Docker's subnets do not overlap the host's routes",
  category: 'network',
  severity: 'medium',
  rationale:
    'Docker routes its bridge subnets to its own bridges. When one overlaps a network the host reaches through another interface (the office LAN, a VPN, a cloud VPC peering), the more specific route wins: containers, and often the host itself, can no longer reach that part of the network, and the symptom is a timeout to one internal range only. "bip", "fixed-cidr" and existing networks are used whatever the routes say. New networks come from "default-address-pools" (172.17-31.0.0/16 and 192.168.0.0/16 by default); dockerd skips subnets that overlap on-link routes when it allocates them, but not routes through a gateway (VPN split tunnels, routed corporate ranges), nor routes that appear later.',
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
          results.push(
            fail(
              `${capitalized(range.what)} (${range.cidr.text}) overlaps the host route to ${route.destination} via ${route.iface}: containers cannot reach the overlapping addresses.`,
              { target, evidence },
            ),
          );
        } else if (route.gateway) {
          results.push(
            warn(
              `${capitalized(range.what)} ${range.cidr.text} overlaps the route to ${route.destination} through gateway ${route.gateway} (${route.iface}): dockerd avoids only on-link routes, so a new network (docker compose creates one per project) can take those addresses and cut containers off from them.`,
              { target, evidence },
            ),
          );
        } else {
          skippedByDocker.push({
            label: `pool ${range.cidr.text} overlaps on-link route ${route.destination} (${route.iface})`,
            value: 'dockerd skips these subnets when allocating',
            source: { kind: 'file', path: '/proc/net/route' },
          });
        }
      }
    }
    if (results.length > 0) return results;
    return pass(
      `None of Docker's subnets (${ranges.map((r) => r.cidr.text).join(', ')}) collides with the ${routes.length} host route${routes.length === 1 ? '' : 's'} outside Docker's bridges.`,
      {
        evidence: [...new Set(ranges.flatMap((r) => r.evidence)), ...routes.map(routeEvidence), ...skippedByDocker],
      },
    );
  },
};

export const NETWORK_CHECKS: readonly Check[] = [
  proxyConsistent,
  proxyNoProxy,
  dnsHostResolvers,
  dnsPublicForInternal,
  networkMtu,
  networkForwardPolicy,
  networkDockerChains,
  networkAddressPools,
];
