// The checks on one operation's values and target that the allowlist makes besides its path and key lists: proxy
// values in their grammar (drop-in or daemon.json), Docker Desktop's settings resolved on disk, and, in the root
// helper, the people an operation may act for. Async because targets are resolved, not matched as strings.
import type { FixOperation } from '../../shared/fix';
import { proxyValueProblem, type ProxyVariable } from '../../shared/proxy-grammar';
import type { Caller } from './caller';
import { desktopSettingsProblem } from './desktop-target';
import { type FixEnv, hostPath } from './plan';
import { dropInProblem } from './proxy-dropin';

/**
 * Where the plan is validated: in this process (the user's own rights), or in the root helper for `caller`, the user
 * who ran it (null when sudo/pkexec did not say).
 */
export type PlanScope = { helper: false } | { helper: true; caller: Caller | null };

const DAEMON_PROXY_KEYS: Readonly<Record<string, ProxyVariable>> = { 'http-proxy': 'http', 'https-proxy': 'https', 'no-proxy': 'no' };

/** daemon.json "proxies": an object of the three keys, each value in the proxy grammar. */
function daemonProxiesProblem(path: readonly string[], value: unknown): string | null {
  const entries: [string, unknown][] =
    path.length === 1
      ? value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value)
        : [['', value]]
      : [[path[1]!, value]];
  if (path.length > 2) return 'daemon.json "proxies" is one level deep';
  for (const [key, v] of entries) {
    const variable = Object.hasOwn(DAEMON_PROXY_KEYS, key) ? DAEMON_PROXY_KEYS[key]! : null;
    if (!variable) return `daemon.json "proxies" holds http-proxy, https-proxy and no-proxy only, not ${JSON.stringify(key)}`;
    if (typeof v !== 'string') return `daemon.json "proxies"."${key}" must be a string`;
    const problem = proxyValueProblem(variable, v);
    if (problem) return `"proxies"."${key}": ${problem}`;
  }
  return null;
}

/** Why the allowlist refuses `op` (beyond its schema and path lists), or null. */
export async function operationProblem(op: FixOperation, env: FixEnv, scope: PlanScope): Promise<string | null> {
  switch (op.op) {
    case 'systemd-dropin.write':
      return dropInProblem(op.content);
    case 'daemon-json.set':
      return op.path[0] === 'proxies' ? daemonProxiesProblem(op.path, op.value) : null;
    case 'desktop-settings.set':
      // The file is the user's: root gains nothing by writing it and would write wherever the user's links point.
      if (scope.helper) return 'Docker Desktop settings belong to you, not root: apply this fix without elevation';
      return desktopSettingsProblem(op.file, hostPath(env, op.file), hostPath(env, env.home));
    case 'group.add-user':
      // Joining the docker group is root for that user: the helper adds the person who ran it, nobody the plan names.
      if (!scope.helper) return null;
      if (!scope.caller) return 'the helper cannot tell who ran it (no SUDO_UID or PKEXEC_UID): run the group change as root yourself';
      return op.user === scope.caller.name
        ? null
        : `the helper adds the user who ran it (${scope.caller.name}) to the docker group, not ${op.user}: ${op.user} (or root) must ask for it`;
    default:
      return null;
  }
}
