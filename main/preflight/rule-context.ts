import { getNodeValue } from 'jsonc-parser';
import type { PreflightProblem } from '../../shared/preflight';
import type { SetFlag } from './dockerd-flags';
import type { HostFacts } from './host-facts';
import type { JsonProperty } from './json-document';
import type { OptionIndex } from './option-index';
import { CONTAINERS_FAIL, type RuleContext, type StartRule } from './start-rules';

/** What a host-dependent problem says when the host's answer is not known (the audit names why it is not). */
export const HOST_CHECKED = 'dockerd checks this on the host when it starts';

/** A flag's text as the option's JSON type (pflag parses booleans and numbers the same way). */
function fromFlag(values: string[], type: string): unknown {
  const last = values.at(-1)!;
  if (type === 'boolean') return last === 'true' || last === '1' || last === 't' || last === 'T' || last === 'TRUE' || last === 'True';
  if (type === 'integer' || type === 'number') return Number(last);
  if (type === 'string[]') return values;
  return last;
}

/**
 * Runs the start-up rules on a file that decoded (top-level properties without type errors) and the flags: each rule
 * whose option is set in the file or by its flag. Rules about the host, without the host's facts, become warnings.
 */
export function startRuleProblems(
  rules: readonly StartRule[],
  properties: readonly JsonProperty[],
  flags: ReadonlyMap<string, SetFlag>,
  index: OptionIndex,
  host: HostFacts | null,
): PreflightProblem[] {
  const file = new Map<string, JsonProperty>();
  for (const p of properties) if (!p.parent) file.set(p.key, p);
  const fileValue = (key: string): unknown => {
    // A key this engine does not know is ignored or refused before any rule: never a rule's input.
    const p = index.options.has(key) ? file.get(key) : undefined;
    return p ? (getNodeValue(p.value) as unknown) : undefined;
  };
  const flagValues = (key: string): string[] | undefined => {
    const name = index.options.get(key)?.flag;
    return name ? flags.get(name)?.values : undefined;
  };
  const value = (key: string): unknown => {
    const v = fileValue(key);
    if (v !== undefined && v !== null) return v;
    const given = flagValues(key);
    return given ? fromFlag(given, index.options.get(key)?.type ?? 'string') : undefined;
  };
  const context: RuleContext = {
    version: index.version,
    platform: index.platform,
    value,
    fileValue,
    strings: (key) => {
      const v = value(key);
      return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
    },
    bool: (key, fallback) => {
      const v = value(key);
      return typeof v === 'boolean' ? v : fallback;
    },
    flag: (name) => flags.get(name)?.values,
    host,
  };
  const problems: PreflightProblem[] = [];
  for (const rule of rules) {
    const trigger = [rule.key, ...(rule.also ?? [])].find((k) => value(k) !== undefined);
    if (trigger === undefined) continue;
    const outcome = rule.test(context);
    if (outcome === null) continue;
    const prop = file.get(trigger);
    const position = { line: prop?.valuePosition.line ?? null, column: prop?.valuePosition.column ?? null, key: trigger };
    if (typeof outcome !== 'string') {
      const consequence =
        rule.effect === 'containers-fail'
          ? `otherwise ${CONTAINERS_FAIL}`
          : rule.effect === 'refuses'
            ? 'otherwise dockerd refuses to start'
            : 'otherwise dockerd warns';
      problems.push({
        ...position,
        severity: 'warning',
        kind: 'invalid-value',
        message: `${outcome.unknown} (${HOST_CHECKED}; ${consequence})`,
      });
    } else if (rule.effect === 'refuses') {
      problems.push({ ...position, severity: 'error', kind: 'invalid-value', message: `${outcome}: dockerd will refuse to start` });
    } else if (rule.effect === 'containers-fail') {
      problems.push({
        ...position,
        severity: 'warning',
        kind: 'invalid-value',
        message: `dockerd starts, but ${CONTAINERS_FAIL}: ${outcome}`,
      });
    } else {
      problems.push({ ...position, severity: 'warning', kind: 'invalid-value', message: outcome });
    }
  }
  return problems;
}
