import { getNodeValue } from 'jsonc-parser';
import { closest, distance } from 'fastest-levenshtein';
import { maskSecretsInText } from '../../shared/mask';
import type { PreflightProblem, PreflightResult } from '../../shared/preflight';
import { parseDockerdFlags } from './dockerd-flags';
import { compareMinor, formatMinor } from './engine-version';
import type { Node } from 'jsonc-parser';
import { type JsonProperty, parseJsonDocument, rawText } from './json-document';
import { type DaemonPlatform, OptionIndex } from './option-index';
import { enumProblem, rangeProblem, typeMismatch } from './value-rules';
import type { HostFacts } from './host-facts';
import { goFloat64Overflows } from './go-values';
import { CONTAINERS_FAIL, rulesFor } from './start-rules';
import { startRuleProblems } from './rule-context';
import type { ConfigEncoding } from './decode';
import { parsingRules } from './parsing-rules';

export interface PreflightInput {
  /** The file's text as read (UTF-8), or null when the file does not exist. */
  text: string | null;
  path: string;
  /** A --config-file given explicitly must exist; the default one may be missing. */
  explicit: boolean;
  /** dockerd's arguments (without the program name); null when unknown. */
  flags: string[] | null;
  /** How the bytes were encoded (decodeConfigBytes); UTF-8 when not said. */
  encoding?: ConfigEncoding;
  /** The engine the file is for, e.g. "20.10.24" or "27.3". */
  engineVersion: string;
  platform: DaemonPlatform;
  /**
   * The facts of the host dockerd runs on (localHostFacts() when checking this machine). Without them, rules that
   * depend on the host are warnings that say what dockerd will check, never a guessed verdict.
   */
  host?: HostFacts | null;
}

export { CONTAINERS_FAIL };

type Problem = PreflightProblem;

const at = (
  p: { line: number; column: number } | null,
  key: string | null,
  severity: Problem['severity'],
  kind: Problem['kind'],
  message: string,
): Problem => ({
  line: p?.line ?? null,
  column: p?.column ?? null,
  key,
  severity,
  kind,
  message,
});

const FILE_START = { line: 1, column: 1 };

/** The whole file refused before its options are read: one syntax error at its start, and no properties. */
const refusedFile = (message: string) => ({ problems: [at(FILE_START, null, 'error', 'syntax', message)], properties: null });

/**
 * Will dockerd start with this daemon.json and these flags? A pure function: it applies the Engine's own start-up rules
 * for the given version (see docs/preflight-rules.md) and reports every problem it can see, each with its position.
 */
