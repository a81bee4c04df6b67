// The only proxy values Dockhand writes into a systemd drop-in or daemon.json: a proxy URL, or a NO_PROXY list. Each is
// a strict grammar rather than a "no bad characters" filter, because what is bad depends on the reader (systemd splits
// words on whitespace and expands % specifiers, a NUL ends a C string, U+2028 is a line break to some editors): a value
// made only of the characters the grammar names cannot become a second line, a second word or a specifier anywhere.
// Plain functions without Node imports, so the Fix dialog checks the same rules as the builder and the root helper.

const PROXY_URL_MAX = 2048;
const NO_PROXY_MAX = 8192;
const NO_PROXY_ENTRIES_MAX = 512;

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** RFC 3986 unreserved characters and %XX escapes: everything else in a user name or password must be percent-encoded. */
const USERINFO_PART = /^(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})*$/;

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
function isHostName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  return s.split('.').every((label) => LABEL.test(label));
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 text form: eight hex groups, one "::" standing for one or more zero groups, an IPv4 tail allowed. */
function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

function isPort(s: string): boolean {
  return /^[1-9]\d{0,4}$/.test(s) && Number(s) <= 65535;
}

/** Splits "host[:port]" or "[v6][:port]"; null when the shape is neither. */
function splitHostPort(s: string): { host: string; bracketed: boolean; port: string | null } | null {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    const rest = s.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return null;
    return { host: s.slice(1, close), bracketed: true, port: rest === '' ? null : rest.slice(1) };
  }
  const colon = s.lastIndexOf(':');
  if (colon < 0) return { host: s, bracketed: false, port: null };
  return { host: s.slice(0, colon), bracketed: false, port: s.slice(colon + 1) };
}

/** Shows a rejected value safely: control and separator characters as escapes, long values cut. */
export function shownValue(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(cut).replace(
    /[\u0080-\u009f\u2028\u2029\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The first character no proxy value may hold at all (controls, whitespace, quotes, backslash), or null. */
function forbiddenCharacter(value: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for.
  const m = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"'`\\]/.exec(value);
  if (!m) return null;
  const c = m[0];
  return c === ' '
    ? 'a space'
    : c === '"' || c === "'" || c === '`'
      ? `a quote (${c})`
      : c === '\\'
        ? 'a backslash'
        : `the character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `value` is not a proxy URL Dockhand writes, or null when it is one: scheme http, https, socks5 or socks5h; an
 * optional user[:password]@ with anything but letters, digits and -._~ percent-encoded; a host name, IPv4 address or
 * [IPv6] address; an optional port; an optional trailing "/".
 */
export function proxyUrlProblem(value: string): string | null {
  if (value.length === 0) return 'a proxy URL cannot be empty';
  if (value.length > PROXY_URL_MAX) return `a proxy URL is at most ${PROXY_URL_MAX} characters (this one has ${value.length})`;
  const bad = forbiddenCharacter(value);
  if (bad) return `a proxy URL cannot hold ${bad}: ${shownValue(value)}`;
  const m = /^(http|https|socks5|socks5h):\/\/(.*)$/.exec(value);
  if (!m) return `a proxy URL starts with http://, https://, socks5:// or socks5h://, not ${shownValue(value)}`;
  let rest = m[2]!;
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const [user, password] = colon < 0 ? [userinfo, ''] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
    if (!USERINFO_PART.test(user) || !USERINFO_PART.test(password)) {
      return "a proxy URL's user name and password may hold letters, digits and -._~ only; percent-encode anything else (%40 for @, %3A for :, %25 for %)";
    }
    rest = rest.slice(at + 1);
  }
  const hp = splitHostPort(rest);
  if (!hp) return `a proxy URL's host is a name, an IPv4 address or an [IPv6] address, not ${shownValue(rest)}`;
  if (hp.port !== null && !isPort(hp.port)) return `a proxy URL's port is a number from 1 to 65535, not ${shownValue(hp.port)}`;
  const hostOk = hp.bracketed ? isIPv6(hp.host) : isIPv4(hp.host) || (isHostName(hp.host) && !/^[\d.]+$/.test(hp.host));
  if (!hostOk) return `a proxy URL's host is a name, an IPv4 address or an [IPv6] address, not ${shownValue(hp.host)}`;
  return null;
}

function cidrOk(s: string): boolean {
  const slash = s.indexOf('/');
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(bits)) return false;
  if (isIPv4(addr)) return Number(bits) <= 32;
  return isIPv6(addr) && Number(bits) <= 128;
}

function noProxyEntryOk(entry: string): boolean {
  if (entry === '*') return true;
  if (entry.includes('/')) return cidrOk(entry);
  if (isIPv6(entry)) return true;
  const hp = splitHostPort(entry);
  if (!hp || (hp.port !== null && !isPort(hp.port))) return false;
  if (hp.bracketed) return isIPv6(hp.host);
  const name = hp.host.startsWith('*.') ? hp.host.slice(2) : hp.host.startsWith('.') ? hp.host.slice(1) : hp.host;
  return isIPv4(hp.host) || (isHostName(name) && !/^[\d.]+$/.test(name));
}

/**
 * Why `value` is not a NO_PROXY list Dockhand writes, or null: comma-separated entries without spaces, each `*`, a host
 * name, `.domain` or `*.domain`, an IPv4 or IPv6 address, or a CIDR; names and addresses may carry a :port.
 */
export function noProxyProblem(value: string): string | null {
  if (value.length === 0) return 'a NO_PROXY list cannot be empty';
  if (value.length > NO_PROXY_MAX) return `a NO_PROXY list is at most ${NO_PROXY_MAX} characters (this one has ${value.length})`;
  const bad = forbiddenCharacter(value);
  if (bad) return `a NO_PROXY list cannot hold ${bad} (separate entries with commas only): ${shownValue(value)}`;
  const entries = value.split(',');
  if (entries.length > NO_PROXY_ENTRIES_MAX) return `a NO_PROXY list holds at most ${NO_PROXY_ENTRIES_MAX} entries`;
  for (const entry of entries) {
    if (entry === '') return 'a NO_PROXY list has no empty entries (two commas in a row, or one at an end)';
    if (!noProxyEntryOk(entry))
      return `a NO_PROXY entry is a host name, .domain, *.domain, *, an IP address or a CIDR (with an optional :port), not ${shownValue(entry)}`;
  }
  return null;
}

export type ProxyVariable = 'http' | 'https' | 'no';

/** The grammar a variable's value follows: NO_PROXY is a list, the others are URLs. */
export function proxyValueProblem(variable: ProxyVariable, value: string): string | null {
  return variable === 'no' ? noProxyProblem(value) : proxyUrlProblem(value);
}
