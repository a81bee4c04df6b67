// One private dockerd of an engine, reachable the three ways a user's endpoint can be: its unix socket, TCP with
// mutual TLS on 127.0.0.1 (the daemon runs in the host's network namespace for that, without a bridge or iptables, so
// it touches no network state of the host's), and ssh:// through a real sshd and `docker system dial-stdio`.
import type { Endpoint } from '../../shared/endpoint';
import { LocalHost } from '../../main/host/local-host';
import { type EngineName, type PrivateDockerd, runningDockerd } from '../support/dockerd';
import { freePort, startTestSshd, type TestSshd } from '../support/sshd';
import { type CertDir, makeTlsMaterial, type TlsMaterial } from '../support/tls';

export interface EngineEndpoints {
  daemon: PrivateDockerd;
  tls: TlsMaterial;
  sshd: TestSshd;
  /** tcp://127.0.0.1:PORT */
  tcpHost: string;
  unix: Endpoint;
  /** The TLS endpoint with the client material of `certs` (DOCKER_CERT_PATH), verifying the daemon. */
  tcp(certs?: CertDir): Endpoint;
  ssh: Endpoint;
  /** The host the client runs on: the ssh client's PATH and agent for ssh, the process's own environment otherwise. */
  host: LocalHost;
  /** The environment for the built CLI: DOCKER_TLS_VERIFY/DOCKER_CERT_PATH and the ssh client's PATH and agent. */
  cliEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export const endpointOf = (host: string, transport: Endpoint['transport'], tls: Endpoint['tls'] = null): Endpoint => ({
  host,
  transport,
  tls,
  context: null,
  reason: 'test',
  flavour: transport === 'unix' ? 'unknown' : 'remote',
});

export { freePort };

export async function startEndpoints(engine: EngineName): Promise<EngineEndpoints> {
  const tls = await makeTlsMaterial();
  const port = await freePort();
  const tcpHost = `tcp://127.0.0.1:${port}`;
  let daemon: PrivateDockerd | undefined;
  let sshd: TestSshd | undefined;
  try {
    daemon = await runningDockerd({
      engine,
      daemonJson: {},
      netns: false,
      flags: [
        '-H',
        tcpHost,
        '--tlsverify',
        '--tlscacert',
        tls.server.ca,
        '--tlscert',
        tls.server.cert,
        '--tlskey',
        tls.server.key,
        // In the host's namespace: no docker0, no iptables rules, nothing of the host's network changed.
        '--bridge',
        'none',
        '--iptables=false',
        '--ip6tables=false',
        '--ip-forward=false',
        '--ip-masq=false',
      ],
    });
    sshd = await startTestSshd(daemon.host);
  } catch (error) {
    await sshd?.stop();
    await daemon?.stop();
    await tls.remove();
    throw error;
  }
  const started = { daemon, sshd };
  return {
    ...started,
    tls,
    tcpHost,
    unix: endpointOf(daemon.host, 'unix'),
    tcp: (certs = tls.client) => endpointOf(tcpHost, 'tcp', { verify: true, certPath: certs.dir }),
    ssh: endpointOf(sshd.host, 'ssh'),
    host: new LocalHost(sshd.clientEnv()),
    cliEnv: (extra = {}) => ({ ...sshd.clientEnv(), DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.client.dir, ...extra }),
    async stop() {
      await started.sshd.stop();
      await started.daemon.stop();
      await tls.remove();
    },
  };
}
