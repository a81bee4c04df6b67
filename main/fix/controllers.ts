// How a daemon is reloaded and restarted, by whatever manages it: systemd (system or user), SysV/OpenRC `service`
// (WSL distributions without systemd), Docker Desktop (it cannot be restarted silently: the user is told), or a
// process started by hand (pidfile + its recorded arguments), which is also what the tests use.
import { execFile, spawn } from 'node:child_process';
import { closeSync, constants as fsConstants, existsSync, openSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { DaemonControllerKind } from '../../shared/fix';
import type { Facts } from '../../shared/facts';
import { isDesktop, isRootless } from '../check-kit/applicability';
import { type DaemonProof, type TrustedDaemon, untrustedFile } from '../host/trusted-daemon';
import { processAlive, waitForExit } from '../util/process';

export interface Command {
  argv: string[];
  why: string;
}

export interface DaemonController {
  readonly kind: DaemonControllerKind;
  /** Said in the plan: which daemon this is and how it is managed. */
  readonly detail: string;
  /** Whether it can restart the daemon itself (false: Desktop, or nothing known to manage it). */
  readonly canRestart: boolean;
  /** The commands `reload` (after unit drop-in changes) and `restart` run, for the plan. */
  commands(reload: boolean): Command[];
  reload(timeoutMs: number): Promise<void>;
  restart(timeoutMs: number): Promise<void>;
  /** Why the daemon may have failed to start: the last lines of its log, when the controller knows where it is. */
  diagnose?(): Promise<string | null>;
  /** True once the daemon it started has exited: no point waiting for it to answer. */
  exited?(): boolean;
}

export class ControllerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControllerError';
  }
}

export function runCommand(argv: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${argv[0]} is not installed`
          : error.killed
            ? `it did not finish within ${timeoutMs} ms`
            : (stderr.trim() || error.message).slice(0, 500);
      reject(new ControllerError(`${argv.join(' ')} failed: ${why}`));
    });
  });
}

/** A controller that runs fixed commands (systemd, systemd --user, service). */
function commandController(
  kind: DaemonControllerKind,
  detail: string,
  restartArgv: string[],
  reloadArgv: string[] | null,
): DaemonController {
  return {
    kind,
    detail,
    canRestart: true,
    commands: (reload) => [
      ...(reload && reloadArgv ? [{ argv: reloadArgv, why: 'make systemd read the changed drop-in' }] : []),
      { argv: restartArgv, why: 'restart the daemon so it reads the new configuration' },
    ],
    reload: (timeoutMs) => (reloadArgv ? runCommand(reloadArgv, timeoutMs) : Promise.resolve()),
    restart: (timeoutMs) => runCommand(restartArgv, timeoutMs),
  };
}

export const systemdController = (unit = 'docker.service'): DaemonController => ({
  ...commandController('systemd', `systemd unit ${unit}`, ['systemctl', 'restart', unit], ['systemctl', 'daemon-reload']),
  diagnose: () =>
    new Promise((resolve) =>
      execFile('journalctl', ['-u', unit, '-n', '5', '--no-pager', '-o', 'cat'], { timeout: 5000 }, (error, stdout) =>
        resolve(error ? null : stdout.trim() || null),
      ),
    ),
});
export const systemdUserController = (unit = 'docker.service') =>
  commandController(
    'systemd-user',
    `systemd user unit ${unit} (rootless)`,
    ['systemctl', '--user', 'restart', unit],
    ['systemctl', '--user', 'daemon-reload'],
  );
export const sysvController = () =>
  commandController('sysv', 'the init script /etc/init.d/docker (no systemd)', ['service', 'docker', 'restart'], null);

export const desktopController = (): DaemonController => ({
  kind: 'desktop',
  detail: 'Docker Desktop (it applies settings when it restarts; Dockhand cannot restart it silently)',
  canRestart: false,
  commands: () => [],
  reload: async () => undefined,
  restart: async () => {
    throw new ControllerError(
      'Docker Desktop cannot be restarted silently: restart it from its menu (Troubleshoot → Restart Docker Desktop)',
    );
  },
});

export const noController = (why: string): DaemonController => ({
  kind: 'none',
  detail: why,
  canRestart: false,
  commands: () => [],
  reload: async () => undefined,
  restart: async () => {
    throw new ControllerError(`cannot restart the daemon: ${why}`);
  },
});

/** A dockerd started by hand: its pidfile and the arguments to start it again with. */
export const ProcessRecordSchema = z.object({
  pidfile: z.string(),
  argv: z.array(z.string()).min(1),
  cwd: z.string().optional(),
  /** Where the restarted daemon's output goes (appended). */
  log: z.string().optional(),
});
export type ProcessRecord = z.infer<typeof ProcessRecordSchema>;

async function readPid(pidfile: string): Promise<number | null> {
  const text = await fs.readFile(pidfile, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Quotes one word for a POSIX shell, for the commands a refusal tells the user to run. */
const shellWord = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`);

