import type { Node } from 'jsonc-parser';
import type { DaemonOption } from './daemon-options';
import { compareMinor } from './engine-version';
import { goInt64Problem } from './go-values';
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
    case 'integer': {
      if (node.type !== 'number') return expect(false, 'a whole number (without quotes)');
      const problem = goInt64Problem(rawText(text, node));
      return problem ? `'${option.key}' must be a whole number that fits 64 bits: ${problem}` : null;
    }
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
      if (bad) return `'${option.key}' must list objects only; found ${describe(bad)}`;
      return option.fields
        ? ((node.children ?? []).map((c) => fieldsMismatch(option.key, option.fields!, c, text)).find(Boolean) ?? null)
        : null;
    }
    case 'any':
      return null;
  }
}

/**
 * The typed fields of each object in a list (e.g. default-address-pools' base and size), matched case-insensitively as
 * encoding/json does.
 */
function fieldsMismatch(key: string, fields: Readonly<Record<string, 'string' | 'integer'>>, node: Node, text: string): string | null {
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children as [Node, Node];
    const name = Object.keys(fields).find((f) => f.toLowerCase() === String(k.value).toLowerCase());
    if (!name || v.type === 'null') continue;
    if (fields[name] === 'string' && v.type !== 'string') return `'${key}' entries' "${name}" must be a string, not ${describe(v)}`;
    if (fields[name] === 'integer') {
      if (v.type !== 'number') return `'${key}' entries' "${name}" must be a whole number, not ${describe(v)}`;
      const problem = goInt64Problem(rawText(text, v));
      if (problem) return `'${key}' entries' "${name}": ${problem}`;
    }
  }
  return null;
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

/** Allowed values (an empty string keeps the default). */
export function enumProblem(option: DaemonOption, value: unknown, version: string): string | null {
  if (!option.enum || typeof value !== 'string') return null;
  if (option.key === 'log-level') {
    // Case-insensitive on every engine; "warning" only while logrus parsed it (before 25.0).
    const levels = compareMinor(version, '25.0') < 0 ? [...option.enum, 'warning'] : option.enum;
    return value === '' || levels.includes(value.toLowerCase())
      ? null
      : `'log-level' ${JSON.stringify(value)} is not a logging level (${levels.join(', ')})`;
  }
  // An empty string leaves dockerd's default.
  return value === '' || option.enum.includes(value)
    ? null
    : `'${option.key}' must be one of ${option.enum.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}`;
}

export function rangeProblem(option: DaemonOption, value: unknown): string | null {
  if (typeof value !== 'number') return null;
  if (option.min !== undefined && value < option.min) return `'${option.key}' must be at least ${option.min}; got ${value}`;
  if (option.max !== undefined && value > option.max) return `'${option.key}' must be at most ${option.max}; got ${value}`;
  return null;
}
