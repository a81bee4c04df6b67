import type { JsonValue } from './json';

/** Hides the password in any URL with credentials (proxy URLs, registry mirrors): scheme://user:****@host. */
export function maskSecretsInText(text: string): string {
  // Most strings hold no credentials; skipping the regex for them matters with tens of thousands of evidence values.
  if (!text.includes('@')) return text;
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s:@/"']+):([^\s@/"']+)@/gi, (_m, scheme: string, user: string) => `${scheme}${user}:****@`);
}

const SECRET_KEYS = /^(auth|password|passwd|secret|token|identitytoken|registrytoken|private[-_]?key)$/i;

/**
 * Masks secrets in any JSON value: credentials in URLs, and values under keys that hold secrets. Returns the same
 * reference when nothing needed masking, so masking a large report copies only what changed.
 */
export function maskSecrets<T extends JsonValue>(value: T): T {
  if (typeof value === 'string') return maskSecretsInText(value) as T;
  if (Array.isArray(value)) {
    let out: JsonValue[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const masked = maskSecrets(value[i]!);
      if (masked !== value[i]) (out ??= value.slice())[i] = masked;
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, JsonValue> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const masked = SECRET_KEYS.test(k) && typeof v === 'string' && v !== '' ? '****' : maskSecrets(v);
      if (masked !== v) (out ??= { ...value })[k] = masked;
    }
    return (out ?? value) as T;
  }
  return value;
}