/**
 * `stopPid` names the process a restart stops, asked at the moment of the restart (null: none is running): the
 * controller never signals a pid it was merely told about.
 */
export function processController(record: ProcessRecord, stopPid: () => Promise<number | null>): DaemonController {
  const argvText = record.argv.join(' ');
  /** The daemon this controller started last; an earlier one exiting (it is what a restart stops) says nothing. */
  let latest: { exited: boolean } | null = null;
  return {
    exited: () => latest?.exited ?? false,
    kind: 'process',
    detail: `a dockerd started by hand (pidfile ${record.pidfile}), restarted with: ${argvText}`,
    canRestart: true,
    commands: () => [
      { argv: ['kill', '-TERM', `$(cat ${record.pidfile})`], why: 'stop the daemon (it was not started by a service manager)' },
      { argv: record.argv, why: 'start it again with the same arguments' },
    ],
    reload: async () => undefined,
    async diagnose() {
      if (!record.log) return null;
      const text = await fs.readFile(record.log, 'utf8').catch(() => '');
      const lines = text
        .trimEnd()
        .split('\n')
        .filter((l) => /level=(error|fatal)|failed to start|Error starting/i.test(l));
      return lines.slice(-3).join('\n') || null;
    },
    async restart(timeoutMs) {
      // The stop and the start run in one detached shell, as a service manager would do them outside this process: if
      // dockhand is killed half-way, the daemon is still started again (it is never left stopped).
      const pid = await stopPid();
      const old = pid && processAlive(pid) ? pid : 0;
      const ticks = Math.max(1, Math.ceil(timeoutMs / 100));
      const script = `p=${old}; if [ "$p" -gt 0 ]; then kill -TERM "$p" 2>/dev/null; i=0; while kill -0 "$p" 2>/dev/null; do i=$((i+1)); if [ "$i" -ge ${ticks} ]; then kill -KILL "$p" 2>/dev/null; fi; sleep 0.1; done; fi; exec "$@"`;
      const out = record.log ? openSync(record.log, 'a') : 'ignore';
      const started = { exited: false };
      latest = started;
      const child = spawn('sh', ['-c', script, 'dockhand-restart', ...record.argv], {
        cwd: record.cwd,
        detached: true,
        stdio: ['ignore', out, out],
      });
      child.once('exit', () => (started.exited = true));
      try {
        await new Promise<void>((resolve, reject) => {
          child.once('spawn', resolve);
          child.once('error', (error) => reject(new ControllerError(`cannot start ${record.argv[0]}: ${error.message}`)));
        });
      } finally {
        if (typeof out === 'number') closeSync(out);
      }
      child.unref();
      // Until the old daemon is gone, a ping would reach it rather than the new one.
      if (old) await waitForExit(old, timeoutMs + 5000);
    },
  };
}

/** The pidfile a running dockerd writes: its --pidfile (-p) flag, else the default. */
function pidfileOf(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--pidfile' || a === '-p') return argv[i + 1] ?? '/var/run/docker.pid';
    if (a.startsWith('--pidfile=')) return a.slice('--pidfile='.length);
  }
  return '/var/run/docker.pid';
}

export interface ControllerHints {
  /** DOCKHAND_DAEMON_CONTROLLER=process:/path/record.json — how the tests (and hand-started daemons) say it. */
  override?: string;
  home?: string;
  /** The daemon proven to serve the endpoint (proveDaemon), or why none is: nothing is restarted without it. */
  daemon?: DaemonProof;
  /** Proves it again, at the moment of a restart (the pid changes with each restart). */
  reprove?: () => Promise<DaemonProof>;
  /** This process's effective uid; default: its own. */
  euid?: number;
  /** Whether systemd manages this machine; default: /run/systemd/system exists (tests cannot make systemd PID 1). */
  systemdRuns?: boolean;
}

/** The owners a file this process trusts may have: root, and itself. */
const trustedOwners = (euid: number) => (euid === 0 ? [0] : [0, euid]);

