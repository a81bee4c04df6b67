import { closest, distance } from 'fastest-levenshtein';
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type Policy, PolicySchema } from '../../shared/policy';
import { CHECKS } from '../checks/registry';
import { DAEMON_OPTIONS } from '../preflight/daemon-options';
import { globMatcher, isGlob } from './glob';
import { POLICY_CHECKS } from './meta';
import { checkNesting, MiB, readRegularFile } from '../util/bounded-read';

/** A policy is a page of YAML; a megabyte is far more than any needs. */
const MAX_POLICY_BYTES = MiB;

type PathKey = string | number;

/** A policy as loaded: its values, and the line of each part, for evidence that points back into the file. */
export interface LoadedPolicy {
  /** The file, as the user named it. */
  path: string;
  policy: Policy;
  /** Lines of `waivers[i]`, in order. */
  waiverLines: number[];
  /** Lines of `require.daemon.<key>` and of `require.no-proxy` (key `no-proxy`). */
  requireLines: Record<string, number>;
}

export interface PolicyProblem {
  line: number;
  message: string;
}

/** A policy that cannot be used, with every problem found and its line: "FILE:LINE: reason" each. */
export class PolicyError extends Error {
  constructor(
    readonly path: string,
    readonly problems: PolicyProblem[],
  ) {
    super(problems.map((p) => `${path}:${p.line}: ${p.message}`).join('\n'));
    this.name = 'PolicyError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${String(k)}` : String(k)), '');
}

/** Where a value sits in the YAML: the node at `path`, or the nearest parent that exists (a missing key's map). */
function lineOf(doc: Document, counter: LineCounter, path: readonly PathKey[], key?: string): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!node || typeof node !== 'object' || !('range' in node)) continue;
    if (key !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      const keyNode = pair?.key as { range?: [number, number, number] } | undefined;
      if (keyNode?.range) return counter.linePos(keyNode.range[0]).line;
    }
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range) return counter.linePos(range[0]).line;
  }
  return 1;
}

/** The keys a strict object at `path` of the schema accepts, to suggest one for a misspelt key. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const key of [...path, null]) {
    while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    if (key === null) break;
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(key)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function suggest(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const guess = closest(word, [...candidates]);
  return distance(word, guess) <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean '${guess}'?)` : '';
}

function zodProblems(error: z.ZodError, doc: Document, counter: LineCounter): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path as PathKey[];
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(PolicySchema, path);
      for (const key of issue.keys) {
        problems.push({
          line: lineOf(doc, counter, path, key),
          message: `unknown key '${key}'${path.length ? ` in ${pathText(path)}` : ''}${suggest(key, known)}; expected one of: ${known.join(', ')}`,
        });
      }
      continue;
    }
    const where = path.length ? `${pathText(path)}: ` : '';
    const line =
      typeof path.at(-1) === 'string' ? lineOf(doc, counter, path.slice(0, -1), String(path.at(-1))) : lineOf(doc, counter, path);
    const missing = /^Invalid input: expected (.+), received undefined$/.exec(issue.message);
    problems.push({ line, message: `${where}${missing ? `required, and missing (expected ${missing[1]})` : issue.message}` });
  }
  return problems;
}

/** Check ids a policy may name: the registry's and the policy's own. */
function knownCheckIds(): string[] {
  return [...CHECKS.map((c) => c.id), ...POLICY_CHECKS.map((c) => c.id)];
}

/** What zod cannot know: check ids and globs that match no check, daemon.json keys that do not exist, duplicate waivers. */
function meaningProblems(policy: Policy, doc: Document, counter: LineCounter, checkIds: readonly string[]): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const ids = new Set(checkIds);
  const checkId = (id: string, path: PathKey[], key?: string) => {
    if (ids.has(id)) return;
    problems.push({
      line: lineOf(doc, counter, path, key),
      message: `${pathText(key ? [...path, key] : path)}: unknown check '${id}'${suggest(id, checkIds)}`,
    });
  };
  for (const list of ['include', 'exclude'] as const) {
    policy.checks?.[list]?.forEach((pattern, i) => {
      const path = ['checks', list, i];
      const glob = globMatcher(pattern);
      if (!isGlob(pattern)) checkId(pattern, path);
      else if (!checkIds.some((id) => glob.test(id)))
        problems.push({ line: lineOf(doc, counter, path), message: `${pathText(path)}: '${pattern}' matches no check` });
    });
  }
  for (const id of Object.keys(policy.severity ?? {})) checkId(id, ['severity'], id);
  const daemonKeys = [...new Set(DAEMON_OPTIONS.map((o) => o.key))];
  for (const key of Object.keys(policy.require?.daemon ?? {})) {
    if (!daemonKeys.includes(key)) {
      problems.push({
        line: lineOf(doc, counter, ['require', 'daemon'], key),
        message: `require.daemon: '${key}' is not a daemon.json key${suggest(key, daemonKeys)}`,
      });
    }
  }
  const seen = new Map<string, number>();
  policy.waivers?.forEach((w, i) => {
    checkId(w.check, ['waivers', i], 'check');
    const identity = `${w.check} ${w.target ?? ''}`;
    const first = seen.get(identity);
    if (first !== undefined) {
      problems.push({
        line: lineOf(doc, counter, ['waivers', i]),
        message: `waivers[${i}] waives the same check and target as waivers[${first}]: keep one`,
      });
    } else seen.set(identity, i);
  });
  return problems;
}

/** Parses and validates policy text; throws PolicyError with every problem and its line. */
export function parsePolicy(text: string, path: string, checkIds: readonly string[] = knownCheckIds()): LoadedPolicy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      path,
      doc.errors.map((e) => ({ line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const parsed = PolicySchema.safeParse(doc.toJS() ?? null);
  if (!parsed.success)
    throw new PolicyError(
      path,
      zodProblems(parsed.error, doc, counter).sort((a, b) => a.line - b.line),
    );
  const policy = parsed.data;
  const problems = meaningProblems(policy, doc, counter, checkIds);
  if (problems.length > 0)
    throw new PolicyError(
      path,
      problems.sort((a, b) => a.line - b.line),
    );
  const requireLines: Record<string, number> = {};
  for (const key of Object.keys(policy.require?.daemon ?? {})) requireLines[key] = lineOf(doc, counter, ['require', 'daemon'], key);
  if (policy.require?.['no-proxy']) requireLines['no-proxy'] = lineOf(doc, counter, ['require'], 'no-proxy');
  return { path, policy, waiverLines: (policy.waivers ?? []).map((_w, i) => lineOf(doc, counter, ['waivers', i])), requireLines };
}

/** Reads a policy file; an unreadable file is a PolicyError too (exit 2), at line 1. */
export async function loadPolicy(path: string): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = (await readRegularFile(path, MAX_POLICY_BYTES)).toString('utf8');
    checkNesting(text, path, 'yaml');
  } catch (error) {
    throw new PolicyError(path, [
      {
        line: 1,
        message: `cannot read the policy: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      },
    ]);
  }
  return parsePolicy(text, path);
}
