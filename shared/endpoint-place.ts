// Apart from shared/endpoint.ts (its zod schema): the audit asks this at start-up and should not build schemas for it.
import type { Endpoint } from './endpoint';

/** A tcp:// address that names this machine's loopback (localhost, 127.0.0.0/8, ::1, IPv4-mapped 127/8). */
function loopbackTcp(address: string): boolean {
  let hostname: string;
  try {
    // The WHATWG parser normalises the address forms the daemon's Go dialer accepts (127.1, [::ffff:127.0.0.1]).
    hostname = new URL(address.replace(/^tcp:/, 'http:')).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === '[::1]' ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname)
  );
}

/**
 * Why the daemon behind an endpoint runs on another machine, so its process, files, units, network and disks are not
 * this machine's; null when it may be this one (a local socket, a named pipe, tcp to a loopback address, whose daemon
 * is then proven locally). An ssh:// endpoint is always another machine as far as Dockhand can know: even
 * ssh://127.0.0.1 may land in a container, a VM or behind a jump host, so it is never guessed to be this one.
 */
export function daemonElsewhere(endpoint: Pick<Endpoint, 'transport' | 'host'>): string | null {
  const notHere = 'its files are not readable from here; run dockhand on that host';
  if (endpoint.transport === 'ssh') return `the daemon runs on another machine reached over ssh (${endpoint.host}): ${notHere}`;
  if (endpoint.transport === 'tcp' && !loopbackTcp(endpoint.host))
    return `the daemon runs on another machine reached over tcp (${endpoint.host}): ${notHere}`;
  return null;
}
