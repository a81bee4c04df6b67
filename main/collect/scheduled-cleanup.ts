// Scheduled Docker cleanup already on the host: prune commands in cron tables, cron scripts and systemd timers.
import path from 'node:path';
import { parse as parseShell } from 'shell-quote';
import type { Fact } from '../../shared/fact';
import type { PruneScope, ScheduledCleanupFact } from '../../shared/facts/disk';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';
import { parseUnitText, SYSTEM_UNIT_DIRS } from './systemd-unit';

const MAX_SCRIPT_BYTES = 512 * 1024;
const CRON_TABLES = ['/etc/crontab'];
/** /etc/cron.d holds system tables (with a user field); the spool holds users' own tables (Debian: crontabs/, RHEL: directly). */
const CRON_TABLE_DIRS = ['/etc/cron.d', '/var/spool/cron/crontabs', '/var/spool/cron'];
const CRON_SCRIPT_DIRS = ['/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly'];
const PRUNE_SUBCOMMANDS = new Set(['system', 'image', 'container', 'builder', 'buildx', 'volume']);
/** docker's global options that take a value (so the value is not mistaken for the subcommand). */
const DOCKER_VALUE_OPTIONS = new Set([
  '-H',
  '--host',
  '-c',
  '--context',
  '--config',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
]);

/** Programs that run the command after them (and their options that take a value). */
const WRAPPERS: Record<string, { valueOptions: string[]; positional: number }> = {
  sudo: { valueOptions: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U'], positional: 0 },
  env: { valueOptions: ['-u', '-C', '-S'], positional: 0 },
  nice: { valueOptions: ['-n'], positional: 0 },
  ionice: { valueOptions: ['-c', '-n', '-p'], positional: 0 },
  nohup: { valueOptions: [], positional: 0 },
  exec: { valueOptions: ['-a'], positional: 0 },
  command: { valueOptions: [], positional: 0 },
  chronic: { valueOptions: [], positional: 0 },
  timeout: { valueOptions: ['-s', '-k', '--signal', '--kill-after'], positional: 1 },
  flock: { valueOptions: ['-w', '-E', '--timeout', '--conflict-exit-code'], positional: 1 },
};
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);

export interface FoundPrune {
  /** The command's words from its program on, joined. */
  command: string;
  scope: PruneScope;
}

/**
 * The prune command in a shell command line, or null: `docker [global options] (system|image|container|builder|volume)
 * prune`, `docker buildx prune` and `dockhand prune`, as the program of a command (after sudo, env, nice, timeout…, full
 * paths allowed), in `&&`/`;`/`|` chains and in the script of `sh -c "…"`. A mention in an argument (`echo docker
 * system prune`) is not a run.
 */
