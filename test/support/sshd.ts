// test-needs: sshd — a real OpenSSH server
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { until } from './poll';

const run = promisify(execFile);

/**
 * A real OpenSSH server on 127.0.0.1 for ssh:// endpoint tests, as a user's remote Docker host works: the client logs in
 * with a key held by a real ssh-agent and runs `docker system dial-stdio`, which the docker CLI on the "remote" side
 * connects to the daemon named by DOCKER_HOST (set for every session by the test sshd's own config). Nothing of the
 * system's sshd is used or changed: its own config, host key, authorized keys file, pidfile and port.
 */
export interface TestSshd {
  /** ssh://root@127.0.0.1:PORT, for Dockhand's --host. */
  readonly host: string;
  readonly port: number;
  /** The ssh-agent socket holding the user key: SSH_AUTH_SOCK for the client. */
  readonly agentSocket: string;
  /**
   * A directory to put first on the client's PATH: its `ssh` is the system's, run with this server's client config
   * (its host key in a known_hosts file of its own, strict checking, no prompts), which a user keeps in ~/.ssh/config;
   * root's own ~/.ssh is not touched.
   */
  readonly clientBin: string;
  /** The client's environment: SSH_AUTH_SOCK and PATH as above. */
  clientEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  readonly dir: string;
  logs(): Promise<string>;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

/** A port the kernel just had free on 127.0.0.1 (sshd binds it right after; a clash makes sshd exit, reported below). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something on the port sends an SSH identification line, or rejects at the deadline. */
async function waitForBanner(port: number, alive: () => boolean, deadlineMs: number): Promise<void> {
  const banner = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setTimeout(1000);
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString('latin1').startsWith('SSH-'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
  await until(
    () => {
      if (!alive()) throw new Error('sshd exited');
      return banner();
    },
    { what: `sshd to answer on port ${port}`, timeoutMs: deadlineMs },
  );
}

async function waitForFile(file: string, alive: () => boolean, deadlineMs: number): Promise<void> {
  await until(
    () => {
      if (!alive()) throw new Error(`the process that should create ${file} exited`);
      return fs.stat(file).then(
        () => true,
        () => false,
      );
    },
    { what: `${file} to appear`, timeoutMs: deadlineMs },
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts sshd (root login by key only) whose sessions reach `dockerHost` (e.g. a private dockerd's unix://…/sock). */
export async function startTestSshd(dockerHost: string): Promise<TestSshd> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-ssh-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const userKey = path.join(dir, 'user_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dockhand-test-host', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dockhand-test-user', '-f', userKey]);
  const authorized = path.join(dir, 'authorized_keys');
  await fs.copyFile(`${userKey}.pub`, authorized);
  await fs.chmod(authorized, 0o600);
  // sshd refuses to start without its privilege-separation directory; Debian's package creates it only at boot.
  await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const logPath = path.join(dir, 'sshd.log');
  const config = path.join(dir, 'sshd_config');
  await fs.writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      // The test's files live under /tmp (world-writable, sticky): StrictModes would refuse the key file's parents.
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PrintMotd no',
      `SetEnv DOCKER_HOST=${dockerHost}`,
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const clientBin = path.join(dir, 'bin');
  await fs.mkdir(clientBin);
  const knownHosts = path.join(dir, 'known_hosts');
  const hostPub = (await fs.readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await fs.writeFile(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
  const clientConfig = path.join(dir, 'ssh_config');
  await fs.writeFile(
    clientConfig,
    [
      `UserKnownHostsFile ${knownHosts}`,
      'GlobalKnownHostsFile /dev/null',
      'StrictHostKeyChecking yes',
      'BatchMode yes',
      'IdentitiesOnly no',
      '',
    ].join('\n'),
  );
  await fs.writeFile(path.join(clientBin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${clientConfig} "$@"\n`, { mode: 0o755 });
  const clientEnv = (base: NodeJS.ProcessEnv = process.env) => ({
    ...base,
    SSH_AUTH_SOCK: agentSocket,
    PATH: `${clientBin}:${base.PATH ?? '/usr/bin:/bin'}`,
  });
  const sshd = spawn(SSHD, ['-D', '-e', '-f', config, '-E', logPath], { stdio: 'ignore' });
  const agentSocket = path.join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  const alive = (c: ChildProcess) => () => c.exitCode === null && c.signalCode === null;
  const logs = () => fs.readFile(logPath, 'utf8').catch(() => '');
  const stop = async () => {
    await Promise.all([stopChild(sshd), stopChild(agent)]);
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForBanner(port, alive(sshd), 20_000);
    await waitForFile(agentSocket, alive(agent), 10_000);
    await run('ssh-add', ['-q', userKey], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
  } catch (error) {
    const text = await logs();
    await stop();
    throw new Error(`test sshd did not start: ${(error as Error).message}\n${text.slice(-2000)}`, { cause: error });
  }
  return { host: `ssh://root@127.0.0.1:${port}`, port, agentSocket, clientBin, clientEnv, dir, logs, stop };
}
