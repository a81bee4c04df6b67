import type { JsonValue } from './json';
import { noProxyProblem, proxyUrlProblem } from './proxy-grammar';

// What each fix takes as parameters (`dockhand fix plan CHECK --set key=value`, the app's Fix dialog): the one list
// the fix builders read their defaults and rules from (main/fix/builders.ts) and the UI builds its inputs from. Plain
// data without zod, so the page can import it at once; FixParamSchema (shared/fix.ts) checks its shape in the tests.

export type FixParamKind = 'string' | 'integer' | 'boolean' | 'choice' | 'list';

export interface FixParam {
  key: string;
  label: string;
  kind: FixParamKind;
  /** Used when neither the finding nor an override gives a value; null: none (see `required`). */
  default: JsonValue | null;
  /** Without a value from anywhere the fix cannot be planned. */
  required: boolean;
  help: string;
  /** string and list items: what a value must look like, and how to say so. */
  pattern?: RegExp;
  looksLike?: string;
  /** string: a grammar beyond a pattern, saying why a value is not in it (null: it is). */
  check?: (value: string) => string | null;
  /** An example override, for messages: --set servers=10.0.0.2,10.0.0.3. */
  example: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

const IP = /^[0-9a-fA-F.:]+$/;
const USER = /^[a-z_][a-z0-9_.-]*\$?$/i;
/** What a scheduled prune's unit file can carry safely: the cleanup-schedule.write operation takes these rules too (shared/fix.ts). */
export const SCHEDULE_LABEL = /^[A-Za-z0-9._/-]+$/;
/** A scheduled prune's age limit: whole hours. */
export const SCHEDULE_UNTIL = /^\d+h$/;

function booleanKey(key: string, wanted: boolean): FixParam[] {
  return [
    {
      key: 'value',
      label: `Set ${key} to`,
      kind: 'boolean',
      default: wanted,
      required: true,
      help: `The value written to daemon.json's ${key}.`,
      example: `--set value=${wanted}`,
    },
  ];
}

export const FIX_PARAMS: Readonly<Record<string, readonly FixParam[]>> = {
  'daemon.live-restore': booleanKey('live-restore', true),
  // Nothing to choose: the restart applies daemon.json as it is.
  'daemon.apply-config': [],
  'daemon.icc': booleanKey('icc', false),
  'daemon.userland-proxy': booleanKey('userland-proxy', false),
  'daemon.no-new-privileges': booleanKey('no-new-privileges', true),
  'daemon.experimental': booleanKey('experimental', false),
  'daemon.iptables': booleanKey('iptables', true),
  'daemon.log-rotation': [
    {
      key: 'max-size',
      label: 'Largest log file',
      kind: 'string',
      default: '10m',
      required: true,
      pattern: /^\d+[kmg]?$/i,
      looksLike: '10m, 100k or 1g',
      help: 'A container log file is rotated when it reaches this size.',
      example: '--set max-size=50m',
    },
    {
      key: 'max-file',
      label: 'Files kept per container',
      kind: 'integer',
      default: 3,
      required: true,
      min: 1,
      max: 1000,
      help: 'Rotated log files kept before the oldest is deleted.',
      example: '--set max-file=5',
    },
  ],
  'daemon.insecure-registries': [
    {
      key: 'remove',
      label: 'Registry to stop trusting',
      kind: 'string',
      default: null,
      required: true,
      pattern: /^\S+$/,
      looksLike: 'registry.local:5000',
      help: 'Removed from insecure-registries in daemon.json.',
      example: '--set remove=registry.local:5000',
    },
  ],
  'daemon.dns': [
    {
      key: 'servers',
      label: 'DNS servers',
      kind: 'list',
      default: null,
      required: true,
      pattern: IP,
      looksLike: 'IP addresses',
      help: 'IP addresses, separated by commas; containers resolve names through these.',
      example: '--set servers=10.0.0.2,10.0.0.3',
    },
  ],
  'daemon.mtu': [
    {
      key: 'mtu',
      label: 'MTU',
      kind: 'integer',
      default: null,
      required: true,
      min: 576,
      max: 65535,
      help: "The default bridge's MTU: the uplink's, so large packets are not dropped.",
      example: '--set mtu=1400',
    },
  ],
  'daemon.restart': [],
  'daemon.log-level': [
    {
      key: 'log-level',
      label: 'Log level',
      kind: 'choice',
      default: 'info',
      required: true,
      choices: ['debug', 'info', 'warn', 'error', 'fatal'],
      help: "dockerd's log level.",
      example: '--set log-level=info',
    },
  ],
  'daemon.userns-remap': [
    {
      key: 'value',
      label: 'Remap to',
      kind: 'string',
      default: 'default',
      required: true,
      pattern: /^(default|[a-z_][a-z0-9_.-]*(:[a-z_][a-z0-9_.-]*)?)$/,
      looksLike: 'default, or user[:group]',
      help: 'default creates and uses the dockremap user.',
      example: '--set value=default',
    },
  ],
  'desktop.settings': [],
  'docker-group.add-user': [
    {
      key: 'user',
      label: 'User',
      kind: 'string',
      default: null,
      required: true,
      pattern: USER,
      looksLike: 'a user name such as alice',
      help: 'Joins the docker group (root-equivalent).',
      example: '--set user=alice',
    },
  ],
  'daemon.proxy': [
    {
      key: 'http',
      label: 'HTTP proxy',
      kind: 'string',
      default: null,
      required: false,
      check: proxyUrlProblem,
      looksLike: 'http://proxy:3128',
      help: 'Empty: the one configured now.',
      example: '--set http=http://proxy:3128',
    },
    {
      key: 'https',
      label: 'HTTPS proxy',
      kind: 'string',
      default: null,
      required: false,
      check: proxyUrlProblem,
      looksLike: 'http://proxy:3128',
      help: 'Empty: the one configured now.',
      example: '--set https=http://proxy:3128',
    },
    {
      key: 'no',
      label: 'No proxy for',
      kind: 'string',
      default: null,
      required: false,
      check: noProxyProblem,
      looksLike: 'localhost,127.0.0.1,.corp.example',
      help: 'Hosts and domains reached directly, separated by commas. Empty: the list configured now.',
      example: '--set no=localhost,.corp.example',
    },
  ],
  'cleanup.schedule': [
    {
      key: 'until',
      label: 'Remove what is older than',
      kind: 'string',
      default: '168h',
      required: true,
      pattern: SCHEDULE_UNTIL,
      looksLike: 'hours such as 168h',
      help: 'Each run keeps what is newer than this.',
      example: '--set until=72h',
    },
    {
      key: 'kind',
      label: 'Run by',
      kind: 'choice',
      default: null,
      required: false,
      choices: ['systemd', 'cron'],
      help: 'Empty: a systemd timer where docker.service is found, else cron.',
      example: '--set kind=cron',
    },
    {
      key: 'protect-label',
      label: 'Protection label',
      kind: 'string',
      default: 'dockhand.protect',
      required: true,
      pattern: SCHEDULE_LABEL,
      looksLike: 'a label key such as dockhand.protect (letters, digits, . _ / -)',
      help: 'Anything with this label set to true always stays.',
      example: '--set protect-label=keep',
    },
  ],
};

export type ParamCheck = { ok: true; value: JsonValue | undefined } | { ok: false; message: string };

const shown = (v: JsonValue) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One parameter's value (from the finding or an override; undefined: neither) as the fix takes it, or why it cannot
 * be: a default filled in, numbers and booleans read from text (a form or --set gives text), lists split on commas.
 * undefined in the result: an optional parameter left out.
 */
export function checkFixParam(param: FixParam, raw: JsonValue | undefined): ParamCheck {
  const given = raw === undefined || raw === null || raw === '' ? param.default : raw;
  if (given === null)
    return param.required
      ? { ok: false, message: `${param.key} is needed and nothing gives it: ${param.example}` }
      : { ok: true, value: undefined };
  const bad = (what: string): ParamCheck => ({ ok: false, message: `${param.key} must be ${what}, not ${shown(given)}` });
  switch (param.kind) {
    case 'boolean':
      if (typeof given === 'boolean') return { ok: true, value: given };
      return given === 'true' || given === 'false' ? { ok: true, value: given === 'true' } : bad('true or false');
    case 'integer': {
      const n = typeof given === 'number' ? given : typeof given === 'string' && /^\s*-?\d+\s*$/.test(given) ? Number(given) : NaN;
      const range = `a whole number between ${param.min ?? '−∞'} and ${param.max ?? '∞'}`;
      if (!Number.isInteger(n) || (param.min !== undefined && n < param.min) || (param.max !== undefined && n > param.max))
        return bad(range);
      return { ok: true, value: n };
    }
    case 'choice':
      return typeof given === 'string' && param.choices?.includes(given)
        ? { ok: true, value: given }
        : bad(`one of ${param.choices?.join(', ')}`);
    case 'list': {
      const items =
        typeof given === 'string'
          ? given
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : Array.isArray(given)
            ? given.map(String)
            : null;
      if (!items) return bad(`a list of ${param.looksLike ?? 'values'}`);
      if (items.length === 0)
        return param.required
          ? { ok: false, message: `${param.key} is needed and nothing gives it: ${param.example}` }
          : { ok: true, value: undefined };
      const wrong = items.filter((i) => param.pattern && !param.pattern.test(i));
      if (wrong.length > 0)
        return { ok: false, message: `${param.key} takes ${param.looksLike ?? 'other values'} only, not ${wrong.join(', ')}` };
      return { ok: true, value: items };
    }
    case 'string':
      if (typeof given !== 'string') return bad(`text such as ${param.looksLike ?? param.example}`);
      if (param.pattern && !param.pattern.test(given.trim()))
        return { ok: false, message: `${param.key} must look like ${param.looksLike ?? param.example}, not ${given}` };
      {
        const problem = param.check?.(given.trim());
        if (problem) return { ok: false, message: `${param.key}: ${problem}` };
      }
      return { ok: true, value: given.trim() };
  }
}

/** The parameters a fix id declares (none for an unknown id: its builder says why it cannot plan). */
export function fixParams(fixId: string): readonly FixParam[] {
  return Object.hasOwn(FIX_PARAMS, fixId) ? FIX_PARAMS[fixId]! : [];
}
