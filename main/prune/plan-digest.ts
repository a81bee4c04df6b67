// The plan's digest, apart from the plan-file schema: planning needs the digest, only reading a file needs zod.
import { createHash } from 'node:crypto';
import type { PrunePlan } from '../../shared/prune';

/** JSON with object keys sorted at every level: the same plan hashes the same whatever order a file holds it in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The plan's digest, over everything but the digest itself. Not a signature (anyone can recompute it): it catches a
 * plan file edited by hand or damaged, so what is applied is what was shown. Apply re-checks every object anyway.
 */
export function planDigest(plan: Omit<PrunePlan, 'digest'>): string {
  return `sha256:${createHash('sha256').update(canonicalJson(plan)).digest('hex')}`;
}
