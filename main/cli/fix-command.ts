// `dockhand fix plan|apply|history|undo|helper`: one-click fixes from the command line. Everything here is wiring and
// words; the work is in main/fix.
import type { Command } from 'commander';
import type { FixPlan, FixRecord, FixStep, HelperMessage } from '../../shared/fix';
import type { JsonValue } from '../../shared/json';
import { maskSecretsInText } from '../../shared/mask';
import type { ContainersAfter, RestartImpact } from '../../shared/restart-impact';
import { containersAfterSummary, FATE_TEXT, HOW_TEXT, impactSummary, mayStayDown, policyText } from '../../shared/restart-impact-words';
import type { FixRoute } from '../fix/dispatch';
import type { FixSession, FixSessionOptions } from '../fix/session';
import { readlineModule } from '../util/builtin-later';
import { cliSelf } from '../util/self-command';
import { CliError, EXIT } from './exit-codes';
import { emit, jsonText } from './output';
import { checkNesting, MAX_PLAN_BYTES, readRegularFile } from '../util/bounded-read';

function setValue(value: string, previous: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`--set ${value}: expected key=value`);
  const raw = value.slice(eq + 1);
  let parsed: JsonValue = raw;
  if (/^(true|false|null|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/.test(raw)) {
    try {
      parsed = JSON.parse(raw) as JsonValue;
    } catch {
      parsed = raw;
    }
  }
  return { ...previous, [value.slice(0, eq)]: parsed };
}

interface CommonOptions {
  host?: string;
  context?: string;
  configFile?: string;
  format: 'text' | 'json';
}

async function sessionOptions(opts: CommonOptions & { restartTimeout?: number; upTimeout?: number }): Promise<FixSessionOptions> {
  return {
    self: cliSelf(),
    endpoint: { host: opts.host, context: opts.context },
    configFile: opts.configFile,
    timeouts: { ...(opts.restartTimeout && { restartMs: opts.restartTimeout }), ...(opts.upTimeout && { upMs: opts.upTimeout }) },
  };
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('-H, --host <address>', 'Docker endpoint; default: like the docker CLI')
    .option('-c, --context <name>', 'docker context to use')
    .option('--config-file <path>', 'the daemon.json to edit instead of the one the daemon uses')
    .option('-f, --format <format>', 'text or json', 'text');
}

/** The fix engine, loaded when a fix command runs: it brings zod, which an audit does not need at start-up. */
const engine = () => import('../fix/session');
const openFixSession = async (options: FixSessionOptions) => (await engine()).openFixSession(options);

/** Applies and undoes here or through the root helper, whose prompts and errors reach the terminal. */
async function cliRoute(session: FixRoute['session']): Promise<FixRoute> {
  const { stateDir } = await import('../util/state-dir');
  return { self: cliSelf(), stateDir: stateDir(), session, stderr: 'inherit' };
}
const dispatch = () => import('../fix/dispatch');

/** The fix engine's refusals, by name (their classes load with the engine): usage errors with their message. */
const REFUSALS = new Set(['PlanRejectedError', 'ElevationError', 'LockBusyError', 'JournalError', 'ControllerError', 'HelperInputError']);

/** Maps the fix engine's refusals to usage errors with their message; anything else is internal. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (error.name === 'PlanRefusedError')
      throw new CliError(error.message, /would not start/.test(error.message) ? EXIT.willNotStart : EXIT.usage);
    if (REFUSALS.has(error.name)) throw new CliError(error.message);
    throw error;
  }
}

/** The plan in words; `impact`: what its restart does to the containers (the plan's own, or one looked at since). */
function renderPlan(plan: FixPlan, restartContainers = true, impact: RestartImpact | null = plan.restartImpact ?? null): string {
  const out = [`Fix ${plan.fixId}: ${plan.title}`, `Plan ${plan.id} for ${plan.findingId ?? plan.checkId}`, ''];
  for (const f of plan.files)
    out.push(
      f.after === null ? `Removes ${f.path}` : f.existed ? `Changes ${f.path}` : `Creates ${f.path}`,
      maskSecretsInText(f.diff).trimEnd(),
      '',
    );
  if (plan.commands.length > 0) {
    out.push('Runs:');
    for (const c of plan.commands) out.push(`  ${c.argv.join(' ')}    # ${c.why}`);
    out.push('');
  }
  out.push(`Daemon: ${plan.controller.detail}`);
  out.push(`Elevation: ${plan.elevation.needed ? `needed (${plan.elevation.why}); Dockhand asks through pkexec or sudo` : 'not needed'}`);
  const v = plan.verification;
  out.push(
    `Verification: ${v.kind === 'finding' ? `audit again; ${v.checkId}${v.target ? ` (${v.target})` : ''} must pass` : v.kind === 'group-member' ? `${v.user} must be listed in the ${v.group} group` : v.why}`,
  );
  if (plan.notes.length > 0) out.push('Notes:', ...plan.notes.map((n) => `  - ${n}`));
  return `${out.join('\n')}\n${impact ? renderImpact(impact, restartContainers) : ''}`;
}

