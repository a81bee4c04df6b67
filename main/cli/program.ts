import { Command, InvalidArgumentError, Option } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Facts } from '../../shared/facts';
import { SEVERITIES as SEVERITY_ORDER } from '../../shared/constants';
import type { Severity } from '../../shared/finding';
import type { JsonValue } from '../../shared/json';
import { maskSecrets } from '../../shared/mask';
import type { Report } from '../../shared/report';
import { collectFacts, DEFAULT_TIMEOUT_MS } from '../collect/collect';
import { LocalHost } from '../host/local-host';
import { RootfsHost } from '../host/rootfs-host';
import { REPORT_FORMATS, renderReport } from '../report/render';
import { VERSION } from '../version';
import { registerDiskCommand } from './disk';
import { registerPruneCommands } from './prune';
import { checkDaemonConfig, preflightJson, renderPreflightText, splitFlags } from './daemon-config-check';
import { exitCodeAfterOutput, watchOutput } from './closed-output';
import { jsonLines } from '../report/json-stream';
import { CliError, EXIT } from './exit-codes';
import { emit, indented, jsonText, useColor } from './output';
import { registerFixCommands } from './fix-command';
import { MAX_REPORT_BYTES, readJsonFile } from '../util/bounded-read';

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** --option key=value: numbers become numbers, true/false booleans (thresholds such as diskWarnPercent=20). */
function keyValue(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected key=value');
  const raw = value.slice(eq + 1);
  const parsed = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { ...previous, [value.slice(0, eq)]: parsed };
}

/** What checks may be told beyond the facts (CheckContext.options), from the audit's options. */
export function checkOptions(opts: {
  internalDomain?: string[];
  trustedUser?: string[];
  server?: boolean;
  option?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    ...opts.option,
    ...(opts.internalDomain && { internalDomains: opts.internalDomain }),
    ...(opts.trustedUser && { trustedDockerUsers: opts.trustedUser }),
    ...(opts.server && { server: true }),
  };
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0 to 65535)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** The exit code an audit ends with: threshold hit (waived findings do not count), else incomplete, else ok. */
export function auditExitCode(report: Report, failOn: Severity | 'never'): number {
  if (failOn !== 'never') {
    const limit = SEVERITY_ORDER.indexOf(failOn);
    const hit = report.findings.some((f) => f.result.status === 'fail' && !f.waiver && SEVERITY_ORDER.indexOf(f.severity) <= limit);
    if (hit) return EXIT.findings;
  }
  const unreachable = report.findings.some((f) => f.result.status === 'error');
  return unreachable ? EXIT.incomplete : EXIT.ok;
}

/** A policy or baseline that cannot be used is bad input: exit 2 with every problem, "FILE:LINE: reason" for a policy. */
function usageError(error: unknown): never {
  // By name: the classes live in modules loaded only when --policy or --baseline is given.
  if (error instanceof Error && (error.name === 'PolicyError' || error.name === 'BaselineError'))
    throw new CliError(error.message, EXIT.usage);
  throw error;
}

async function rootHost(dir: string): Promise<RootfsHost> {
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new CliError(`--root ${dir}: not a directory`);
  return new RootfsHost(dir);
}

