// test-needs: root — a setuid-root stand-in sudo; processes started as nobody
// A stand-in `sudo` for tests that run Dockhand as nobody: it really becomes root (a setuid-root copy of setpriv in
// the test's own directory; nothing system-wide changes) and resets the environment as sudo's env_reset does, keeping
// only what the test names, then sets SUDO_UID/SUDO_GID/SUDO_USER as sudo does. It appends each argv it is given to
// `${dir}/sudo.argv`.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const NOBODY = { uid: 65534, gid: 65534 };

export interface RootSudo {
  /** Holds `sudo`: put it first on PATH. */
  dir: string;
  /** Each invocation's arguments, one line each. */
  argvLog: string;
  remove(): Promise<void>;
}

/** `keep`: the environment root's side gets (besides PATH and HOME), e.g. a state dir and a daemon controller. */
export async function installRootSudo(dir: string, keep: Record<string, string>): Promise<RootSudo> {
  await fs.mkdir(dir, { recursive: true });
  const rootpriv = path.join(dir, 'rootpriv');
  await fs.copyFile('/usr/bin/setpriv', rootpriv);
  await fs.chmod(rootpriv, 0o4755);
  const argvLog = path.join(dir, 'sudo.argv');
  // Written by the stand-in before it elevates: as the unprivileged caller.
  await fs.writeFile(argvLog, '', { mode: 0o666 });
  await fs.chmod(argvLog, 0o666);
  const env = Object.entries({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', ...keep }).map(
    ([k, v]) => `'${k}=${v.replaceAll("'", "'\\''")}'`,
  );
  // Like sudo, it tells root who asked: SUDO_UID/SUDO_GID/SUDO_USER from the caller's real ids, set after the reset.
  const caller = 'SUDO_UID="$(id -ru)" SUDO_GID="$(id -rg)" SUDO_USER="$(id -run)"';
  await fs.writeFile(
    path.join(dir, 'sudo'),
    `#!/bin/sh\necho "$@" >> ${argvLog}\nexec env -i ${env.join(' ')} ${caller} ${rootpriv} --reuid=0 --regid=0 --clear-groups "$@"\n`,
    { mode: 0o755 },
  );
  await fs.chmod(dir, 0o755);
  return { dir, argvLog, remove: () => fs.rm(rootpriv, { force: true }) };
}

/** What one run of the real root helper said. */
export interface HelperRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DOCKHAND_BIN = path.resolve(import.meta.dirname, '../../bin/dockhand.cjs');

/**
 * Runs the real `dockhand fix helper ARGS` as root through the stand-in sudo, started as `who` (an unprivileged user),
 * with `input` on its standard input: how the security tests hand the helper a plan an attacker wrote.
 */
export function runHelperAs(
  sudo: RootSudo,
  input: string,
  options: { who: { uid: number; gid: number }; args?: string[]; cwd: string; path: string },
): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(sudo.dir, 'sudo'), [process.execPath, DOCKHAND_BIN, 'fix', 'helper', ...(options.args ?? [])], {
      ...options.who,
      cwd: options.cwd,
      env: { PATH: options.path },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A helper that refuses before reading its input must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
