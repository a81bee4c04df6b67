import { z } from 'zod';

export const InterfaceFactSchema = z.object({
  name: z.string(),
  mtu: z.number().int().nullable(),
  /** CIDRs, e.g. "172.17.0.1/16". */
  addresses: z.array(z.string()),
});

/** Host networking: interfaces with MTU, the IPv4 routes (for pool overlaps) and the default route. */
export const HostNetworkFactSchema = z.object({
  interfaces: z.array(InterfaceFactSchema),
  routes: z.array(z.object({ destination: z.string(), iface: z.string(), gateway: z.string().nullable() })),
  defaultRoute: z.object({ iface: z.string(), gateway: z.string().nullable() }).nullable(),
});
export type HostNetworkFact = z.infer<typeof HostNetworkFactSchema>;

export const ResolvConfSchema = z.object({
  path: z.string(),
  nameservers: z.array(z.object({ address: z.string(), line: z.number().int() })),
  search: z.array(z.string()),
  options: z.array(z.string()),
});
/** /etc/resolv.conf, and systemd-resolved's upstream list (/run/systemd/resolve/resolv.conf) when present. */
export const DnsFactSchema = z.object({
  resolvConf: ResolvConfSchema,
  upstream: ResolvConfSchema.nullable(),
});
export type DnsFact = z.infer<typeof DnsFactSchema>;

export const FirewallChainSchema = z.object({
  name: z.string(),
  /** A built-in chain's policy (ACCEPT, DROP), null for a user-defined chain. */
  policy: z.string().nullable(),
  /** Where its rules send packets: other chains (jump, goto) and verdicts such as ACCEPT or MASQUERADE, each once. */
  targets: z.array(z.string()),
});
export type FirewallChain = z.infer<typeof FirewallChainSchema>;

/** The IPv4 filter and nat tables, the ones Docker writes to, each chain in the order the tool printed it. */
export const FirewallTablesSchema = z.object({
  filter: z.array(FirewallChainSchema),
  nat: z.array(FirewallChainSchema),
});
export type FirewallTables = z.infer<typeof FirewallTablesSchema>;

/** Which network namespace the rules were read in, as the kernel names it (the inode of /proc/PID/ns/net). */
export const NetnsSchema = z.object({
  daemonPid: z.number().int(),
  daemonNetns: z.number().int(),
  ownNetns: z.number().int(),
});

/**
 * The firewall of the daemon's network namespace: the FORWARD chain policy and Docker's chains, from `iptables-save`
 * (or `nft list ruleset` where iptables-save is missing), run in that namespace (needs root).
 */
export const IptablesFactSchema = z.object({
  forwardPolicy: z.string().nullable(),
  command: z.string(),
  /** Absent in snapshots taken before Dockhand read the whole tables. */
  format: z.enum(['iptables-save', 'nft']).optional(),
  tables: FirewallTablesSchema.optional(),
  /** Null when the daemon's process is not known: the rules are then this process's namespace's. */
  netns: NetnsSchema.nullable().optional(),
});
export type IptablesFact = z.infer<typeof IptablesFactSchema>;
