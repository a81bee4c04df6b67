import { createHmac, randomBytes } from 'node:crypto';
import type { EnvSecret, EnvSecretKind } from '../../shared/facts/secrets';

/**
 * Classifies the entries of a Config.Env (a container's or an image's) at collection time, so the facts keep only the
 * variables that look like credentials, masked, and never a raw value.
 *
 * A value of a recognised shape is a credential whatever its variable is called: private key blocks, GCP
 * service-account JSON, AWS access key ids (AKIA/ASIA + 16), an AWS secret key (40 base64 characters of mixed case and
 * digits, only under a name that says SECRET or AWS: alone, that shape is any hash), GitHub, GitLab, Slack, Google API,
 * Stripe live and npm tokens, and URLs carrying a password (`scheme://user:pass@host`) or a token as the user.
 *
 * Otherwise the name decides: it ends in PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN or APIKEY, in a word PASS
 * (SMTP_PASS, not BYPASS or GIT_ASKPASS), or in API_KEY, ACCESS_KEY, PRIVATE_KEY, SECRET_KEY, ENCRYPTION_KEY,
 * SIGNING_KEY, MASTER_KEY or SECRET_KEY_BASE. Not credentials by name: `*_FILE` and `*_PASSWORD_FILE` (the secret is
 * in a mounted file: the recommended practice), names with the word elsewhere (PASSWORD_MIN_LENGTH, TOKEN_URL), KEY
 * alone (GPG_KEY, which the official python images set to a public key fingerprint), and a credential name whose
 * value is empty, a switch (MYSQL_ALLOW_EMPTY_PASSWORD=yes: true/false/yes/no/on/off/0/1), an absolute path (where a
 * key file lives), an unexpanded `$VAR`/`${VAR}` or an already masked `****`.
 */

/** Only this much of a value is scanned: a key block or service-account JSON is a few KiB, and scans stay bounded. */
export const SCAN_LIMIT = 64 * 1024;
const MASK = '****';

/** For the fingerprint: exists only in this process, so a fingerprint in a saved snapshot cannot be reversed or guessed at. */
const PROCESS_KEY = randomBytes(32);

interface Shape {
  kind: EnvSecretKind;
  /** The masked form when `value` holds this shape, else null. Built only from public markers, never from the value. */
  match(value: string, name: string): string | null;
}

/** A shape found anywhere in the value; its masked form keeps the public prefix (the first group), e.g. `ghp_****`. */
function prefixed(kind: EnvSecretKind, pattern: RegExp): Shape {
  return { kind, match: (value) => pattern.exec(value)?.[1]?.concat(MASK) ?? null };
}

const SHAPES: readonly Shape[] = [
  {
    kind: 'gcp-service-account',
    match: (value) => (/"type"\s*:\s*"service_account"/.test(value) ? `service_account${serviceAccountEmail(value)} ${MASK}` : null),
  },
  prefixed('private-key', /(-----BEGIN (?:[A-Z0-9]{1,16} ){0,3}PRIVATE KEY(?: BLOCK)?-----)/),
  prefixed('aws-access-key-id', /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/),
  {
    kind: 'aws-secret-access-key',
    match: (value, name) =>
      /SECRET|AWS/i.test(name) &&
      /^[A-Za-z0-9/+]{40}$/.test(value.trim()) &&
      /[A-Z]/.test(value) &&
      /[a-z]/.test(value) &&
      /[0-9]/.test(value)
        ? MASK
        : null,
  },
  prefixed('github-token', /(?<![A-Za-z0-9_])(gh[pousr]_)[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/),
  prefixed('github-token', /(?<![A-Za-z0-9_])(github_pat_)[A-Za-z0-9_]{22,251}/),
  prefixed('gitlab-token', /(?<![A-Za-z0-9_-])(gl(?:pat|dt|rt|ptt|soat)-)[A-Za-z0-9_-]{20,}/),
  prefixed('slack-token', /(?<![A-Za-z0-9-])(xox[abposr]-|xapp-)[A-Za-z0-9-]{10,}/),
  prefixed('slack-webhook', /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]{8,}/),
  prefixed('google-api-key', /(?<![A-Za-z0-9_-])(AIza)[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/),
  prefixed('stripe-key', /(?<![A-Za-z0-9_])((?:sk|rk)_live_)[0-9A-Za-z]{16,}/),
  prefixed('npm-token', /(?<![A-Za-z0-9_])(npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9])/),
  { kind: 'url-credentials', match: urlWithCredentials },
];

