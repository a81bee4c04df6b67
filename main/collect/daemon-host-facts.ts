import type { Fact } from '../../shared/fact';
import type { DaemonHostFact } from '../../shared/facts/daemon-host';
import { HostError } from '../host/host';
import { daemonPreflightInput } from '../preflight/daemon-input';
import { localHostFacts, recordingHostFacts } from '../preflight/host-facts';
import { preflight } from '../preflight/preflight';
import type { CollectContext } from './context';
import { failure } from './context';

const unsupported = (why: string) => failure<DaemonHostFact>(new HostError('unsupported', why));

/**
 * Asks this machine the questions the pre-flight has about the audited daemon's configuration (is the
 * userland-proxy-path executable, can root read the TLS key, is there systemd...) and keeps only the answers, never a
 * file's contents. Only when a dockerd on this machine serves the endpoint: another machine's daemon (ssh, tcp,
 * Docker Desktop's VM) or an offline root would be judged by the wrong host.
 */
export async function collectDaemonHostFacts(ctx: CollectContext): Promise<Fact<DaemonHostFact>> {
  if (ctx.host.kind === 'rootfs')
    return unsupported(
      'an offline root: the machine its dockerd will start on is not this one, so its kernel, limits and files as dockerd will see them cannot be asked',
    );
  if (ctx.host.kind !== 'local') return unsupported('the host facts are asked of the local machine only');
  const [daemonProcess, daemonConfig, daemonFlags, engine, info] = await Promise.all([
    ctx.get('daemonProcess'),
    ctx.get('daemonConfig'),
    ctx.get('daemonFlags'),
    ctx.get('engine'),
    ctx.get('info'),
  ]);
  if (!daemonProcess.ok)
    return unsupported(
      `no dockerd on this machine serves the endpoint (${daemonProcess.error.message}), so the host it runs on cannot be asked`,
    );
  const pid = daemonProcess.value.pid;
  const { facts: host, snapshot } = recordingHostFacts(localHostFacts({ pid }));
  const input = daemonPreflightInput({ engine, info, daemonConfig, daemonFlags, mode: 'live', root: null }, host);
  if (!input) return unsupported('there is no daemon.json to judge, so nothing to ask the host');
  preflight(input);
  return {
    ok: true,
    value: { pid, engineVersion: input.engineVersion, answers: snapshot },
    sources: [{ kind: 'process', pid, detail: "dockerd's limits and capabilities, and the files its configuration names" }],
  };
}
