import path from 'node:path';
import { getNodeValue, type Node } from 'jsonc-parser';
import type { Fact } from '../../shared/fact';
import type { DaemonConfigFile, DaemonFlags } from '../../shared/facts';
import type { AccountsFact, AuditRulesFact, ClientConfigFact, FileStatFact, ProcessEnvFact, SubIdsFact } from '../../shared/facts/host-files';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { dockerConfigDir } from '../discover/endpoint';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { parseDockerdFlags } from '../preflight/dockerd-flags';
import { formatMinor, NEWEST_KNOWN } from '../preflight/engine-version';
import { parseJsonDocument } from '../preflight/json-document';
import { OptionIndex } from '../preflight/option-index';
import { type CollectContext, failure } from './context';
import { parseUnitText, SYSTEM_UNIT_DIRS } from './systemd-unit';

/**
 * What each stat'ed path is, as the `role` of its FileStatFact. Checks select files by these exact strings, so they
 * are part of the facts vocabulary: change one and every saved snapshot stops matching.
 */
export const FILE_ROLES = {
  dockerSocket: 'Docker socket',
  daemonJson: 'daemon.json',
  serviceUnit: 'docker.service unit',
  serviceDropIn: 'docker.service drop-in',
  socketUnit: 'docker.socket unit',
  socketDropIn: 'docker.socket drop-in',
  etcDocker: '/etc/docker directory',
  certsDir: 'registry certificates directory',
  registryCert: 'registry certificate or key',
  tlsCa: 'TLS CA certificate',
  tlsCert: 'TLS server certificate',
  tlsKey: 'TLS server key',
  defaultDocker: '/etc/default/docker',
  sysconfigDocker: '/etc/sysconfig/docker',
  containerdSocket: 'containerd socket',
  // Paths CIS 1.1.x wants audited; stat'ed so the audit check knows which of them exist here.
  dockerdBinary: 'dockerd binary',
  dataRoot: 'Docker data root',
  containerdRunDir: 'containerd run directory',
  containerdConfig: 'containerd config',
  containerdBinary: 'containerd binary',
  containerdShim: 'containerd-shim binary',
  containerdShimV1: 'containerd-shim-runc-v1 binary',
  containerdShimV2: 'containerd-shim-runc-v2 binary',
  runcBinary: 'runc binary',
} as const;
export type FileRole = (typeof FILE_ROLES)[keyof typeof FILE_ROLES];

const MAX_ACCOUNT_BYTES = 8 * 1024 * 1024;
const MAX_SMALL_FILE_BYTES = 1024 * 1024;
/** certs.d normally holds a handful of registries; a runaway tree must not stall the audit. */
const MAX_CERT_ENTRIES = 500;
const BINARY_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];

function linuxOnly(host: Host, what: string): HostError | null {
  return host.platform === 'linux' ? null : new HostError('unsupported', `${what} are read on Linux hosts only (this is ${host.platform})`);
}

function isNotFound(error: unknown): boolean {
  return error instanceof HostError && error.code === 'not-found';
}

async function readText(host: Host, file: string, maxBytes = MAX_SMALL_FILE_BYTES): Promise<string> {
  return (await host.readFile(file, maxBytes)).toString('utf8').replace(/^\uFEFF/, '');
}

