// The daemon's proxy, written where it takes effect: daemon.json "proxies" on Engine 23.0+ when that is where the proxy
// already lives (or nowhere yet), else a docker.service drop-in (the only place older engines read it from).
import type { Facts } from '../../shared/facts';
import type { FixOperation } from '../../shared/fix';
import type { JsonValue } from '../../shared/json';
import { proxyValueProblem } from '../../shared/proxy-grammar';
import { isRootless } from '../check-kit/applicability';
import { DAEMON_KEYS, ENV_NAMES, PROXY_VARS, proxyPicture, type ProxyVar } from '../check-kit/proxy';
import { type BuildInput, type FixDraft, FixUnavailableError } from './draft';
import { environmentLine } from './proxy-dropin';

/** Sorts after every usual drop-in name ("http-proxy.conf", "override.conf"), so its Environment= lines win. */
export const PROXY_DROPIN = 'zz-dockhand-proxy.conf';

/** The variable's name in an Environment= line and in messages: the upper-case one, which Go reads first. */
const ENV = (v: ProxyVar) => ENV_NAMES[v][0];

function dropInContent(values: Partial<Record<ProxyVar, string>>, why: string): string {
  const lines = PROXY_VARS.filter((v) => values[v]).map((v) => environmentLine(ENV(v), values[v]!));
  return `[Service]\n# Written by Dockhand: ${why}\n${lines.join('\n')}\n`;
}

/** /info masks proxy passwords ("xxxxx"): such a value cannot be written back. */
const usable = (value: string | undefined) => (value && !/:x{5}@/.test(value) ? value : undefined);

function param(params: Record<string, JsonValue>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FixUnavailableError(`parameter ${key} must be a string`);
  return v;
}

export function buildDaemonProxy(input: BuildInput): FixDraft {
  const { facts, params } = input;
  const picture = proxyPicture(facts);
  const values: Partial<Record<ProxyVar, string>> = {};
  for (const v of PROXY_VARS) {
    const given = param(params, v);
    const kept = given ?? usable(picture.configured[v]?.value) ?? usable(picture.effective[v]?.value);
    // Given values passed the grammar with the parameters; one kept from the host is checked here, in the same words.
    const problem = kept === undefined ? null : proxyValueProblem(v, kept);
    if (problem)
      throw new FixUnavailableError(
        `${given === undefined ? `the ${ENV(v)} configured now cannot be written back` : ENV(v)}: ${problem}; give it with --set ${v}=...`,
      );
    values[v] = kept;
  }
  if (!values.http && !values.https)
    throw new FixUnavailableError('no daemon proxy is configured to keep: give it with --set http=http://proxy:3128 --set https=...');
  const where = placeOf(facts, picture);
  const notes: string[] = [];
  if (Object.values(values).some((v) => v && /\/\/[^/@\s]+:[^/@\s]+@/.test(v)))
    notes.push('The proxy URL holds a password: the file that stores it is readable by root only when Dockhand creates it.');
  let operations: FixOperation[];
  if (where.kind === 'daemon-json') {
    const proxies = Object.fromEntries(PROXY_VARS.filter((v) => values[v]).map((v) => [DAEMON_KEYS[v], values[v]!]));
    operations = [{ op: 'daemon-json.set', file: where.file, path: ['proxies'], value: proxies }, { op: 'daemon.restart' }];
  } else {
    const content = dropInContent(
      values,
      `the daemon's proxy (fix ${input.checkId}); earlier drop-ins setting these variables are overridden`,
    );
    operations = [
      { op: 'systemd-dropin.write', scope: where.scope, unit: 'docker.service', name: PROXY_DROPIN, content },
      { op: 'daemon.reload' },
      { op: 'daemon.restart' },
    ];
    notes.push(`Written as a drop-in (${PROXY_DROPIN}) because ${where.why}.`);
  }
  return {
    title: `Set the daemon's proxy${values.no ? ` with NO_PROXY=${values.no}` : ''}`,
    operations,
    verification: { kind: 'finding', checkId: input.checkId, target: input.target },
    notes,
  };
}

type Place = { kind: 'daemon-json'; file: string } | { kind: 'dropin'; scope: 'system' | 'user'; why: string };

function placeOf(facts: Facts, picture: ReturnType<typeof proxyPicture>): Place {
  const inConfig = Object.values(picture.daemonConfig.settings).some((s) => s && s.name.startsWith('proxies.'));
  const inUnit = picture.unit ? Object.keys(picture.unit.settings).length > 0 : false;
  if (picture.daemonConfig.supported && facts.daemonConfig.ok && (inConfig || !inUnit))
    return { kind: 'daemon-json', file: facts.daemonConfig.value.path };
  if (picture.unit && !picture.unit.applies) {
    throw new FixUnavailableError(
      `the daemon's environment is not docker.service's (${picture.unit.why}): set HTTP_PROXY/HTTPS_PROXY/NO_PROXY where it is started${picture.daemonConfig.supported ? ', or in daemon.json "proxies"' : ''}`,
    );
  }
  if (!facts.serviceUnit.ok && !picture.daemonConfig.supported) {
    throw new FixUnavailableError(
      `Engine ${picture.daemonConfig.engineVersion} reads its proxy from its environment only, and no docker.service was found to give it one: set HTTP_PROXY/HTTPS_PROXY/NO_PROXY where dockerd is started`,
    );
  }
  const why = picture.daemonConfig.supported
    ? 'docker.service already sets the proxy in its environment'
    : `Engine ${picture.daemonConfig.engineVersion} predates daemon.json "proxies" (23.0)`;
  return { kind: 'dropin', scope: isRootless(facts) ? 'user' : 'system', why };
}