/** Rows of a small table, each column as wide as its widest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`);
}

/** What the restart does to the running containers, before it happens, and what Dockhand does about it. */
function renderImpact(impact: RestartImpact, restartContainers: boolean): string {
  const out = [`Containers: ${impactSummary(impact)}`];
  if (impact.running.length > 0)
    out.push(
      ...table([
        ['NAME', 'RESTART POLICY', 'WHEN THE DAEMON RESTARTS'],
        ...impact.running.map((c) => [c.name, policyText(c.restartPolicy), FATE_TEXT[c.fate]]),
      ]),
    );
  if (mayStayDown(impact) || impact.error) {
    out.push(
      restartContainers
        ? 'Dockhand starts the ones that stay down again once the daemon is back (--no-restart-containers: leave them down).'
        : 'They stay down: --no-restart-containers was given.',
    );
  }
  out.push(`Daemon: ${impact.daemon.endpoint}${impact.daemon.pid ? ` (pid ${impact.daemon.pid})` : ''}`);
  return `${out.join('\n')}\n`;
}

function renderContainersAfter(after: ContainersAfter): string {
  const out = [`Containers after the restart: ${containersAfterSummary(after)}`];
  if (after.containers.length > 0)
    out.push(
      ...table([
        ['NAME', 'STATE', ''],
        ...after.containers.map((c) => [c.name, c.state, `${HOW_TEXT[c.how]}${c.error ? `: ${c.error}` : ''}`]),
      ]),
    );
  return `${out.join('\n')}\n`;
}

function renderRecord(record: FixRecord): string {
  const out = [`${record.id}  ${record.outcome.toUpperCase()}  ${record.plan.fixId}: ${record.plan.title}`, `  ${record.message}`];
  for (const s of record.steps) out.push(`  ${s.ok ? '✓' : '✗'} ${s.step.padEnd(8)} ${s.message.split('\n').join('\n             ')}`);
  return `${out.join('\n')}\n${record.containers ? renderContainersAfter(record.containers) : ''}`;
}

