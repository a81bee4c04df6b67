import path from 'node:path';
import type { Fact } from '../../shared/fact';
import type { ServiceUnit } from '../../shared/facts';
import type { Source } from '../../shared/source';
import type { Host } from '../host/host';
import { HostError } from '../host/host';
import { failure } from './context';

/** systemd's system unit search path, highest priority first (systemd.unit(5)). */
export const SYSTEM_UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];

const MAX_UNIT_BYTES = 256 * 1024;

export interface UnitAssignment {
  section: string;
  key: string;
  value: string;
  path: string;
  line: number;
}

/** Parses unit-file syntax: sections, comments, backslash continuations (joined with a space, as systemd does). */
export function parseUnitText(text: string, file: string): UnitAssignment[] {
  const out: UnitAssignment[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i]!;
    if (/^\s*[#;]/.test(line)) continue;
    while (/\\$/.test(line) && i + 1 < lines.length) {
      line = `${line.slice(0, -1)} `;
      i++;
      const next = lines[i]!;
      if (/^\s*[#;]/.test(next)) continue;
      line += next;
    }
    const trimmed = line.trim();
    if (!trimmed) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = header[1]!;
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    out.push({ section, key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim(), path: file, line: startLine });
  }
  return out;
}

/** Splits a systemd command line or Environment= value into words, honouring its quoting and backslash escapes. */
export function splitUnitWords(value: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < value.length) current += value[++i];
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < value.length) {
      current += value[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Expands $VAR (split into words) and ${VAR} (one word) as systemd does in ExecStart=. */
export function expandExecWords(words: string[], env: Record<string, string>): string[] {
  return words.flatMap((word) => {
    const bare = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
    if (bare) return splitUnitWords(env[bare[1]!] ?? '');
    return [word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => env[name] ?? '')];
  });
}

async function readOptional(host: Host, file: string): Promise<string | null> {
  try {
    return (await host.readFile(file, MAX_UNIT_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof HostError && error.code === 'not-found') return null;
    throw error;
  }
}

/**
 * A unit's drop-in files in the order systemd applies them: a name in a higher-priority directory masks the same name
 * in lower ones, then all apply in name order. The directories are listed at once.
 */
export async function unitDropIns(host: Host, name: string): Promise<string[]> {
  const dropDirs = SYSTEM_UNIT_DIRS.map((dir) => path.posix.join(dir, `${name}.d`));
  const listings = await Promise.all(dropDirs.map((dir) => host.readDir(dir).catch(() => [] as string[])));
  const byName = new Map<string, string>();
  listings.forEach((entries, i) => {
    for (const entry of entries) if (entry.endsWith('.conf') && !byName.has(entry)) byName.set(entry, path.posix.join(dropDirs[i]!, entry));
  });
  return [...byName.keys()].sort().map((k) => byName.get(k)!);
}

/** Finds a unit's fragment and drop-ins the way systemd does, and merges them into the effective ExecStart and Environment. */
export async function collectServiceUnit(host: Host, name = 'docker.service'): Promise<Fact<ServiceUnit>> {
  const sources: Source[] = [];
  try {
    const fragmentPaths = SYSTEM_UNIT_DIRS.map((dir) => path.posix.join(dir, name));
    // Read at once, judged in priority order: an unreadable file only matters when no directory before it has one.
    const [fragments, dropIns] = await Promise.all([
      Promise.allSettled(fragmentPaths.map((file) => readOptional(host, file))),
      unitDropIns(host, name),
    ]);
    const index = fragments.findIndex((f) => f.status === 'rejected' || f.value !== null);
    const first = fragments[index];
    if (!first) return failure(new HostError('not-found', `no ${name} unit in ${SYSTEM_UNIT_DIRS.join(', ')}`), sources);
    if (first.status === 'rejected') throw first.reason;
    const fragmentPath = fragmentPaths[index]!;
    // Not null: findIndex stopped at a file that was read.
    const fragmentText = first.value ?? '';
    sources.push({ kind: 'file', path: host.displayPath(fragmentPath) });
    const assignments = parseUnitText(fragmentText, fragmentPath);
    const dropInTexts = await Promise.all(dropIns.map((file) => readOptional(host, file)));
    for (const [i, file] of dropIns.entries()) {
      const text = dropInTexts[i];
      if (text === null || text === undefined) continue;
      sources.push({ kind: 'file', path: host.displayPath(file) });
      assignments.push(...parseUnitText(text, file));
    }
    const service = assignments.filter((a) => a.section === 'Service');
    const environment: ServiceUnit['environment'] = [];
    const environmentFiles: string[] = [];
    let execStart: UnitAssignment[] = [];
    for (const a of service) {
      if (a.key === 'ExecStart') execStart = a.value === '' ? [] : [...execStart, a];
      else if (a.key === 'Environment') {
        if (a.value === '') environment.length = 0;
        for (const word of splitUnitWords(a.value)) {
          const eq = word.indexOf('=');
          // "%%" is a literal "%" in unit files (specifier escaping): URL-encoded proxy passwords are written that way.
          if (eq > 0)
            environment.push({
              name: word.slice(0, eq),
              value: word.slice(eq + 1).replace(/%%/g, '%'),
              path: host.displayPath(a.path),
              line: a.line,
            });
        }
      } else if (a.key === 'EnvironmentFile') {
        if (a.value === '') environmentFiles.length = 0;
        else environmentFiles.push(a.value);
      }
    }
    // EnvironmentFile= settings override Environment= ones (systemd.exec(5)).
    const env: Record<string, string> = Object.fromEntries(environment.map((e) => [e.name, e.value]));
    for (const spec of environmentFiles) {
      const file = spec.replace(/^-/, '');
      const text = await readOptional(host, file).catch(() => null);
      if (text === null) continue;
      text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (!m) return;
        const value = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
        env[m[1]!] = value;
        environment.push({ name: m[1]!, value, path: host.displayPath(file), line: index + 1 });
      });
    }
    const last = execStart[execStart.length - 1];
    return {
      ok: true,
      sources,
      value: {
        name,
        fragmentPath: host.displayPath(fragmentPath),
        dropIns: dropIns.map((d) => host.displayPath(d)),
        execStart: last
          ? {
              argv: expandExecWords(splitUnitWords(last.value.replace(/^[@\-:+!]+/, '')), env),
              path: host.displayPath(last.path),
              line: last.line,
            }
          : null,
        environment,
        environmentFiles,
      },
    };
  } catch (error) {
    return failure(error, sources);
  }
}
