import type { FactErrorCode } from '../../shared/fact';

/** An Engine API failure, classified so checks can tell "daemon down" from "permission denied" from "not Docker". */
export class EngineApiError extends Error {
  constructor(
    readonly code: FactErrorCode,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'EngineApiError';
  }
}

/** The endpoint broke the HTTP protocol (malformed status line, oversized head or body). */
export class Http1ProtocolError extends Error {
  readonly code = 'EPROTO';
  constructor(message: string) {
    super(message);
    this.name = 'Http1ProtocolError';
  }
}

/** The endpoint closed the connection before answering. */
export class ConnectionClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionClosedError';
  }
}

/** OpenSSL's and Node's codes for a certificate the other side (or this one) would not accept. */
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/**
 * OpenSSL's reason in words: "80AC…:error:0A000415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired:…"
 * becomes "the daemon refused this client's certificate (sslv3 alert certificate expired)".
 */
function tlsReason(error: NodeJS.ErrnoException): string {
  if (error instanceof ConnectionClosedError || error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    return "the daemon closed the connection before answering: it did not accept this client's certificate, or it does not speak TLS";
  }
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(error.message)?.[1]?.trim();
  const reason = openssl ?? error.message.split('\n')[0]!.trim();
  if (/alert/i.test(reason)) return `the daemon refused this client's certificate (${reason})`;
  if (error.code && /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_CERT_ALTNAME)/.test(error.code))
    return `the daemon's certificate did not verify (${reason})`;
  return reason;
}

export function classifyTransportError(
  error: NodeJS.ErrnoException,
  where: string,
  call: string,
  answeredBefore = false,
  tls = false,
): EngineApiError {
  const closed = error instanceof ConnectionClosedError || error.code === 'ECONNRESET' || error.code === 'EPIPE';
  if ((error.code && TLS_CODE.test(error.code)) || (tls && !answeredBefore && closed)) {
    // A handshake the daemon refused (an expired or unknown client certificate) can also read as a reset: with TLS and
    // nothing answered yet, that is what it means. Never retried without TLS.
    return new EngineApiError(
      'failed',
      `TLS to ${where} failed: ${tlsReason(error)}: check the CA, certificate and key (DOCKER_CERT_PATH or the context's TLS material) and their dates`,
    );
  }
  if (error.code === 'ESSH')
    return new EngineApiError('unreachable', `cannot reach the Docker daemon at ${where} over ssh: ${error.message}`);
  if (closed && answeredBefore) {
    return new EngineApiError('unreachable', `the Docker daemon at ${where} closed the connection during ${call}: it stopped or crashed`);
  }
  if (error instanceof Http1ProtocolError) {
    return new EngineApiError(
      'malformed',
      `something answers at ${where}, but not as an HTTP/1.1 server (${error.message}): it is not a Docker Engine`,
    );
  }
  if (error instanceof ConnectionClosedError) {
    return new EngineApiError('malformed', `the connection to ${where} was closed during ${call}: is it a Docker Engine?`);
  }
  switch (error.code) {
    case 'ENOENT':
      return new EngineApiError('unreachable', `the Docker socket ${where} does not exist: is the daemon running?`);
    case 'ECONNREFUSED':
      return new EngineApiError('unreachable', `connection refused at ${where}: the Docker daemon is not running (or not listening there)`);
    case 'EACCES':
    case 'EPERM':
      return new EngineApiError(
        'permission-denied',
        `permission denied on ${where}: run as a member of the docker group (or with sudo), or choose another endpoint`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new EngineApiError('unreachable', `cannot resolve the host of ${where}`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new EngineApiError('unreachable', `cannot reach ${where} (${error.code})`);
    case 'ABORT_ERR':
      return new EngineApiError('timeout', `the Docker daemon at ${where} did not answer ${call} in time`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new EngineApiError('malformed', `the connection to ${where} was closed during ${call}: is it a Docker Engine?`);
    default:
      if (error.code?.startsWith('HPE_')) {
        return new EngineApiError(
          'malformed',
          `something answers at ${where}, but not with HTTP (${error.code}): it is not a Docker Engine`,
        );
      }
      if (/certificate|self.signed|TLS|SSL/i.test(error.message))
        return new EngineApiError('failed', `TLS to ${where} failed: ${error.message}`);
      return new EngineApiError('failed', `${call} on ${where} failed: ${error.message}`);
  }
}
