import type { Check } from '../../shared/check';
import { CheckMetaSchema } from '../../shared/finding';
import { CONTAINER_CHECKS } from './containers';
import { DAEMON_CHECKS } from './daemon';

/** Every check, in catalogue order. The catalogue doc, the CLI and the UI are all derived from this list. */
export const CHECKS: readonly Check[] = [...DAEMON_CHECKS, ...CONTAINER_CHECKS];

/** Fails loudly at start-up (and in tests) if two checks share an id or a check's metadata breaks the contract. */
export function validateRegistry(checks: readonly Check[] = CHECKS): void {
  const seen = new Set<string>();
  for (const check of checks) {
    const { evaluate: _e, applies: _a, ...meta } = check;
    CheckMetaSchema.parse(meta);
    if (seen.has(check.id)) throw new Error(`duplicate check id ${check.id}`);
    seen.add(check.id);
  }
}
