import { checkFixParam, type FixParam } from '../../../shared/fix-params';
import type { JsonValue } from '../../../shared/json';

/** A parameter as its input holds it: text, or a checkbox's state. */
export type ParamInput = string | boolean;

/** What each input starts with: the finding's value, else the fix's default (shared/fix-params.ts). */
export function initialInputs(params: readonly FixParam[], fromFinding: Readonly<Record<string, JsonValue>>): Record<string, ParamInput> {
  return Object.fromEntries(
    params.map((p) => {
      const value = fromFinding[p.key] ?? p.default;
      if (p.kind === 'boolean') return [p.key, value === true || value === 'true'];
      return [p.key, value === null ? '' : Array.isArray(value) ? value.map(String).join(', ') : String(value)];
    }),
  );
}

/**
 * The overrides to plan with (fix.plan's `set`), or, per parameter, why what was typed cannot be used: the same rules
 * and words as the builders and `--set` (checkFixParam). Parameters left empty and optional are not sent.
 */
export function readInputs(
  params: readonly FixParam[],
  inputs: Readonly<Record<string, ParamInput>>,
): { set: Record<string, JsonValue> | null; errors: Map<string, string> } {
  const set: Record<string, JsonValue> = {};
  const errors = new Map<string, string>();
  for (const p of params) {
    const checked = checkFixParam(p, inputs[p.key] ?? '');
    if (!checked.ok) errors.set(p.key, checked.message);
    else if (checked.value !== undefined) set[p.key] = checked.value;
  }
  return { set: errors.size === 0 ? set : null, errors };
}

/** The default as the help line shows it. */
export function defaultText(p: FixParam): string | null {
  if (p.default === null) return null;
  return Array.isArray(p.default) ? p.default.join(', ') : String(p.default);
}
