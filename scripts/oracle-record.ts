// Records what each real Docker engine does with every daemon.json variant of main/preflight/oracle-variants.ts:
// whether dockerd started and, when it did, whether a container runs. The result is checked in as
// main/preflight/oracle-recording.json; preflight.oracle.test.ts compares the pre-flight against it per engine.
//
//   node --import tsx scripts/oracle-record.ts [--engine 28.5]... [--only REGEX] [--jobs 4] [--facts-only]
//
// With --only, the other entries of the existing recording are kept (a partial re-record); --engine limits the run
// to the engines named. --facts-only refreshes only the host facts kept with the recording (no daemon is started). Each daemon
// runs with private --data-root/--exec-root/--pidfile/-H/--config-file in its own network namespace (`unshare -n`),
// as test/support/dockerd.ts starts them. A daemon that did not answer in time is retried once, alone, before it is
// recorded as a timeout (never as "refused").
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { promises as fs, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { busyboxRootfsTar, dockerCli, killLeftovers, ping, removeDir } from '../test/support/dockerd';
import { until } from '../test/support/poll';
import { mapLimit } from '../main/util/timeout';
import { ORACLE_VARIANTS, type OracleVariant } from '../main/preflight/oracle-variants';
import {
  engineVersionOf,
  type OracleRecording,
  preflightVariant,
  type RecordedOutcome,
  RECORDING_PATH,
  variantDigest,
} from '../main/preflight/oracle-recording';
import { localHostFacts, recordingHostFacts } from '../main/preflight/host-facts';

function argValues(name: string): string[] {
  const out: string[] = [];
  for (let i = 2; i < process.argv.length; i++) if (process.argv[i] === name && process.argv[i + 1]) out.push(process.argv[++i]!);
  return out;
}

const START_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 90_000;
const IMAGE = 'dockhand-oracle/busybox:1';

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function stopDaemon(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    // Nothing of this daemon is kept: a short grace, then it is killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  }
  // A dockerd killed hard leaves its managed containerd (and any shim) behind.
  await killLeftovers(dir);
  await removeDir(dir);
}

/** The line dockerd gave when it refused (its last "failed to start"/"unable to" line), without the temp paths. */
function refusal(log: string): string {
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  const line =
    [...lines].reverse().find((l) => /failed to start daemon|unable to configure|unable to|invalid|panic|error/i.test(l)) ??
    lines.at(-1) ??
    '';
  return line.replace(/\/tmp\/dkh-oracle-\w+\//g, '…/').slice(0, 400);
}

async function attempt(dockerd: string, variant: OracleVariant): Promise<RecordedOutcome> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-oracle-'));
  const socket = path.join(dir, 'sock');
  const configPath = path.join(dir, 'daemon.json');
  const logPath = path.join(dir, 'dockerd.log');
  await fs.writeFile(configPath, variant.text);
  const args = [
    '--data-root',
    path.join(dir, 'data'),
    '--exec-root',
    path.join(dir, 'exec'),
    '--pidfile',
    path.join(dir, 'pid'),
    '-H',
    `unix://${socket}`,
    '--config-file',
    configPath,
    ...(variant.flags ?? []),
  ];
  const log = await fs.open(logPath, 'a');
  // The engine's own docker-proxy and docker-init come first, as its package installs them.
  const engineDir = path.dirname(path.dirname(path.dirname(dockerd)));
  const env = { ...process.env, PATH: `${path.join(engineDir, 'usr/sbin')}:${path.join(engineDir, 'usr/bin')}:${process.env.PATH ?? ''}` };
  const child = spawn('unshare', ['-n', dockerd, ...args], { stdio: ['ignore', log.fd, log.fd], detached: true, env });
  let exitCode: number | null | undefined;
  child.on('exit', (code) => (exitCode = code));
  child.on('error', () => (exitCode = -1));
  const readLog = () => fs.readFile(logPath, 'utf8').catch(() => '');
  try {
    const up = await until(async () => exitCode !== undefined || (await ping(socket, 1000)), {
      what: 'dockerd to answer',
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 150,
    }).then(
      () => exitCode === undefined,
      () => false,
    );
    if (!up) {
      if (exitCode === undefined) return { started: 'timeout', detail: refusal(await readLog()) };
      return { started: false, exitCode, detail: refusal(await readLog()) };
    }
    const cliEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(dir, 'client') };
    try {
      await withDeadline(dockerCli(['import', '-', IMAGE], cliEnv, await busyboxRootfsTar()));
      await withDeadline(dockerCli(['run', '--rm', IMAGE, '/bin/true'], cliEnv));
      return { started: true, containerRuns: true };
    } catch (error) {
      return {
        started: true,
        containerRuns: false,
        detail: String((error as Error).message)
          .replace(/\/tmp\/dkh-oracle-\w+\//g, '…/')
          .slice(0, 400),
      };
    }
  } finally {
    await log.close();
    await stopDaemon(child, dir);
  }
}

function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS)),
    ),
  ]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  // A plain .mjs without types: its one export is typed here.
  const installer = './install-engines.mjs';
  const { installEngines } = (await import(installer)) as { installEngines(): Record<string, string> };
  const engines = installEngines();
  const only = argValues('--only')[0];
  const chosen = argValues('--engine');
  const jobs = Number(argValues('--jobs')[0] ?? 4);
  const names = chosen.length > 0 ? chosen : Object.keys(engines);
  const recording: OracleRecording = existsSync(RECORDING_PATH)
    ? (JSON.parse(readFileSync(RECORDING_PATH, 'utf8')) as OracleRecording)
    : { engines: {} };
  if (process.argv.includes('--facts-only')) {
    keepHostFacts(recording);
    writeFileSync(RECORDING_PATH, `${JSON.stringify(recording, null, 2)}\n`);
    return;
  }
  const variants = ORACLE_VARIANTS.filter((v) => !only || new RegExp(only).test(v.name));
  const partial = Boolean(only);
  const save = () => writeFileSync(RECORDING_PATH, `${JSON.stringify(recording, null, 2)}\n`);
  const results: Record<string, Record<string, RecordedOutcome & { digest: string }>> = {};
  for (const name of names) {
    const dockerd = engines[name];
    if (!dockerd) throw new Error(`no engine named ${name} (have ${Object.keys(engines).join(', ')})`);
    const version = execFileSync(dockerd, ['--version'], { encoding: 'utf8' }).trim();
    const previous = recording.engines[name];
    results[name] = partial && previous?.version === version ? { ...previous.results } : {};
    recording.engines[name] = { version, results: results[name]! };
  }
  // Engines interleaved, so a partial recording (saved as it goes) covers all of them evenly.
  const work = variants.flatMap((variant) => names.map((name) => ({ name, variant })));
  let done = 0;
  const outcomes = await mapLimit(work, jobs, async ({ name, variant }) => {
    const outcome = await attempt(engines[name]!, variant);
    results[name]![variant.name] = { digest: variantDigest(variant), ...outcome };
    if (++done % 30 === 0) {
      process.stderr.write(`${done}/${work.length}\n`);
      save();
    }
    return { name, variant, outcome };
  });
  // Retried alone: on a busy machine a slow start is not a refusal.
  for (const { name, variant, outcome } of outcomes) {
    if (outcome.started !== 'timeout') continue;
    process.stderr.write(`${name}: retrying alone: ${variant.name}\n`);
    results[name]![variant.name] = { digest: variantDigest(variant), ...(await attempt(engines[name]!, variant)) };
  }
  for (const name of names) {
    // The file's order is the variants' order, whatever order the runs finished in.
    const ordered: Record<string, RecordedOutcome & { digest: string }> = {};
    for (const v of ORACLE_VARIANTS) if (results[name]![v.name]) ordered[v.name] = results[name]![v.name]!;
    recording.engines[name]!.results = ordered;
    const values = Object.values(ordered);
    process.stderr.write(
      `${name} (${recording.engines[name]!.version}): ${values.filter((r) => r.started === true).length} started, ${values.filter((r) => r.started === false).length} refused, ${values.filter((r) => r.started === 'timeout').length} timed out\n`,
    );
  }
  keepHostFacts(recording);
  save();
}

/**
 * Keeps this host's answers to every question the pre-flight's host rules ask about the variants (files, limits,
 * systemd...), so the oracle test judges the recording by the host it was made on, wherever the test runs.
 */
function keepHostFacts(recording: OracleRecording): void {
  const { facts, snapshot } = recordingHostFacts(localHostFacts());
  for (const engine of Object.values(recording.engines))
    for (const variant of ORACLE_VARIANTS) preflightVariant(variant, engineVersionOf(engine.version), facts);
  recording.host = snapshot;
}

main().catch((error: unknown) => {
  process.stderr.write(`oracle-record: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
