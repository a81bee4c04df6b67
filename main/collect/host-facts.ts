import os from 'node:os';
import type { Fact } from '../../shared/fact';
import type { HostFact } from '../../shared/facts';
import type { Host } from '../host/host';

/** PRETTY_NAME from os-release(5), read through the Host so it works on an offline root too. */
async function osName(host: Host): Promise<string> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const text = (await host.readFile(file, 64 * 1024)).toString('utf8');
      const m = /^PRETTY_NAME=(.*)$/m.exec(text);
      if (m) return m[1]!.trim().replace(/^["']|["']$/g, '');
    } catch {
      // try the next location
    }
  }
  return host.platform === 'darwin' ? 'macOS' : host.platform === 'win32' ? 'Windows' : 'unknown';
}

export async function collectHost(host: Host): Promise<Fact<HostFact>> {
  const user = host.user();
  return {
    ok: true,
    sources: [{ kind: 'file', path: '/etc/os-release' }],
    value: {
      platform: host.platform,
      arch: host.kind === 'local' ? process.arch : 'unknown',
      hostname: host.hostname(),
      osName: await osName(host),
      kernel: host.kind === 'local' ? os.release() : 'unknown',
      user: { username: user.username, uid: user.uid, gid: user.gid, processGroups: user.processGroups },
    },
  };
}