/** client_email of a service-account JSON, which names the account and is not a secret; "" when it cannot be read. */
function serviceAccountEmail(value: string): string {
  try {
    const email = (JSON.parse(value) as { client_email?: unknown }).client_email;
    return typeof email === 'string' && /^[A-Za-z0-9._-]{1,128}@[A-Za-z0-9.-]{1,253}$/.test(email) ? ` ${email}` : '';
  } catch {
    return '';
  }
}

const SCHEME = /([a-z][a-z0-9+.-]{0,31}):\/\//gi;
/** Where an authority ends: a path, query or fragment, or white space. */
const AUTHORITY_END = /[\s/?#]/;

/**
 * `scheme://user:pass@host` with a password, or `scheme://TOKEN@host` with a token-like user (16+ characters). Masked
 * to the scheme and host, with what followed elided: a path or query can hold a secret too (`?password=`). As in
 * shared/mask.ts, an authority also ends where the next URL starts (lists of URLs), and the user information at its
 * last `@`.
 */
function urlWithCredentials(value: string): string | null {
  const starts = [...value.matchAll(SCHEME)];
  for (const [i, m] of starts.entries()) {
    const from = m.index + m[0].length;
    const limit = Math.min(starts[i + 1]?.index ?? value.length, from + 2048);
    let end = from;
    while (end < limit && !AUTHORITY_END.test(value[end]!)) end++;
    const authority = value.slice(from, end);
    const at = authority.lastIndexOf('@');
    if (at < 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const credential = colon >= 0 ? userinfo.length > colon + 1 : /^[A-Za-z0-9_.~%-]{16,}$/.test(userinfo);
    const host = /^[A-Za-z0-9.[\]:_%-]{1,255}/.exec(authority.slice(at + 1))?.[0];
    if (!credential || !host) continue;
    return `${m[1]!.toLowerCase()}://${MASK}@${host}${end < value.length ? '/…' : ''}`;
  }
  return null;
}

const CREDENTIAL_NAME =
  /(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|APIKEY|(?:^|[_.-])PASS|(?:^|[_.-])(?:API|ACCESS|PRIVATE|SECRET|ENCRYPTION|SIGNING|MASTER)[_.-]?KEY|(?:^|[_.-])SECRET[_.-]KEY[_.-]BASE)$/;

/** Values a credential-named variable holds when it is not a credential (see the module comment). */
const NOT_A_CREDENTIAL = [
  /^\s*$/,
  /^(?:true|false|yes|no|on|off|y|n|0|1)$/i,
  /^\/\S*$/,
  /^[A-Za-z]:\\\S*$/,
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/,
  /^\*+$/,
];

export function isCredentialName(name: string): boolean {
  // Only the end of a name decides; a very long name is not scanned whole.
  return CREDENTIAL_NAME.test(name.slice(-64).toUpperCase());
}

/** How one `NAME=value` entry looks: a credential kind with its masked form, or null. */
export function classifyEntry(entry: string): { name: string; kind: EnvSecretKind; masked: string } | null {
  const eq = entry.indexOf('=');
  // No `=`: the variable is named without a value (the API accepts it). An empty name: Windows' `=C:=C:\` entries.
  if (eq <= 0) return null;
  const name = entry.slice(0, eq);
  const value = entry.slice(eq + 1, eq + 1 + SCAN_LIMIT);
  for (const shape of SHAPES) {
    const masked = shape.match(value, name);
    if (masked !== null) return { name, kind: shape.kind, masked };
  }
  if (isCredentialName(name) && !NOT_A_CREDENTIAL.some((p) => p.test(value))) return { name, kind: 'name', masked: MASK };
  return null;
}

/** The entries of `env` that look like credentials, in order; `key` is for tests that need stable fingerprints. */
export function classifyEnv(env: readonly string[], key: Buffer = PROCESS_KEY): EnvSecret[] {
  const found: EnvSecret[] = [];
  for (const entry of env) {
    const secret = classifyEntry(entry);
    if (secret) found.push({ ...secret, fingerprint: createHmac('sha256', key).update(entry).digest('hex').slice(0, 16) });
  }
  return found;
}
