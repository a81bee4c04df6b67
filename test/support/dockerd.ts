// test-needs: root, dockerd — private dockerd instances, started as root in their own network namespaces
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, test as nodeTest, type TestContext, type TestOptions } from 'node:test';
import { promisify } from 'node:util';
import { processAlive, waitForExit } from '../../main/util/process';
import { installEngines } from '../../scripts/install-engines.mjs';
import { anyAlive, daemonTree, killTreeNow, mountsUnder, removeDirNow, signalAll, SUITE_PREFIX } from './leftovers';
import { until } from './poll';

const run = promisify(execFile);

export interface PrivateDockerd {
  readonly dir: string;
  readonly socket: string;
  /** unix:///…/sock, for DOCKER_HOST and Dockhand's --host. */
  readonly host: string;
  readonly configPath: string;
  readonly pidfile: string;
  readonly args: string[];
  readonly pid: number;
  /** The engine this daemon is. */
  readonly engine: EngineName;
  logs(): Promise<string>;
  /**
   * Writes a process-controller record (pidfile + the exact command that started this daemon) and returns its path:
   * how `DOCKHAND_DAEMON_CONTROLLER=process:PATH` lets the fix engine restart this daemon as a user's hand-started one.
   */
  controllerRecord(): Promise<string>;
  /** Runs the docker CLI against this daemon. */
  docker(args: string[], input?: Buffer): Promise<string>;
  stop(): Promise<void>;
}

/** The engines the tests run on, oldest first: Debian bookworm's 20.10, trixie's 26.1 and sid's 28.5. */
export const ENGINES = ['20.10', '26.1', '28.5'] as const;
export type EngineName = (typeof ENGINES)[number];
/** The engine a test that does not depend on the engine runs on: the closest to what users run. */
export const DEFAULT_ENGINE: EngineName = '28.5';

/** What one engine is made of: its dockerd, and the docker-proxy and docker-init of the same build. */
export interface EngineBinaries {
  readonly dockerd: string;
  readonly proxy: string;
  readonly init: string;
}

const SYSTEM_INIT = '/usr/bin/docker-init';
let installed: Record<string, string> | undefined;

/**
 * The binaries of an engine, from scripts/install-engines.mjs (which installs a missing one, or throws: an engine that
 * cannot be installed fails the test, it is never skipped). The unpacked engines carry their own docker-proxy (the
 * newer engines hand their proxy a listening socket, which 20.10's proxy does not understand); containerd, runc and
 * tini are bookworm's, found on PATH by every engine.
 */
export function engineBinaries(engine: EngineName): EngineBinaries {
  installed ??= installEngines();
  const dockerd = installed[engine];
  if (!dockerd) throw new Error(`engine ${engine} is not one install-engines.mjs provides (${Object.keys(installed).join(', ')})`);
  const root = path.resolve(path.dirname(dockerd), '../..');
  // The unpacked docker-init is a link to tini-static, which belongs to Debian's tini package and is not in the .deb:
  // bookworm's (the same tini 0.19) stands in for it.
  const ownInit = path.join(root, 'usr/bin/docker-init');
  return { dockerd, proxy: path.join(root, 'usr/sbin/docker-proxy'), init: existsSync(ownInit) ? ownInit : SYSTEM_INIT };
}

export type EngineTest = (name: string, fn: (t: TestContext) => void | Promise<void>, options?: TestOptions) => void;

/**
 * How many engines of one file run at once: all of them, unless DOCKHAND_TEST_ENGINE_CONCURRENCY says fewer (a host
 * already loaded by other work, where parallel daemons only make each collector wait past its time limit).
 */
function engineConcurrency(engines: number): number {
  const wanted = Number(process.env.DOCKHAND_TEST_ENGINE_CONCURRENCY);
  return Number.isInteger(wanted) && wanted > 0 ? Math.min(wanted, engines) : engines;
}

/**
 * Runs `body` once per engine, the engines side by side (each suite starts its own daemons, in its own network
 * namespace), or one after another with `oneAtATime` (a file whose daemons are not started in parallel, such as an
 * e2e flow that also drives a browser). `test` names the engine in every test's title, so a failure says which engine
 * it was.
 */
export function forEachEngine(
  title: string,
  body: (engine: EngineName, test: EngineTest) => void,
  engines: readonly EngineName[] = ENGINES,
  options: { oneAtATime?: boolean } = {},
): void {
  describe(title, { concurrency: options.oneAtATime ? 1 : engineConcurrency(engines.length) }, () => {
    for (const engine of engines) {
      // One engine's tests run in order (they share its daemons); a suite inherits its parent's concurrency otherwise.
      describe(`${title} [engine ${engine}]`, { concurrency: 1 }, () =>
        body(engine, (name, fn, options) => void nodeTest(`${name} [engine ${engine}]`, options ?? {}, fn)),
      );
    }
  });
}

