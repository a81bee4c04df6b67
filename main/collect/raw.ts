/**
 * Defensive readers for Engine API payloads: fields differ across API versions and a non-Docker server can answer
 * anything, so each value is taken only when it has the expected type.
 */
export type Raw = Record<string, unknown>;

export function obj(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}
export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
export function strOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
export function numOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
export function bool(value: unknown): boolean {
  return value === true;
}
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
export function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(value))) if (typeof v === 'string') out[k] = v;
  return out;
}
