import { Command, Option } from 'commander';
import type { PruneOptions, PruneProgress } from '../../shared/prune';
import { applyPlan } from '../prune/apply';
import { parseLabelFilter } from '../prune/filters';
import { planPrune } from '../prune/measure';
import { withNowReclaimable } from '../prune/now-reclaimable';
import { DEFAULT_PROTECT_LABEL, defaultPruneOptions } from '../prune/plan';
import { renderPlanText, renderProgressLine, renderResultText } from '../prune/render';
import { cronFile, CRON_FILE, defaultScheduleOptions, SERVICE_NAME, systemdService, systemdTimer, TIMER_NAME } from '../fix/prune-schedule';
import { cliSelf } from '../util/self-command';
import { CliError, EXIT } from './exit-codes';
import { emit, jsonText } from './output';
import { addEndpointOptions, toCliError, withEngine } from './prune-engine';

interface PlanFlags {
  containers?: boolean;
  images?: 'dangling' | 'unused';
  volumes?: 'anonymous' | 'all';
  volume?: string[];
  buildCache?: boolean;
  networks?: boolean;
  until?: string;
  filter?: string[];
  protectLabel?: string;
}

/** Loaded when a plan is signed or read: it brings the fix journal's zod schemas, which no other command's start-up needs. */
const signing = () => import('../prune/plan-signature');

const repeat = (value: string, previous: string[] = []) => [...previous, value];

function addPlanOptions(command: Command): Command {
  return command
    .option('--containers', 'stopped containers')
    .addOption(
      new Option('--images <which>', 'images no container uses: dangling (untagged) or unused (all of them)').choices([
        'dangling',
        'unused',
      ]),
    )
    .addOption(
      new Option('--volumes <which>', 'volumes no container uses: anonymous, or all (named ones too)').choices(['anonymous', 'all']),
    )
    .option('--volume <name>', 'a named volume to remove (repeatable)', repeat)
    .option('--build-cache', 'build cache records not in use')
    .option('--networks', 'networks no container is attached to')
    .option('--until <duration>', 'keep what was created (build cache: last used) more recently than this, e.g. 168h')
    .option('--filter <label=...>', 'label=KEY[=VALUE] or label!=KEY[=VALUE] (repeatable; all must hold)', repeat)
    .option(
      '--protect-label <name>',
      `objects with this label set to "true" are never removed (nor those with ${DEFAULT_PROTECT_LABEL}=true)`,
      DEFAULT_PROTECT_LABEL,
    );
}

/** The options a plan records. No type chosen: what `docker system prune -a` covers (never volumes). */

/** What a scheduled job should run: this dockhand (the desktop app's launcher when started through it). */
function defaultDockhand(): string {
  const self = cliSelf();
  return self.ok ? self.path : '/usr/local/bin/dockhand';
}

function pruneOptionsFromFlags(flags: PlanFlags): PruneOptions {
  const chosen = flags.containers || flags.images || flags.volumes || (flags.volume?.length ?? 0) > 0 || flags.buildCache || flags.networks;
  const common = {
    volumeNames: flags.volume ?? [],
    until: flags.until ?? null,
    labelFilters: (flags.filter ?? []).map(parseLabelFilter),
    protectLabel: flags.protectLabel ?? DEFAULT_PROTECT_LABEL,
  };
  if (!chosen) return defaultPruneOptions(common);
  return {
    containers: flags.containers ?? false,
    images: flags.images ?? 'none',
    volumes: flags.volumes ?? 'none',
    buildCache: flags.buildCache ?? false,
    networks: flags.networks ?? false,
    ...common,
  };
}

function progressPrinter(quiet: boolean | undefined): ((e: PruneProgress) => void) | undefined {
  if (quiet) return undefined;
  return (e) => {
    if (e.phase !== 'done') process.stderr.write(`${renderProgressLine(e)}\n`);
  };
}

