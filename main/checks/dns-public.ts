import { BlockList, isIP } from 'node:net';
import type { Check, CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { CheckResult, Evidence, FixRef } from '../../shared/finding';
import { inspected } from './container-helpers';
import { daemonView, settingEvidence, settingStrings } from '../check-kit/daemon-view';
import { isLoopback } from '../util/ipv4';
import { DNS_REFERENCES, fileDockerReads, hostNetworkDoesNotApply, internalDomains, nameserverEvidence } from './network-helpers';
import { need, pass, warn, fail } from '../check-kit/result';

/**
 * Addresses that are not on the public internet: RFC 1918, carrier-grade NAT (100.64.0.0/10, where Tailscale's
 * 100.100.100.100 lives), link-local, loopback, and IPv6 unique-local and link-local. A resolver there is the
 * network's own; one anywhere else (8.8.8.8, 1.1.1.1, 9.9.9.9) knows only public names.
 */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['100.64.0.0', 10],
    ['169.254.0.0', 16],
    ['127.0.0.0', 8],
  ] as const)
    list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of [
    ['fc00::', 7],
    ['fe80::', 10],
    ['::1', 128],
  ] as const)
    list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the host's own name resolution is internal (each with its evidence), or nothing when it looks public-only. */
function internalContext(facts: Facts, context: CheckContext): { why: string[]; evidence: Evidence[]; servers: string[] } {
  const dns = need(facts.dns, 'the host resolv.conf');
  const why: string[] = [];
  const evidence: Evidence[] = [];
  const read = fileDockerReads(dns);
  const conf = read.conf ?? dns.resolvConf;
  const servers = conf.nameservers.map((n) => n.address).filter((a) => isIP(a) !== 0 && !isLoopback(a) && !isPublicAddress(a));
  if (servers.length > 0) {
    why.push(`the host resolves through ${servers.join(', ')} on its own network`);
    evidence.push(...nameserverEvidence(conf).filter((e) => servers.includes(String(e.value))));
  }
  const search = [...new Set([...dns.resolvConf.search, ...(dns.upstream?.search ?? [])])];
  if (search.length > 0) {
    why.push(`its resolv.conf searches ${search.join(', ')}`);
    evidence.push({ label: `search domains (${dns.resolvConf.path})`, value: search, source: { kind: 'file', path: dns.resolvConf.path } });
  }
  const domains = internalDomains(context);
  if (domains.length > 0) {
    why.push(`${domains.join(', ')} ${domains.length === 1 ? 'is an internal domain' : 'are internal domains'} (--internal-domain)`);
    evidence.push({ label: 'internal domains', value: domains, source: { kind: 'user', detail: '--internal-domain' } });
  }
  return { why, evidence, servers };
}

interface Configured {
  target: string;
  who: string;
  servers: string[];
  evidence: Evidence;
  fix: FixRef | null;
}

function configuredServers(facts: Facts, internalServers: string[]): Configured[] {
  const list: Configured[] = [];
  const setting = daemonView(facts).setting('dns');
  const daemonServers = settingStrings(setting);
  if (setting && daemonServers.length > 0) {
    const fix = internalServers.length > 0 ? { id: 'daemon.dns', params: { servers: internalServers } } : null;
    list.push({
      target: 'daemon',
      who: 'the daemon\'s "dns" (every container that sets none of its own)',
      servers: daemonServers,
      evidence: settingEvidence('dns', setting, { value: null, detail: '' }),
      fix,
    });
  }
  for (const c of facts.containers.ok ? facts.containers.value : []) {
    const servers = c.hostConfig.dns ?? [];
    if (servers.length === 0) continue;
    list.push({
      target: `container:${c.name}`,
      who: `container ${c.name} (--dns)`,
      servers,
      evidence: inspected(c, `HostConfig.Dns (${c.name})`, servers),
      fix: null,
    });
  }
  return list;
}

export const dnsPublicForInternal: Check = {
  id: 'dns.public-for-internal',
  title: 'Containers are not sent to public DNS on a network with internal names',
  category: 'dns',
  severity: 'medium',
  rationale:
    "Containers resolve names through the daemon's \"dns\" servers, or their own --dns (compose's dns:), instead of the host's. Public resolvers such as 8.8.8.8 or 1.1.1.1 know only public names: on a host whose own resolvers are on its network (private addresses), or which searches internal domains, names like registry.corp.example or a bare host name resolve on the host and fail in containers (NXDOMAIN, so the resolver does not try the next server), and the corporate firewall often blocks outbound DNS altogether. Medium: builds and services fail in a way that looks like an application bug. Warn when public servers are listed after internal ones: they answer whenever the resolver turns to them (a timeout, options rotate).",
  remediation:
    'Point containers at the network\'s own resolvers: set "dns" in daemon.json to the host\'s internal nameservers (the ones in /etc/resolv.conf, or systemd-resolved\'s upstream list in /run/systemd/resolve/resolv.conf) and restart the daemon, or remove "dns" so containers get the host\'s. For a container with --dns (compose dns:), recreate it without it or with the internal servers.',
  references: DNS_REFERENCES,
  cis: null,
  platforms: ['linux'],
  fixId: 'daemon.dns',
  applies: hostNetworkDoesNotApply,
  evaluate(facts, context) {
    const internal = internalContext(facts, context);
    const configured = configuredServers(facts, internal.servers);
    const publicOnes = configured.filter((c) => c.servers.some(isPublicAddress));
    if (publicOnes.length === 0) {
      const shown = configured.map((c) => `${c.who}: ${c.servers.join(', ')}`);
      return pass(
        configured.length === 0
          ? "No DNS server is configured for containers: they use the host's resolvers."
          : `No public DNS server is configured for containers (${shown.join('; ')}).`,
        {
          evidence: [...configured.map((c) => c.evidence), ...internal.evidence],
        },
      );
    }
    if (internal.why.length === 0) {
      return pass(
        `Containers use public DNS (${publicOnes.map((c) => c.servers.join(', ')).join('; ')}), and so does the host: no internal resolver, search domain or --internal-domain says this network has names of its own.`,
        {
          evidence: [...publicOnes.map((c) => c.evidence), ...nameserverEvidence(need(facts.dns, 'the host resolv.conf').resolvConf)],
        },
      );
    }
    const because = internal.why.join('; ');
    return publicOnes.map((c): CheckResult => {
      const publicServers = c.servers.filter(isPublicAddress);
      const evidence = [c.evidence, ...internal.evidence];
      if (publicServers.length === c.servers.length) {
        return fail(
          `${capitalize(c.who)} sends every lookup to public DNS (${publicServers.join(', ')}), but ${because}: internal names do not resolve in those containers.`,
          { target: c.target, evidence, fix: c.fix },
        );
      }
      return warn(
        `${capitalize(c.who)} lists public DNS (${publicServers.join(', ')}) besides internal servers, and ${because}: lookups that reach the public server fail for internal names.`,
        { target: c.target, evidence, fix: c.fix },
      );
    });
  },
};

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
