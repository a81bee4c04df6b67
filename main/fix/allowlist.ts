// The boundary every plan crosses before it may change anything, used by `fix apply` and, independently, by the
// elevated helper: the plan must parse, every operation must be on the allowlist with a permitted path, and the bytes
// it would write must be exactly its operations applied to the files as they are now.
import os from 'node:os';
import path from 'node:path';
import { type FileChange, type FixPlan, FixPlanSchema } from '../../shared/fix';
import { listDockerdProcesses } from '../collect/daemon-process';
import type { Host } from '../host/host';
import { computeFileChanges, type FixEnv } from './plan';
import { checkPlanTargets } from './target-path';

export class PlanRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRejectedError';
  }
}

/** daemon.json files a fix may edit: the defaults, and the --config-file of every dockerd running on this host. */
export async function allowedDaemonJsonPaths(host: Host, home = os.homedir()): Promise<Set<string>> {
  const allowed = new Set(['/etc/docker/daemon.json', path.join(home, '.config/docker/daemon.json')]);
  if (host.kind === 'local' && host.platform === 'linux') {
    for (const p of await listDockerdProcesses(host).catch(() => [])) {
      for (let i = 0; i < p.argv.length; i++) {
        const a = p.argv[i]!;
        if (a === '--config-file') allowed.add(p.argv[i + 1] ?? '');
        else if (a.startsWith('--config-file=')) allowed.add(a.slice('--config-file='.length));
      }
    }
  }
  return allowed;
}

/** Docker Desktop's settings files, on each platform, and nothing else. */
const DESKTOP_SETTINGS = [
  /\/Library\/Group Containers\/group\.com\.docker\/settings(-store)?\.json$/,
  /\/\.docker\/desktop\/settings(-store)?\.json$/,
  /\\AppData\\Roaming\\Docker\\settings(-store)?\.json$/i,
];

/**
 * daemon.json keys a fix may set. A key such as "hosts" (an open TCP socket) or "runtimes" (a binary dockerd runs as
 * root) would turn the elevated helper into a way to become root, so the helper accepts only the keys fixes use.
 */
export const FIXABLE_DAEMON_KEYS: ReadonlySet<string> = new Set([
  'live-restore', 'icc', 'userland-proxy', 'no-new-privileges', 'experimental', 'iptables', 'log-opts', 'log-level', 'debug',
  'insecure-registries', 'dns', 'mtu', 'userns-remap', 'proxies', 'storage-driver',
]);

/** The only variables a drop-in may set: the daemon's proxy (LD_PRELOAD and the like would run code as root). */
const DROPIN_VARIABLES = /^(HTTP_PROXY|HTTPS_PROXY|NO_PROXY|http_proxy|https_proxy|no_proxy)=/;

function dropInProblem(content: string): string | null {
  const lines = (content.endsWith('\n') ? content : `${content}\n`).split('\n').slice(0, -1);
  if (lines[0] !== '[Service]') return 'a drop-in must start with [Service]';
  for (const line of lines.slice(1)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^Environment=(.*)$/.exec(line);
    if (!m) return `a drop-in may hold Environment= lines only, not ${JSON.stringify(line.slice(0, 60))}`;
    for (const word of m[1]!.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []) {
      if (!DROPIN_VARIABLES.test(word.replace(/^"/, ''))) return `a drop-in may set the proxy variables only, not ${JSON.stringify(word.slice(0, 40))}`;
    }
  }
  return null;
}

/**
 * Parses and checks a plan; returns it with the file changes recomputed from the host as it is now. `selfPath` is this
 * dockhand's own path: the only program a scheduled prune may run.
 */
export async function validatePlan(input: unknown, env: FixEnv, allowedDaemonJson: Set<string>, selfPath: string | null = null): Promise<{ plan: FixPlan; files: FileChange[] }> {
  const parsed = FixPlanSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlanRejectedError(`not a valid fix plan: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const plan = parsed.data;
  for (const op of plan.operations) {
    if ((op.op === 'daemon-json.set' || op.op === 'daemon-json.unset') && !allowedDaemonJson.has(op.file)) {
      throw new PlanRejectedError(`refused: ${op.file} is not a daemon.json this host's Docker uses (allowed: ${[...allowedDaemonJson].join(', ')})`);
    }
    if ((op.op === 'daemon-json.set' || op.op === 'daemon-json.unset') && !FIXABLE_DAEMON_KEYS.has(op.path[0]!)) {
      throw new PlanRejectedError(`refused: no fix sets the daemon.json key ${JSON.stringify(op.path[0])}`);
    }
    if (op.op === 'cleanup-schedule.write' && op.dockhand !== selfPath) {
      throw new PlanRejectedError(`refused: a scheduled prune may run this dockhand (${selfPath ?? 'unknown'}) only, not ${op.dockhand}`);
    }
    if (op.op === 'desktop-settings.set' && !DESKTOP_SETTINGS.some((re) => re.test(op.file))) {
      throw new PlanRejectedError(`refused: ${op.file} is not a Docker Desktop settings file`);
    }
    const problem = op.op === 'systemd-dropin.write' ? dropInProblem(op.content) : null;
    if (problem) throw new PlanRejectedError(`refused: ${problem}`);
  }
  await checkPlanTargets(env, plan.operations).catch((error: Error) => {
    throw new PlanRejectedError(`refused: ${error.message}`);
  });
  const files = await computeFileChanges(plan.operations, env);
  const planned = new Map(plan.files.map((f) => [f.path, f]));
  if (planned.size !== files.length || files.some((f) => !planned.has(f.path))) {
    throw new PlanRejectedError(`refused: the plan's files (${[...planned.keys()].join(', ')}) are not the files its operations change (${files.map((f) => f.path).join(', ')})`);
  }
  for (const f of files) {
    const p = planned.get(f.path)!;
    if (p.beforeSha256 !== f.beforeSha256) {
      throw new PlanRejectedError(`${f.path} has changed since the plan was made: plan again to see the new diff`);
    }
    if (p.after !== f.after) throw new PlanRejectedError(`refused: the content planned for ${f.path} is not what its operations produce`);
  }
  return { plan, files };
}
