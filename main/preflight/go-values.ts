import { isIP } from 'node:net';

/**
 * How Go (encoding/json, net, docker/go-units, time) reads the values dockerd is given: the pre-flight must judge a
 * value exactly as dockerd's parsers will, not as JavaScript would.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** encoding/json into a Go int/int64 (dockerd's integer fields are 64-bit): only a plain integer literal in range. */
export function goInt64Problem(raw: string): string | null {
  if (!/^-?(0|[1-9]\d*)$/.test(raw)) return `${raw} is not a whole number (Go reads integers without a fraction or exponent)`;
  const n = BigInt(raw);
  return n < INT64_MIN || n > INT64_MAX ? `${raw} does not fit a 64-bit integer` : null;
}

/** dockerd first decodes the whole file into map[string]interface{}, so every number must fit a float64. */
export function goFloat64Overflows(raw: string): boolean {
  return !Number.isFinite(Number(raw));
}

/** docker/go-units RAMInBytes and FromHumanSize (binary and decimal sizes share the syntax): "64m", "1.5 GiB", "1024". */
const SIZE = /^(\d+(\.\d+)*) ?([kmgtp])?i?b?$/i;
export const isGoSize = (text: string): boolean => SIZE.test(text);
export function goSizeBytes(text: string, binary: boolean): number | null {
  const m = SIZE.exec(text);
  if (!m) return null;
  const unit = m[3] ? 'kmgtp'.indexOf(m[3].toLowerCase()) + 1 : 0;
  return Number(m[1]) * (binary ? 1024 : 1000) ** unit;
}

/** net.ParseIP: dotted IPv4 (no leading zeros) or IPv6 text. */
export const isGoIP = (text: string): boolean => isIP(text) !== 0;

/** net.ParseCIDR: an address, a slash and a decimal prefix length that fits the family. */
export function parseGoCidr(text: string): { ip: string; bits: number; family: 4 | 6 } | null {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return null;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  if (family === 0 || bits > (family === 4 ? 32 : 128)) return null;
  return { ip: m[1]!, bits, family: family as 4 | 6 };
}

/** The address is the network's own (all host bits zero): it cannot be handed out as a gateway. */
export function isNetworkAddress(cidr: { ip: string; bits: number; family: 4 | 6 }): boolean {
  if (cidr.family !== 4) return false;
  const n = cidr.ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const host = cidr.bits === 32 ? 0 : 2 ** (32 - cidr.bits);
  return host > 1 && n % host === 0;
}

/** time.ParseDuration: "300ms", "1h30m", "-1.5h"; a bare number other than 0 needs a unit. */
export const isGoDuration = (text: string): boolean => text === '0' || /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(text);

/** opts.ValidateDNSSearch: "." or a domain of letters, digits and inner hyphens with at least one letter. */
export function isDnsSearchDomain(text: string): boolean {
  if (text === '.') return true;
  const domain = text.endsWith('.') ? text.slice(0, -1) : text;
  return (
    domain.length < 255 &&
    /[a-zA-Z]/.test(domain) &&
    domain.split('.').every((l) => /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(l))
  );
}
