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

/** The FORWARD chain policy, from `iptables -S FORWARD` (needs root) . */
export const IptablesFactSchema = z.object({
  forwardPolicy: z.string().nullable(),
  command: z.string(),
});
export type IptablesFact = z.infer<typeof IptablesFactSchema>;
