// IPv4 arithmetic for the network checks and Go's NO_PROXY matching.
export interface Cidr {
  base: number;
  prefix: number;
  text: string;
}

function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const formatIPv4 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

/** "172.26.0.1/16" → the network 172.26.0.0/16 (bip names the gateway address, not the network). */
export function parseCidr(text: string): Cidr | null {
  const [ip = '', len = '32', extra] = text.trim().split('/');
  const addr = parseIPv4(ip);
  const prefix = Number(len);
  if (addr === null || extra !== undefined || !/^\d{1,2}$/.test(len) || prefix > 32) return null;
  const base = (addr & maskOf(prefix)) >>> 0;
  return { base, prefix, text: `${formatIPv4(base)}/${prefix}` };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

/** Loopback as Go's netip sees it: 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  const a = address.trim().toLowerCase();
  const v4 = parseIPv4(a.replace(/^::ffff:/, ''));
  if (v4 !== null) return v4 >>> 24 === 127;
  return a === '::1' || a === '0:0:0:0:0:0:0:1';
}