/** `name` as execvp would find it on PATH, resolved to its real path; null when not found. */
async function resolveProgram(name: string): Promise<string | null> {
  const dirs = name.includes('/') ? [''] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = dir ? path.join(dir, name) : path.resolve(name);
    try {
      await fs.access(candidate, fsConstants.X_OK);
      return await fs.realpath(candidate);
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * A process record from DOCKHAND_DAEMON_CONTROLLER, accepted only as this user's own word about the proven daemon: the
 * record is a file of this user (root's, in the helper) in directories nobody else writes, its pidfile (the same) names
 * the proven pid, its program is a file in such a place, and the proven daemon's executable is what it starts.
 */
async function recordController(file: string, daemon: DaemonProof | undefined, euid: number): Promise<DaemonController> {
  const owners = trustedOwners(euid);
  const who = euid === 0 ? 'root' : `uid ${euid}`;
  const refuse = (why: string) => new ControllerError(`refused DOCKHAND_DAEMON_CONTROLLER=process:${file}: ${why}`);
  const real = await fs.realpath(file).catch(() => null);
  if (!real) throw refuse('the record cannot be read');
  const fileProblem = await untrustedFile(real, owners);
  if (fileProblem) throw refuse(`it must be ${who}'s own file in directories only ${who} can change, but ${fileProblem}`);
  let parsed: ReturnType<typeof ProcessRecordSchema.safeParse>;
  try {
    parsed = ProcessRecordSchema.safeParse(JSON.parse((await fs.readFile(real)).subarray(0, 1024 * 1024).toString('utf8')));
  } catch (error) {
    throw new ControllerError(`${file} is not a process record: ${(error as Error).message}`);
  }
  if (!parsed.success) throw new ControllerError(`${file} is not a process record: ${parsed.error.issues[0]?.message}`);
  const record = parsed.data;
  if (!daemon?.ok) {
    const why = daemon?.why ?? 'no local endpoint';
    if (euid === 0) throw refuse(`the daemon it would restart is not proven: ${why}`);
    // Not root, and the daemon is not this user's to inspect (root's): the plan names the record, and only the root
    // helper, which proves the daemon itself and checks the record again, may restart it.
    const planned = processController(record, async () => null);
    return {
      ...planned,
      restart: async () => {
        throw new ControllerError(
          `cannot restart the daemon from this account: it is not proven here (${why}); the root helper restarts it once it has proven it`,
        );
      },
    };
  }
  const proven = daemon.daemon;
  const pidfileProblem = async (): Promise<string | null> => {
    const pidfile = await fs.realpath(record.pidfile).catch(() => null);
    if (!pidfile) return `its pidfile ${record.pidfile} cannot be read`;
    return untrustedFile(pidfile, owners);
  };
  const problem = await pidfileProblem();
  if (problem) throw refuse(`its pidfile is not ${who}'s own: ${problem}`);
  const named = await readPid(record.pidfile);
  if (named !== proven.pid)
    throw refuse(
      `its pidfile ${record.pidfile} names pid ${named ?? 'nothing'}, but the daemon serving ${proven.socket} is pid ${proven.pid}`,
    );
  const program = await resolveProgram(record.argv[0]!);
  if (!program) throw refuse(`${record.argv[0]} is not an executable on PATH`);
  const programProblem = await untrustedFile(program, owners);
  if (programProblem) throw refuse(`the program it runs is not ${who}'s own: ${programProblem}`);
  // The program is the proven dockerd, or a wrapper of this user's (unshare -n, a test's gate script) that is handed it.
  const resolved = await Promise.all(record.argv.map(async (a) => (a.startsWith('-') ? null : resolveProgram(a))));
  if (!resolved.includes(proven.exe))
    throw refuse(`it does not start ${proven.exe}, the executable of the daemon serving ${proven.socket}`);
  // At restart: only a pid named by a pidfile that is still this user's own.
  const stopPid = async () => ((await pidfileProblem()) ? null : readPid(record.pidfile));
  return processController({ ...record, argv: [program, ...record.argv.slice(1)] }, stopPid);
}

/** MainPID of a systemd unit (0: not running), asked of systemctl; null when it cannot be asked. */
function mainPid(unit: string, user: boolean): Promise<number | null> {
  return new Promise((resolve) =>
    execFile('systemctl', [...(user ? ['--user'] : []), 'show', '-p', 'MainPID', '--value', unit], { timeout: 10_000 }, (error, stdout) => {
      const pid = Number(stdout.trim());
      resolve(error || !/^\d+$/.test(stdout.trim()) ? null : pid);
    }),
  );
}

/** Whether `ancestor` is `pid` or one of its parents (rootless dockerd runs under rootlesskit, the unit's MainPID). */
async function descendsFrom(pid: number, ancestor: number): Promise<boolean> {
  for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
    if (p === ancestor) return true;
    const status = await fs.readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    p = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return false;
}

/** What to run by hand to restart the proven daemon, for a refusal. */
function byHand(daemon: TrustedDaemon): string {
  const sudo = daemon.uid === 0 ? 'sudo ' : '';
  return `${sudo}kill -TERM ${daemon.pid}, wait for it to exit, then start it again: ${sudo}${[daemon.exe, ...daemon.argv.slice(1)].map(shellWord).join(' ')}`;
}

/** Picks how the audited daemon is managed: a manager only once it is proven to manage the daemon serving the endpoint. */
export async function detectController(facts: Facts, hints: ControllerHints = {}): Promise<DaemonController> {
  const euid = hints.euid ?? process.geteuid?.() ?? 0;
  if (hints.override) {
    const arg = /^process:(.+)$/.exec(hints.override)?.[1];
    if (!arg)
      throw new ControllerError(`DOCKHAND_DAEMON_CONTROLLER must be process:/path/to/record.json, not ${JSON.stringify(hints.override)}`);
    return recordController(arg, hints.daemon, euid);
  }
  if (isDesktop(facts)) return desktopController();
  const systemdRuns = hints.systemdRuns ?? existsSync('/run/systemd/system');
  const proof = hints.daemon;
  const proven = proof?.ok ? proof.daemon : null;
  // Not root and the daemon is someone else's (root's): its files and restart go through the root helper, which proves
  // the daemon again and picks its controller by the same rules; until then the plan can only name the likely one.
  const unprovenHere = !proven && euid !== 0;
  if (isRootless(facts) || proven?.rootless) {
    const home = hints.home ?? os.homedir();
    if (systemdRuns && existsSync(path.join(home, '.config/systemd/user/docker.service'))) {
      const main = await mainPid('docker.service', true);
      if (unprovenHere || (proven && main && (await descendsFrom(proven.pid, main)))) return systemdUserController();
    }
  } else if (systemdRuns && facts.serviceUnit.ok) {
    const unit = facts.serviceUnit.value.name;
    if (unprovenHere) return systemdController(unit);
    if (proven) {
      const main = await mainPid(unit, false);
      if (main === proven.pid) return systemdController(unit);
      return noController(
        `the daemon serving ${proven.socket} (pid ${proven.pid}) is not ${unit}'s (its MainPID is ${main ?? 'unknown'}), so restarting ${unit} would restart another daemon. Restart it yourself: ${byHand(proven)}`,
      );
    }
  } else if (existsSync('/etc/init.d/docker') && !systemdRuns) {
    if (unprovenHere) return sysvController();
    if (proven) {
      const pidfile = '/var/run/docker.pid';
      const real = await fs.realpath(pidfile).catch(() => null);
      const problem = real ? await untrustedFile(real, [0]) : `${pidfile} does not exist`;
      const named = await readPid(pidfile);
      if (!problem && named === proven.pid) return sysvController();
      return noController(
        `the daemon serving ${proven.socket} (pid ${proven.pid}) is not the one /etc/init.d/docker manages (${problem ?? `${pidfile} names pid ${named ?? 'nothing'}`}). Restart it yourself: ${byHand(proven)}`,
      );
    }
  }
  if (proven) {
    // A daemon started by hand is started again from its command line only by its own user, never as root: an argv
    // is the process's own to write.
    if (euid !== 0 && proven.uid === euid) {
      return processController({ pidfile: pidfileOf(proven.argv), argv: [proven.exe, ...proven.argv.slice(1)] }, async () => {
        const again = await hints.reprove?.();
        return again?.ok && again.daemon.uid === euid ? again.daemon.pid : null;
      });
    }
    return noController(
      `the daemon serving ${proven.socket} (pid ${proven.pid}) was started by hand, and Dockhand never starts a command line read from /proc as root. Restart it yourself: ${byHand(proven)}`,
    );
  }
  return noController(
    proof && !proof.ok
      ? `no daemon is proven to serve this endpoint (${proof.why})`
      : 'no service manager or running dockerd was found for this endpoint',
  );
}
