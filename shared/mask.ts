import type { JsonValue } from './json';

/** Hides the password in any URL with credentials (proxy URLs, registry mirrors): scheme://user:****@host. */
export function maskSecretsInText(text: string): string {
  // Most strings hold no credentials; skipping the regex for them matters with tens of thousands of evidence values.
  if (!text.includes('@')) return text;
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s:@/"']+):([^\s@/"']+)@/gi, (_m, scheme: string, user: string) => `${scheme}${user}:****@`);
}

const SECRET_KEYS = /^(auth|password|passwd|secret|token|identitytoken|registrytoken|private[-_]?key)$/i;

/** Masks secrets in any JSON value: credentials in URLs, and values under keys that hold secrets. */
export function maskSecrets<T extends JsonValue>(value: T): T {
  if (typeof value === 'string') return maskSecretsInText(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) && typeof v === 'string' && v !== '' ? '****' : maskSecrets(v);
    return out as T;
  }
  return value;
}
