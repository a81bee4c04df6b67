// The boundary every plan crosses before it may change anything, used by `fix apply` and, independently, by the
// elevated helper: the plan must parse, every operation must be on the allowlist with a permitted path, and the bytes
// it would write must be exactly its operations applied to the files as they are now.
import os from 'node:os';
import path from 'node:path';
import { type FileChange, type FixPlan, FixPlanSchema } from '../../shared/fix';
import type { TrustedDaemon } from '../host/trusted-daemon';
import { operationProblem, type PlanScope } from './operation-rules';
import { computeFileChanges, type FixEnv } from './plan';
import { checkPlanTargets } from './target-path';

export class PlanRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRejectedError';
  }
}

/** The daemon.json the proven daemon reads: its own (last) --config-file, else the default for its kind; null when relative. */
function daemonJsonOf(daemon: TrustedDaemon, home: string): string | null {
  let file: string | null = null;
  for (let i = 1; i < daemon.argv.length; i++) {
    const a = daemon.argv[i]!;
    if (a === '--config-file') file = daemon.argv[i + 1] ?? null;
    else if (a.startsWith('--config-file=')) file = a.slice('--config-file='.length);
  }
  if (file === null) return daemon.rootless ? path.join(home, '.config/docker/daemon.json') : '/etc/docker/daemon.json';
  // Relative to the daemon's working directory at start: not something to guess as root.
  return path.isAbsolute(file) ? path.normalize(file) : null;
}

/**
 * daemon.json files a fix may edit: the one the proven daemon reads, and nothing another process names. Without a
 * proven daemon, as root: none; as a user: the defaults, which only the user's own rights can write (a write that
 * needs root goes through the helper, which proves the daemon itself).
 */
export function allowedDaemonJsonPaths(daemon: TrustedDaemon | null, home = os.homedir(), euid = process.geteuid?.() ?? 0): Set<string> {
  if (daemon) {
    const file = daemonJsonOf(daemon, home);
    return new Set(file ? [file] : []);
  }
  return euid === 0 ? new Set() : new Set(['/etc/docker/daemon.json', path.join(home, '.config/docker/daemon.json')]);
}

/**
 * daemon.json keys a fix may set. A key such as "hosts" (an open TCP socket) or "runtimes" (a binary dockerd runs as
 * root) would turn the elevated helper into a way to become root, so the helper accepts only the keys fixes use.
 */
const FIXABLE_DAEMON_KEYS: ReadonlySet<string> = new Set([
  'live-restore',
  'icc',
  'userland-proxy',
  'no-new-privileges',
  'experimental',
  'iptables',
  'log-opts',
  'log-level',
  'debug',
  'insecure-registries',
  'dns',
  'mtu',
  'userns-remap',
  'proxies',
  'storage-driver',
]);

/**
 * Parses and checks a plan; returns it with the file changes recomputed from the host as it is now. `selfPath` is this
 * dockhand's own path: the only program a scheduled prune may run.
 */
export async function validatePlan(
  input: unknown,
  env: FixEnv,
  allowedDaemonJson: Set<string>,
  selfPath: string | null = null,
  scope: PlanScope = { helper: false },
): Promise<{ plan: FixPlan; files: FileChange[] }> {
  const parsed = FixPlanSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PlanRejectedError(`not a valid fix plan: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const plan = parsed.data;
  for (const op of plan.operations) {
    if ((op.op === 'daemon-json.set' || op.op === 'daemon-json.unset') && !allowedDaemonJson.has(op.file)) {
      throw new PlanRejectedError(
        `refused: ${op.file} is not a daemon.json this host's Docker uses (allowed: ${[...allowedDaemonJson].join(', ') || 'none'})`,
      );
    }
    if ((op.op === 'daemon-json.set' || op.op === 'daemon-json.unset') && !FIXABLE_DAEMON_KEYS.has(op.path[0]!)) {
      throw new PlanRejectedError(`refused: no fix sets the daemon.json key ${JSON.stringify(op.path[0])}`);
    }
    if (op.op === 'cleanup-schedule.write' && op.dockhand !== selfPath) {
      throw new PlanRejectedError(`refused: a scheduled prune may run this dockhand (${selfPath ?? 'unknown'}) only, not ${op.dockhand}`);
    }
    const problem = await operationProblem(op, env, scope);
    if (problem) throw new PlanRejectedError(`refused: ${problem}`);
  }
  await checkPlanTargets(env, plan.operations).catch((error: Error) => {
    throw new PlanRejectedError(`refused: ${error.message}`);
  });
  const files = await computeFileChanges(plan.operations, env, allowedDaemonJson);
  const planned = new Map(plan.files.map((f) => [f.path, f]));
  if (planned.size !== files.length || files.some((f) => !planned.has(f.path))) {
    throw new PlanRejectedError(
      `refused: the plan's files (${[...planned.keys()].join(', ')}) are not the files its operations change (${files.map((f) => f.path).join(', ')})`,
    );
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
