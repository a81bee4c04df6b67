// Turns a failing finding into a FixPlan: the operations, the exact bytes each file will hold with a unified diff, the
// commands, whether elevation is needed, and how the result is verified. Refuses any plan whose daemon.json would not
// let dockerd start (the pre-flight), before anything is touched.
import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Facts } from '../../shared/facts';
import { FIX_PLAN_SCHEMA_VERSION, type FileChange, type FixOperation, type FixPlan } from '../../shared/fix';
import type { JsonValue } from '../../shared/json';
import type { Report } from '../../shared/report';
import { daemonView } from '../check-kit/daemon-view';
import { type HostFacts, localHostFacts } from '../preflight/host-facts';
import { preflight } from '../preflight/preflight';
import { TIMER_NAME } from './prune-schedule';
import { sha256 } from '../util/write-file';
import { buildFix } from './builders';
import { FixUnavailableError } from './draft';
import type { DaemonController } from './controllers';
import { applyOperation, type FileOperation, isFileOperation, type OperationContext, type OperationEnv, targetOf } from './operations';
import { loadSubIdPolicy } from './subid-policy';

export interface FixEnv extends OperationEnv {
  /** Prefix for every host path (a test's temporary root); "/" on a real host. */
  root: string;
  /** This dockhand's own absolute path (what a scheduled prune runs); null when unknown. */
  dockhand?: string | null;
}

export const hostPath = (env: FixEnv, file: string) => (env.root === '/' ? file : path.join(env.root, file));

export class PlanRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRefusedError';
  }
}

