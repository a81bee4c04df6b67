// ssh:// endpoints the way the docker CLI reaches them: the system's `ssh` (so the user's ~/.ssh/config, known_hosts,
// identity files and agent all apply) runs `docker system dial-stdio` on the far side, and HTTP travels over its stdio.
// dockerode's own ssh mode uses ssh2, which reads no ssh config, checks no host key and logs in again for every request.
import { type ChildProcess, spawn } from 'node:child_process';
import type http from 'node:http';
import { Duplex } from 'node:stream';
import { httpModule } from '../util/builtin-later';

/** What the ssh URL names: ssh://[user@]host[:port][/path-of-the-remote-socket]. */
export interface SshTarget {
  user: string | null;
  host: string;
  port: number | null;
  /** A socket path on the far side (docker --host unix://PATH), as the docker CLI allows. */
  socketPath: string | null;
}

export function parseSshUrl(address: string): SshTarget {
  const url = new URL(address);
  if (url.protocol !== 'ssh:' || !url.hostname) throw new Error(`'${address}' is not an ssh://[user@]host[:port] endpoint`);
  if (url.password) throw new Error(`'${address}': a password in an ssh:// endpoint is not supported (use a key or the ssh agent)`);
  if (url.search || url.hash) throw new Error(`'${address}': an ssh:// endpoint takes no query or fragment`);
  return {
    user: url.username ? decodeURIComponent(url.username) : null,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : null,
    socketPath: url.pathname && url.pathname !== '/' ? decodeURIComponent(url.pathname) : null,
  };
}

/** The docker CLI's command line (cli/connhelper): ConnectTimeout=30, no tty, then `-l user -p port -- host docker …`. */
function sshArgs(target: SshTarget): string[] {
  return [
    '-o',
    'ConnectTimeout=30',
    '-T',
    ...(target.user ? ['-l', target.user] : []),
    ...(target.port ? ['-p', String(target.port)] : []),
    '--',
    target.host,
    'docker',
    ...(target.socketPath ? ['--host', `unix://${target.socketPath}`] : []),
    'system',
    'dial-stdio',
  ];
}

/** One `ssh … dial-stdio` process as the socket node:http writes requests to and reads responses from. */
class SshStdio extends Duplex {
  private stderr = '';
  constructor(private readonly child: ChildProcess) {
    super();
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout!.pause();
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000)));
    child.stdin!.on('error', () => undefined);
    child.once('error', (error) => this.destroy(error));
    // The end of the stream waits for ssh's exit status (all its output read): a refused login or host key ends stdout
    // too, and must read as ssh's own reason, not as a daemon that closed the connection.
    child.once('close', (code, signal) => {
      if (this.destroyed) return;
      const why = this.stderr.trim().split('\n').filter(Boolean).slice(-2).join('; ');
      if (code !== 0)
        this.destroy(Object.assign(new Error(`ssh exited (${signal ?? `code ${code}`})${why ? `: ${why}` : ''}`), { code: 'ESSH' }));
      else this.push(null);
    });
  }
  override _read(): void {
    this.child.stdout!.resume();
  }
  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.child.stdin!.write(chunk, encoding, callback);
  }
  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin!.end(callback);
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    callback(error);
  }
  // What node:http's agent calls on a socket; a pipe to ssh has no such options.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/**
 * A keep-alive http.Agent whose connections are `ssh … docker system dial-stdio` processes: each login carries many
 * requests, up to `connections` logins at once (an sshd's MaxStartups refuses bursts of new ones).
 */
export function sshAgent(target: SshTarget, env: NodeJS.ProcessEnv, connections: number): http.Agent {
  const agent = new (httpModule().Agent)({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const args = sshArgs(target);
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () =>
    new SshStdio(spawn('ssh', args, { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  return agent;
}
