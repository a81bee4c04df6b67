import { parse as shellParse } from 'shell-quote';
import type { PreflightResult } from '../../shared/preflight';
import { createEngineApi } from '../collect/engine-api';
import { collectServiceUnit } from '../collect/systemd-unit';
import { discoverEndpoint } from '../discover/endpoint';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { MAX_DAEMON_JSON_BYTES } from '../collect/daemon-config';
import { NEWEST_KNOWN, parseMinor } from '../preflight/engine-version';
import { decodeConfigBytes } from '../preflight/decode';
import { installedEngine } from '../collect/installed-engine';
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
}

export interface DaemonConfigCheckOutcome {
  result: PreflightResult;
  file: string;
  flagsFrom: string;
  engineVersionFrom: string;
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
async function resolveEngineVersion(host: Host, options: DaemonConfigCheckOptions): Promise<{ version: string; from: string }> {
  if (options.engineVersion) {
    if (!parseMinor(options.engineVersion)) throw new CliError(`--engine-version ${options.engineVersion}: expected a version like 27.3 or 20.10.24`);
    return { version: options.engineVersion, from: '--engine-version' };
  }
  if (options.unitHost) {
    const installed = await installedEngine(options.unitHost);
    if (installed) return { version: installed.version, from: `the ${installed.package} package installed in the root (${installed.path})` };
    return { version: NEWEST_KNOWN, from: `${ASSUMED}: the root has no running daemon to ask and no dockerd package recorded in /var/lib/dpkg/status` };
  }
  const endpoint = await discoverEndpoint(host, { host: options.host, context: options.context });
  let daemonError = 'no Docker endpoint found';
  if (endpoint.ok) {
    try {
      const api = await createEngineApi(host, endpoint.value, 2000);
      const v = (await api.get<{ Version?: unknown }>('/version').finally(() => api.close())) ?? {};
      if (typeof v.Version === 'string' && parseMinor(v.Version)) return { version: v.Version, from: `the daemon at ${endpoint.value.host}` };
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
  const engine = await resolveEngineVersion(host, options);
  const platform = options.platform ?? (host.platform === 'win32' ? 'windows' : 'linux');
  const result = preflight({ ...decoded, path: file, explicit: true, flags, engineVersion: engine.version, platform });
  return { result, file, flagsFrom, engineVersionFrom: engine.from };
}

export function renderPreflightText(outcome: DaemonConfigCheckOutcome): string {
  const { result } = outcome;
  const lines = [
    `${outcome.file}: dockerd ${result.engineVersion} (${result.platform}) ${result.willStart ? 'will start' : 'will NOT start'} with this file.`,
    `  engine rules from: ${outcome.engineVersionFrom}`,
    `  dockerd flags from: ${outcome.flagsFrom}`,
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
      problems: result.problems.map((p) => ({ line: p.line, column: p.column, key: p.key, severity: p.severity, message: p.message, kind: p.kind })),
      engineVersion: result.engineVersion,
      engineVersionFrom: outcome.engineVersionFrom,
      platform: result.platform,
      file: outcome.file,
      flagsFrom: outcome.flagsFrom,
    },
    null,
    2,
  )}\n`;
}
