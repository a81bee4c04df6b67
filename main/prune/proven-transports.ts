import type { Endpoint } from '../../shared/endpoint';
import type { EngineApi, RequestPath } from '../collect/engine-api';
import { PruneInputError } from './filters';

/**
 * The transports a prune may run over: only those whose request path (the code that encodes each query and carries it
 * to the daemon) a test proves against a real daemon. A prune's safety rests on its queries arriving whole (`all=1` to
 * see created containers, `noprune=1` to keep untagged parents, the filters of each re-check): over ssh they once lost
 * their last character, and a prune removed parent images that were not in the plan. A pair not listed here (a new
 * client, another endpoint kind) is refused until its test is written and it is added, with the test named.
 */
const PROVEN: readonly { transport: Endpoint['transport']; requestPath: RequestPath; proof: string }[] = [
  // Removals go through dockerode on every transport; the pair names what carries the plan's and re-checks' reads.
  {
    transport: 'unix',
    requestPath: 'http1-reads',
    proof: 'test/transport/contract.test.ts (unix), main/prune/prune.engine.test.ts: real dockerd over its unix socket',
  },
  { transport: 'unix', requestPath: 'dockerode', proof: 'test/transport/contract.test.ts (unix): the same contract through dockerode' },
  // The same clients and query encoding as unix; only the socket they connect differs (no named pipes on Linux).
  { transport: 'npipe', requestPath: 'http1-reads', proof: 'the unix clients, connected to a named pipe' },
  { transport: 'npipe', requestPath: 'dockerode', proof: 'the unix clients, connected to a named pipe' },
  {
    transport: 'tcp',
    requestPath: 'http1-reads',
    proof: 'test/transport/contract.test.ts (tls): real dockerd with --tlsverify, mutual TLS',
  },
  { transport: 'tcp', requestPath: 'dockerode', proof: 'test/transport/contract.test.ts (tls): real dockerd with --tlsverify, mutual TLS' },
  {
    transport: 'ssh',
    requestPath: 'dockerode',
    proof: 'test/transport/contract.test.ts (ssh): a real sshd, the system ssh and docker system dial-stdio to a real dockerd',
  },
];

/** A prune refused because its endpoint's request path is not proven to carry queries whole. */
export class UnprovenTransportError extends PruneInputError {
  constructor(message: string) {
    super(message);
    this.name = 'UnprovenTransportError';
  }
}

export function isProvenTransport(transport: Endpoint['transport'], requestPath: RequestPath): boolean {
  return PROVEN.some((p) => p.transport === transport && p.requestPath === requestPath);
}

/** Refuses (before anything is read or removed) a prune over a transport not in the list above. */
export function assertProvenTransport(api: Pick<EngineApi, 'endpoint' | 'requestPath'>): void {
  if (isProvenTransport(api.endpoint.transport, api.requestPath)) return;
  const allowed = PROVEN.map((p) => p.transport)
    .filter((t, i, all) => all.indexOf(t) === i)
    .join(', ');
  throw new UnprovenTransportError(
    `refusing to prune over ${api.endpoint.host}: its ${api.endpoint.transport} transport (through ${api.requestPath}) is not one whose query handling a test proves, and a prune that loses a query parameter can remove what its plan keeps. Prune over ${allowed} instead (e.g. on the host itself, over its unix socket)`,
  );
}
