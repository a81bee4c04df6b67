// Applies a validated plan: lock, journal the original bytes, write atomically, reload/restart, wait for the daemon,
// verify by auditing again. A daemon that does not come back is rolled back: original bytes restored, restarted,
// confirmed up. Undo restores a journaled apply later, refusing to clobber hand edits made since.
import { promises as fs } from 'node:fs';
import type { Backup, FileChange, FixOutcome, FixPlan, FixRecord, FixStep, UndoResult } from '../../shared/fix';
import type { Status } from '../../shared/finding';
import { readFileState, removeFile, writeFile } from '../util/write-file';
import type { DaemonController } from './controllers';
import { Journal, JournalError, latestUndoable, listRecords } from './journal';
import { acquireFixLock } from './lock';
import { TIMER_NAME } from './prune-schedule';
import { runCommand } from './controllers';
import { type FixEnv, hostPath, scheduleCommands, unifiedDiff } from './plan';
import { GROUP_FILE, isGroupMember, joinGroup, leaveGroup, liveGroupOperation, type RunCommand } from './group-membership';
import { isFileOperation, targetOf } from './operations';
import { readBackProblem, writtenKind } from './read-back';
import { checkTargetPath } from './target-path';

export interface ApplyDeps {
  env: FixEnv;
  stateDir: string;
  controller: DaemonController;
  /** One attempt to reach the daemon: true when it answers /_ping. */
  ping(): Promise<boolean>;
  /**
   * Audits again: the status of the plan's finding (null when the verification is not a finding), and why the daemon
   * could not be asked during that audit (null when it answered).
   */
  verify(plan: FixPlan): Promise<Verified>;
  /** The finding's status before the apply, when the caller audited just now (saves a second audit). */
  statusBefore?(plan: FixPlan): Status | null;
  timeouts: { restartMs: number; upMs: number; lockWaitMs: number };
  onStep?(step: FixStep): void;
  /** Runs a command of the plan (systemctl for the scheduled prune's timer); default: the real one. */
  runCommand?(argv: string[], timeoutMs: number): Promise<void>;
}

export interface Verified {
  status: Status | null;
  daemonError: string | null;
}

/** The least a rollback waits for the daemon to come back with its original files (the default up-timeout). */
const ROLLBACK_UP_MS = 60_000;

const GOOD: readonly Status[] = ['pass', 'info', 'skipped'];

export async function waitForDaemon(ping: () => Promise<boolean>, timeoutMs: number, gone: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ping().catch(() => false)) return true;
    if (Date.now() >= deadline || gone()) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Writes a file change, keeping the original's mode and owner (and a symlink, by writing its target); never a partial file. */
async function writeChange(env: FixEnv, change: FileChange, backup: Backup): Promise<void> {
  const target = hostPath(env, change.path);
  if (change.after === null) {
    await removeFile(target);
    return;
  }
  // A new systemd drop-in may hold a proxy password: root-only until someone decides otherwise.
  const mode = backup.mode ?? (change.path.includes('.service.d/') ? 0o600 : 0o644);
  await writeFile(target, change.after, { mode, uid: backup.uid, gid: backup.gid, mkdirMode: 0o755 });
}

/**
 * Puts backed-up files back as they were (removing the ones the plan created), newest first; `only` limits it to the
 * files actually written (a write that failed left its file untouched: it was atomic).
 */
