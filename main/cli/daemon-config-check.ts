import { parse as shellParse } from 'shell-quote';
import type { PreflightResult } from '../../shared/preflight';
import type { Endpoint } from '../../shared/endpoint';
import { collectDaemonProcess } from '../collect/daemon-process';
import { createEngineApi } from '../collect/engine-api';
import { collectServiceUnit } from '../collect/systemd-unit';
import { discoverEndpoint } from '../discover/endpoint';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { MAX_DAEMON_JSON_BYTES } from '../collect/daemon-config';
import { NEWEST_KNOWN, parseMinor } from '../preflight/engine-version';
import { decodeConfigBytes } from '../preflight/decode';
import { installedEngine } from '../collect/installed-engine';
import { type HostFacts, localHostFacts } from '../preflight/host-facts';
import { preflight } from '../preflight/preflight';
import { CliError, EXIT } from './exit-codes';
import { checkNesting, InputRefused } from '../util/bounded-read';

export interface DaemonConfigCheckOptions {
  flags?: string;
  engineVersion?: string;
  platform?: 'linux' | 'windows';
  host?: string;
  context?: string;
  /** Where docker.service is read from when --flags is not given (an offline root); the local machine by default. */
  unitHost?: Host;
  /** An offline root (--root): host-dependent values are judged by its files; what only its kernel knows stays unknown. */
  root?: string;
}

export interface DaemonConfigCheckOutcome {
  result: PreflightResult;
  file: string;
  flagsFrom: string;
  engineVersionFrom: string;
  /** Where host-dependent values (TLS files, runtimes, paths) were judged: this machine, the root, or nowhere and why. */
  hostFrom: string;
}

/** Splits a --flags string as a shell would; a leading "dockerd" (pasted from ps or a unit) is dropped. */
export function splitFlags(text: string): string[] {
  const words = shellParse(text).map((w) => {
    if (typeof w !== 'string') throw new CliError(`--flags: shell operators are not allowed (${JSON.stringify(w)})`);
    return w;
  });
  return words.length > 0 && /(^|\/)dockerd$/.test(words[0]!) ? words.slice(1) : words;
}

/** Why the newest known rules apply, and how to choose others: said whenever the version is assumed. */
const ASSUMED = `assumed Engine ${NEWEST_KNOWN}, the newest whose rules Dockhand knows (give --engine-version to choose)`;

/**
 * Which engine version to apply the rules of: --engine-version; for an offline root (--root), the dockerd package
 * installed in it (never the build machine's daemon); else the local daemon's, `dockerd --version`, else the newest
 * known, saying why.
 */
type Discovered = Awaited<ReturnType<typeof discoverEndpoint>> | null;