/** The text of a file, or null when it does not exist; other errors (permission denied) propagate. */
async function readOptional(host: Host, file: string, maxBytes = MAX_SMALL_FILE_BYTES): Promise<string | null> {
  try {
    return await readText(host, file, maxBytes);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

const INTEGER = /^\d+$/;

// ---------------------------------------------------------------------------------------------------------------
// accounts

export function parsePasswd(text: string): AccountsFact['users'] {
  const users: AccountsFact['users'] = [];
  for (const raw of lines(text)) {
    // NIS compat entries (+/-) and comments are not accounts.
    if (raw.trim() === '' || /^[#+-]/.test(raw)) continue;
    const f = raw.split(':');
    if (f.length < 7 || !INTEGER.test(f[2]!) || !INTEGER.test(f[3]!)) continue;
    users.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f.slice(6).join(':') });
  }
  return users;
}

export function parseGroup(text: string): AccountsFact['groups'] {
  const groups: AccountsFact['groups'] = [];
  lines(text).forEach((raw, index) => {
    if (raw.trim() === '' || /^[#+-]/.test(raw)) return;
    const f = raw.split(':');
    if (f.length < 4 || !INTEGER.test(f[2]!)) return;
    const members = f[3]!.split(',').map((m) => m.trim()).filter(Boolean);
    groups.push({ name: f[0]!, gid: Number(f[2]), members, line: index + 1 });
  });
  return groups;
}

export async function collectAccounts(ctx: CollectContext): Promise<Fact<AccountsFact>> {
  const { host } = ctx;
  const unsupported = linuxOnly(host, 'accounts (/etc/passwd, /etc/group)');
  if (unsupported) return failure(unsupported);
  const sources: Source[] = [];
  try {
    const passwd = await readText(host, '/etc/passwd', MAX_ACCOUNT_BYTES);
    sources.push({ kind: 'file', path: host.displayPath('/etc/passwd') });
    const group = await readText(host, '/etc/group', MAX_ACCOUNT_BYTES);
    sources.push({ kind: 'file', path: host.displayPath('/etc/group') });
    return { ok: true, value: { users: parsePasswd(passwd), groups: parseGroup(group) }, sources };
  } catch (error) {
    return failure(error, sources);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// subordinate ids

/** subuid(5)/subgid(5): `name-or-uid:start:count`, one range a line. */
export function parseSubIds(text: string, file: string): { ranges: SubIdsFact['subuid']; malformed: SubIdsFact['malformed'] } {
  const ranges: SubIdsFact['subuid'] = [];
  const malformed: SubIdsFact['malformed'] = [];
  lines(text).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(':');
    if (f.length !== 3 || f[0] === '' || !INTEGER.test(f[1]!) || !INTEGER.test(f[2]!)) {
      malformed.push({ path: file, line: index + 1, text: raw });
      return;
    }
    ranges.push({ user: f[0]!, start: Number(f[1]), count: Number(f[2]), line: index + 1 });
  });
  return { ranges, malformed };
}

/** A missing /etc/subuid or /etc/subgid means "no ranges" (shadow-utils reads it so), not an error. */
export async function collectSubIds(ctx: CollectContext): Promise<Fact<SubIdsFact>> {
  const { host } = ctx;
  const unsupported = linuxOnly(host, 'subordinate id ranges (/etc/subuid, /etc/subgid)');
  if (unsupported) return failure(unsupported);
  const sources: Source[] = [];
  const value: SubIdsFact = { subuid: [], subgid: [], malformed: [] };
  try {
    for (const [file, key] of [['/etc/subuid', 'subuid'], ['/etc/subgid', 'subgid']] as const) {
      const text = await readOptional(host, file, MAX_ACCOUNT_BYTES);
      if (text === null) continue;
      sources.push({ kind: 'file', path: host.displayPath(file) });
      const parsed = parseSubIds(text, host.displayPath(file));
      value[key] = parsed.ranges;
      value.malformed.push(...parsed.malformed);
    }
    return { ok: true, value, sources };
  } catch (error) {
    return failure(error, sources);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// file stats

/** The daemon settings the file list needs, from dockerd's flags (which win) and daemon.json. */
interface DaemonSettings {
  get(key: string): unknown;
  flags: readonly string[];
}

function daemonSettings(flags: Fact<DaemonFlags>, config: Fact<DaemonConfigFile>): DaemonSettings {
  const fromFlags = new Map<string, string[]>();
  const args = flags.ok ? flags.value.args : [];
  if (args.length > 0) {
    const parsed = parseDockerdFlags(args, new OptionIndex(formatMinor(NEWEST_KNOWN), 'linux'));
    for (const entry of parsed.set.values()) if (entry.key) fromFlags.set(entry.key, entry.values);
  }
  const fromFile = new Map<string, unknown>();
  if (config.ok && config.value.text != null) {
    const doc = parseJsonDocument(config.value.text.replace(/^\uFEFF/, ''));
    if (doc.ok) for (const p of doc.properties) fromFile.set(p.key, getNodeValue(p.value) as unknown);
  }
  return {
    flags: args,
    get(key) {
      const values = fromFlags.get(key);
      if (values) return values.length === 1 ? values[0] : values;
      return fromFile.get(key);
    },
  };
}

function stringSetting(settings: DaemonSettings, key: string): string | null {
  const value = settings.get(key);
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[value.length - 1] === 'string') return value[value.length - 1] as string;
  return null;
}

function booleanSetting(settings: DaemonSettings, key: string): boolean {
  const value = settings.get(key);
  return value === true || value === 'true' || value === '1';
}

/** dockerd resolves relative paths against its working directory, which systemd sets to /. */
function absolute(p: string): string {
  return path.posix.isAbsolute(p) ? path.posix.normalize(p) : path.posix.join('/', p);
}

interface Wanted {
  path: string;
  role: FileRole;
}

/** The first of systemd's unit directories holding `name`, and its drop-ins (as systemd orders them). */
async function unitFiles(host: Host, name: string, role: FileRole, dropInRole: FileRole): Promise<Wanted[]> {
  let fragment: string | null = null;
  for (const dir of SYSTEM_UNIT_DIRS) {
    const candidate = path.posix.join(dir, name);
    if (await host.stat(candidate).then(() => true, () => false)) {
      fragment = candidate;
      break;
    }
  }
  // Missing units are reported where systemd's packages put them, so the check can say where it looked.
  const wanted: Wanted[] = [{ path: fragment ?? path.posix.join('/lib/systemd/system', name), role }];
  const dropIns = new Map<string, string>();
  for (const dir of SYSTEM_UNIT_DIRS) {
    const dropDir = path.posix.join(dir, `${name}.d`);
    const entries = await host.readDir(dropDir).catch(() => [] as string[]);
    for (const entry of entries) if (entry.endsWith('.conf') && !dropIns.has(entry)) dropIns.set(entry, path.posix.join(dropDir, entry));
  }
  for (const key of [...dropIns.keys()].sort()) wanted.push({ path: dropIns.get(key)!, role: dropInRole });
  return wanted;
}

/** Every file and directory under certs.d (registry CA certificates, client certificates and keys). */
async function certsDirEntries(host: Host, dir: string): Promise<Wanted[]> {
  const out: Wanted[] = [{ path: dir, role: FILE_ROLES.certsDir }];
  const queue: { dir: string; depth: number }[] = [{ dir, depth: 0 }];
  while (queue.length > 0 && out.length < MAX_CERT_ENTRIES) {
    const next = queue.shift()!;
    const entries = await host.readDir(next.dir).catch(() => [] as string[]);
    for (const entry of entries) {
      const p = path.posix.join(next.dir, entry);
      const st = await host.stat(p).catch(() => null);
      if (st?.isDirectory) {
        if (next.depth < 3) queue.push({ dir: p, depth: next.depth + 1 });
        out.push({ path: p, role: FILE_ROLES.certsDir });
      } else {
        out.push({ path: p, role: FILE_ROLES.registryCert });
      }
    }
  }
  return out;
}

/** The sockets dockerd listens on: -H unix:// paths, and docker.socket's ListenStream when it is socket-activated. */
async function configuredSockets(host: Host, settings: DaemonSettings, socketUnit: Wanted): Promise<string[]> {
  const hosts = settings.get('hosts');
  const list = (Array.isArray(hosts) ? hosts : hosts ? [hosts] : []).map(String);
  const sockets = list.filter((h) => h.startsWith('unix://')).map((h) => h.slice('unix://'.length)).filter(Boolean);
  const activated = list.length === 0 || list.some((h) => h.startsWith('fd://'));
  if (activated) {
    const text = await readOptional(host, socketUnit.path).catch(() => null);
    if (text) {
      for (const a of parseUnitText(text, socketUnit.path)) {
        if (a.section === 'Socket' && a.key === 'ListenStream' && a.value.startsWith('/')) sockets.push(a.value);
      }
    }
  }
  return sockets.length > 0 ? [...new Set(sockets)] : ['/var/run/docker.sock'];
}

/** TLS material dockerd uses: explicit paths always; the ~/.docker defaults only when TLS is on. */
function tlsFiles(settings: DaemonSettings, certDir: string): Wanted[] {
  const verify = booleanSetting(settings, 'tlsverify');
  const tls = verify || booleanSetting(settings, 'tls');
  const out: Wanted[] = [];
  const add = (key: string, fallback: string, role: FileRole, used: boolean) => {
    const explicit = stringSetting(settings, key);
    if (explicit) out.push({ path: absolute(explicit), role });
    else if (used) out.push({ path: path.posix.join(certDir, fallback), role });
  };
  add('tlscacert', 'ca.pem', FILE_ROLES.tlsCa, verify);
  add('tlscert', 'cert.pem', FILE_ROLES.tlsCert, tls);
  add('tlskey', 'key.pem', FILE_ROLES.tlsKey, tls);
  return out;
}

async function findBinary(host: Host, name: string): Promise<string> {
  for (const dir of BINARY_DIRS) {
    const candidate = path.posix.join(dir, name);
    if (await host.stat(candidate).then((s) => s.isFile, () => false)) return candidate;
  }
  return path.posix.join('/usr/bin', name);
}

/** The dockerd program: the running process's or the unit's absolute argv[0], else wherever it is installed. */
async function dockerdBinary(ctx: CollectContext): Promise<string> {
  const [proc, unit] = await Promise.all([ctx.get('daemonProcess'), ctx.get('serviceUnit')]);
  const candidates = [proc.ok ? proc.value.argv[0] : undefined, unit.ok ? unit.value.execStart?.argv[0] : undefined];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.startsWith('/'));
  return found ?? findBinary(ctx.host, 'dockerd');
}

async function wantedFiles(ctx: CollectContext): Promise<Wanted[]> {
  const { host } = ctx;
  const [flags, config, unit, endpoint] = await Promise.all([ctx.get('daemonFlags'), ctx.get('daemonConfig'), ctx.get('serviceUnit'), ctx.get('endpoint')]);
  const settings = daemonSettings(flags, config);
  const service = await unitFiles(host, 'docker.service', FILE_ROLES.serviceUnit, FILE_ROLES.serviceDropIn);
  const socket = await unitFiles(host, 'docker.socket', FILE_ROLES.socketUnit, FILE_ROLES.socketDropIn);
  const wanted: Wanted[] = [...service, ...socket];

  // A live endpoint names the socket actually in use; otherwise (offline root, no daemon) judge the configured one.
  if (endpoint.ok && host.kind !== 'rootfs') {
    if (endpoint.value.transport === 'unix') wanted.push({ path: endpoint.value.host.slice('unix://'.length), role: FILE_ROLES.dockerSocket });
  } else {
    for (const s of await configuredSockets(host, settings, socket[0]!)) wanted.push({ path: s, role: FILE_ROLES.dockerSocket });
  }
  if (config.ok) wanted.push({ path: config.value.path, role: FILE_ROLES.daemonJson });
  wanted.push({ path: '/etc/docker', role: FILE_ROLES.etcDocker });
  wanted.push(...(await certsDirEntries(host, '/etc/docker/certs.d')));
  const certEnv = unit.ok ? unit.value.environment.filter((e) => e.name === 'DOCKER_CERT_PATH').pop()?.value : undefined;
  wanted.push(...tlsFiles(settings, certEnv || '/root/.docker'));
  wanted.push({ path: '/etc/default/docker', role: FILE_ROLES.defaultDocker });
  wanted.push({ path: '/etc/sysconfig/docker', role: FILE_ROLES.sysconfigDocker });
  wanted.push({ path: absolute(stringSetting(settings, 'containerd') ?? '/run/containerd/containerd.sock'), role: FILE_ROLES.containerdSocket });

  wanted.push({ path: await dockerdBinary(ctx), role: FILE_ROLES.dockerdBinary });
  wanted.push({ path: absolute(stringSetting(settings, 'data-root') ?? stringSetting(settings, 'graph') ?? '/var/lib/docker'), role: FILE_ROLES.dataRoot });
  wanted.push({ path: '/run/containerd', role: FILE_ROLES.containerdRunDir });
  wanted.push({ path: '/etc/containerd/config.toml', role: FILE_ROLES.containerdConfig });
  const binaries: [string, FileRole][] = [
    ['containerd', FILE_ROLES.containerdBinary],
    ['containerd-shim', FILE_ROLES.containerdShim],
    ['containerd-shim-runc-v1', FILE_ROLES.containerdShimV1],
    ['containerd-shim-runc-v2', FILE_ROLES.containerdShimV2],
    ['runc', FILE_ROLES.runcBinary],
  ];
  for (const [name, role] of binaries) wanted.push({ path: await findBinary(host, name), role });
  return wanted;
}

async function statOne(host: Host, want: Wanted, names: { users: Map<number, string>; groups: Map<number, string> }): Promise<FileStatFact> {
  const base = { path: host.displayPath(want.path), role: want.role };
  try {
    const st = await host.stat(want.path);
    const kind = st.isSocket ? 'socket' : st.isDirectory ? 'directory' : st.isFile ? 'file' : 'other';
    return { ...base, exists: true, kind, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, owner: names.users.get(st.uid) ?? null, group: names.groups.get(st.gid) ?? null, error: null };
  } catch (error) {
    const empty = { kind: null, mode: null, uid: null, gid: null, owner: null, group: null };
    if (isNotFound(error)) return { ...base, exists: false, ...empty, error: null };
    // It may well exist (a parent directory we cannot enter): say why it could not be judged.
    return { ...base, exists: true, ...empty, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function collectFiles(ctx: CollectContext): Promise<Fact<FileStatFact[]>> {
  const unsupported = linuxOnly(ctx.host, 'host file permissions');
  if (unsupported) return failure(unsupported);
  try {
    const [wanted, accounts] = await Promise.all([wantedFiles(ctx), ctx.get('accounts')]);
    const names = {
      users: new Map(accounts.ok ? accounts.value.users.map((u) => [u.uid, u.name] as const).reverse() : []),
      groups: new Map(accounts.ok ? accounts.value.groups.map((g) => [g.gid, g.name] as const).reverse() : []),
    };
    const seen = new Set<string>();
    const unique = wanted.filter((w) => {
      const key = `${w.role}\0${w.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const stats = await Promise.all(unique.map((w) => statOne(ctx.host, w, names)));
    const sources: Source[] = stats.filter((s) => s.exists).map((s) => ({ kind: 'file', path: s.path }));
    return { ok: true, value: stats, sources };
  } catch (error) {
    return failure(error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// client configuration

function propertyOf(node: Node | undefined, key: string): Node | undefined {
  return node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
}

function nonEmptyString(node: Node | undefined): boolean {
  return node?.type === 'string' && node.value !== '';
}

function stringRecord(node: Node | undefined, mask: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (node?.type !== 'object') return out;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children as [Node, Node];
    if (v?.type === 'string') out[String(k.value)] = mask ? maskSecretsInText(String(v.value)) : String(v.value);
  }
  return out;
}

/** Reads config.json keeping positions, and keeps only what checks need: never a credential, only whether one is there. */
export function parseClientConfig(text: string, file: string): Omit<ClientConfigFact, 'path' | 'exists'> {
  const doc = parseJsonDocument(text);
  if (!doc.ok) {
    throw new HostError('malformed', `${file}:${doc.error.position.line}:${doc.error.position.column}: ${doc.error.message}`, file);
  }
  const root = doc.root;
  const auths: ClientConfigFact['auths'] = [];
  const authsNode = propertyOf(root, 'auths');
  if (authsNode?.type === 'object') {
    for (const prop of authsNode.children ?? []) {
      const [k, v] = prop.children as [Node, Node];
      auths.push({
        registry: String(k.value),
        // A hand-written "password" is as much a plaintext credential as the CLI's base64 "auth".
        hasInlineAuth: nonEmptyString(propertyOf(v, 'auth')) || nonEmptyString(propertyOf(v, 'password')),
        hasIdentityToken: nonEmptyString(propertyOf(v, 'identitytoken')),
        line: doc.positionAt(k.offset).line,
      });
    }
  }
  const credsStore = propertyOf(root, 'credsStore');
  const current = propertyOf(root, 'currentContext');
  const proxies: ClientConfigFact['proxies'] = {};
  const proxiesNode = propertyOf(root, 'proxies');
  if (proxiesNode?.type === 'object') {
    for (const prop of proxiesNode.children ?? []) {
      const [k, v] = prop.children as [Node, Node];
      proxies[String(k.value)] = stringRecord(v, true);
    }
  }
  return {
    auths,
    credsStore: nonEmptyString(credsStore) ? String(credsStore!.value) : null,
    credHelpers: stringRecord(propertyOf(root, 'credHelpers'), false),
    proxies,
    currentContext: nonEmptyString(current) ? String(current!.value) : null,
  };
}

export async function collectClientConfig(ctx: CollectContext): Promise<Fact<ClientConfigFact>> {
  const { host } = ctx;
  const file = path.join(dockerConfigDir(host), 'config.json');
  const shown = host.displayPath(file);
  const sources: Source[] = [{ kind: 'file', path: shown }];
  try {
    const text = await readOptional(host, file);
    if (text === null) return { ok: true, value: { path: shown, exists: false, auths: [], credsStore: null, credHelpers: {}, proxies: {}, currentContext: null }, sources };
    return { ok: true, value: { path: shown, exists: true, ...parseClientConfig(text, shown) }, sources };
  } catch (error) {
    return failure(error, sources);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// process environment

/** What the docker CLI (and Dockhand's endpoint discovery) read from the environment. */
export const CLIENT_ENV_VARS = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_TLS',
  'DOCKER_CERT_PATH',
  'DOCKER_CONTEXT',
  'DOCKER_CONTENT_TRUST',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
] as const;

export async function collectProcessEnv(ctx: CollectContext): Promise<Fact<ProcessEnvFact>> {
  const { host } = ctx;
  if (host.kind === 'rootfs') {
    return failure(new HostError('unsupported', 'an offline root filesystem has no process environment to read'));
  }
  const vars: ProcessEnvFact['vars'] = [];
  const sources: Source[] = [];
  for (const name of CLIENT_ENV_VARS) {
    const value = host.env(name);
    if (value === undefined) continue;
    vars.push({ name, value: maskSecretsInText(value) });
    sources.push({ kind: 'env', name });
  }
  return { ok: true, value: { vars }, sources };
}

// ---------------------------------------------------------------------------------------------------------------
// auditd rules

/** The paths a rule file watches: `-w PATH` and the syscall form `-a ... -F path=PATH` / `-F dir=PATH`. */
export function parseAuditRules(text: string, file: string): AuditRulesFact['watches'] {
  const watches: AuditRulesFact['watches'] = [];
  lines(text).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const words = line.split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      let watched: string | undefined;
      if (word === '-w') watched = words[i + 1];
      else if (word.startsWith('-w/')) watched = word.slice(2);
      else if (word === '-F') {
        const m = /^(path|dir)=(.+)$/.exec(words[i + 1] ?? '');
        if (m) watched = m[2];
      }
      if (watched) watches.push({ path: watched, file, line: index + 1 });
    }
  });
  return watches;
}

export async function collectAuditRules(ctx: CollectContext): Promise<Fact<AuditRulesFact>> {
  const { host } = ctx;
  const unsupported = linuxOnly(host, 'auditd rules');
  if (unsupported) return failure(unsupported);
  const sources: Source[] = [];
  const value: AuditRulesFact = { files: [], watches: [] };
  try {
    let ruleFiles = ['/etc/audit/audit.rules'];
    try {
      ruleFiles.push(...(await host.readDir('/etc/audit/rules.d')).filter((f) => f.endsWith('.rules')).map((f) => `/etc/audit/rules.d/${f}`));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    ruleFiles = [...new Set(ruleFiles)];
    for (const file of ruleFiles) {
      const text = await readOptional(host, file);
      if (text === null) continue;
      const shown = host.displayPath(file);
      sources.push({ kind: 'file', path: shown });
      value.files.push(shown);
      value.watches.push(...parseAuditRules(text, shown));
    }
    return { ok: true, value, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