async function restoreBackups(journal: Journal, env: FixEnv, run: RunCommand, only?: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  const groupOp = liveGroupOperation(journal.record.plan, env.root);
  for (const backup of [...journal.record.backups].reverse()) {
    if (only && !only.has(backup.path)) continue;
    try {
      // Root restores only where it may write now, as it applied only where it could (the chain may have changed).
      await checkTargetPath(env, backup.path);
      const original = await journal.originalBytes(backup);
      if (groupOp && backup.path === GROUP_FILE) {
        // Membership went through gpasswd: it comes back out the same way, and only if the fix put it there.
        if (original !== null && isGroupMember(original.toString('utf8'), groupOp.group, groupOp.user)) continue;
        const argv = await leaveGroup(groupOp, run, 30_000);
        await journal.step('restore', true, `ran ${argv.join(' ')}`);
        continue;
      }
      if (original === null) await removeFile(hostPath(env, backup.path));
      else await writeFile(hostPath(env, backup.path), original, { mode: backup.mode, uid: backup.uid, gid: backup.gid });
      await journal.step('restore', true, `restored ${backup.path}${original === null ? ' (removed: it did not exist)' : ''}`);
    } catch (error) {
      problems.push(`${backup.path}: ${(error as Error).message}`);
      await journal.step('restore', false, `could not restore ${backup.path}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Reload (when drop-ins changed) and restart, then wait for the daemon; a description of what went wrong, or null. */
async function restartAndWait(
  plan: FixPlan,
  deps: ApplyDeps,
  journal: Journal,
  why: string,
  upMs = deps.timeouts.upMs,
): Promise<string | null> {
  const { controller, timeouts } = deps;
  try {
    if (plan.operations.some((op) => op.op === 'daemon.reload')) {
      await controller.reload(timeouts.restartMs);
      await journal.step('reload', true, `reloaded ${controller.detail}`);
    }
    await controller.restart(timeouts.restartMs);
    await journal.step(
      'restart',
      true,
      `restarted ${controller.detail} (${why}); waiting up to ${Math.round(upMs / 1000)} s for it to answer`,
    );
  } catch (error) {
    await journal.step('restart', false, (error as Error).message);
    return (error as Error).message;
  }
  const t0 = Date.now();
  if (await waitForDaemon(deps.ping, upMs, () => controller.exited?.() ?? false)) {
    await journal.step('wait', true, 'the daemon answers again');
    return null;
  }
  const message = controller.exited?.()
    ? `the daemon exited ${((Date.now() - t0) / 1000).toFixed(1)} s after it was started again`
    : `the daemon did not answer within ${Math.round(upMs / 1000)} s after the restart`;
  await journal.step('wait', false, message);
  return message;
}

/**
 * Applies `plan` whose file changes `files` were just recomputed and validated (validatePlan). Returns the journal
 * record; throws only when nothing was changed (the lock is busy, the journal cannot be written).
 */
export async function applyPlan(plan: FixPlan, files: readonly FileChange[], deps: ApplyDeps): Promise<FixRecord> {
  const release = await acquireFixLock(deps.stateDir, `${plan.fixId} (${plan.id})`, deps.timeouts.lockWaitMs);
  try {
    const journal = await Journal.begin(deps.stateDir, plan, deps.onStep);
    const finish = async (outcome: FixOutcome, message: string) => {
      await journal.finish(outcome, message);
      return journal.record;
    };
    journal.record.before =
      plan.verification.kind !== 'finding'
        ? null
        : deps.statusBefore
          ? deps.statusBefore(plan)
          : await deps.verify(plan).then(
              (v) => v.status,
              () => null,
            );

    // 1. Back up every file, then write; a failure part-way restores what was already written.
    const written = new Set<string>();
    for (const change of files) {
      const state = await readFileState(hostPath(deps.env, change.path));
      if (state.sha256 !== change.beforeSha256) {
        await restoreBackups(journal, deps.env, deps.runCommand ?? runCommand, written);
        return finish('failed', `${change.path} changed while the fix was being applied: nothing was left changed`);
      }
      const backup = await journal.backup(change.path, state, change.after);
      const groupOp = change.path === GROUP_FILE ? liveGroupOperation(plan, deps.env.root) : null;
      try {
        if (groupOp) {
          const argv = await joinGroup(groupOp, deps.runCommand ?? runCommand, deps.timeouts.restartMs);
          written.add(change.path);
          await journal.step('write', true, `ran ${argv.join(' ')}`);
        } else {
          await writeChange(deps.env, change, backup);
          written.add(change.path);
          await journal.step(
            change.after === null ? 'remove' : 'write',
            true,
            `${change.after === null ? 'removed' : 'wrote'} ${change.path}`,
          );
        }
      } catch (error) {
        const why = describeWriteError(error as NodeJS.ErrnoException, change.path);
        await journal.step('write', false, why);
        const problems = await restoreBackups(journal, deps.env, deps.runCommand ?? runCommand, written);
        return finish(
          'failed',
          `${why}${problems.length ? `; and restoring failed: ${problems.join('; ')}` : '; nothing was left changed'}`,
        );
      }
      const mismatch = await writtenProblem(plan, change, deps.env, groupOp !== null);
      if (mismatch) {
        await journal.step('rollback', false, `rolling back: ${mismatch}`);
        const problems = await restoreBackups(journal, deps.env, deps.runCommand ?? runCommand, written);
        return finish(
          'failed',
          `${mismatch}${problems.length ? `; and restoring failed: ${problems.join('; ')}` : '; the original files were restored'}`,
        );
      }
      if (groupOp) await journal.settled(backup, await readFileState(hostPath(deps.env, change.path)));
    }

    // 2. Commands that are not a restart (enabling the scheduled prune's timer); failing one undoes the writes.
    for (const command of scheduleCommands(plan.operations)) {
      try {
        await (deps.runCommand ?? runCommand)(command.argv, deps.timeouts.restartMs);
        await journal.step('reload', true, `ran ${command.argv.join(' ')}`);
      } catch (error) {
        await journal.step('reload', false, (error as Error).message);
        const problems = await restoreBackups(journal, deps.env, deps.runCommand ?? runCommand, written);
        return finish(
          'failed',
          `${(error as Error).message}; ${problems.length ? `and restoring failed: ${problems.join('; ')}` : 'the files were restored'}`,
        );
      }
    }

    // 3. Restart and wait; a daemon that does not come back (or does not stay up to be verified) is rolled back.
    const rollBack = async (failure: string) => {
      const diagnosis = await deps.controller.diagnose?.().catch(() => null);
      await journal.step('rollback', true, `rolling back: ${failure}${diagnosis ? `\n${diagnosis}` : ''}`);
      const problems = await restoreBackups(journal, deps.env, deps.runCommand ?? runCommand);
      if (problems.length > 0) {
        return finish(
          'failed',
          `the daemon did not come back with the change (${failure}) and the original files could not all be restored: ${problems.join('; ')}. The original bytes are in ${journal.dir}`,
        );
      }
      // The original configuration is known to start: give it at least the default wait, however short the fix's was.
      const again = await restartAndWait(
        plan,
        deps,
        journal,
        'with the original configuration',
        Math.max(deps.timeouts.upMs, ROLLBACK_UP_MS),
      );
      if (again) {
        // Not the fix's doing alone: the daemon cannot start with its old configuration either. Say what to do.
        const why = await deps.controller.diagnose?.().catch(() => null);
        return finish(
          'failed',
          `the daemon did not come back with the change (${failure}), nor with the original files (${again}${why ? `: ${why.split('\n').slice(-1)[0]}` : ''}). The original files are back in place, but the daemon is not running: start it (sudo systemctl start docker, or however it is started here), check its log if it does not stay up, then audit again`,
        );
      }
      return finish(
        'rolled-back',
        `the daemon did not come back with the change (${failure})${diagnosis ? `: ${diagnosis.split('\n').slice(-1)[0]}` : ''}; the original files were restored and the daemon is up again`,
      );
    };
    if (plan.restart) {
      const failure = await restartAndWait(plan, deps, journal, 'to apply the fix');
      if (failure) return rollBack(failure);
    }

    // 4. Verify: read the group database again, or audit again.
    const verification = plan.verification;
    if (verification.kind === 'none') return finish('applied', `applied; ${verification.why}`);
    if (verification.kind === 'group-member') {
      const groups = await fs.readFile(hostPath(deps.env, '/etc/group'), 'utf8').catch(() => '');
      const member = isGroupMember(groups, verification.group, verification.user);
      await journal.step(
        'verify',
        member,
        member
          ? `${verification.user} is listed in the ${verification.group} group`
          : `${verification.user} is not listed in the ${verification.group} group`,
      );
      return member
        ? finish('applied', `applied and verified: ${verification.user} is in the ${verification.group} group (from the next login)`)
        : finish('unverified', `${verification.user} is still not listed in the ${verification.group} group`);
    }
    const verified = await deps.verify(plan).catch((error: Error): Verified => ({ status: null, daemonError: error.message }));
    // A daemon that answered once after the restart but not the audit that followed did not stay up with the change:
    // judging the file alone would call it fixed while the daemon is gone.
    if (plan.restart && verified.daemonError) {
      await journal.step('verify', false, `the daemon stopped answering while the fix was being verified: ${verified.daemonError}`);
      return rollBack(`the daemon stopped answering after it came back (${verified.daemonError})`);
    }
    const after = verified.status;
    journal.record.after = after;
    if (after && GOOD.includes(after)) {
      await journal.step('verify', true, `${plan.checkId} is now ${after}`);
      return finish('applied', `applied and verified: ${plan.checkId} is now ${after}`);
    }
    const restartHint = plan.restart
      ? ''
      : plan.operations.some((op) => op.op === 'daemon.restart')
        ? ' (restart the daemon, then audit again)'
        : '';
    await journal.step('verify', false, `${plan.checkId} is still ${after ?? 'not reported'}${restartHint}`);
    return finish(
      'unverified',
      `applied, but ${plan.checkId} is still ${after ?? 'not reported'}${restartHint}; \`dockhand fix undo ${journal.record.id}\` reverts it`,
    );
  } finally {
    await release();
  }
}

/** Reads a written file back and compares what it says with the plan (for gpasswd: that the user is now listed). */
async function writtenProblem(plan: FixPlan, change: FileChange, env: FixEnv, byCommand: boolean): Promise<string | null> {
  const target = hostPath(env, change.path);
  if (byCommand) {
    const op = liveGroupOperation(plan, env.root)!;
    const text = await fs.readFile(target, 'utf8').catch(() => '');
    return isGroupMember(text, op.group, op.user)
      ? null
      : `${op.user} is not listed in the ${op.group} group after ${GROUP_FILE} was changed`;
  }
  const ops = plan.operations.filter(isFileOperation).filter((op) => targetOf(op, env) === change.path);
  return readBackProblem(change, target, writtenKind(ops));
}

function describeWriteError(error: NodeJS.ErrnoException, file: string): string {
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      if (process.getuid?.() === 0)
        return `permission denied replacing ${file} even as root (${error.code}): is it immutable (lsattr shows "i") or on a protected mount?`;
      return `permission denied writing ${file}: run the fix as root (dockhand elevates with pkexec or sudo when needed)`;
    case 'EROFS':
      return `${file} is on a read-only filesystem`;
    case 'ENOSPC':
      return `no space left on the device holding ${file}`;
    default:
      return `cannot write ${file}: ${error.message}`;
  }
}

