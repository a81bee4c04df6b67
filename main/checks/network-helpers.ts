import type { CheckContext } from '../../shared/check';
import type { Facts } from '../../shared/facts';
import type { DnsFact } from '../../shared/facts/network';
import type { Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { isDesktop, isRootless, remoteDaemon } from '../check-kit/applicability';
import { daemonView, settingBoolean } from '../check-kit/daemon-view';
import { docs } from './references';

export const BRIDGE_API: Source = { kind: 'api', call: 'GET /networks/bridge' };
const RESOLVED_UPSTREAM = '/run/systemd/resolve/resolv.conf';

/* ------------------------------------------------------------------------------------------------------------------
 * Small helpers: settings, applicability
 * ---------------------------------------------------------------------------------------------------------------- */

/** Why the host's own network facts (interfaces, routes, resolv.conf, iptables) say nothing about this daemon's. */
export function hostNetworkDoesNotApply(facts: Facts): string | null {
  if (isDesktop(facts)) return "Docker Desktop runs the engine in its own VM, with that VM's network, DNS and firewall";
  if (isRootless(facts))
    return "a rootless daemon's containers sit behind its own user-mode network (RootlessKit), not the host's bridge and firewall";
  const remote = remoteDaemon(facts);
  if (remote) return `the daemon at ${remote} runs on another machine: this machine's network is not its network`;
  return null;
}

/** Docker's bridges: the default one (docker0 unless renamed) and user-defined ones (br- and 12 hex digits). */
export function dockerBridgeNames(facts: Facts): (name: string) => boolean {
  const defaultName =
    (facts.bridgeNetwork.ok ? facts.bridgeNetwork.value.options['com.docker.network.bridge.name'] : undefined) ?? 'docker0';
  return (name) => name === defaultName || name === 'docker0' || /^br-[0-9a-f]{12}$/.test(name);
}

/**
 * Why there is no default bridge network (dockerd --bridge=none, or "bridge": "none" in daemon.json; or the running
 * daemon has no network named bridge), or null when there is one or it cannot be told. Checks that judge what
 * containers on the default bridge get then say so instead of a verdict about a network that does not exist.
 */
export function noDefaultBridge(facts: Facts): string | null {
  const setting = daemonView(facts).setting('bridge');
  if (setting && String(setting.value).trim() === 'none') {
    const where = setting.origin === 'flag' ? 'dockerd runs with --bridge=none' : 'daemon.json sets "bridge": "none"';
    return `${where}: the daemon has no default bridge network, so no container is attached to one`;
  }
  const bridge = facts.bridgeNetwork;
  // A 404 for GET /networks/bridge: the daemon answered and has no such network (not an unreachable daemon).
  if (!bridge.ok && (bridge.error.code === 'not-found' || /\b404\b|network bridge not found|no such network/i.test(bridge.error.message))) {
    return 'the running daemon has no default bridge network (GET /networks/bridge: not found), so no container is attached to one';
  }
  return null;
}

/* ------------------------------------------------------------------------------------------------------------------
 * DNS: what containers get from the host
 * ---------------------------------------------------------------------------------------------------------------- */

export type ResolvConf = DnsFact['resolvConf'];

/**
 * The file dockerd copies into containers on the default bridge (libnetwork resolvconf.Path): systemd-resolved's
 * upstream list when /etc/resolv.conf names only the 127.0.0.53 stub, else /etc/resolv.conf.
 */
export function fileDockerReads(dns: DnsFact): { conf: ResolvConf | null; path: string; why: string } {
  const ns = dns.resolvConf.nameservers;
  if (ns.length === 1 && ns[0]!.address === '127.0.0.53') {
    return {
      conf: dns.upstream,
      path: RESOLVED_UPSTREAM,
      why: `the only nameserver in ${dns.resolvConf.path} is systemd-resolved's stub 127.0.0.53, so dockerd reads ${RESOLVED_UPSTREAM} instead`,
    };
  }
  return {
    conf: dns.resolvConf,
    path: dns.resolvConf.path,
    why: `dockerd copies ${dns.resolvConf.path} into containers on the default bridge`,
  };
}

export function nameserverEvidence(conf: ResolvConf): Evidence[] {
  return conf.nameservers.map((n) => ({
    label: `nameserver (${conf.path})`,
    value: n.address,
    source: { kind: 'file', path: conf.path, line: n.line } as Source,
  }));
}

/**
 * The --internal-domain values, lower case, without a leading dot or "*.": names that only the network's own DNS and
 * direct routes reach.
 */
export function internalDomains(context: CheckContext): string[] {
  const raw = context.options.internalDomains;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((d): d is string => typeof d === 'string')
    .map((d) =>
      d
        .trim()
        .toLowerCase()
        .replace(/^\*?\./, ''),
    )
    .filter((d) => d !== '');
}

export const DNS_REFERENCES = [
  docs('Networking overview: DNS services', 'https://docs.docker.com/engine/network/#dns-services'),
  docs('dockerd reference: daemon configuration file', 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file'),
];

/** Why Docker's iptables rules are not for Dockhand to judge here (not this host's network, or "iptables": false). */
export function dockerFirewallDoesNotApply(facts: Facts, consequence: string): string | null {
  const host = hostNetworkDoesNotApply(facts);
  if (host) return host;
  if (settingBoolean(daemonView(facts).setting('iptables')) === false)
    return `Docker does not manage iptables ("iptables": false): ${consequence}`;
  return null;
}