export function unifiedDiff(file: string, before: string | null, after: string | null): string {
  return createTwoFilesPatch(
    before === null ? '/dev/null' : `a${file}`,
    after === null ? '/dev/null' : `b${file}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
}

async function readText(env: FixEnv, file: string): Promise<string | null> {
  try {
    return await fs.readFile(hostPath(env, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PlanRefusedError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * Applies the file operations in order, grouped by file: the exact before and after of every file touched.
 * `daemonJsonFiles`: where the daemon's current userns-remap is read when the plan does not set it (subid.add).
 */
export async function computeFileChanges(
  operations: readonly FixOperation[],
  env: FixEnv,
  daemonJsonFiles: Iterable<string> = ['/etc/docker/daemon.json'],
): Promise<FileChange[]> {
  const byFile = new Map<string, { before: string | null; after: string | null }>();
  const context: OperationContext = operations.some((op) => op.op === 'subid.add')
    ? { subIds: await loadSubIdPolicy(operations, { read: (file) => readText(env, file), daemonJsonFiles: [...daemonJsonFiles] }) }
    : {};
  for (const op of operations.filter(isFileOperation) as FileOperation[]) {
    const file = targetOf(op, env);
    let entry = byFile.get(file);
    if (!entry) {
      const before = await readText(env, file);
      entry = { before, after: before };
      byFile.set(file, entry);
    }
    try {
      entry.after = applyOperation(op, entry.after, context);
    } catch (error) {
      throw new PlanRefusedError(`${op.op} on ${file}: ${(error as Error).message}`);
    }
  }
  return [...byFile].map(([file, { before, after }]) => ({
    path: file,
    existed: before !== null,
    beforeSha256: before === null ? null : sha256(before),
    after,
    diff: unifiedDiff(file, before, after),
  }));
}

/**
 * The host a plan's daemon.json is judged against: an offline root's files; this machine, asked now (the plan may name
 * paths the audit never asked about), when the audit found the daemon running here; else none (another machine's
 * daemon), and host-dependent values stay warnings.
 */
function planHost(facts: Facts): HostFacts | null {
  if (facts.mode === 'offline-root') return facts.root ? localHostFacts({ root: facts.root }) : null;
  return facts.daemonHostFacts?.ok ? localHostFacts({ pid: facts.daemonHostFacts.value.pid }) : null;
}

/**
 * The pre-flight over every daemon.json the plan writes, with the running daemon's flags (`daemon`: the proven one's)
 * and engine version.
 */
export function preflightChanges(
  facts: Facts,
  operations: readonly FixOperation[],
  files: readonly FileChange[],
  daemon?: { flags: string[] },
): void {
  const daemonFiles = new Set(operations.flatMap((op) => (op.op === 'daemon-json.set' || op.op === 'daemon-json.unset' ? [op.file] : [])));
  const view = daemonView(facts);
  const host = planHost(facts);
  for (const change of files.filter((f) => daemonFiles.has(f.path))) {
    const result = preflight({
      text: change.after,
      path: change.path,
      explicit: daemon
        ? daemon.flags.some((f) => f === '--config-file' || f.startsWith('--config-file='))
        : facts.daemonConfig.ok && facts.daemonConfig.value.explicit,
      flags: daemon ? daemon.flags : facts.daemonFlags.ok ? facts.daemonFlags.value.args : null,
      engineVersion: view.engineVersion,
      platform: facts.engine.ok && facts.engine.value.os === 'windows' ? 'windows' : 'linux',
      host,
    });
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (!result.willStart) {
      // An assumed version is named as such, so a refusal is never read as the running engine's word.
      const dockerd = view.engineVersionAssumedBecause
        ? `${result.engineVersion} (assumed: ${view.engineVersionAssumedBecause})`
        : result.engineVersion;
      throw new PlanRefusedError(
        `with this change dockerd ${dockerd} would not start: ${errors.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('; ')}`,
      );
    }
  }
}

async function writable(env: FixEnv, file: string): Promise<boolean> {
  let dir = hostPath(env, file);
  for (;;) {
    try {
      await fs.access(dir, constants.W_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

/** What enabling the scheduled prune's timer runs (systemd); undo runs the disable. */
export function scheduleCommands(operations: readonly FixOperation[]): { argv: string[]; why: string }[] {
  if (!operations.some((op) => op.op === 'cleanup-schedule.enable')) return [];
  return [
    { argv: ['systemctl', 'daemon-reload'], why: 'make systemd read the new units' },
    { argv: ['systemctl', 'enable', '--now', TIMER_NAME], why: 'start the timer now and at every boot' },
  ];
}

export interface PlanRequest {
  checkId: string;
  /** Which finding when the check has several (a container, a registry). */
  target?: string | null;
  /** --set key=value: overrides the finding's fix parameters. */
  set?: Record<string, JsonValue>;
}

/** Plans the fix for a failing finding of the report. */
export async function planFix(
  facts: Facts,
  report: Report,
  request: PlanRequest,
  controller: DaemonController,
  env: FixEnv,
): Promise<FixPlan> {
  const findings = report.findings.filter(
    (f) => f.checkId === request.checkId && (request.target == null || f.result.target === request.target),
  );
  const meta = report.checks.find((c) => c.id === request.checkId);
  if (!meta) throw new PlanRefusedError(`no check ${request.checkId} (see \`dockhand checks\`)`);
  // An info finding with a fix (no scheduled cleanup on a workstation) is something the user may still choose to fix.
  const failing = findings.filter(
    (f) => (f.result.status === 'fail' || f.result.status === 'warn' || f.result.status === 'info') && f.result.fix,
  );
  if (failing.length === 0) {
    const first = findings[0];
    if (!first)
      throw new PlanRefusedError(`${request.checkId} reported nothing${request.target ? ` for ${request.target}` : ''} on this host`);
    if (first.result.status === 'error' || first.result.status === 'skipped') {
      throw new PlanRefusedError(
        `${request.checkId} could not be judged here (${first.result.reason ?? first.result.message}): nothing to plan until it can`,
      );
    }
    if (first.result.status === 'pass') throw new PlanRefusedError(`${request.checkId} passes on this host: there is nothing to fix`);
    throw new PlanRefusedError(`${request.checkId} has no automatic fix: ${meta.remediation}`);
  }
  const targets = new Set(failing.map((f) => JSON.stringify(f.result.fix)));
  if (targets.size > 1) {
    throw new PlanRefusedError(
      `${request.checkId} fails for several targets with different fixes: choose one with --target (${failing.map((f) => f.result.target).join(', ')})`,
    );
  }
  const finding = failing[0]!;
  const fix = finding.result.fix!;
  return planOperations(
    facts,
    {
      fixId: fix.id,
      checkId: request.checkId,
      findingId: finding.id,
      target: finding.result.target,
      params: { ...fix.params, ...request.set },
    },
    controller,
    env,
  );
}

export interface OperationsRequest {
  fixId: string;
  checkId: string;
  findingId: string | null;
  target: string | null;
  params: Record<string, JsonValue>;
}

/** Plans a fix id with explicit parameters (what planFix does once it has found the finding). */
export async function planOperations(
  facts: Facts,
  request: OperationsRequest,
  controller: DaemonController,
  env: FixEnv,
): Promise<FixPlan> {
  let draft;
  try {
    draft = buildFix(request.fixId, {
      facts,
      params: request.params,
      checkId: request.checkId,
      target: request.target,
      dockhand: env.dockhand ?? null,
    });
  } catch (error) {
    if (error instanceof FixUnavailableError) throw new PlanRefusedError(error.message);
    throw error;
  }
  const files = await computeFileChanges(draft.operations, env);
  // A diff without a hunk changes nothing.
  const changed = files.filter((f) => f.diff.includes('\n@@'));
  if (changed.length === 0 && files.length > 0)
    throw new PlanRefusedError('the files already hold what this fix would write: nothing to change');
  preflightChanges(facts, draft.operations, files);
  const restart = draft.operations.some((op) => op.op === 'daemon.restart');
  const reload = draft.operations.some((op) => op.op === 'daemon.reload');
  const notes = [...draft.notes];
  if (restart && !controller.canRestart) notes.push(`Restart the daemon yourself afterwards: ${controller.detail}.`);
  const unwritable = [];
  for (const f of files) if (!(await writable(env, f.path))) unwritable.push(f.path);
  const needsRoot = restart && controller.canRestart && ['systemd', 'sysv'].includes(controller.kind);
  const isRoot = process.getuid?.() === 0;
  const elevation = isRoot
    ? { needed: false, why: null }
    : unwritable.length > 0 || needsRoot
      ? {
          needed: true,
          why: [
            unwritable.length > 0 ? `${unwritable.join(', ')} ${unwritable.length > 1 ? 'are' : 'is'} not writable by you` : null,
            needsRoot ? `restarting ${controller.detail} needs root` : null,
          ]
            .filter(Boolean)
            .join('; '),
        }
      : { needed: false, why: null };
  return {
    schemaVersion: FIX_PLAN_SCHEMA_VERSION,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    fixId: request.fixId,
    checkId: request.checkId,
    findingId: request.findingId,
    title: draft.title,
    params: request.params,
    endpoint: facts.endpoint.ok ? facts.endpoint.value.host : null,
    engineVersion: facts.engine.ok ? facts.engine.value.version : null,
    operations: draft.operations,
    files,
    commands: [...scheduleCommands(draft.operations), ...(restart && controller.canRestart ? controller.commands(reload) : [])],
    controller: { kind: controller.kind, detail: controller.detail },
    elevation,
    restart: restart && controller.canRestart,
    verification: draft.verification,
    notes,
  };
}
