// Minimal edits to a JSON file: only the bytes of the one key change; every other byte (key order, the formatting of
// other values, comments) stays as it was. jsonc-parser finds the nodes and their offsets; the edit itself is spliced
// by hand because jsonc-parser's `modify` re-formats neighbouring values when it inserts a key.
import { type Node, parseTree } from 'jsonc-parser';
import type { JsonValue } from '../../shared/json';

export class JsonEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonEditError';
  }
}

interface Style {
  unit: string;
  eol: string;
}

/** The file's own indentation unit and line ending, so an inserted key looks like its neighbours. */
function styleOf(text: string): Style {
  const indent = /\n([ \t]+)"/.exec(text)?.[1];
  return { unit: indent ?? '  ', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The whitespace at the start of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** `value` as JSON, its continuation lines indented to sit under a key indented by `indent`. */
function serialize(value: JsonValue, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).split('\n').join(`${style.eol}${indent}`);
}

function rootObject(text: string): Node {
  const errors: { error: number }[] = [];
  const root = parseTree(text, errors as never, { allowTrailingComma: false, disallowComments: false });
  if (!root || root.type !== 'object' || errors.length > 0)
    throw new JsonEditError('the file is not a valid JSON object: fix it by hand first (the pre-flight shows where)');
  return root;
}

const propertyOf = (object: Node, key: string): Node | undefined => object.children?.find((p) => p.children?.[0]?.value === key);

const splice = (text: string, start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);

/** A new file's text: an object holding the one key. */
function fresh(path: readonly string[], value: JsonValue): string {
  const nested = path.slice(1).reduceRight<JsonValue>((v, k) => ({ [k]: v }), value);
  return `${JSON.stringify({ [path[0]!]: nested }, null, 2)}\n`;
}

/** Sets `path` to `value`; creates the file's object and any missing parents. */
export function setJsonKey(text: string | null, path: readonly string[], value: JsonValue): string {
  if (text === null || text.trim() === '') return fresh(path, value);
  const style = styleOf(text);
  let object = rootObject(text);
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth]!;
    const property = propertyOf(object, key);
    const rest = path.slice(depth + 1).reduceRight<JsonValue>((v, k) => ({ [k]: v }), value);
    if (!property) return insertProperty(text, object, key, rest, style);
    const node = property.children![1]!;
    if (depth === path.length - 1 || node.type !== 'object') {
      return splice(text, node.offset, node.offset + node.length, serialize(rest, lineIndent(text, property.offset), style));
    }
    object = node;
  }
  return text;
}

function insertProperty(text: string, object: Node, key: string, value: JsonValue, style: Style): string {
  const children = object.children ?? [];
  const last = children[children.length - 1];
  if (last) {
    const indent = lineIndent(text, last.offset);
    const sameLine = !text.slice(object.offset, last.offset).includes('\n');
    const separator = sameLine ? ' ' : `${style.eol}${indent}`;
    return splice(
      text,
      last.offset + last.length,
      last.offset + last.length,
      `,${separator}${JSON.stringify(key)}: ${serialize(value, indent, style)}`,
    );
  }
  const outer = lineIndent(text, object.offset);
  const inner = outer + style.unit;
  return splice(
    text,
    object.offset + 1,
    object.offset + object.length - 1,
    `${style.eol}${inner}${JSON.stringify(key)}: ${serialize(value, inner, style)}${style.eol}${outer}`,
  );
}

/** Removes `path` (a no-op when absent), with its line and comma; a parent object left empty is removed too. */
export function unsetJsonKey<T extends string | null>(text: T, path: readonly string[]): T {
  if (text === null) return text;
  if (text.trim() === '') return text;
  return removeProperty(text, path) as T;
}

function removeProperty(text: string, path: readonly string[]): string {
  let object = rootObject(text);
  const chain: Node[] = [];
  for (const key of path) {
    const property = propertyOf(object, key);
    if (!property) return text;
    chain.push(property);
    object = property.children![1]!;
  }
  // Remove the deepest property; climb while the parent object would be left empty.
  let index = chain.length - 1;
  while (index > 0 && (chain[index - 1]!.children![1]!.children?.length ?? 0) === 1) index--;
  const property = chain[index]!;
  const parent = property.parent!;
  const siblings = parent.children!;
  const at = siblings.indexOf(property);
  if (siblings.length === 1) {
    const outer = lineIndent(text, parent.offset);
    return splice(
      text,
      parent.offset + 1,
      parent.offset + parent.length - 1,
      text.slice(parent.offset, property.offset).includes('\n') ? `${styleOf(text).eol}${outer}` : '',
    );
  }
  if (at > 0) {
    const previous = siblings[at - 1]!;
    return splice(text, previous.offset + previous.length, property.offset + property.length, '');
  }
  const next = siblings[1]!;
  return splice(text, property.offset, next.offset, '');
}
