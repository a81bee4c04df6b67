// How a daemon is reloaded and restarted, by whatever manages it: systemd (system or user), SysV/OpenRC `service`
// (WSL distributions without systemd), Docker Desktop (it cannot be restarted silently: the user is told), or a
// process started by hand (pidfile + its recorded arguments), which is also what the tests use.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { DaemonControllerKind } from '../../shared/fix';
import type { Facts } from '../../shared/facts';
import { isDesktop, isRootless } from '../checks/applicability';
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
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${argv[0]} is not installed` : error.killed ? `it did not finish within ${timeoutMs} ms` : (stderr.trim() || error.message).slice(0, 500);
      reject(new ControllerError(`${argv.join(' ')} failed: ${why}`));
    });
  });
}

/** A controller that runs fixed commands (systemd, systemd --user, service). */
function commandController(kind: DaemonControllerKind, detail: string, restartArgv: string[], reloadArgv: string[] | null): DaemonController {
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
      execFile('journalctl', ['-u', unit, '-n', '5', '--no-pager', '-o', 'cat'], { timeout: 5000 }, (error, stdout) => resolve(error ? null : stdout.trim() || null)),
    ),
});
export const systemdUserController = (unit = 'docker.service') =>
  commandController('systemd-user', `systemd user unit ${unit} (rootless)`, ['systemctl', '--user', 'restart', unit], ['systemctl', '--user', 'daemon-reload']);
export const sysvController = () => commandController('sysv', 'the init script /etc/init.d/docker (no systemd)', ['service', 'docker', 'restart'], null);

export const desktopController = (): DaemonController => ({
  kind: 'desktop',
  detail: 'Docker Desktop (it applies settings when it restarts; Dockhand cannot restart it silently)',
  canRestart: false,
  commands: () => [],
  reload: async () => undefined,
  restart: async () => {
    throw new ControllerError('Docker Desktop cannot be restarted silently: restart it from its menu (Troubleshoot → Restart Docker Desktop)');
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

export function processController(record: ProcessRecord): DaemonController {
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
      const lines = text.trimEnd().split('\n').filter((l) => /level=(error|fatal)|failed to start|Error starting/i.test(l));
      return lines.slice(-3).join('\n') || null;
    },
    async restart(timeoutMs) {
      // The stop and the start run in one detached shell, as a service manager would do them outside this process: if
      // dockhand is killed half-way, the daemon is still started again (it is never left stopped).
      const pid = await readPid(record.pidfile);
      const old = pid && processAlive(pid) ? pid : 0;
      const ticks = Math.max(1, Math.ceil(timeoutMs / 100));
      const script = `p=${old}; if [ "$p" -gt 0 ]; then kill -TERM "$p" 2>/dev/null; i=0; while kill -0 "$p" 2>/dev/null; do i=$((i+1)); if [ "$i" -ge ${ticks} ]; then kill -KILL "$p" 2>/dev/null; fi; sleep 0.1; done; fi; exec "$@"`;
      const out = record.log ? openSync(record.log, 'a') : 'ignore';
      const started = { exited: false };
      latest = started;
      const child = spawn('sh', ['-c', script, 'dockhand-restart', ...record.argv], { cwd: record.cwd, detached: true, stdio: ['ignore', out, out] });
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
}

/** Picks how the audited daemon is managed, from the facts and what this machine runs. */
export async function detectController(facts: Facts, hints: ControllerHints = {}): Promise<DaemonController> {
  if (hints.override) {
    const arg = /^process:(.+)$/.exec(hints.override)?.[1];
    if (!arg) throw new ControllerError(`DOCKHAND_DAEMON_CONTROLLER must be process:/path/to/record.json, not ${JSON.stringify(hints.override)}`);
    const parsed = ProcessRecordSchema.safeParse(JSON.parse(await fs.readFile(arg, 'utf8')));
    if (!parsed.success) throw new ControllerError(`${arg} is not a process record: ${parsed.error.issues[0]?.message}`);
    return processController(parsed.data);
  }
  if (isDesktop(facts)) return desktopController();
  const systemdRuns = existsSync('/run/systemd/system');
  if (isRootless(facts)) {
    const home = hints.home ?? os.homedir();
    if (systemdRuns && existsSync(path.join(home, '.config/systemd/user/docker.service'))) return systemdUserController();
  } else if (systemdRuns && facts.serviceUnit.ok) {
    return systemdController(facts.serviceUnit.value.name);
  } else if (existsSync('/etc/init.d/docker') && !systemdRuns) {
    return sysvController();
  }
  if (facts.daemonProcess.ok) {
    const { argv } = facts.daemonProcess.value;
    return processController({ pidfile: pidfileOf(argv), argv });
  }
  return noController('no service manager or running dockerd was found for this endpoint');
}
