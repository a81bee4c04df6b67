import path from 'node:path';
import type { Fact } from '../../shared/fact';
import type { DesktopFact, WslFact } from '../../shared/facts/desktop';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { decodeConfigBytes } from '../preflight/decode';
import { type CollectContext, failure } from './context';
import { SYSTEMINFORMATION_SOURCE } from '../../shared/facts/vocabulary';

const MAX_SETTINGS_BYTES = 4 * 1024 * 1024;
const COMMAND_TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------------------------------------------------------------
// Docker Desktop
// ---------------------------------------------------------------------------------------------------------------------

type PathApi = typeof path.posix;

function pathApi(host: Host): PathApi {
  return host.platform === 'win32' ? path.win32 : path.posix;
}

/**
 * Where Docker Desktop keeps its settings, newest format first: settings-store.json since 4.35 (PascalCase keys),
 * settings.json before (camelCase keys). docs.docker.com/desktop/settings-and-maintenance/settings/
 */
function desktopSettingsCandidates(host: Host): string[] {
  const home = host.user().home;
  const p = pathApi(host);
  let dir: string;
  if (host.platform === 'darwin') dir = p.join(home, 'Library', 'Group Containers', 'group.com.docker');
  else if (host.platform === 'win32') dir = p.join(host.env('APPDATA') || p.join(home, 'AppData', 'Roaming'), 'Docker');
  else dir = p.join(home, '.docker', 'desktop');
  return [p.join(dir, 'settings-store.json'), p.join(dir, 'settings.json')];
}