export function preflight(input: PreflightInput): PreflightResult {
  const index = new OptionIndex(formatMinor(input.engineVersion), input.platform);
  const problems: Problem[] = [];
  const flags = input.flags ? parseDockerdFlags(input.flags, index) : null;
  if (flags) problems.push(...flags.problems);
  const fileProblems = checkFile(input, index);
  problems.push(...fileProblems.problems);
  if (flags && fileProblems.properties) problems.push(...conflicts(fileProblems.properties, flags.set));
  // The start-up rules run on what dockerd would decode: only when the file decodes (no error so far from the file).
  if (fileProblems.properties && !fileProblems.problems.some((p) => p.severity === 'error')) {
    problems.push(
      ...startRuleProblems(
        rulesFor(index.version, input.platform),
        fileProblems.properties,
        flags?.set ?? new Map(),
        index,
        input.host ?? null,
      ),
    );
  }
  return {
    willStart: !problems.some((p) => p.severity === 'error'),
    engineVersion: index.version,
    platform: input.platform,
    // Messages quote daemon.json values and flags, which can hold proxy or mirror credentials.
    problems: problems
      .map((p) => ({ ...p, message: maskSecretsInText(p.message) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
  };
}

function checkFile(input: PreflightInput, index: OptionIndex): { problems: Problem[]; properties: JsonProperty[] | null } {
  const rules = parsingRules(index.version);
  if (input.text === null) {
    if (!input.explicit) return { problems: [], properties: [] };
    return {
      problems: [
        at(
          null,
          null,
          'error',
          'unreadable',
          `${input.path} does not exist, and dockerd refuses to start when --config-file names a missing file`,
        ),
      ],
      properties: null,
    };
  }
  const problems: Problem[] = [];
  const encoding = input.encoding ?? 'utf8';
  if (encoding === 'utf16' && !rules.readsUtf16) {
    return refusedFile(`the file is UTF-16 encoded, which Docker Engine ${index.version} cannot read: save it as UTF-8`);
  }
  if (encoding === 'invalid-utf8') {
    if (rules.refusesInvalidUtf8) {
      return refusedFile('the file contains bytes that are not UTF-8: save it as UTF-8');
    }
    problems.push(
      at(
        FILE_START,
        null,
        'warning',
        'syntax',
        `the file contains bytes that are not UTF-8; Docker Engine ${index.version} replaces them, newer engines refuse the file`,
      ),
    );
  }
  let text = input.text;
  if (text.includes('\u0000')) {
    return refusedFile('the file is not UTF-8 text (it looks UTF-16 encoded without a byte-order mark): save it as UTF-8');
  }
  if (text.startsWith('\uFEFF')) {
    if (!rules.stripsBom) {
      return refusedFile(
        `the file starts with a byte-order mark (BOM), which Docker Engine ${index.version} cannot read: save it as UTF-8 without BOM`,
      );
    }
    text = text.slice(1);
  }
  if (text.trim() === '') {
    return rules.acceptsEmpty
      ? { problems, properties: [] }
      : refusedFile(`the file is empty, which Docker Engine ${index.version} refuses: write {} for no options`);
  }
  let doc = parseJsonDocument(text);
  if (!doc.ok && doc.error.kind === 'syntax' && doc.error.trailingFrom !== undefined && rules.ignoresTrailingData) {
    problems.push(
      at(
        doc.error.position,
        null,
        'warning',
        'syntax',
        `content after the JSON object is ignored by Docker Engine ${index.version} (newer engines refuse the file): remove it`,
      ),
    );
    text = text.slice(0, doc.error.trailingFrom);
    doc = parseJsonDocument(text);
  }
  if (!doc.ok) {
    if (doc.error.kind === 'not-object' && /^\s*null\s*$/.test(text)) return { problems, properties: [] };
    return { problems: [...problems, at(doc.error.position, null, 'error', doc.error.kind, doc.error.message)], properties: null };
  }
  const seen = new Map<string, JsonProperty>();
  for (const prop of doc.properties) {
    const earlier = seen.get(prop.key);
    if (earlier) {
      problems.push(
        at(
          prop.keyPosition,
          prop.key,
          'warning',
          'duplicate-key',
          `'${prop.key}' is set twice (first at line ${earlier.keyPosition.line}): dockerd silently uses this last value`,
        ),
      );
    }
    seen.set(prop.key, prop);
  }
  const properties = [...seen.values()];
  properties.push(...flattenedChildren(properties, index, doc.positionAt));
  const overflow = firstOverflow(doc.root, text);
  if (overflow) {
    return {
      problems: [
        ...problems,
        at(
          doc.positionAt(overflow.offset),
          null,
          'error',
          'wrong-type',
          `the number ${rawText(text, overflow)} is too large for dockerd, which reads every number of the file as a 64-bit float first: dockerd will refuse to start`,
        ),
      ],
      properties: null,
    };
  }
  for (const prop of properties) problems.push(...checkProperty(prop, index, text));
  return { problems, properties };
}

/** A number literal anywhere in the document that Go cannot hold in a float64 (1e400): the whole file is refused. */
function firstOverflow(node: Node, text: string): Node | null {
  if (node.type === 'number') return goFloat64Overflows(rawText(text, node)) ? node : null;
  for (const child of node.children ?? []) {
    const found = firstOverflow(child, text);
    if (found) return found;
  }
  return null;
}

/**
 * dockerd flattens object values one level (except the flat options such as log-opts) before its unknown-key and
 * conflict checks: {"proxies": {"http-proxy": …}} is checked as the key http-proxy. Returns those children.
 */
function flattenedChildren(
  properties: JsonProperty[],
  index: OptionIndex,
  positionAt: (offset: number) => { line: number; column: number },
): JsonProperty[] {
  const out: JsonProperty[] = [];
  for (const prop of properties) {
    const option = index.options.get(prop.key);
    if (!option || option.type !== 'object' || index.isFlat(prop.key) || prop.value.type !== 'object') continue;
    for (const child of prop.value.children ?? []) {
      const [keyNode, valueNode] = child.children as [Node, Node];
      out.push({
        key: String(keyNode.value),
        keyPosition: positionAt(keyNode.offset),
        valuePosition: positionAt(valueNode.offset),
        value: valueNode,
        parent: prop.key,
      });
    }
  }
  return out;
}

function checkProperty(prop: JsonProperty, index: OptionIndex, text: string): Problem[] {
  const { key } = prop;
  if (prop.parent) {
    if (index.flags.has(key)) {
      return prop.value.type === 'string' || prop.value.type === 'null'
        ? []
        : [
            at(
              prop.valuePosition,
              `${prop.parent}.${key}`,
              'error',
              'wrong-type',
              `'${prop.parent}.${key}' must be a string: dockerd will refuse to start`,
            ),
          ];
    }
    return [
      at(
        prop.keyPosition,
        `${prop.parent}.${key}`,
        'error',
        'unknown-key',
        `unknown key '${key}' in '${prop.parent}': dockerd refuses to start on directives that match no option`,
      ),
    ];
  }
  if (key === 'validate' && index.flags.has('validate') && getNodeValue(prop.value) === true) {
    return [
      at(
        prop.valuePosition,
        key,
        'error',
        'invalid-value',
        `"validate": true makes dockerd check the configuration and exit instead of starting`,
      ),
    ];
  }
  const option = index.options.get(key);
  if (!option) return [unknownKey(prop, index)];
  if (option.ignoredSince && compareMinor(index.version, option.ignoredSince) >= 0) {
    // No field decodes it any more, so not even its type is checked.
    return [
      at(
        prop.keyPosition,
        key,
        'warning',
        'unknown-key',
        `'${key}' is accepted but ignored from Docker Engine ${option.ignoredSince}${option.deprecated ? ` (${option.deprecated})` : ''}`,
      ),
    ];
  }
  const mismatch = typeMismatch(option, prop.value, text);
  if (mismatch) return [at(prop.valuePosition, key, 'error', 'wrong-type', `${mismatch}: dockerd will refuse to start`)];
  const value = getNodeValue(prop.value) as unknown;
  const invalid = enumProblem(option, value, index.version) ?? rangeProblem(option, value);
  const problems: Problem[] = [];
  if (invalid) problems.push(at(prop.valuePosition, key, 'error', 'invalid-value', `${invalid}: dockerd will refuse to start`));
  if (option.deprecated)
    problems.push(at(prop.keyPosition, key, 'warning', 'unsupported-version', `'${key}' is deprecated: ${option.deprecated}`));
  return problems;
}

function unknownKey(prop: JsonProperty, index: OptionIndex): Problem {
  const { key } = prop;
  const ignored = index.ignored.get(key);
  if (ignored) {
    const instead = index.keyForFlag(key);
    return at(
      prop.keyPosition,
      key,
      'warning',
      'unknown-key',
      `'${key}' is accepted but has no effect (${ignored.reason})${instead ? `: use '${instead}'` : ''}`,
    );
  }
  const rejected = index.rejected.get(key);
  const elsewhere = OptionIndex.anywhere(key);
  if (!rejected && allChildrenKnown(prop, index)) {
    // dockerd flattens an unknown object and checks its children as keys; if they all exist, the whole object is ignored.
    return at(
      prop.keyPosition,
      key,
      'warning',
      'unknown-key',
      `'${key}' is not an option of Docker Engine ${index.version}: dockerd accepts it (its contents are known keys) but ignores it entirely`,
    );
  }
  if (elsewhere.length > 0) {
    const onPlatform = elsewhere.filter((o) => o.platforms.includes(index.platform));
    if (onPlatform.length === 0) {
      return at(
        prop.keyPosition,
        key,
        'error',
        'unknown-key',
        `'${key}' is a ${elsewhere[0]!.platforms.join('/')} option; dockerd on ${index.platform} does not know it and will refuse to start`,
      );
    }
    const o = onPlatform[0]!;
    const when =
      o.until && compareMinor(index.version, o.until) >= 0
        ? `was removed in Docker Engine ${o.until}`
        : `needs Docker Engine ${o.platformSince?.[index.platform] ?? o.since} or newer`;
    return at(
      prop.keyPosition,
      key,
      'error',
      'unsupported-version',
      `'${key}' ${when}; this engine is ${index.version}, whose dockerd will refuse to start with it`,
    );
  }
  if (rejected) {
    return at(
      prop.keyPosition,
      key,
      'error',
      'unknown-key',
      `'${key}' is not accepted in daemon.json (${rejected.reason}): dockerd will refuse to start`,
    );
  }
  const candidates = [...index.options.keys(), ...index.flags.keys()];
  const guess = candidates.length > 0 ? closest(key, candidates) : null;
  const close = guess !== null && distance(key.toLowerCase(), guess) <= Math.max(2, Math.floor(key.length / 4));
  const suggestion = close ? (index.keyForFlag(guess) ?? guess) : null;
  return at(
    prop.keyPosition,
    key,
    'error',
    'unknown-key',
    `unknown key '${key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: dockerd refuses to start on directives that match no option`,
  );
}

function allChildrenKnown(prop: JsonProperty, index: OptionIndex): boolean {
  if (prop.value.type !== 'object') return false;
  const children = (prop.value.children ?? []).map((c) => String(c.children?.[0]?.value));
  return children.every((c) => index.flags.has(c) || index.options.has(c));
}

function conflicts(properties: JsonProperty[], set: ReturnType<typeof parseDockerdFlags>['set']): Problem[] {
  const byKey = new Map(properties.map((p) => [p.key, p]));
  const out: Problem[] = [];
  for (const entry of set.values()) {
    if (!entry.key) continue;
    const prop = byKey.get(entry.key);
    if (!prop) continue;
    out.push(
      at(
        prop.keyPosition,
        entry.key,
        'error',
        'flag-conflict',
        `'${entry.key}' is set both by the flag --${entry.flag} (${entry.values.join(', ')}) and in the file: dockerd refuses to start even when they agree. Keep one`,
      ),
    );
  }
  return out;
}