function exitFor(record: FixRecord): number {
  switch (record.outcome) {
    case 'applied':
    case 'undone':
      return EXIT.ok;
    case 'unverified':
      return EXIT.findings;
    case 'rolled-back':
      return EXIT.rolledBack;
    default:
      return EXIT.fixFailed;
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const { createInterface } = readlineModule();
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

const showStep = (step: FixStep) => process.stderr.write(`  ${step.ok ? '✓' : '✗'} ${step.step}: ${step.message.split('\n')[0]}\n`);

async function loadPlanArgument(
  arg: string,
  session: () => Promise<FixSession>,
  opts: { set?: Record<string, JsonValue>; target?: string },
): Promise<unknown> {
  if (arg.endsWith('.json') || arg.includes('/')) {
    const text = await readRegularFile(arg, MAX_PLAN_BYTES)
      .then((bytes) => {
        const read = bytes.toString('utf8');
        checkNesting(read, arg, 'json');
        return read;
      })
      .catch((e: Error) => {
        throw new CliError(`cannot read the plan ${arg}: ${e.message}`);
      });
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new CliError(`${arg} is not JSON: ${(e as Error).message}`);
    }
  }
  return (await session()).plan({ checkId: arg, target: opts.target, set: opts.set });
}

export function registerFixCommands(program: Command): void {
  const fix = program.command('fix').description('Plan, apply, verify and undo fixes for failing findings');

  withCommon(fix.command('plan').description('Show what fixing a finding would change: exact diffs, commands, elevation, verification'))
    .argument('<check-id>', 'the failing check, e.g. daemon.log-rotation')
    .option('--target <name>', 'which finding when the check has several (a container, a registry)')
    .option('--set <key=value>', 'override a fix parameter (repeatable)', setValue)
    .option('-o, --output <file>', 'write the plan to a file (JSON) for `fix apply FILE`')
    .action(async (checkId: string, opts: CommonOptions & { target?: string; set?: Record<string, JsonValue>; output?: string }) => {
      const plan = await guarded(async () =>
        (await openFixSession(await sessionOptions(opts))).plan({ checkId, target: opts.target, set: opts.set }),
      );
      if (opts.output) await emit(`${JSON.stringify(plan, null, 2)}\n`, opts.output);
      if (opts.format === 'json') await emit(jsonText(plan, undefined, undefined), undefined);
      else await emit(renderPlan(plan), undefined);
    });

  withCommon(
    fix
      .command('apply')
      .description('Apply a fix (a check id, or a plan file from `fix plan -o`), verify it, roll back if the daemon breaks'),
  )
    .argument('<check-id-or-plan-file>')
    .option('--target <name>', 'which finding when the check has several')
    .option('--set <key=value>', 'override a fix parameter (repeatable)', setValue)
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--restart-timeout <ms>', 'how long a restart command may take', Number)
    .option('--up-timeout <ms>', 'how long to wait for the daemon to answer after a restart', Number)
    .option('--restart-containers', 'start the containers the daemon restart stops again once it is back (the default)')
    .option('--no-restart-containers', 'leave the containers the daemon restart stops down')
    .action(
      async (
        arg: string,
        opts: CommonOptions & {
          target?: string;
          set?: Record<string, JsonValue>;
          yes?: boolean;
          restartTimeout?: number;
          upTimeout?: number;
          restartContainers: boolean;
        },
      ) => {
        const session = await guarded(async () => openFixSession(await sessionOptions(opts)));
        const plan = (await guarded(() => loadPlanArgument(arg, async () => session, opts))) as FixPlan;
        // A plan file may be old: what the restart stops is looked at now.
        const { FixPlanSchema } = await import('../../shared/fix');
        const impact = FixPlanSchema.safeParse(plan).success ? session.impact(plan, 'apply') : null;
        if (opts.format === 'text') process.stderr.write(renderPlan(plan, opts.restartContainers, impact));
        if (!opts.yes && !(await confirm('Apply this fix?'))) throw new CliError('not applied: confirm on a terminal, or pass --yes');
        const route = await cliRoute(async () => session);
        const record = await guarded(async () =>
          (await dispatch()).applyFix(plan, route, opts.format === 'text' ? showStep : undefined, {
            restartContainers: opts.restartContainers,
          }),
        );
        await emit(opts.format === 'json' ? jsonText(record, undefined, undefined) : renderRecord(record), undefined);
        process.exitCode = exitFor(record);
      },
    );

  fix
    .command('helper', { hidden: true })
    .description(
      "The elevated part of `fix apply` and `fix undo`: reads one plan on stdin, re-validates it against the allowlist and applies it (or undoes a fix from root's journal); writes each step, then the result, as JSON lines",
    )
    .option('--undo <id>', 'undo this fix instead of applying a plan')
    .option('--force', 'with --undo: undo even over hand edits')
    .action(async (opts: { undo?: string; force?: boolean }) => {
      if (process.getuid?.() !== 0) throw new CliError('the fix helper runs as root only (through pkexec or sudo)');
      // sudo -E and the like pass the caller's environment: root's journal goes only where only root can write.
      if (process.env.DOCKHAND_STATE_DIR) {
        const { untrustedDirectory } = await import('../host/trusted-daemon');
        const problem = await untrustedDirectory(process.env.DOCKHAND_STATE_DIR, [0]);
        if (problem)
          throw new CliError(
            `refused DOCKHAND_STATE_DIR=${process.env.DOCKHAND_STATE_DIR}: root's journal must be in directories only root can change, but ${problem}`,
          );
      }
      const send = (message: HelperMessage) => emit(`${JSON.stringify(message)}\n`, undefined);
      const onStep = (step: FixStep) => void send({ type: 'step', step });
      if (opts.undo) {
        const route = await cliRoute((applied) => openFixSession({ endpoint: { host: applied ?? undefined }, self: cliSelf() }));
        const result = await guarded(async () => (await dispatch()).undoAppliedFix(opts.undo, opts.force ?? false, route, onStep));
        await send({ type: 'undo', result });
        process.exitCode = result.undone ? EXIT.ok : EXIT.usage;
        return;
      }
      const { readHelperInput } = await import('../fix/helper-input');
      const input = await guarded(() => readHelperInput(process.stdin));
      const endpoint = (input as { endpoint?: unknown } | null)?.endpoint;
      // A daemon is acted on as root only once proven, before it is even audited (its API could be anyone's).
      const { FixPlanSchema } = await import('../../shared/fix');
      const { touchesDaemon } = await engine();
      const parsed = FixPlanSchema.safeParse(input);
      if (parsed.success && touchesDaemon(parsed.data)) {
        if (typeof endpoint !== 'string') throw new CliError('refused: the plan changes the daemon but names no daemon endpoint');
        const { proveDaemon } = await import('../host/trusted-daemon');
        const proof = await proveDaemon(endpoint);
        if (!proof.ok) throw new CliError(`refused: ${proof.why}`);
      }
      const session = await guarded(() =>
        openFixSession({ endpoint: { host: typeof endpoint === 'string' ? endpoint : undefined }, self: cliSelf(), helper: true }),
      );
      const record = await guarded(() => session.apply(input, onStep));
      await send({ type: 'record', record });
      process.exitCode = exitFor(record);
    });

  withCommon(fix.command('history').description('Applied fixes, newest first')).action(async (opts: CommonOptions) => {
    const { listRecords } = await import('../fix/journal');
    const { stateDir } = await import('../util/state-dir');
    const { records, damaged } = await listRecords(stateDir());
    if (opts.format === 'json') await emit(jsonText({ records, damaged }, undefined, undefined), undefined);
    else {
      const lines = records.map(
        (r) => `${r.id}  ${r.outcome.padEnd(11)} ${r.plan.fixId.padEnd(28)} ${r.startedAt}  ${r.message.split('\n')[0]}`,
      );
      if (damaged.length) lines.push(`Damaged journal entries (not shown): ${damaged.join(', ')}`);
      await emit(`${lines.join('\n') || 'No fixes applied yet.'}\n`, undefined);
    }
  });

  withCommon(
    fix.command('undo').description('Restore the files of an applied fix (default: the latest) and restart the daemon where it did'),
  )
    .argument('[id]', 'the fix id from `fix history`')
    .option('--force', 'undo even when the files were edited by hand since the fix')
    .option('--up-timeout <ms>', 'how long to wait for the daemon after the restart', Number)
    .option('--restart-containers', 'start the containers the daemon restart stops again once it is back (the default)')
    .option('--no-restart-containers', 'leave the containers the daemon restart stops down')
    .action(async (id: string | undefined, opts: CommonOptions & { force?: boolean; upTimeout?: number; restartContainers: boolean }) => {
      const options = await sessionOptions(opts);
      const chosen = opts.host !== undefined || opts.context !== undefined;
      // Without --host or --context: the daemon the fix was applied to.
      const route = await cliRoute((applied) =>
        openFixSession(chosen || applied === undefined ? options : { ...options, endpoint: { host: applied ?? undefined } }),
      );
      if (opts.format === 'text') {
        const found = await guarded(async () => (await dispatch()).undoImpact(id, route));
        if (found?.impact)
          process.stderr.write(
            `Undo ${found.record.id}: ${found.record.plan.title}\n${renderImpact(found.impact, opts.restartContainers)}`,
          );
      }
      const result = await guarded(async () =>
        (await dispatch()).undoAppliedFix(id, opts.force ?? false, route, opts.format === 'text' ? showStep : undefined, {
          restartContainers: opts.restartContainers,
        }),
      );
      if (opts.format === 'json') await emit(jsonText(result, undefined, undefined), undefined);
      else {
        const out = [result.message];
        for (const c of result.conflicts)
          out.push('', `${c.path}: what the fix changed`, c.fixDiff.trimEnd(), '', `${c.path}: what changed since`, c.sinceDiff.trimEnd());
        await emit(`${out.join('\n')}\n${result.containers ? renderContainersAfter(result.containers) : ''}`, undefined);
      }
      process.exitCode = result.undone ? EXIT.ok : result.conflicts.length > 0 ? EXIT.findings : EXIT.usage;
    });
}