/** Both formats hold the same settings under differently cased names (MemoryMiB / memoryMiB, OverrideProxyHTTP / overrideProxyHttp). */
class Settings {
  private readonly byLowerKey = new Map<string, unknown>();
  constructor(raw: Record<string, unknown>) {
    for (const [k, v] of Object.entries(raw)) this.byLowerKey.set(k.toLowerCase(), v);
  }
  get(key: string): unknown {
    return this.byLowerKey.get(key.toLowerCase());
  }
  num(key: string): number | null {
    const v = this.get(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  bool(key: string): boolean | null {
    const v = this.get(key);
    return typeof v === 'boolean' ? v : null;
  }
  str(key: string): string | null {
    const v = this.get(key);
    if (typeof v === 'number') return String(v);
    return typeof v === 'string' && v !== '' ? v : null;
  }
}

async function readSettings(host: Host): Promise<{ path: string; settings: Settings } | { looked: string[] }> {
  const candidates = desktopSettingsCandidates(host);
  for (const file of candidates) {
    let bytes: Buffer;
    try {
      bytes = await host.readFile(file, MAX_SETTINGS_BYTES);
    } catch (error) {
      if (error instanceof HostError && error.code === 'not-found') continue;
      throw error;
    }
    const { text } = decodeConfigBytes(bytes);
    let raw: unknown;
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new HostError('malformed', `${host.displayPath(file)} is not valid JSON: ${(error as Error).message}`, file);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new HostError('malformed', `${host.displayPath(file)}: expected a JSON object`, file);
    return { path: file, settings: new Settings(raw as Record<string, unknown>) };
  }
  return { looked: candidates.map((c) => host.displayPath(c)) };
}

/** macOS: VirtioFS, gRPC FUSE or the legacy osxfs, from the two switches the settings keep; elsewhere there is no choice. */
function fileSharingOf(host: Host, s: Settings): string | null {
  if (host.platform !== 'darwin') return null;
  const virtiofs = s.bool('useVirtualizationFrameworkVirtioFS');
  const grpcfuse = s.bool('useGrpcfuse');
  if (virtiofs) return 'virtiofs';
  if (grpcfuse) return 'grpcfuse';
  if (virtiofs === false && grpcfuse === false) return 'osxfs';
  return null;
}

/** Where the VM's disk image lives; the first that exists is Desktop's. */
function diskImageCandidates(host: Host, s: Settings): string[] {
  const p = pathApi(host);
  const home = host.user().home;
  if (host.platform === 'darwin') {
    const dir = s.str('dataFolder') ?? p.join(home, 'Library', 'Containers', 'com.docker.docker', 'Data', 'vms', '0', 'data');
    return [p.join(dir, 'Docker.raw'), p.join(dir, 'Docker.qcow2')];
  }
  if (host.platform === 'win32') {
    if (s.bool('wslEngineEnabled') === false) {
      const dir = s.str('dataFolder') ?? p.join(host.env('ProgramData') || 'C:\\ProgramData', 'DockerDesktop', 'vm-data');
      return [p.join(dir, 'DockerDesktop.vhdx')];
    }
    // 4.30+ keeps the data on its own disk (docker_data.vhdx); before, in the docker-desktop-data distro's ext4.vhdx.
    const dir = s.str('customWslDistroDir') ?? p.join(host.env('LOCALAPPDATA') || p.join(home, 'AppData', 'Local'), 'Docker', 'wsl');
    return [p.join(dir, 'disk', 'docker_data.vhdx'), p.join(dir, 'data', 'ext4.vhdx')];
  }
  return [p.join(home, '.docker', 'desktop', 'vms', '0', 'data', 'Docker.raw')];
}

async function findDiskImage(host: Host, s: Settings): Promise<DesktopFact['diskImage']> {
  for (const candidate of diskImageCandidates(host, s)) {
    const st = await host.stat(candidate).catch(() => null);
    if (st?.isFile) return { path: host.displayPath(candidate), bytes: st.size };
  }
  return null;
}

async function run(host: Host, command: string, args: string[], encoding: 'utf8' | 'utf16le' = 'utf8'): Promise<string | null> {
  const result = await host.run(command, args, { timeoutMs: COMMAND_TIMEOUT_MS, maxBytes: 1024 * 1024, encoding }).catch(() => null);
  return result && result.code === 0 ? result.stdout : null;
}

const MIB = 1024 * 1024;

/**
 * The machine's CPUs and memory, to hold Desktop's limits against: on this machine, systeminformation's (loaded only
 * here, on a Desktop host); on a recorded machine, the recorded answers of the commands that tell them.
 */
async function hostResources(host: Host, sources: Source[]): Promise<{ cpus: number | null; memoryMiB: number | null }> {
  if (host.kind === 'local') {
    const si = await import('systeminformation');
    const [cpu, mem] = await Promise.all([si.cpu(), si.mem()]);
    sources.push({ kind: 'default', detail: SYSTEMINFORMATION_SOURCE });
    return { cpus: cpu.cores > 0 ? cpu.cores : null, memoryMiB: mem.total > 0 ? Math.round(mem.total / MIB) : null };
  }
  if (host.platform === 'darwin') {
    const out = await run(host, 'sysctl', ['-n', 'hw.ncpu', 'hw.memsize']);
    const [cpus, mem] = (out ?? '').trim().split(/\s+/).map(Number);
    if (out) sources.push({ kind: 'command', command: 'sysctl -n hw.ncpu hw.memsize' });
    return {
      cpus: Number.isFinite(cpus) && cpus! > 0 ? cpus! : null,
      memoryMiB: Number.isFinite(mem) && mem! > 0 ? Math.round(mem! / MIB) : null,
    };
  }
  if (host.platform === 'win32') {
    const cpus = Number(host.env('NUMBER_OF_PROCESSORS'));
    if (cpus > 0) sources.push({ kind: 'env', name: 'NUMBER_OF_PROCESSORS' });
    const script = '(Get-CimInstance -ClassName Win32_ComputerSystem).TotalPhysicalMemory';
    const out = await run(host, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
    const mem = Number((out ?? '').trim());
    if (mem > 0) sources.push({ kind: 'command', command: `powershell.exe -Command "${script}"` });
    return { cpus: cpus > 0 ? cpus : null, memoryMiB: mem > 0 ? Math.round(mem / MIB) : null };
  }
  const meminfo = await host.readFile('/proc/meminfo', 1024 * 1024).then(
    (b) => b.toString('utf8'),
    () => '',
  );
  const cpuinfo = await host.readFile('/proc/cpuinfo', 4 * 1024 * 1024).then(
    (b) => b.toString('utf8'),
    () => '',
  );
  const kib = Number(/^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo)?.[1]);
  const cpus = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  if (kib > 0) sources.push({ kind: 'file', path: '/proc/meminfo' });
  if (cpus > 0) sources.push({ kind: 'file', path: '/proc/cpuinfo' });
  return { cpus: cpus > 0 ? cpus : null, memoryMiB: kib > 0 ? Math.round(kib / 1024) : null };
}

/** Desktop's version: the engine says it in Platform.Name; with the engine down, macOS's app bundle says it. */
async function desktopVersion(ctx: CollectContext, s: Settings, sources: Source[]): Promise<string | null> {
  const engine = await ctx.get('engine');
  const fromEngine = engine.ok ? /Docker Desktop\s+(\S+)/i.exec(engine.value.platformName ?? '')?.[1] : undefined;
  if (fromEngine) {
    sources.push({ kind: 'api', call: 'GET /version' });
    return fromEngine;
  }
  if (ctx.host.platform !== 'darwin') return null;
  const plist = path.posix.join(s.str('dockerAppLaunchPath') ?? '/Applications/Docker.app', 'Contents', 'Info.plist');
  const text = await ctx.host.readFile(plist, 1024 * 1024).then(
    (b) => b.toString('utf8'),
    () => '',
  );
  const version = /<key>CFBundleShortVersionString<\/key>\s*<string>([^<]+)<\/string>/.exec(text)?.[1] ?? null;
  if (version) sources.push({ kind: 'file', path: plist });
  return version;
}

export async function collectDesktop(ctx: CollectContext): Promise<Fact<DesktopFact>> {
  const host = ctx.host;
  let found: Awaited<ReturnType<typeof readSettings>>;
  try {
    found = await readSettings(host);
  } catch (error) {
    return failure(
      error,
      desktopSettingsCandidates(host).map((p) => ({ kind: 'file' as const, path: host.displayPath(p) })),
    );
  }
  if ('looked' in found) {
    return failure(
      new HostError('unsupported', `not a Docker Desktop host: no Desktop settings file (looked for ${found.looked.join(', ')})`),
    );
  }
  const s = found.settings;
  const sources: Source[] = [{ kind: 'file', path: host.displayPath(found.path) }];
  try {
    const diskImage = await findDiskImage(host, s);
    if (diskImage) sources.push({ kind: 'file', path: diskImage.path });
    const resources = await hostResources(host, sources);
    const exclude = s.get('overrideProxyExclude');
    return {
      ok: true,
      sources,
      value: {
        settingsPath: host.displayPath(found.path),
        version: await desktopVersion(ctx, s, sources),
        wslEngineEnabled: host.platform === 'win32' ? s.bool('wslEngineEnabled') : null,
        fileSharingImplementation: fileSharingOf(host, s),
        cpus: s.num('cpus'),
        memoryMiB: s.num('memoryMiB'),
        swapMiB: s.num('swapMiB'),
        diskSizeMiB: s.num('diskSizeMiB'),
        proxy: {
          mode: s.str('proxyHttpMode'),
          http: maskOrNull(s.str('overrideProxyHttp')),
          https: maskOrNull(s.str('overrideProxyHttps')),
          // "" is a real answer here (nothing excluded), unlike an absent key.
          exclude: typeof exclude === 'string' ? exclude : null,
        },
        diskImage,
        hostCpus: resources.cpus,
        hostMemoryMiB: resources.memoryMiB,
      },
    };
  } catch (error) {
    return failure(error, sources);
  }
}

function maskOrNull(value: string | null): string | null {
  return value === null ? null : maskSecretsInText(value);
}

// ---------------------------------------------------------------------------------------------------------------------
// WSL 2
// ---------------------------------------------------------------------------------------------------------------------

type WslDistro = WslFact['distros'][number];

/** Header columns are separated by two or more blanks; a localised header word may itself hold one ("NOM DE…"). */
function columnStarts(header: string): number[] {
  const starts: number[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(header); m; m = re.exec(header)) starts.push(m.index);
  return starts;
}

/**
 * `wsl.exe -l -v`: a header (localised: NAME/STATE/VERSION, NOM/ÉTAT/VERSION…) then one row per distro, the default
 * marked with '*' before its name. Rows are cut at the header's column positions, so names and states with blanks
 * survive; a row that does not line up falls back to "name, state, trailing version number".
 */
export function parseWslList(text: string): WslDistro[] | null {
  const lines = text
    .replace(/\0/g, '')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0];
  if (!header) return null;
  const starts = columnStarts(header);
  if (starts.length !== 3) return null;
  const [nameAt, stateAt, versionAt] = starts as [number, number, number];
  const distros: WslDistro[] = [];
  for (const row of lines.slice(1)) {
    const byColumn = {
      marker: row.slice(0, nameAt),
      name: row.slice(nameAt, stateAt).trim(),
      state: row.slice(stateAt, versionAt).trim(),
      version: row.slice(versionAt).trim(),
    };
    if (/^\d+$/.test(byColumn.version) && byColumn.name && byColumn.state && !/\S/.test(byColumn.marker.replace('*', ''))) {
      distros.push({
        name: byColumn.name,
        state: byColumn.state,
        version: Number(byColumn.version),
        isDefault: byColumn.marker.includes('*'),
      });
      continue;
    }
    const loose = /^\s*(\*)?\s*(.+?)\s{2,}(.+?)\s+(\d+)\s*$/.exec(row);
    if (!loose) return null;
    distros.push({ name: loose[2]!, state: loose[3]!, version: Number(loose[4]), isDefault: loose[1] === '*' });
  }
  return distros;
}

/**
 * The default version from `wsl.exe --status`: "Default Version: 2" in English; localised labels differ
 * ("Standardversion: 2", "Version par défaut : 2"), so otherwise the one line whose whole value is 1 or 2.
 */
export function parseWslDefaultVersion(text: string): number | null {
  const lines = text
    .replace(/\0/g, '')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const english = lines.map((l) => /^\s*Default Version\s*:\s*(\d+)\s*$/i.exec(l)).find(Boolean);
  if (english) return Number(english[1]);
  const candidates = lines.map((l) => /^[^:]+:\s*([12])\s*$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  return candidates.length === 1 ? Number(candidates[0]![1]) : null;
}

interface IniValue {
  value: string;
  line: number;
}

/** INI as WSL reads .wslconfig: [section], key=value, '#' and ';' comments, optional quotes; names compared case-insensitively. */
export function parseIni(text: string): Map<string, IniValue> {
  const out = new Map<string, IniValue>();
  let section = '';
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = raw.replace(/\s[#;].*$/, '').trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) return;
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) {
        section = header[1]!.trim().toLowerCase();
        return;
      }
      const eq = line.indexOf('=');
      if (eq <= 0) return;
      const key = line.slice(0, eq).trim().toLowerCase();
      const value = line
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      out.set(`${section}.${key}`, { value, line: index + 1 });
    });
  return out;
}

async function readWslConfig(host: Host, sources: Source[]): Promise<WslFact['wslconfig']> {
  const file = path.win32.join(host.env('USERPROFILE') || host.user().home, '.wslconfig');
  let bytes: Buffer;
  try {
    bytes = await host.readFile(file, 1024 * 1024);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
  sources.push({ kind: 'file', path: host.displayPath(file) });
  // Notepad writes UTF-8 (with or without a BOM); PowerShell 5's Out-File writes UTF-16LE with a BOM.
  const ini = parseIni(decodeConfigBytes(bytes).text);
  const get = (key: string) => ini.get(`wsl2.${key}`)?.value ?? null;
  const processors = get('processors');
  // sparseVhd was introduced under [experimental]; newer WSL releases also read it from [wsl2].
  const sparse = ini.get('wsl2.sparsevhd') ?? ini.get('experimental.sparsevhd');
  return {
    path: host.displayPath(file),
    memory: get('memory'),
    processors: processors !== null && /^\d+$/.test(processors) ? Number(processors) : null,
    swap: get('swap'),
    sparseVhd: sparse ? /^true$/i.test(sparse.value) : null,
  };
}

const NO_DISTROS = /no installed distributions|has no installed distributions/i;

export async function collectWsl(ctx: CollectContext): Promise<Fact<WslFact>> {
  const host = ctx.host;
  if (host.platform !== 'win32') return failure(new HostError('unsupported', `WSL exists only on Windows (this host is ${host.platform})`));
  const listCommand = 'wsl.exe -l -v';
  const sources: Source[] = [{ kind: 'command', command: listCommand }];
  // wsl.exe writes UTF-16LE, unless WSL_UTF8=1 (read by newer WSL releases) makes it write UTF-8.
  const encoding = host.env('WSL_UTF8') === '1' ? 'utf8' : 'utf16le';
  try {
    const list = await host.run('wsl.exe', ['-l', '-v'], { timeoutMs: COMMAND_TIMEOUT_MS, encoding });
    if (list.code === null && !list.timedOut && /ENOENT/.test(list.stderr)) {
      return failure(new HostError('unsupported', 'wsl.exe was not found: WSL is not installed'), sources);
    }
    if (list.timedOut)
      return failure(new HostError('timeout', `${listCommand} did not answer within ${COMMAND_TIMEOUT_MS / 1000} s`), sources);
    let distros = parseWslList(list.stdout);
    if (distros === null) {
      if (!NO_DISTROS.test(list.stdout)) {
        const said = list.stdout.replace(/\0/g, '').trim().split(/\r?\n/)[0] || list.stderr.trim() || `exit code ${list.code}`;
        return failure(new HostError('malformed', `${listCommand}: unexpected output: ${said}`), sources);
      }
      distros = [];
    }
    const status = await host.run('wsl.exe', ['--status'], { timeoutMs: COMMAND_TIMEOUT_MS, encoding });
    sources.push({ kind: 'command', command: 'wsl.exe --status' });
    const defaultVersion = status.code === 0 ? parseWslDefaultVersion(status.stdout) : null;
    const wslconfig = await readWslConfig(host, sources);
    return { ok: true, value: { distros, defaultVersion, wslconfig }, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
