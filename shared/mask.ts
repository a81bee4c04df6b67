import type { JsonValue } from './json';

/**
 * The one place credentials are masked, for everything Dockhand shows or saves: every report format, the facts
 * snapshot, the API's answers, pre-flight messages, the app. What it hides (shared/mask.test.ts has the table):
 *
 * - the whole user information of a URL with a scheme, `scheme://USERINFO@host` -> `scheme://****@host`: a password,
 *   a token given as the user name (`https://ghp_…@github.com`), an empty user name (`http://:secret@proxy`), `@`,
 *   quotes or percent-escapes inside it (the user information ends at the last `@` before the host, as Go's and
 *   WHATWG's parsers read it). Only `ssh://user@host` keeps its user: ssh puts no secret there, and it names the endpoint.
 * - the same without a scheme (`user:pass@proxy:3128`, which Go's proxy settings accept), when a `:` is in it.
 * - every URL in a string that holds several: NO_PROXY-like lists, `--http-proxy=… --https-proxy=…` flags, messages.
 *
 * Not hidden: a `/` written raw inside a password (`http://u:pa/ss@h`), which no URL parser reads as a password.
 */
export function maskSecretsInText(text: string): string {
  // Most strings hold no credentials; skipping the scan for them matters with tens of thousands of evidence values.
  if (!text.includes('@')) return text;
  return maskSchemeless(maskUrls(text));
}

const MASK = '****';
const SCHEME = /[a-z][a-z0-9+.-]*:\/\//gi;
/** Where an authority ends: a path, query or fragment, or white space (a URL never holds raw white space). */
const AUTHORITY_END = /[\s/?#]/;

function maskUrls(text: string): string {
  const starts = [...text.matchAll(SCHEME)];
  if (starts.length === 0) return text;
  let out = '';
  let copied = 0;
  starts.forEach((m, i) => {
    const from = m.index + m[0].length;
    if (from < copied) return;
    // The authority stops at the next URL too: `http://a:b@h,http://c:d@k` is two URLs, each masked on its own.
    const limit = starts[i + 1]?.index ?? text.length;
    let end = from;
    while (end < limit && !AUTHORITY_END.test(text[end]!)) end++;
    const at = text.lastIndexOf('@', end - 1);
    if (at < from) return;
    const userinfo = text.slice(from, at);
    if (userinfo === '' || userinfo === MASK) return;
    if (/^ssh:\/\//i.test(m[0]) && !userinfo.includes(':')) return;
    out += text.slice(copied, from) + MASK;
    copied = at;
  });
  return out + text.slice(copied);
}

/**
 * `user:pass@host` with no scheme, starting at the beginning of the text or after white space, `,;=([<` (quotes may
 * open it and may sit inside the password). The host must follow the `@`; `name:tag@sha256:…` is an image reference,
 * not a credential; `scheme://****@` is already masked. Quantifiers are bounded so a long line cannot make it slow.
 */
const SCHEMELESS = /(^|[\s,;=([<])(["'\\]{0,4})[^\s:@/,;=(["'\\<]{0,256}:(?!\/\/)[^\s,]{0,512}@(?=[A-Za-z0-9[])(?!sha(?:256|384|512):)/g;

function maskSchemeless(text: string): string {
  if (!text.includes(':')) return text;
  return text.replace(SCHEMELESS, (_m, boundary: string, quotes: string) => `${boundary}${quotes}${MASK}@`);
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
      const masked = SECRET_KEYS.test(k) && typeof v === 'string' && v !== '' ? MASK : maskSecrets(v);
      if (masked !== v) (out ??= { ...value })[k] = masked;
    }
    return (out ?? value) as T;
  }
  return value;
}
