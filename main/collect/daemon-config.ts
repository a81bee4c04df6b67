import path from 'node:path';
import type { Fact } from '../../shared/fact';
import type { DaemonConfigFile, DaemonFlags, DaemonProcess, ServiceUnit } from '../../shared/facts';
import type { Endpoint } from '../../shared/endpoint';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { decodeConfigBytes } from '../preflight/decode';
import { failure, type LastSeenConfig } from './context';

export type { LastSeenConfig };
import { checkNesting, InputRefused } from '../util/bounded-read';

/** dockerd reads the whole file; Dockhand stops at this size and says so rather than load a runaway file. */
export const MAX_DAEMON_JSON_BYTES = 4 * 1024 * 1024;

/** The value of a long flag in an argv (--name=value or --name value); the last one wins, as in pflag. */
export function flagValue(args: readonly string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}`) value = args[++i] ?? null;
    else if (arg.startsWith(`--${name}=`)) value = arg.slice(name.length + 3);
  }
  return value;
}

export function resolveDaemonFlags(
  userFlags: string[] | undefined,
  process: Fact<DaemonProcess>,
  unit: Fact<ServiceUnit>,
): Fact<DaemonFlags> {
  if (userFlags) return { ok: true, value: { args: userFlags, from: 'user' }, sources: [{ kind: 'user', detail: '--flags' }] };
  if (process.ok) return { ok: true, value: { args: process.value.argv.slice(1), from: 'process' }, sources: process.sources };
  if (unit.ok && unit.value.execStart) {
    const exec = unit.value.execStart;
    return {
      ok: true,
      value: { args: exec.argv.slice(1), from: 'service-unit' },
      sources: [{ kind: 'file', path: exec.path, line: exec.line }],
    };
  }
  const why = [!process.ok ? process.error.message : null, !unit.ok ? unit.error.message : 'docker.service has no ExecStart']
    .filter(Boolean)
    .join('; ');
  return failure(new HostError('not-found', `dockerd's flags are unknown: ${why}`));
}

interface Located {
  path: string;
  foundBy: DaemonConfigFile['foundBy'];
  reason: string;
  explicit: boolean;
}

/** Where the daemon's daemon.json is: the running process's --config-file, the unit's, else the platform default. */
export function locateDaemonConfig(
  host: Host,
  options: {
    configFile?: string;
    endpoint: Endpoint | null;
    process: Fact<DaemonProcess>;
    unit: Fact<ServiceUnit>;
    lastSeen?: { path: string; reason: string } | null;
  },
): Located {
  if (options.configFile) return { path: options.configFile, foundBy: 'user', reason: 'given with --config-file', explicit: true };
  const { process, unit, endpoint } = options;
  if (process.ok) {
    const fromProcess = flagValue(process.value.argv, 'config-file');
    if (fromProcess) {
      return {
        path: fromProcess,
        foundBy: 'process-flag',
        reason: `the running dockerd (pid ${process.value.pid}) was started with --config-file ${fromProcess}`,
        explicit: true,
      };
    }
  } else if (unit.ok && unit.value.execStart) {
    const fromUnit = flagValue(unit.value.execStart.argv, 'config-file');
    if (fromUnit) {
      const at = `${unit.value.execStart.path}:${unit.value.execStart.line}`;
      return {
        path: fromUnit,
        foundBy: 'service-unit-flag',
        reason: `docker.service's ExecStart (${at}) passes --config-file ${fromUnit}`,
        explicit: true,
      };
    }
  }
  // A daemon that is down is judged by the file it last ran with, not the default it never read (its next start from
  // the same command line reads the same file).
  if (!process.ok && options.lastSeen)
    return { path: options.lastSeen.path, foundBy: 'last-seen', reason: options.lastSeen.reason, explicit: true };
  const because = process.ok
    ? `the running dockerd (pid ${process.value.pid}) has no --config-file`
    : 'no running dockerd or unit names a --config-file';
  if (host.platform === 'win32') {
    const programData = host.env('ProgramData') ?? 'C:\\ProgramData';
    return {
      path: path.win32.join(programData, 'docker', 'config', 'daemon.json'),
      foundBy: 'default-windows',
      reason: `${because}: Windows default`,
      explicit: false,
    };
  }
  const home = host.user().home;
  if (endpoint?.flavour === 'desktop' || host.platform === 'darwin') {
    return {
      path: path.join(home, '.docker', 'daemon.json'),
      foundBy: 'default-desktop',
      reason: `${because}: Docker Desktop keeps the engine's daemon.json in ~/.docker`,
      explicit: false,
    };
  }
  if (endpoint?.flavour === 'rootless') {
    const configHome = host.env('XDG_CONFIG_HOME') || path.join(home, '.config');
    return {
      path: path.join(configHome, 'docker', 'daemon.json'),
      foundBy: 'default-rootless',
      reason: `${because}: default for a rootless daemon`,
      explicit: false,
    };
  }
  return {
    path: '/etc/docker/daemon.json',
    foundBy: 'default-rootful',
    reason: `${because}: default for a rootful daemon`,
    explicit: false,
  };
}

export async function readDaemonConfig(host: Host, located: Located): Promise<Fact<DaemonConfigFile>> {
  const sources: Source[] = [{ kind: 'file', path: host.displayPath(located.path) }];
  const base = { path: host.displayPath(located.path), foundBy: located.foundBy, reason: located.reason, explicit: located.explicit };
  try {
    const bytes = await host.readFile(located.path, MAX_DAEMON_JSON_BYTES);
    const decoded = decodeConfigBytes(bytes);
    checkNesting(decoded.text, base.path, 'json');
    return { ok: true, value: { ...base, exists: true, ...decoded, bytes: bytes.length }, sources };
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') {
      return { ok: true, value: { ...base, exists: false, text: null, encoding: 'utf8', bytes: 0 }, sources };
    }
    const err =
      error instanceof HostError
        ? error
        : new HostError(error instanceof InputRefused ? 'malformed' : 'failed', (error as Error).message ?? String(error));
    return failure(new HostError(err.code, `${err.message} (daemon.json found as: ${located.reason})`), sources);
  }
}
