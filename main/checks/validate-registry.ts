import type { Check } from '../../shared/check';
import { CheckMetaSchema } from '../../shared/finding';
import { CHECKS } from './registry';

/** Fails loudly (in tests and at app start-up) if two checks share an id or a check's metadata breaks the contract. */
export function validateRegistry(checks: readonly Check[] = CHECKS): void {
  const seen = new Set<string>();
  for (const check of checks) {
    const { evaluate: _e, applies: _a, ...meta } = check;
    CheckMetaSchema.parse(meta);
    if (seen.has(check.id)) throw new Error(`duplicate check id ${check.id}`);
    seen.add(check.id);
  }
}