export type StartOutcome = { started: true; daemon: PrivateDockerd } | { started: false; exitCode: number | null; log: string };

export interface StartOptions {
  /** Which engine to start (default DEFAULT_ENGINE, 28.5). */
  engine?: EngineName;
  /** daemon.json content: raw text, or an object to serialise. Undefined: no file at all. */
  daemonJson?: string | Buffer | object;
  /** Extra dockerd flags. */
  flags?: string[];
  /** Run in a private network namespace (default), so parallel daemons do not share docker0 or iptables. */
  netns?: boolean;
  /**
   * Run in the network namespace of this process instead of a new one (nsenter --net=/proc/PID/ns/net): a daemon
   * restarted where the one before it ran, finding what that one left in the firewall.
   */
  netnsOf?: number;
  /** How long to wait for /_ping before declaring it hung. */
  timeoutMs?: number;
  /** Reuse this directory (restart with the same data). */
  dir?: string;
  /** Where daemon.json lives (default: in the daemon's directory); e.g. on a small or read-only mount. */
  configPath?: string;
  /**
   * Put a runc wrapper first on dockerd's PATH that drops CAP_SYS_RESOURCE from each bundle, so --privileged
   * containers can start in this sandbox (whose bounding set lacks that capability). Inspect still shows Privileged.
   */
  privilegedWrapper?: boolean;
  /**
   * The pidfile where a host's dockerd has it, `docker.pid` beside the socket, so Dockhand finds the daemon without
   * scanning /proc (benchmarks measure a real host's path). Tests keep a name of their own, which exercises the scan.
   */
  pidfileBesideSocket?: boolean;
}

/** Writes the runc wrapper: edits the bundle's config.json with node, then execs the real runc (keeping every fd). */
async function writeRuncWrapper(dir: string): Promise<string> {
  const bin = path.join(dir, 'bin');
  await fs.mkdir(bin, { recursive: true });
  const realRunc = (await run('sh', ['-c', 'command -v runc'])).stdout.trim();
  const edit = `const f=process.argv[1];const fs=require('fs');const c=JSON.parse(fs.readFileSync(f,'utf8'));const caps=(c.process||{}).capabilities||{};for(const k of Object.keys(caps)){caps[k]=(caps[k]||[]).filter(x=>x!=='CAP_SYS_RESOURCE')}fs.writeFileSync(f,JSON.stringify(c))`;
  const script = `#!/bin/sh
bundle=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--bundle" ] || [ "$prev" = "-b" ]; then bundle="$a"; fi
  case "$a" in --bundle=*) bundle="\${a#--bundle=}";; esac
  prev="$a"
done
if [ -n "$bundle" ] && [ -f "$bundle/config.json" ]; then
  ${JSON.stringify(process.execPath)} -e ${JSON.stringify(edit).replace(/\$/g, '\\$')} "$bundle/config.json" || exit 1
fi
exec ${realRunc} "$@"
`;
  await fs.writeFile(path.join(bin, 'runc'), script, { mode: 0o755 });
  return bin;
}

