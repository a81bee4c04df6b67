import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

export interface JsonProperty {
  key: string;
  keyPosition: Position;
  valuePosition: Position;
  value: Node;
  /** Set for the children dockerd flattens out of an object option (proxies → http-proxy). */
  parent?: string;
}

export type ParsedDocument =
  | { ok: true; root: Node; properties: JsonProperty[]; text: string; positionAt(offset: number): Position }
  | {
      ok: false;
      /** trailingFrom: where content after a complete top-level value starts (20.10 ignores it). */
      error: { message: string; position: Position; kind: 'syntax' | 'not-object'; trailingFrom?: number };
      positionAt(offset: number): Position;
    };

/** Maps offsets to 1-based line/column, counting columns in characters as editors do. */
function positionMapper(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

function describeSyntaxError(text: string, error: ParseError): string {
  const before = text.slice(0, error.offset).trimEnd();
  const at = text.slice(error.offset).trimStart();
  // jsonc-parser's error codes are a const enum, which isolated modules cannot read: switch on their names.
  const code = printParseErrorCode(error.error);
  switch (code) {
    case 'InvalidCommentToken':
      return 'comments are not allowed: dockerd reads daemon.json as strict JSON';
    case 'PropertyNameExpected':
    case 'ValueExpected':
      if (before.endsWith(',') && /^[}\]]/.test(at)) return 'trailing comma: JSON allows no comma after the last entry';
      if (code === 'PropertyNameExpected' && /^'/.test(at)) return 'property names must be in double quotes';
      if (code === 'PropertyNameExpected' && /^[A-Za-z_]/.test(at)) return 'property names must be in double quotes';
      if (at === '') return 'unexpected end of file: the JSON is incomplete';
      return code === 'ValueExpected' ? 'a value was expected here' : 'a property name in double quotes was expected here';
    case 'InvalidSymbol':
      if (/^'/.test(at)) return 'strings must be in double quotes, not single quotes';
      if (/^(NaN|Infinity|undefined)/.test(at)) return `${/^\w+/.exec(at)![0]} is not a JSON value`;
      return `unexpected character ${JSON.stringify(at[0] ?? '')}`;
    case 'UnexpectedEndOfString':
      return 'unterminated string (a line break inside a string must be written \\n)';
    case 'EndOfFileExpected':
      return 'unexpected content after the end of the JSON object';
    case 'CommaExpected':
      return 'a comma was expected between entries';
    case 'ColonExpected':
      return "a ':' was expected after the property name";
    case 'CloseBraceExpected':
      return "a closing '}' is missing";
    case 'CloseBracketExpected':
      return "a closing ']' is missing";
    default:
      return code;
  }
}

/**
 * Parses daemon.json as dockerd does (strict JSON: no comments, no trailing commas) while keeping positions.
 * `text` must already have any byte-order mark removed; the caller decides what a BOM means for the engine version.
 */
export function parseJsonDocument(text: string): ParsedDocument {
  const positionAt = positionMapper(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const end = root ? root.offset + root.length : -1;
    const trailingFrom = root && root.type === 'object' && first.offset >= end ? end : undefined;
    return {
      ok: false,
      error: { kind: 'syntax', message: describeSyntaxError(text, first), position: positionAt(first.offset), trailingFrom },
      positionAt,
    };
  }
  if (!root || root.type !== 'object') {
    const offset = root?.offset ?? 0;
    const what = root ? (root.type === 'null' ? 'null' : `a${root.type === 'array' ? 'n' : ''} ${root.type}`) : 'nothing';
    return {
      ok: false,
      error: { kind: 'not-object', message: `the top level must be a JSON object, not ${what}`, position: positionAt(offset) },
      positionAt,
    };
  }
  const properties: JsonProperty[] = (root.children ?? []).map((prop) => {
    const [keyNode, valueNode] = prop.children as [Node, Node];
    return {
      key: String(keyNode.value),
      keyPosition: positionAt(keyNode.offset),
      valuePosition: positionAt(valueNode.offset),
      value: valueNode,
    };
  });
  return { ok: true, root, properties, text, positionAt };
}

/** The exact source text of a node (to tell 3 from 3.0, which Go's integer fields treat differently). */
export function rawText(text: string, node: Node): string {
  return text.slice(node.offset, node.offset + node.length);
}