export function findPrune(line: string, depth = 0): FoundPrune | null {
  // Only a line that says "prune" once the shell's quotes and backslashes are gone can run one: every other line of a
  // cron script skips the shell parser, which was most of this collector's time.
  if (!line.replace(/["'\\]/g, '').includes('prune')) return null;
  let tokens: ReturnType<typeof parseShell>;
  try {
    tokens = parseShell(line, (name) => `$${name}`);
  } catch {
    return null;
  }
  let words: string[] = [];
  for (const token of [...tokens, { op: ';' as const }]) {
    if (typeof token === 'string') words.push(token);
    else if ('pattern' in token) words.push(String(token.pattern));
    else if ('comment' in token || 'op' in token) {
      const hit = pruneInCommand(words, depth);
      if (hit) return hit;
      words = [];
      if ('comment' in token) break;
    }
  }
  return null;
}

export function findPruneCommand(line: string): string | null {
  return findPrune(line)?.command ?? null;
}

function pruneInCommand(words: readonly string[], depth: number): FoundPrune | null {
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  for (let wrapper = WRAPPERS[path.posix.basename(words[i] ?? '')]; wrapper; wrapper = WRAPPERS[path.posix.basename(words[i] ?? '')]) {
    i++;
    while (i < words.length && (words[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)))
      i += wrapper.valueOptions.includes(words[i]!) ? 2 : 1;
    i += wrapper.positional;
  }
  const program = path.posix.basename(words[i] ?? '');
  const args = words.slice(i + 1);
  const command = words.slice(i).join(' ');
  if (SHELLS.has(program)) {
    const script = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    return script >= 0 && depth < 2 && args[script + 1] ? findPrune(args[script + 1]!, depth + 1) : null;
  }
  if (program === 'dockhand') return args.find((a) => !a.startsWith('-')) === 'prune' ? { command, scope: dockhandPruneScope(args) } : null;
  if (program !== 'docker') return null;
  let j = 0;
  while (j < args.length && args[j]!.startsWith('-')) j += DOCKER_VALUE_OPTIONS.has(args[j]!) ? 2 : 1;
  const sub = args[j] ?? '';
  return PRUNE_SUBCOMMANDS.has(sub) && args[j + 1] === 'prune' ? { command, scope: dockerPruneScope(sub, args.slice(j + 2)) } : null;
}

/** A boolean option's value in docker's flag syntax: `--all`, `--all=true`, or a letter in a cluster (`-af`). */
function hasFlag(args: readonly string[], long: string, short: string | null): boolean {
  let on = false;
  for (const a of args) {
    if (a === `--${long}` || a === `--${long}=true`) on = true;
    else if (a === `--${long}=false`) on = false;
    else if (short && /^-[A-Za-z]+$/.test(a) && a.includes(short)) on = true;
  }
  return on;
}

/** The values of `--filter X` and `--filter=X`. */
function filters(args: readonly string[]): string[] {
  return args.flatMap((a, k) => (a === '--filter' ? [args[k + 1] ?? ''] : a.startsWith('--filter=') ? [a.slice('--filter='.length)] : []));
}

/** `--filter until=…` or a size to keep (builder's --keep-storage, --reserved-space…): a prune that keeps recent cache. */
function keepsSome(args: readonly string[]): boolean {
  return (
    args.some((a) => /^--(keep-storage|reserved-space|max-used-space|min-free-space)(=|$)/.test(a)) ||
    filters(args).some((f) => f.startsWith('until='))
  );
}

function dockerPruneScope(sub: string, args: readonly string[]): PruneScope {
  const all = hasFlag(args, 'all', 'a');
  return {
    volumes: sub === 'volume' || (sub === 'system' && hasFlag(args, 'volumes', null)),
    wholeBuildCache: (sub === 'system' || sub === 'builder' || sub === 'buildx') && all && !keepsSome(args),
    cleans: sub !== 'volume',
  };
}

function dockhandPruneScope(args: readonly string[]): PruneScope {
  const volumes = args.some((a) => /^--volumes?(=|$)/.test(a));
  const others = args.some((a) => /^--(containers|images|build-cache|networks)(=|$)/.test(a));
  return {
    volumes,
    wholeBuildCache: args.includes('--build-cache') && !args.some((a) => /^--until(=|$)/.test(a)),
    cleans: others || !volumes,
  };
}

/** The command of a crontab line: after the five time fields (or an @keyword), and the user in system tables. */
function cronCommand(line: string, hasUser: boolean): string | null {
  const m = /^(?:@\w+|(?:\S+\s+){4}\S+)\s+(.*)$/.exec(line);
  if (!m) return null;
  if (!hasUser) return m[1]!;
  const user = /^\S+\s+(.*)$/.exec(m[1]!);
  return user ? user[1]! : null;
}

type Entry = ScheduledCleanupFact['entries'][number];

interface Scan {
  entries: Entry[];
  looked: string[];
  /** Places that exist but could not be read: with no entry found, the answer would be a guess. */
  unreadable: string[];
}

async function readText(host: Host, file: string): Promise<string | null> {
  try {
    return (await host.readFile(file, MAX_SCRIPT_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof HostError && (error.code === 'not-found' || error.code === 'malformed')) return null;
    throw error;
  }
}

async function listDir(host: Host, dir: string, scan: Scan): Promise<string[]> {
  try {
    return await host.readDir(dir);
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return [];
    if (error instanceof HostError && error.code === 'permission-denied') scan.unreadable.push(`${dir} (${error.message})`);
    else throw error;
    return [];
  }
}

/** 'system' tables (/etc/crontab, /etc/cron.d) have a user field; 'user' tables (crontab -e) do not; scripts are plain shell. */
async function scanFile(host: Host, file: string, kind: 'system' | 'user' | 'script', scan: Scan): Promise<void> {
  let text: string | null;
  try {
    text = await readText(host, file);
  } catch (error) {
    if (error instanceof HostError && error.code === 'permission-denied') {
      scan.unreadable.push(`${host.displayPath(file)} (${error.message})`);
      return;
    }
    throw error;
  }
  if (text === null) return;
  scan.looked.push(host.displayPath(file));
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    // crontab(5): comments and VAR=value lines; in scripts, comments.
    if (!line || line.startsWith('#') || (kind !== 'script' && /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line))) return;
    const commandLine = kind === 'script' ? line : cronCommand(line, kind === 'system');
    const found = commandLine === null ? null : findPrune(commandLine);
    if (found)
      scan.entries.push({ kind: 'cron', path: host.displayPath(file), line: index + 1, command: found.command, scope: found.scope });
  });
}

/**
 * Debian's run-parts runs only executable files whose names are made of letters, digits, '_' and '-': a
 * `docker-prune.sh` in /etc/cron.daily is silently never run there. Other distributions' run-parts have no name rule.
 */
async function runPartsSkips(host: Host, file: string, debian: boolean): Promise<string | null> {
  const name = path.posix.basename(file);
  if (debian && !/^[A-Za-z0-9_-]+$/.test(name))
    return "Debian's run-parts ignores names with other characters than letters, digits, '_' and '-'";
  try {
    const st = await host.stat(file);
    if (!st.isFile) return 'not a regular file';
    if ((st.mode & 0o111) === 0) return 'not executable: run-parts skips it';
  } catch {
    return 'cannot be examined';
  }
  return null;
}

const emptyScan = (): Scan => ({ entries: [], looked: [], unreadable: [] });

/**
 * Runs `scanOne` for every item at once, each into a Scan of its own, then appends those in the items' order: the
 * reads overlap (they were one after another, the slowest part of an audit of an empty host), and the fact still lists
 * what was found in the same order whichever read finished first.
 */
async function scanEach<T>(items: readonly T[], scan: Scan, scanOne: (item: T, into: Scan) => Promise<void>): Promise<void> {
  const parts = items.map(emptyScan);
  await Promise.all(items.map((item, i) => scanOne(item, parts[i]!)));
  for (const part of parts) {
    scan.entries.push(...part.entries);
    scan.looked.push(...part.looked);
    scan.unreadable.push(...part.unreadable);
  }
}

async function scanCron(host: Host, scan: Scan): Promise<void> {
  const debian = host.stat('/etc/debian_version').then(
    () => true,
    () => false,
  );
  const tables = (into: Scan) => scanEach(CRON_TABLES, into, (file, one) => scanFile(host, file, 'system', one));
  const tableDirs = (into: Scan) =>
    scanEach(CRON_TABLE_DIRS, into, async (dir, inDir) =>
      scanEach(await listDir(host, dir, inDir), inDir, async (name, one) => {
        const file = path.posix.join(dir, name);
        // /var/spool/cron holds RHEL's user crontabs and Debian's crontabs/ directory: only files are tables.
        const st = await host.stat(file).catch(() => null);
        if (st?.isFile && !name.startsWith('.')) await scanFile(host, file, dir === '/etc/cron.d' ? 'system' : 'user', one);
      }),
    );
  const scriptDirs = (into: Scan) =>
    scanEach(CRON_SCRIPT_DIRS, into, async (dir, inDir) =>
      scanEach(await listDir(host, dir, inDir), inDir, async (name, one) => {
        const file = path.posix.join(dir, name);
        await scanFile(host, file, 'script', one);
        if (one.entries.length === 0) return;
        const skipped = await runPartsSkips(host, file, await debian);
        if (skipped) {
          // Found, but it never runs: reporting it as cleanup would be a false pass.
          one.entries.length = 0;
          one.looked.push(`${host.displayPath(file)} (runs a prune, but is never run: ${skipped})`);
        }
      }),
    );
  await scanEach([tables, tableDirs, scriptDirs], scan, (phase, into) => phase(into));
}

/** The listings of `dirs`, listed at once, in their order (what could not be read is noted in that order too). */
async function listEach(host: Host, dirs: readonly string[], scan: Scan): Promise<string[][]> {
  const parts = dirs.map(emptyScan);
  const listings = await Promise.all(dirs.map((dir, i) => listDir(host, dir, parts[i]!)));
  for (const part of parts) scan.unreadable.push(...part.unreadable);
  return listings;
}

/** Unit files by name, the highest-priority directory first (systemd.unit(5)). */
function unitFiles(listings: { dir: string; names: string[] }[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const { dir, names } of listings) for (const name of names) if (!byName.has(name)) byName.set(name, path.posix.join(dir, name));
  return byName;
}

/** A timer counts only when enabled: a symlink to it in some *.wants directory (`systemctl enable`). */
async function enabledUnits(host: Host, listings: { dir: string; names: string[] }[], scan: Scan): Promise<Set<string>> {
  const wants = listings.flatMap(({ dir, names }) => names.filter((n) => n.endsWith('.wants')).map((n) => path.posix.join(dir, n)));
  return new Set((await listEach(host, wants, scan)).flat());
}

async function scanTimers(host: Host, scan: Scan): Promise<void> {
  const listings = (await listEach(host, SYSTEM_UNIT_DIRS, scan)).map((names, i) => ({ dir: SYSTEM_UNIT_DIRS[i]!, names }));
  const units = unitFiles(listings);
  const timers = [...units.keys()].filter((n) => n.endsWith('.timer'));
  if (timers.length === 0) return;
  const enabled = await enabledUnits(host, listings, scan);
  await scanEach(timers, scan, async (timer, one) => {
    const timerPath = units.get(timer)!;
    const timerText = await readText(host, timerPath).catch(() => null);
    if (timerText === null) return;
    one.looked.push(host.displayPath(timerPath));
    const unitName =
      parseUnitText(timerText, timerPath).find((a) => a.section === 'Timer' && a.key === 'Unit')?.value ??
      timer.replace(/\.timer$/, '.service');
    const servicePath = units.get(unitName);
    const serviceText = servicePath ? await readText(host, servicePath).catch(() => null) : null;
    if (!servicePath || serviceText === null) return;
    const execs = parseUnitText(serviceText, servicePath).filter(
      (a) => a.section === 'Service' && (a.key === 'ExecStart' || a.key === 'ExecStartPre'),
    );
    for (const exec of execs) {
      const found = findPrune(exec.value.replace(/^[@\-:+!]+/, ''));
      if (!found) continue;
      if (!enabled.has(timer)) {
        one.looked.push(`${host.displayPath(timerPath)} (runs a prune, but is not enabled: no *.wants link)`);
        continue;
      }
      one.entries.push({
        kind: 'systemd-timer',
        path: host.displayPath(servicePath),
        line: exec.line,
        command: `${found.command} (timer ${timer})`,
        scope: found.scope,
      });
    }
  });
}

export async function collectScheduledCleanup(ctx: CollectContext): Promise<Fact<ScheduledCleanupFact>> {
  const host = ctx.host;
  if (host.platform !== 'linux')
    return failure(new HostError('unsupported', `cron and systemd timers are looked for on Linux only (this host is ${host.platform})`));
  const scan: Scan = { entries: [], looked: [], unreadable: [] };
  try {
    await scanEach([scanCron, scanTimers], scan, (part, into) => part(host, into));
  } catch (error) {
    return failure(
      error,
      scan.looked.map((p) => ({ kind: 'file' as const, path: p })),
    );
  }
  const sources: Source[] =
    scan.entries.length > 0
      ? scan.entries.map((e) => ({ kind: 'file', path: e.path, line: e.line ?? undefined }))
      : [{ kind: 'default', detail: `looked in ${scan.looked.length} cron files and timers` }];
  if (scan.entries.length === 0 && scan.unreadable.length > 0) {
    return failure(
      new HostError(
        'permission-denied',
        `no scheduled prune found, but ${scan.unreadable.length} place(s) could not be read: ${scan.unreadable.join('; ')}`,
      ),
      sources,
    );
  }
  return { ok: true, value: { entries: scan.entries, looked: scan.looked }, sources };
}