/** Daemons this process started and has not stopped: killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
/** Their directories (made here, removed at stop), whose whole process tree goes when the test process exits. */
const ownDirs = new Set<string>();
/** Pidfiles of daemons that may have been restarted by someone else (the fix engine): killed the same way. */
const pidfiles = new Set<string>();
function pidIn(pidfile: string): number | null {
  try {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  // What the daemons started (containerd, shims, the containers' processes) outlives a SIGKILLed dockerd: gone too.
  for (const dir of ownDirs) {
    killTreeNow(dir);
    removeDirNow(dir);
  }
  for (const file of pidfiles) {
    const pid = pidIn(file);
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

// A test process stopped by a signal (the runner cancelled, ^C) runs no exit handler unless the signal is handled.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));

/** Stops whatever dockerd now holds the pidfile (a restarted daemon is not our child), waiting for it to exit. */
async function killPidfile(pidfile: string): Promise<void> {
  const pid = pidIn(pidfile);
  if (!pid) return;
  if (!processAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  if (await waitForExit(pid, 20_000)) return;
  process.kill(pid, 'SIGKILL');
  while (!(await waitForExit(pid, 5_000)));
}

/** The pid a daemon's pidfile names now (it changes when the fix engine restarts the daemon). */
export { pidIn };

export function ping(socket: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** startDockerd for tests that need it running: a daemon that did not start is an error with the end of its log. */
export async function runningDockerd(options: StartOptions = {}): Promise<PrivateDockerd> {
  const outcome = await startDockerd(options);
  if (!outcome.started) {
    // The first line says why (a timeout, a signal), the tail what dockerd said last.
    const [first, ...rest] = outcome.log.split('\n');
    throw new Error(
      `private dockerd (engine ${options.engine ?? DEFAULT_ENGINE}) did not start (exit ${outcome.exitCode}): ${first}\n…${rest.join('\n').slice(-2000)}`,
    );
  }
  return outcome.daemon;
}

/** Starts a dockerd that touches nothing of the system's: its own data-root, exec-root, pidfile, socket and config. */
export async function startDockerd(options: StartOptions = {}): Promise<StartOutcome> {
  // Unix socket paths are limited to 108 bytes: keep the directory short.
  const dir = options.dir ?? (await fs.mkdtemp(path.join(os.tmpdir(), SUITE_PREFIX)));
  if (!options.dir) ownDirs.add(dir);
  const socket = path.join(dir, 'sock');
  const configPath = options.configPath ?? path.join(dir, 'daemon.json');
  const pidfile = path.join(dir, options.pidfileBesideSocket ? 'docker.pid' : 'pid');
  const logPath = path.join(dir, 'dockerd.log');
  if (options.daemonJson !== undefined) {
    await fs.writeFile(
      configPath,
      typeof options.daemonJson === 'string' || Buffer.isBuffer(options.daemonJson)
        ? options.daemonJson
        : JSON.stringify(options.daemonJson, null, 2),
    );
  }
  const engine = options.engine ?? DEFAULT_ENGINE;
  const binaries = engineBinaries(engine);
  const configText =
    typeof options.daemonJson === 'string'
      ? options.daemonJson
      : Buffer.isBuffer(options.daemonJson)
        ? options.daemonJson.toString('utf8')
        : JSON.stringify(options.daemonJson ?? {});
  // The engine's own proxy and init, by flag rather than PATH so that a restart from the controller record (which runs
  // with Dockhand's environment) starts the same build; left out when daemon.json names them (a flag and a key for the
  // same option stop dockerd).
  const ownParts = [
    ...(configText.includes('"userland-proxy-path"') ? [] : ['--userland-proxy-path', binaries.proxy]),
    ...(configText.includes('"init-path"') ? [] : ['--init-path', binaries.init]),
  ];
  const args = [
    ...ownParts,
    '--data-root',
    path.join(dir, 'data'),
    '--exec-root',
    path.join(dir, 'exec'),
    '--pidfile',
    pidfile,
    '-H',
    `unix://${socket}`,
    '--config-file',
    configPath,
    ...(options.flags ?? []),
  ];
  const log = await fs.open(logPath, 'a');
  const useNetns = options.netns ?? true;
  // containerd writes what it dumps (its stacks on SIGUSR1) to its TMPDIR: the daemon's directory, removed with it.
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir };
  if (options.privilegedWrapper) env.PATH = `${await writeRuncWrapper(dir)}:${process.env.PATH ?? ''}`;
  const command = options.netnsOf
    ? ['nsenter', `--net=/proc/${options.netnsOf}/ns/net`, '--', binaries.dockerd, ...args]
    : useNetns
      ? ['unshare', '-n', binaries.dockerd, ...args]
      : [binaries.dockerd, ...args];
  pidfiles.add(pidfile);
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', log.fd, log.fd],
    detached: true,
    env,
  });
  let exited: number | null | undefined;
  running.add(child);
  let signal: NodeJS.Signals | null = null;
  child.on('exit', (code, by) => {
    exited = code;
    signal = by;
    running.delete(child);
  });
  child.on('error', () => (exited = -1));
  const readLog = () => fs.readFile(logPath, 'utf8').catch(() => '');
  const outcome = await until(async () => (exited !== undefined ? 'exited' : (await ping(socket, 500)) && 'answers'), {
    what: 'dockerd to answer',
    timeoutMs: options.timeoutMs ?? 60_000,
  }).catch(() => 'late' as const);
  await log.close();
  if (outcome !== 'answers') {
    await killAndWait(child);
    // What it started before it gave up (its containerd) goes with it.
    await killLeftovers(dir);
    const text = await readLog();
    if (!options.dir) await removeDir(dir);
    if (outcome === 'late') return { started: false, exitCode: null, log: `dockerd did not answer within the time limit\n${text}` };
    return { started: false, exitCode: exited ?? null, log: signal ? `dockerd was killed by ${signal}\n${text}` : text };
  }
  const cliEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(dir, 'client') };
  const daemon: PrivateDockerd = {
    dir,
    socket,
    host: `unix://${socket}`,
    configPath,
    pidfile,
    args: [binaries.dockerd, ...args],
    pid: child.pid!,
    engine,
    logs: readLog,
    async controllerRecord() {
      const file = path.join(dir, 'controller.json');
      await fs.writeFile(file, JSON.stringify({ pidfile, argv: command, log: logPath }));
      return file;
    },
    async docker(cliArgs, input) {
      return dockerCli(cliArgs, cliEnv, input);
    },
    async stop() {
      await killAndWait(child);
      await killPidfile(pidfile);
      pidfiles.delete(pidfile);
      await killLeftovers(dir);
      if (!options.dir) await removeDir(dir);
      ownDirs.delete(dir);
    },
  };
  return { started: true, daemon };
}

/** The tests' docker CLI: bookworm's docker.io, installed with Engine 20.10. */
export const DOCKER_CLI = '/usr/bin/docker';

export function dockerCli(args: string[], env: NodeJS.ProcessEnv, input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    // Debian's docker.io CLI (20.10), whatever else is on PATH: every engine is driven by the same client, which
    // negotiates the API version down to an older daemon's.
    const child = spawn(DOCKER_CLI, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`docker ${args.join(' ')} exited ${code}: ${err.trim()}`)),
    );
    child.stdin.end(input);
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await done;
  clearTimeout(timer);
}