/** Restores the files of an applied fix (the latest when no id is given) and restarts where the fix did. */
export async function undoFix(id: string | undefined, deps: ApplyDeps, force: boolean): Promise<UndoResult> {
  const release = await acquireFixLock(deps.stateDir, `undo ${id ?? 'latest'}`, deps.timeouts.lockWaitMs);
  try {
    const recordId = id ?? latestUndoable((await listRecords(deps.stateDir)).records)?.id;
    if (!recordId) throw new JournalError('no applied fix to undo (see `dockhand fix history`)');
    const journal = await Journal.open(deps.stateDir, recordId, deps.onStep);
    const record = journal.record;
    if (record.outcome === 'undone') return { record, conflicts: [], undone: false, message: `${record.id} was already undone` };
    if (record.outcome === 'rolled-back' || record.outcome === 'failed')
      return { record, conflicts: [], undone: false, message: `${record.id} was ${record.outcome}: nothing of it is in place to undo` };

    const conflicts: UndoResult['conflicts'] = [];
    for (const backup of record.backups) {
      const now = await readFileState(hostPath(deps.env, backup.path));
      if (now.sha256 === backup.sha256After) continue;
      const original = (await journal.originalBytes(backup))?.toString('utf8') ?? null;
      const applied = record.plan.files.find((f) => f.path === backup.path)?.after ?? null;
      conflicts.push({
        path: backup.path,
        fixDiff: unifiedDiff(backup.path, original, applied),
        sinceDiff: unifiedDiff(backup.path, applied, now.bytes?.toString('utf8') ?? null),
      });
    }
    if (conflicts.length > 0 && !force) {
      return {
        record,
        conflicts,
        undone: false,
        message: `${conflicts.map((c) => c.path).join(', ')} changed since the fix: undo would discard those edits (see the differences; --force to undo anyway)`,
      };
    }
    for (const c of conflicts) await journal.step('note', true, `undo overwrites hand edits to ${c.path} (--force)`);
    if (scheduleCommands(record.plan.operations).length > 0) {
      // Stop the timer before its unit files go; a failure here is reported, the files are restored regardless.
      for (const argv of [['systemctl', 'disable', '--now', TIMER_NAME]]) {
        await (deps.runCommand ?? runCommand)(argv, deps.timeouts.restartMs).then(
          () => journal.step('undo', true, `ran ${argv.join(' ')}`),
          (error: Error) => journal.step('undo', false, error.message),
        );
      }
    }
    const problems = await restoreBackups(journal, deps.env, deps.runCommand ?? runCommand);
    if (scheduleCommands(record.plan.operations).length > 0) {
      await (deps.runCommand ?? runCommand)(['systemctl', 'daemon-reload'], deps.timeouts.restartMs).catch((error: Error) =>
        journal.step('undo', false, error.message),
      );
    }
    if (problems.length > 0) {
      await journal.step('undo', false, problems.join('; '));
      return { record: journal.record, conflicts, undone: false, message: `undo could not restore: ${problems.join('; ')}` };
    }
    if (record.plan.restart) {
      const failure = await restartAndWait(record.plan, deps, journal, 'to undo the fix');
      if (failure) {
        await journal.finish('undone', `files restored, but ${failure}`);
        return { record: journal.record, conflicts, undone: true, message: `the original files are back, but ${failure}` };
      }
    }
    await journal.step('undo', true, 'the original files are back');
    await journal.finish('undone', 'undone: the original files are back');
    return {
      record: journal.record,
      conflicts,
      undone: true,
      message: `undone: ${record.backups.map((b) => b.path).join(', ')} restored${record.plan.restart ? ' and the daemon restarted' : ''}`,
    };
  } finally {
    await release();
  }
}
