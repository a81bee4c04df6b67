// NO_PROXY as Go's httpproxy matches it (dockerd, the docker CLI), and as the usual tools in a container do.
import { isIP } from 'node:net';
import { isLoopback, overlaps, parseCidr } from '../util/ipv4';

export function noProxyEntries(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
}

/** Strips a ":port" (and IPv6 brackets) from a NO_PROXY entry; entries with a port match only that port. */
function entryHost(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const m = /^([^:]+):\d+$/.exec(entry);
  return m ? m[1]! : entry;
}

function cidrContains(entry: string, host: string): boolean {
  if (!entry.includes('/')) return false;
  const range = parseCidr(entry);
  const ip = parseCidr(host);
  return range !== null && ip !== null && ip.prefix === 32 && overlaps(range, ip) && ip.prefix >= range.prefix;
}

/**
 * Whether Go's http.ProxyFromEnvironment (dockerd, the docker CLI) goes direct to `host`: localhost and loopback
 * addresses always; "*" for everything; CIDRs and IPs for IP literals; "corp.example" for it and its subdomains;
 * ".corp.example" (or "*.corp.example") for subdomains only.
 */
export function goBypassesProxy(noProxy: string, host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || (isIP(h) && isLoopback(h))) return true;
  for (const entry of noProxyEntries(noProxy)) {
    if (entry === '*') return true;
    if (cidrContains(entry, h)) return true;
    const e = entryHost(entry);
    if (isIP(e)) {
      if (e === h) return true;
      continue;
    }
    let suffix = e.startsWith('*.') ? e.slice(1) : e;
    const matchesItself = !suffix.startsWith('.');
    if (matchesItself) suffix = `.${suffix}`;
    if (h.endsWith(suffix) || (matchesItself && h === suffix.slice(1))) return true;
  }
  return false;
}

/**
 * Whether the usual tools in a container (curl, wget, Python, Node) go direct to `host`: a name matches itself and its
 * subdomains, a leading dot is ignored, "*" matches everything; a CIDR is understood only by some (Go, Python, curl
 * 7.86+), not by wget, busybox or older curl.
 */
export function commonBypass(noProxy: string, host: string): 'yes' | 'cidr-only' | 'no' {
  const h = host.toLowerCase();
  let cidrOnly = false;
  for (const entry of noProxyEntries(noProxy)) {
    if (entry === '*') return 'yes';
    if (entry.includes('/')) {
      cidrOnly ||= cidrContains(entry, h);
      continue;
    }
    const e = entryHost(entry).replace(/^\*?\./, '');
    if (h === e || (!isIP(h) && h.endsWith(`.${e}`))) return 'yes';
  }
  return cidrOnly ? 'cidr-only' : 'no';
}