/**
 * What a stopped daemon leaves running: with live-restore on (or after a SIGKILL) its containers outlive it, held by
 * containerd shims whose arguments name the daemon's directory (the containerd socket under its exec-root), and a
 * daemon restarted outside the harness may hold it too. Each of those programs (proven by /proc/PID/exe, never by the
 * name a process gives itself) is stopped with everything below it (the containers' processes, some of which ignore
 * SIGTERM): SIGTERM, a bounded wait, then SIGKILL, until none is left.
 */
export async function killLeftovers(dir: string): Promise<void> {
  const doomed = daemonTree(dir);
  if (doomed.length === 0) return;
  signalAll(doomed, 'SIGTERM');
  const stopped = await until(() => !anyAlive(doomed), { what: `the processes of ${dir} to stop on SIGTERM`, timeoutMs: 3_000 }).catch(
    () => false,
  );
  if (stopped) return;
  // Whatever the shims started since (a restart policy) is part of the tree now.
  const rest = [...new Set([...doomed, ...daemonTree(dir)])];
  signalAll(rest, 'SIGKILL');
  await until(() => !anyAlive(rest), { what: `the processes of ${dir} to go on SIGKILL`, timeoutMs: 30_000 });
}

/** Removes a daemon's directory, unmounting whatever dockerd left mounted under it first. */
export async function removeDir(dir: string): Promise<void> {
  for (const m of mountsUnder(dir)) await run('umount', ['-l', m]).catch(() => undefined);
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

let rootfsTar: Promise<Buffer> | undefined;

/** A tar of a minimal root filesystem holding Debian's static busybox: test images without any registry. */
export function busyboxRootfsTar(): Promise<Buffer> {
  rootfsTar ??= (async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-rootfs-'));
    await fs.mkdir(path.join(dir, 'bin'), { recursive: true });
    await fs.copyFile('/bin/busybox', path.join(dir, 'bin', 'busybox'));
    for (const applet of ['sh', 'sleep', 'true', 'id', 'cat']) await fs.symlink('busybox', path.join(dir, 'bin', applet));
    const { stdout } = await run('tar', ['-C', dir, '-c', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    await fs.rm(dir, { recursive: true, force: true });
    return stdout as unknown as Buffer;
  })();
  return rootfsTar;
}

/** Imports the busybox root filesystem as `tag`, with a long sleep as its command. */
export async function importBusybox(daemon: PrivateDockerd, tag = 'dockhand-test/busybox:1'): Promise<string> {
  await daemon.docker(['import', '--change', 'CMD ["/bin/sleep","3600"]', '-', tag], await busyboxRootfsTar());
  return tag;
}

/** The part of `docker inspect` tests wait on. */
export interface ContainerInspect {
  RestartCount: number;
  State: { Status: string; ExitCode: number; OOMKilled: boolean; Health?: { Status: string } };
}

/** Polls inspect until the container reaches a state; bounded in time so a wrong expectation fails, never hangs. */
export async function waitForContainer(
  daemon: PrivateDockerd,
  name: string,
  reached: (c: ContainerInspect) => boolean,
): Promise<ContainerInspect> {
  let last: ContainerInspect | undefined;
  return until(
    async () => {
      last = (JSON.parse(await daemon.docker(['inspect', name])) as ContainerInspect[])[0]!;
      return reached(last) ? last : null;
    },
    { what: `container ${name} to reach the expected state`, timeoutMs: 120_000, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last: ${JSON.stringify(last)}`);
  });
}
