// What restarting the daemon will do to its running containers, from the audit of the daemon the plan restarts: the
// running containers, each one's restart policy, and live-restore now and in the configuration it restarts with.
import { applyPatch, parsePatch, reversePatch } from 'diff';
import type { Facts } from '../../shared/facts';
import type { FixPlan } from '../../shared/fix';
import type { ContainerFate, RestartImpact } from '../../shared/restart-impact';
import type { DaemonProof } from '../host/trusted-daemon';

/**
 * What a daemon stop and start does to a running container (checked against Engines 20.10, 26.1 and 28.5 by
 * restart-engines.test.ts): with live-restore on in the daemon that stops and in the one that starts, it keeps running;
 * otherwise it stops, always and unless-stopped bring it back (unless-stopped not when live-restore is turned off by the
 * restart), and on-failure brings it back only when the stop made it exit non-zero (killed at the stop timeout: 137),
 * which depends on how its process takes SIGTERM.
 */
export function fateOf(restartPolicy: string, liveRestore: { now: boolean; after: boolean }): ContainerFate {
  if (liveRestore.now && liveRestore.after) return 'keeps-running';
  // Kept alive through the stop, then shut down by the new daemon (live-restore off) as it starts: that counts as a
  // stop by hand for unless-stopped, which stays down (seen on every engine), while always comes back.
  if (restartPolicy === 'unless-stopped') return liveRestore.now ? 'stays-down' : 'restarts-by-policy';
  if (restartPolicy === 'always') return 'restarts-by-policy';
  return restartPolicy === 'on-failure' ? 'restarts-if-failed' : 'stays-down';
}

/** --live-restore (or --live-restore=true) on dockerd's command line. */
function liveRestoreFlag(flags: readonly string[]): boolean | null {
  for (const f of flags) {
    if (f === '--live-restore' || f === '--live-restore=true') return true;
    if (f === '--live-restore=false') return false;
  }
  return null;
}

/** live-restore in a daemon.json's text: false when absent, removed or unreadable (the safe guess: containers stop). */
function liveRestoreIn(text: string | null): boolean {
  if (text === null) return false;
  try {
    const json = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
    return typeof json === 'object' && json !== null && (json as Record<string, unknown>)['live-restore'] === true;
  } catch {
    return false;
  }
}

/** The daemon.json files a plan writes. */
function daemonJsonFiles(plan: Pick<FixPlan, 'operations'>): Set<string> {
  return new Set(plan.operations.flatMap((op) => (op.op === 'daemon-json.set' || op.op === 'daemon-json.unset' ? [op.file] : [])));
}

/** A file as it was before the plan wrote it, from what it wrote and the diff (an undo puts these bytes back). */
export function textBefore(file: Pick<FixPlan['files'][number], 'after' | 'diff' | 'existed'>): string | null {
  if (!file.existed) return null;
  const [patch] = parsePatch(file.diff);
  if (!patch) return null;
  const before = applyPatch(file.after ?? '', reversePatch(patch));
  return before === false ? null : before;
}

/**
 * live-restore in the configuration the daemon restarts with: its flag wins, else the daemon.json the plan (or its
 * undo) leaves, else what it is now.
 */
export function liveRestoreAfter(
  plan: Pick<FixPlan, 'operations' | 'files'>,
  direction: 'apply' | 'undo',
  now: boolean,
  flags: readonly string[] | null,
): boolean {
  const flag = flags ? liveRestoreFlag(flags) : null;
  if (flag !== null) return flag;
  const written = daemonJsonFiles(plan);
  const files = plan.files.filter((f) => written.has(f.path));
  if (files.length === 0) return now;
  return files.every((f) => liveRestoreIn(direction === 'apply' ? f.after : textBefore(f)));
}

/** Who the daemon is, for the impact: its pid when the kernel proved it, else why it could not be. */
export function daemonOf(endpoint: string, proof: DaemonProof | null): RestartImpact['daemon'] {
  if (proof?.ok) return { endpoint, pid: proof.daemon.pid, proof: proof.daemon.proof };
  return {
    endpoint,
    pid: null,
    proof: proof ? `not proven from this account (${proof.why}); the root helper proves it before it restarts anything` : 'not proven',
  };
}

/** What restarting the daemon to apply (or undo) `plan` does to the containers the audit `facts` found running. */
export function restartImpact(
  facts: Facts,
  plan: Pick<FixPlan, 'operations' | 'files'>,
  direction: 'apply' | 'undo',
  daemon: RestartImpact['daemon'],
): RestartImpact {
  const now = facts.info.ok ? facts.info.value.liveRestoreEnabled : false;
  const liveRestore = { now, after: liveRestoreAfter(plan, direction, now, facts.daemonFlags.ok ? facts.daemonFlags.value.args : null) };
  const at = facts.collectedAt;
  if (!facts.containers.ok) return { daemon, liveRestore, running: [], error: facts.containers.error.message, at };
  const running = facts.containers.value
    .filter((c) => c.state.running)
    .map((c) => ({
      id: c.id,
      name: c.name.replace(/^\//, ''),
      image: c.image,
      restartPolicy: c.hostConfig.restartPolicy.name,
      fate: fateOf(c.hostConfig.restartPolicy.name, liveRestore),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { daemon, liveRestore, running, error: null, at };
}
