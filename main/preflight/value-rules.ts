import { isIP } from 'node:net';
import type { Node } from 'jsonc-parser';
import type { DaemonOption } from './daemon-options';
import { compareMinor } from './engine-version';
import { rawText } from './json-document';

/** Why a value does not fit the Go type dockerd decodes it into, or null when it fits. JSON null always fits (Go leaves the default). */
export function typeMismatch(option: DaemonOption, node: Node, text: string): string | null {
  if (node.type === 'null') return null;
  const got = describe(node);
  const expect = (ok: boolean, wanted: string) => (ok ? null : `'${option.key}' must be ${wanted}, not ${got}`);
  switch (option.type) {
    case 'string':
      return expect(node.type === 'string', 'a string');
    case 'boolean':
      return expect(node.type === 'boolean', 'true or false (without quotes)');
    case 'integer':
      return expect(node.type === 'number' && /^-?\d+$/.test(rawText(text, node)), 'a whole number (without quotes)');
    case 'number':
      return expect(node.type === 'number', 'a number (without quotes)');
    case 'string[]': {
      if (node.type !== 'array') return `'${option.key}' must be a list of strings, like ["value"], not ${got}`;
      const bad = (node.children ?? []).find((c) => c.type !== 'string' && c.type !== 'null');
      return bad ? `'${option.key}' must list strings only; found ${describe(bad)}` : null;
    }
    case 'map<string,string>': {
      if (node.type !== 'object') return `'${option.key}' must be an object of strings, like {"name": "value"}, not ${got}`;
      const bad = (node.children ?? []).find((p) => p.children?.[1] && !['string', 'null'].includes(p.children[1].type));
      if (!bad) return null;
      const [k, v] = bad.children as [Node, Node];
      return `'${option.key}' values must be strings: "${String(k.value)}" is ${describe(v)} (write it in quotes, e.g. "${rawText(text, v)}")`;
    }
    case 'object':
    case 'ulimit-map':
      return expect(node.type === 'object', 'an object');
    case 'array<object>': {
      if (node.type !== 'array') return `'${option.key}' must be a list of objects, not ${got}`;
      const bad = (node.children ?? []).find((c) => c.type !== 'object' && c.type !== 'null');
      return bad ? `'${option.key}' must list objects only; found ${describe(bad)}` : null;
    }
    case 'any':
      return null;
  }
}

function describe(node: Node): string {
  switch (node.type) {
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return String(node.value);
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    default:
      return node.type;
  }
}

/** A value dockerd checks at start-up and refuses; messages follow dockerd's own wording where it has one. */
export type ValueRule = (value: unknown, version: string) => string | null;

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b?)\s*$/i;

/** json-file and local log options dockerd validates at start-up (daemon/logger/jsonfilelog, local). */
const LOG_OPTS: Record<string, string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag', 'mode', 'max-buffer-size'],
  local: ['max-file', 'max-size', 'compress', 'mode', 'max-buffer-size'],
};

