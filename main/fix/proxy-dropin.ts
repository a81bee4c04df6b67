// The one shape of systemd drop-in a fix may write: `[Service]`, comments, and Environment= lines that each assign one
// proxy variable a value in the proxy grammar (shared/proxy-grammar.ts). Writing it and reading it back go through
// here, so the planner, the allowlist (in the root helper too) and the read-back after a write agree on what it holds.
import { type ProxyVariable, proxyValueProblem, shownValue } from '../../shared/proxy-grammar';
import { parseUnitText } from '../collect/systemd-unit';

/** The variables a drop-in may set, and which grammar each follows (LD_PRELOAD and the like would run code as root). */
const VARIABLES: Readonly<Record<string, ProxyVariable>> = {
  HTTP_PROXY: 'http',
  http_proxy: 'http',
  HTTPS_PROXY: 'https',
  https_proxy: 'https',
  NO_PROXY: 'no',
  no_proxy: 'no',
};

export interface ProxyAssignment {
  name: string;
  value: string;
}

class ProxyValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyValueError';
  }
}

/**
 * One Environment= line. The grammar leaves no character systemd treats specially except "%" (percent-encoded
 * passwords), doubled so systemd does not read a specifier; a value outside the grammar is refused, never quoted.
 */
export function environmentLine(name: string, value: string): string {
  const variable = Object.hasOwn(VARIABLES, name) ? VARIABLES[name]! : null;
  if (!variable) throw new ProxyValueError(`${name} is not a proxy variable`);
  const problem = proxyValueProblem(variable, value);
  if (problem) throw new ProxyValueError(`${name}: ${problem}`);
  return `Environment="${name}=${value.replace(/%/g, '%%')}"`;
}

/** Lines other than these are refused before parsing: no other section, key, continuation or stray text. */
const LINE = /^(?:|#[\u0020-\u007e]*|\[Service\]|Environment="[A-Za-z_]+=[^"\\]*")$/;

/**
 * The proxy assignments of a drop-in, in order, or why it is not a drop-in a fix may write. It is parsed with the
 * project's unit parser after a line-by-line check, so a byte the parser would fold away (a NUL, a CR, a trailing
 * backslash) is refused rather than read past.
 */
export function parseProxyDropIn(content: string): { assignments: ProxyAssignment[] } | { problem: string } {
  const body = content.endsWith('\n') ? content.slice(0, -1) : content;
  const lines = body.split('\n');
  if (lines[0] !== '[Service]') return { problem: 'a drop-in must start with [Service]' };
  for (const [index, line] of lines.entries()) {
    if (!LINE.test(line)) {
      return {
        problem: `a drop-in may hold [Service], comments and one quoted Environment="NAME=value" per line only; line ${index + 1} is ${shownValue(line)}`,
      };
    }
  }
  const assignments: ProxyAssignment[] = [];
  for (const a of parseUnitText(content, 'drop-in')) {
    if (a.section !== 'Service' || a.key !== 'Environment')
      return { problem: `a drop-in may set Environment= in [Service] only, not ${a.section}.${a.key}` };
    const m = /^"([A-Za-z_]+)=([^"\\]*)"$/.exec(a.value);
    if (!m) return { problem: `line ${a.line}: not one quoted assignment` };
    const [, name, raw] = m as unknown as [string, string, string];
    const variable = Object.hasOwn(VARIABLES, name) ? VARIABLES[name]! : null;
    if (!variable)
      return { problem: `a drop-in may set the proxy variables only (${Object.keys(VARIABLES).join(', ')}), not ${shownValue(name)}` };
    // "%%" is a literal "%"; any other "%" is a unit specifier systemd would expand.
    if (/%/.test(raw.replace(/%%/g, ''))) return { problem: `${name} holds a systemd specifier (a single %): ${shownValue(raw)}` };
    const value = raw.replace(/%%/g, '%');
    const problem = proxyValueProblem(variable, value);
    if (problem) return { problem: `${name}: ${problem}` };
    if (assignments.some((x) => x.name === name)) return { problem: `${name} is set twice` };
    assignments.push({ name, value });
  }
  return { assignments };
}

export function dropInProblem(content: string): string | null {
  const parsed = parseProxyDropIn(content);
  return 'problem' in parsed ? parsed.problem : null;
}