async function resolveEngineVersion(
  host: Host,
  options: DaemonConfigCheckOptions,
  endpoint: Discovered,
): Promise<{ version: string; from: string }> {
  if (options.engineVersion) {
    if (!parseMinor(options.engineVersion))
      throw new CliError(`--engine-version ${options.engineVersion}: expected a version like 27.3 or 20.10.24`);
    return { version: options.engineVersion, from: '--engine-version' };
  }
  if (options.unitHost) {
    const installed = await installedEngine(options.unitHost);
    if (installed)
      return { version: installed.version, from: `the ${installed.package} package installed in the root (${installed.path})` };
    return {
      version: NEWEST_KNOWN,
      from: `${ASSUMED}: the root has no running daemon to ask and no dockerd package recorded in /var/lib/dpkg/status`,
    };
  }
  let daemonError = 'no Docker endpoint found';
  if (endpoint?.ok) {
    try {
      const api = await createEngineApi(host, endpoint.value, 2000);
      const v = (await api.get<{ Version?: unknown }>('/version').finally(() => api.close())) ?? {};
      if (typeof v.Version === 'string' && parseMinor(v.Version))
        return { version: v.Version, from: `the daemon at ${endpoint.value.host}` };
      daemonError = `the daemon at ${endpoint.value.host} gave no version`;
    } catch (error) {
      daemonError = `the daemon at ${endpoint.value.host} did not answer (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  // A cold dockerd binary on a busy host can take seconds just to print its version.
  const out = await host.run('dockerd', ['--version'], { timeoutMs: 10_000, maxBytes: 4096 }).catch(() => null);
  const m = out && /version v?(\d+\.\d+[^\s,]*)/i.exec(out.stdout);
  if (m) return { version: m[1]!, from: `\`dockerd --version\` (${daemonError})` };
  return { version: NEWEST_KNOWN, from: `${ASSUMED}: ${daemonError}, and no dockerd binary answered \`dockerd --version\`` };
}

/**
 * The host dockerd will start on, as the pre-flight asks it: the root's files with --root; this machine when the
 * endpoint is local (with the limits of the dockerd serving it, when one runs); none for a remote endpoint, whose
 * machine is not this one.
 */
async function hostFor(
  host: Host,
  options: DaemonConfigCheckOptions,
  endpoint: Discovered,
): Promise<{ facts: HostFacts | null; from: string }> {
  if (options.root)
    return {
      facts: localHostFacts({ root: options.root }),
      from: `the files in ${options.root} (what only its kernel knows is not judged)`,
    };
  const endpointHere: Endpoint | null = endpoint?.ok ? endpoint.value : null;
  const daemon = endpointHere ? await collectDaemonProcess(host, endpointHere) : null;
  if (daemon?.ok) return { facts: localHostFacts({ pid: daemon.value.pid }), from: `this machine (dockerd pid ${daemon.value.pid})` };
  if (endpointHere && (endpointHere.transport !== 'unix' || endpointHere.flavour === 'desktop')) {
    return {
      facts: null,
      from: `none: the daemon at ${endpointHere.host} does not run on this machine, so host-dependent values are not judged`,
    };
  }
  return { facts: localHostFacts({ pid: null }), from: 'this machine (no running dockerd, so its limits are not judged)' };
}

export async function checkDaemonConfig(host: Host, file: string, options: DaemonConfigCheckOptions): Promise<DaemonConfigCheckOutcome> {
  let decoded: ReturnType<typeof decodeConfigBytes>;
  try {
    decoded = decodeConfigBytes(await host.readFile(file, MAX_DAEMON_JSON_BYTES));
    checkNesting(decoded.text, file, 'json');
  } catch (error) {
    const message = error instanceof HostError || error instanceof InputRefused ? error.message : String(error);
    throw new CliError(`cannot check ${file}: ${message}`, EXIT.usage);
  }
  let flags: string[] | null = null;
  let flagsFrom = 'none: no --flags given and no docker.service unit found';
  if (options.flags !== undefined) {
    flags = splitFlags(options.flags);
    flagsFrom = '--flags';
  } else if (host.platform === 'linux') {
    const unit = await collectServiceUnit(options.unitHost ?? host);
    if (unit.ok && unit.value.execStart) {
      flags = unit.value.execStart.argv.slice(1);
      flagsFrom = `${unit.value.execStart.path}:${unit.value.execStart.line} (docker.service ExecStart)`;
    }
  }
  // An offline root's daemon is never asked (nor this machine's).
  const endpoint = options.root ? null : await discoverEndpoint(host, { host: options.host, context: options.context });
  const engine = await resolveEngineVersion(host, options, endpoint);
  const onHost = await hostFor(host, options, endpoint);
  const platform = options.platform ?? (host.platform === 'win32' ? 'windows' : 'linux');
  const result = preflight({ ...decoded, path: file, explicit: true, flags, engineVersion: engine.version, platform, host: onHost.facts });
  return { result, file, flagsFrom, engineVersionFrom: engine.from, hostFrom: onHost.from };
}

export function renderPreflightText(outcome: DaemonConfigCheckOutcome): string {
  const { result } = outcome;
  const lines = [
    `${outcome.file}: dockerd ${result.engineVersion} (${result.platform}) ${result.willStart ? 'will start' : 'will NOT start'} with this file.`,
    `  engine rules from: ${outcome.engineVersionFrom}`,
    `  dockerd flags from: ${outcome.flagsFrom}`,
    `  host facts from: ${outcome.hostFrom}`,
  ];
  for (const p of result.problems) {
    const where = p.line ? `${outcome.file}:${p.line}:${p.column}` : 'flags';
    lines.push(`${where}: ${p.severity}: ${p.message}`);
  }
  if (result.problems.length === 0) lines.push('No problems found.');
  return `${lines.join('\n')}\n`;
}

export function preflightJson(outcome: DaemonConfigCheckOutcome): string {
  const { result } = outcome;
  return `${JSON.stringify(
    {
      willStart: result.willStart,
      problems: result.problems.map((p) => ({
        line: p.line,
        column: p.column,
        key: p.key,
        severity: p.severity,
        message: p.message,
        kind: p.kind,
      })),
      engineVersion: result.engineVersion,
      engineVersionFrom: outcome.engineVersionFrom,
      platform: result.platform,
      file: outcome.file,
      flagsFrom: outcome.flagsFrom,
      hostFrom: outcome.hostFrom,
    },
    null,
    2,
  )}\n`;
}