/** A snapshot saved with --facts-out, validated against the facts schema (a wrong file is exit 2, with where it is wrong). */
async function readFactsFile(file: string): Promise<Facts> {
  let value: unknown;
  try {
    value = await readJsonFile(file, MAX_REPORT_BYTES);
  } catch (error) {
    throw new CliError(`--facts-in ${file}: ${(error as Error).message}`);
  }
  // zod is loaded only on this path: every other audit starts ~100 ms faster without it.
  const { FactsSchema } = await import('../../shared/facts');
  const parsed = FactsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`--facts-in ${file}: not a Dockhand facts snapshot: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  return parsed.data;
}

function buildProgram(): Command {
  const program = new Command('dockhand')
    .description('Audit and harden a Docker host, and clean its disk.')
    .version(VERSION)
    // Before any subcommand is added, so they inherit it: errors come back to main() for one exit-code policy.
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      `\nExit codes: 0 ok · 1 findings at or above --fail-on · 2 usage or unreadable input (incl. a policy file with errors, FILE:LINE: reason, and a malformed or changed prune plan) · 3 daemon.json will not start dockerd · 4 incomplete: an audit check could not be evaluated, or a prune could not plan or finish (daemon unreachable, file unreadable) · 5 fix rolled back · 6 fix failed · 70 internal error · 74 standard output could not be written · 141 standard output closed early (| head)`,
    );

  program
    .command('audit')
    .description("Audit the Docker host's configuration and containers")
    .option('-H, --host <address>', 'Docker endpoint (unix://, tcp://, ssh://, npipe://); default: like the docker CLI')
    .option('-c, --context <name>', 'docker context to use')
    .option('--config-file <path>', 'daemon.json to audit instead of the one the daemon uses')
    .option('--flags <args>', 'dockerd flags to assume instead of the running process/unit ones')
    .addOption(
      new Option(
        '--root <dir>',
        'audit an offline root filesystem (an unpacked image, a mounted VM disk) instead of a live host',
      ).conflicts(['host', 'context']),
    )
    .addOption(
      new Option('--facts-in <file>', 'evaluate a saved facts snapshot (from --facts-out) instead of collecting').conflicts([
        'host',
        'context',
        'root',
        'configFile',
        'flags',
      ]),
    )
    .option(
      '--policy <file>',
      'policy file (YAML; schema: docs/schema/policy.schema.json): checks, severities, required values, thresholds, waivers',
    )
    .option('--baseline <file>', 'an earlier JSON report: mark each finding new, unchanged or fixed')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--facts-out <file>', 'also save the collected facts snapshot (secrets masked)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a failing finding no policy waiver covers has this severity or higher')
        .choices([...SEVERITY_ORDER, 'never'])
        .default('never'),
    )
    .option(
      '--timeout <ms>',
      'time limit per Engine API request and base limit per collector, in milliseconds (collectors get 20 ms more per container and image)',
      positiveInt,
      DEFAULT_TIMEOUT_MS,
    )
    .option('--internal-domain <domain>', 'a domain NO_PROXY must cover (repeatable, or comma-separated)', collect)
    .option('--trusted-user <user>', 'a user allowed in the docker group (repeatable, or comma-separated)', collect)
    .option('--server', 'judge this host as a server (audit rules, scheduled cleanup)')
    .option('--option <key=value>', 'a check threshold, e.g. diskWarnPercent=20 (repeatable; see docs/checks.md)', keyValue)
    .option('-v, --verbose', 'show passing and skipped findings in full')
    .option('--attention', 'text report: show only what needs attention (failed checks and warnings)')
    .option('--no-color', 'no ANSI colours')
    .option('--pretty', 'indent JSON output (the default only when writing to a terminal)')
    .action(async (opts) => {
      const t0 = performance.now();
      // The other formats are contracts other tools read: a subset of the findings would read as a clean host.
      if (opts.attention && opts.format !== 'text')
        throw new CliError(`--attention applies to the text report, not --format ${opts.format}`, EXIT.usage);
      // The checks are loaded by the commands that run them, not by every command's start-up (`disk`, `prune`).
      const evaluation = import('../audit');
      // Inputs first: a bad policy or baseline is a usage error (exit 2) before anything is collected.
      const [policy, baseline] = await Promise.all([
        opts.policy ? import('../policy/load').then((m) => m.loadPolicy(opts.policy)).catch(usageError) : null,
        opts.baseline ? import('../report/baseline-load').then((m) => m.loadBaseline(opts.baseline)).catch(usageError) : null,
      ]);
      const facts = opts.factsIn
        ? await readFactsFile(opts.factsIn)
        : await collectFacts({
            host: opts.root ? await rootHost(opts.root) : new LocalHost(),
            root: opts.root ? path.resolve(opts.root) : null,
            endpoint: { host: opts.host, context: opts.context },
            configFile: opts.configFile,
            flags: opts.flags !== undefined ? splitFlags(opts.flags) : undefined,
            timeoutMs: opts.timeout,
          });
      const report = (await evaluation).evaluateFacts(facts, { context: { options: checkOptions(opts) }, policy, baseline });
      report.durationMs = Math.round(performance.now() - t0);
      if (opts.factsOut) await emit(`${JSON.stringify(maskSecrets(facts as unknown as JsonValue), null, 2)}\n`, opts.factsOut);
      if (opts.format === 'json' && !indented(opts.output, opts.pretty)) {
        // Written as it is serialised, to stdout or the file: a report over thousands of containers is never one string in memory.
        await emit(jsonLines(report), opts.output);
      } else {
        const text = await renderReport(report, opts.format, {
          json: (value) => jsonText(value, opts.output, opts.pretty),
          color: useColor(process.stdout, opts.output, opts.color),
          verbose: opts.verbose,
          attention: opts.attention,
        });
        await emit(text, opts.output);
      }
      process.exitCode = auditExitCode(report, opts.failOn);
    });

  registerFixCommands(program);

  const daemonConfig = program.command('daemon-config').description('Work with daemon.json');
  daemonConfig
    .command('check')
    .description('Will dockerd start with this daemon.json? Exit 0 if it will, 3 if it will not')
    .argument('<file>', 'the daemon.json to check')
    .option('--flags <args>', 'dockerd flags (default: from docker.service and its drop-ins)')
    .option(
      '--engine-version <version>',
      'apply the rules of this Docker Engine version (default: the local daemon, else `dockerd --version`)',
    )
    .addOption(new Option('--platform <platform>', 'daemon platform').choices(['linux', 'windows']))
    .option('-H, --host <address>', 'Docker endpoint to ask for the engine version')
    .option('--root <dir>', "read docker.service's flags from this root filesystem (an unpacked image) instead of /")
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, opts) => {
      const outcome = await checkDaemonConfig(new LocalHost(), file, {
        ...opts,
        unitHost: opts.root ? new RootfsHost(opts.root) : undefined,
      });
      await emit(opts.format === 'json' ? preflightJson(outcome) : renderPreflightText(outcome), undefined);
      process.exitCode = outcome.result.willStart ? EXIT.ok : EXIT.willNotStart;
    });

  program
    .command('serve')
    .description('Serve the Dockhand UI on 127.0.0.1 for a browser (a headless host: open it through an SSH tunnel)')
    .option('-H, --host <address>', 'Docker endpoint to audit (wins over the saved setting for this session)')
    .option('-c, --context <name>', 'docker context to use')
    .option('-p, --port <port>', 'port on 127.0.0.1; 0 picks a free one', portNumber, 0)
    .option('--no-open', 'do not open a browser, only print the link')
    .option('--config-dir <dir>', 'where settings and the last report are kept (default: the per-user config directory)')
    .action(async (opts) => {
      const { serveCommand } = await import('./serve-command');
      await serveCommand(opts);
    });

  program
    .command('checks')
    .description('List every check Dockhand runs')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts) => {
      const { CHECKS } = await import('../checks/registry');
      const rows = CHECKS.map(({ evaluate: _e, applies: _a, ...meta }) => meta);
      const line = (id: string, severity: string, cis: string, title: string) =>
        `${id.padEnd(36)} ${severity.padEnd(8)} ${cis.padEnd(6)} ${title}`;
      const text =
        opts.format === 'json'
          ? `${JSON.stringify(rows, null, 2)}\n`
          : `${[line('CHECK', 'SEVERITY', 'CIS', 'TITLE'), ...rows.map((c) => line(c.id, c.severity, c.cis ?? '-', c.title))].join('\n')}\n`;
      await emit(text, undefined);
    });

  registerDiskCommand(program);
  registerPruneCommands(program);
  return program;
}

/** Runs the CLI; every failure ends as one clear line on stderr and an exit code, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  watchOutput();
  // At exit, not when main returns: a write without a callback can still fail after the command's promise settles.
  process.once('exit', () => {
    process.exitCode = exitCodeAfterOutput(Number(process.exitCode ?? EXIT.ok));
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string };
    if (e.code?.startsWith('commander.')) {
      // commander has printed its message already; help and version are not errors.
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`dockhand: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`dockhand: internal error: ${e.message ?? String(error)}\n`);
    if (process.env.DOCKHAND_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = EXIT.internal;
  }
}