export const VALUE_RULES: Record<string, ValueRule> = {
  dns: (value) => {
    const bad = stringsOf(value).find((ip) => isIP(ip) === 0);
    return bad === undefined ? null : `'dns' entries must be IP addresses: ${JSON.stringify(bad)} is not one`;
  },
  labels: (value) => {
    const bad = stringsOf(value).find((label) => !/^[^=]+=/.test(label));
    return bad === undefined ? null : `'labels' entries must be key=value: ${JSON.stringify(bad)} is not`;
  },
  'max-concurrent-downloads': (value) => (typeof value === 'number' && value < 0 ? `invalid max concurrent downloads: ${value}` : null),
  'max-concurrent-uploads': (value) => (typeof value === 'number' && value < 0 ? `invalid max concurrent uploads: ${value}` : null),
  // 20.10 refuses 0; from 23.0, 0 means "the default" (the option's min covers negatives).
  'max-download-attempts': (value, version) => (typeof value === 'number' && value < 1 && compareMinor(version, '23.0') < 0 ? `invalid max download attempts: ${value}` : null),
  hosts: (value) => {
    const bad = stringsOf(value).find((h) => !/^(unix|tcp|fd|npipe|ssh):\/\//.test(h) && !/^[^:/]*:\d+$/.test(h) && h !== '');
    return bad === undefined ? null : `'hosts' entry ${JSON.stringify(bad)} is not a valid daemon address (unix://, tcp://, fd://)`;
  },
  // 20.10 reads any value as a profile path; "unconfined" and "builtin" became keywords in 23.0 (seen on 20.10.24:
  // "opening seccomp profile (unconfined) failed: open unconfined: no such file or directory").
  'seccomp-profile': (value, version) =>
    (value === 'unconfined' || value === 'builtin') && compareMinor(version, '23.0') < 0
      ? `Docker Engine ${version} reads "seccomp-profile" as a file path: "${value}" is a keyword only from 23.0, so it looks for a file named ${value}`
      : null,
  'registry-mirrors': (value) => {
    const bad = stringsOf(value).find((m) => !/^https?:\/\/[^/]+/.test(m));
    return bad === undefined ? null : `invalid mirror: ${JSON.stringify(bad)} must be an http:// or https:// URL`;
  },
};

/**
 * log-opts are checked against the log driver in the same file (json-file when none is set). dockerd checks only the
 * option names at start-up; the values are parsed when a container is created, so a bad size starts the daemon but
 * fails every `docker run` (seen on 20.10: "failed to initialize logging driver: invalid size").
 */
export function logOptsProblem(logOpts: unknown, driver: string): { severity: 'error' | 'warning'; message: string } | null {
  if (typeof logOpts !== 'object' || logOpts === null || Array.isArray(logOpts)) return null;
  const opts = logOpts as Record<string, unknown>;
  const allowed = LOG_OPTS[driver];
  if (!allowed) return null;
  const unknown = Object.keys(opts).find((k) => !allowed.includes(k));
  if (unknown) return { severity: 'error', message: `unknown log opt '${unknown}' for ${driver} log driver: dockerd will refuse to start` };
  const atCreate = (problem: string) => ({ severity: 'warning' as const, message: `${problem}: dockerd starts, but creating any container fails ("failed to initialize logging driver")` });
  const size = opts['max-size'];
  if (typeof size === 'string' && !SIZE.test(size)) return atCreate(`log-opts max-size ${JSON.stringify(size)} is not a size (examples: "10m", "512k", "1g")`);
  const files = opts['max-file'];
  if (typeof files === 'string') {
    if (!/^-?\d+$/.test(files)) return atCreate(`log-opts max-file ${JSON.stringify(files)} must be a whole number in quotes, e.g. "3"`);
    if (Number(files) < 1) return atCreate('log-opts max-file must be at least 1');
    if (Number(files) > 1 && typeof size !== 'string') return atCreate('log-opts max-file above 1 needs max-size');
  }
  return null;
}

/** Allowed values; before 25.0 log-level went through logrus, which ignores case and also takes "warning". */
export function enumProblem(option: DaemonOption, value: unknown, version: string): string | null {
  if (!option.enum || typeof value !== 'string') return null;
  if (option.key === 'log-level' && compareMinor(version, '25.0') < 0) {
    const levels = [...option.enum, 'warning'];
    return levels.includes(value.toLowerCase()) ? null : `'log-level' ${JSON.stringify(value)} is not a logging level (${levels.join(', ')})`;
  }
  return option.enum.includes(value) ? null : `'${option.key}' must be one of ${option.enum.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}`;
}

export function rangeProblem(option: DaemonOption, value: unknown): string | null {
  if (typeof value !== 'number') return null;
  if (option.min !== undefined && value < option.min) return `'${option.key}' must be at least ${option.min}; got ${value}`;
  if (option.max !== undefined && value > option.max) return `'${option.key}' must be at most ${option.max}; got ${value}`;
  return null;
}