export function registerPruneCommands(program: Command): void {
  const prune = program.command('prune').description('Clean the Docker disk: an exact plan first, then a safe apply');

  addPlanOptions(
    addEndpointOptions(
      prune.command('plan').description('List exactly what a prune would remove and keep, and the bytes it would free (removes nothing)'),
    ),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the plan to a file (apply it later with prune apply --plan FILE)')
    .option('--pretty', 'indent JSON output')
    .option('-v, --verbose', 'list every kept object')
    .action(async (opts) => {
      const options = wrapInput(() => pruneOptionsFromFlags(opts));
      const { planKey, signPlan } = await signing();
      const plan = await withEngine(opts, 'plan the prune', async (api, endpoint, host) =>
        signPlan(await planPrune(api, endpoint, host, options, opts.timeout), await planKey()),
      );
      // A plan saved to a file is for `prune apply --plan`: JSON whatever the format, so it can be validated.
      const text =
        opts.format === 'json' || opts.output ? jsonText(plan, opts.output, opts.pretty) : renderPlanText(plan, { verbose: opts.verbose });
      await emit(text, opts.output);
      if (opts.output && opts.format !== 'json') process.stdout.write(renderPlanText(plan, { verbose: opts.verbose }));
    });

  addPlanOptions(
    addEndpointOptions(
      prune.command('apply').description('Remove exactly the planned objects, one by one, with progress, and report the bytes freed'),
    ),
  )
    .option('--plan <file>', 'the plan to apply (from prune plan -o FILE)')
    .option('-y, --yes', 'plan and apply now, without a saved plan (the scheduled cleanup runs this)')
    .addOption(new Option('-f, --format <format>', 'output format of the result').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the result to a file')
    .option('--pretty', 'indent JSON output')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (opts) => {
      if (!opts.plan === !opts.yes)
        throw new CliError(
          opts.plan
            ? '--plan and --yes do not go together: --plan applies a saved plan, --yes plans and applies now'
            : 'give --plan FILE (a saved plan), or --yes to plan and apply now',
        );
      const planFlags: (keyof PlanFlags)[] = ['containers', 'images', 'volumes', 'volume', 'buildCache', 'networks', 'until', 'filter'];
      if (opts.plan && planFlags.some((k) => opts[k] !== undefined))
        throw new CliError('planning options (--images, --until, ...) go with --yes; a saved plan already says what to remove');
      const saved = opts.plan
        ? await wrapInput(async () => (await import('../prune/plan-file')).readPlanFile(opts.plan, await (await signing()).planKey()))
        : null;
      const options = saved ? null : wrapInput(() => pruneOptionsFromFlags(opts));
      const result = await withEngine(opts, 'prune', async (api, endpoint, host) => {
        const plan = saved ?? (await planPrune(api, endpoint, host, options!, opts.timeout));
        if (!saved && opts.format !== 'json') process.stdout.write(renderPlanText(plan));
        const applied = await applyPlan(api, plan, { timeoutMs: opts.timeout, onProgress: progressPrinter(opts.quiet) });
        return withNowReclaimable(applied, plan, (options) => planPrune(api, endpoint, host, options, opts.timeout));
      });
      await emit(
        opts.format === 'json' ? jsonText(result, opts.output, opts.pretty) : renderResultText(result, saved ? 'plan' : 'command'),
        opts.output,
      );
      process.exitCode = result.complete && result.counts.failed === 0 && result.counts.unconfirmed === 0 ? EXIT.ok : EXIT.incomplete;
    });

  prune
    .command('schedule')
    .description('Print the systemd service and timer (or cron.d file) for a scheduled, protected prune; installs nothing')
    .addOption(new Option('--kind <kind>', 'systemd units or a cron.d file').choices(['systemd', 'cron']).default('systemd'))
    .option('--until <duration>', 'remove only what is older than this', '168h')
    .option('--dockhand <path>', 'absolute path of the dockhand command', defaultDockhand())
    .option('--on-calendar <spec>', 'systemd OnCalendar', 'daily')
    .option('--cron-time <fields>', "cron's five time fields", '17 3 * * *')
    .option('--log-file <path>', 'cron: where each run appends what it freed', '/var/log/dockhand-prune.log')
    .option('--protect-label <name>', 'the protection label', DEFAULT_PROTECT_LABEL)
    .option('-H, --host <address>', 'the Docker endpoint the job should prune (default: what dockhand finds at run time)')
    .action(async (opts) => {
      const o = defaultScheduleOptions({
        dockhand: opts.dockhand,
        until: opts.until,
        onCalendar: opts.onCalendar,
        cronTime: opts.cronTime,
        logFile: opts.logFile,
        protectLabel: opts.protectLabel,
        endpointArgs: opts.host ? ['--host', opts.host] : [],
      });
      const text = wrapInput(() =>
        opts.kind === 'cron'
          ? `# ${CRON_FILE}\n${cronFile(o)}`
          : `# /etc/systemd/system/${SERVICE_NAME}\n${systemdService(o)}\n# /etc/systemd/system/${TIMER_NAME}\n${systemdTimer(o)}`,
      );
      await emit(text, undefined);
    });
}

/** Runs input parsing, turning a bad option or file into exit 2 with its message. */
function wrapInput<T>(work: () => T): T {
  try {
    const value = work();
    if (value instanceof Promise) return value.catch((error: unknown) => Promise.reject(toCliError(error, 'read the input'))) as T;
    return value;
  } catch (error) {
    throw toCliError(error, 'read the input');
  }
}
