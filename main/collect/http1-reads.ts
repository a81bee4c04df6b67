// The audit's bulk reads over the pipelining HTTP/1.1 client (http1-pool.ts): GET only, for unix sockets, named pipes
// and tcp (with TLS material). Kept beside dockerode because bench/transport.ts measures it cheaper for an audit's
// thousand inspects and for start-up (dockerode brings ssh2 and gRPC); see createEngineApi.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '../../shared/endpoint';
import type { Host } from '../host/host';
import { readTlsMaterial } from '../engine/dockerode';
import type { ReadHandle } from '../engine/types';
import { tlsModule } from '../util/builtin-later';
import { Http1Pool } from './http1-pool';

/** Pipelining depth per connection: with 8 connections, up to 64 GETs in flight, answered in parallel by the daemon. */
const PIPELINE_DEPTH = 8;
/** No Engine answer the audit reads comes near this; a larger one is a broken or hostile endpoint. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export async function http1Reads(host: Host, endpoint: Endpoint, connections: number): Promise<ReadHandle> {
  let connect: () => Duplex;
  let hostHeader = 'docker';
  let encrypted = false;
  if (endpoint.transport === 'unix' || endpoint.transport === 'npipe') {
    const socketPath = endpoint.host.replace(/^(unix|npipe):\/\//, '');
    connect = () => net.connect({ path: socketPath });
  } else if (endpoint.transport === 'tcp') {
    const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
    const tlsConfig = endpoint.tls;
    const port = url.port ? Number(url.port) : tlsConfig ? 2376 : 2375;
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    hostHeader = `${url.hostname}:${port}`;
    if (tlsConfig) {
      encrypted = true;
      const material = tlsConfig.certPath ? await readTlsMaterial(host, tlsConfig.certPath) : {};
      const tls = tlsModule();
      // One context for every connection: given the PEM material, each tls.connect parses the CA, certificate and key
      // again (~1.5 ms of CPU a connection).
      const secureContext = tls.createSecureContext(material);
      // Without verification (a context's SkipTLSVerify), the connection is encrypted but the server is not authenticated.
      const servername = net.isIP(hostname) ? undefined : hostname;
      // Later connections resume the session of one before (the first GET is a ping on its own connection): no
      // certificate exchange or signatures again, on either side. A session the daemon refuses is a full handshake.
      let session: Buffer | undefined;
      connect = () => {
        const socket = tls.connect({ secureContext, host: hostname, port, servername, rejectUnauthorized: tlsConfig.verify, session });
        socket.once('session', (ticket: Buffer) => (session = ticket));
        return socket;
      };
    } else {
      connect = () => net.connect({ host: hostname, port });
    }
  } else {
    throw new Error(`the pipelining reader does not speak ${endpoint.transport}://`);
  }
  const pool = new Http1Pool({ connect, host: hostHeader, connections, depth: PIPELINE_DEPTH, maxBodyBytes: MAX_BODY_BYTES });
  return {
    requestPath: 'http1-reads',
    tls: encrypted,
    close: () => pool.close(),
    async read(resource, query, timeoutMs, what, consume) {
      const qs = new URLSearchParams(query).toString();
      const { status, body } = await pool.get(qs ? `${resource}?${qs}` : resource, { timeoutMs, what });
      if (consume && status === 200) {
        consume(body);
        return { status, body: Buffer.alloc(0) };
      }
      return { status, body };
    },
  };
}
