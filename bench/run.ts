// `npm run bench`: a full `dockhand audit --format json` against a private dockerd with 0, 100 and 1,000 containers,
// next to the API floor measured in the same run; then `dockhand disk` next to `docker system df -v` (and a bare node
// process that only GETs /system/df, the least any Node tool can do). Prints medians, ratios, the audit's peak RSS and
// report size. Not a test: no assertions.
//
// Three floors, each timed wall-clock like the audit: the reads with the docker CLI (the definition: `docker ps`,
// `docker inspect` of every container, `docker system df`, `docker info`); the same API calls as a fresh `node`
// process (process start-up and a cold JIT, as any Node tool pays); and the calls alone inside this warm process (what
// Dockhand adds on top of the raw calls).
//
// BENCH_SIZES=0,100,1000 (default), BENCH_RUNS=5, BENCH_RUNNING=1 starts the containers (busybox sleep) instead of
// only creating them, BENCH_BIN=a.cjs,b.cjs times these builds of bin/dockhand.cjs side by side on the same daemon (e.g.
// main's and this checkout's, for before/after figures), BENCH_SKIP_PRUNE=1 leaves out the prune bench.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { build } from 'esbuild';
import path from 'node:path';
import { importBusybox, runningDockerd } from '../test/support/dockerd';
import { mapLimit } from '../main/util/timeout';
import { apiFloor } from './engine-floor';
import { median, post } from './engine-post';
import { runPruneBench } from './prune';

// BENCH_ONLY=prune runs only the prune-planning bench (bench/prune.ts); otherwise it runs after the audit bench.
if (process.env.BENCH_ONLY === 'prune') {
  await runPruneBench();
  process.exit(0);
}

const SIZES = (process.env.BENCH_SIZES ?? '0,100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** BENCH_RUNNING=1 starts the containers (sleeping) instead of only creating them. */
const RUNNING = process.env.BENCH_RUNNING === '1';
const BINS = (process.env.BENCH_BIN ?? path.join(import.meta.dirname, '../bin/dockhand.cjs')).split(',').map((b) => path.resolve(b));
const DOCKER = '/usr/bin/docker';

interface Run {
  ms: number;
  code: number | null;
  stdout: Buffer;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout: Buffer.concat(chunks) }));
  });
}

async function timed(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const r = await run(command, args, env);
  if (!((r.code === 0 || r.code === 4 || r.code === 1) && r.stdout.length > 0))
    throw new Error(`${command} ${args.join(' ')} exited ${r.code}`);
  return r.ms;
}

const TMP = await fs.mkdtemp(path.join(os.tmpdir(), 'dockhand-bench-'));
const FLOOR_BUNDLE = path.join(TMP, 'floor.cjs');
await build({
  entryPoints: [path.join(import.meta.dirname, 'floor-process.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: FLOOR_BUNDLE,
  logLevel: 'error',
});
/** Preloaded into one extra audit per size: writes the process's peak RSS (KiB) where the environment says. */
/**
 * The least any Node process can do for `disk`: start, one GET /system/df over the socket, print it. Beside `docker
 * system df -v` it shows how much of disk's ratio is Node's own start-up, which no code of Dockhand's can remove.
 */
const DF_MIN = path.join(TMP, 'df-min.cjs');
await fs.writeFile(
  DF_MIN,
  "require('node:http').get({ socketPath: process.argv[2], path: '/system/df' }, (res) => res.pipe(process.stdout));\n",
);
const RSS_PRELOAD = path.join(TMP, 'rss.cjs');
await fs.writeFile(
  RSS_PRELOAD,
  "process.once('exit', () => require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
);
const auditArgs = (bin: string, host: string) => [bin, 'audit', '--format', 'json', '--host', host];
/**
 * Each build its own compile cache, as each installation has: bin/dockhand.cjs keeps one cache file and deletes those
 * of other builds, so two builds timed side by side in one cache would each start cold every time.
 */
const binEnv = (bin: string): NodeJS.ProcessEnv => ({ ...process.env, XDG_CACHE_HOME: path.join(TMP, `cache-${BINS.indexOf(bin)}`) });
const timeAudit = (bin: string, host: string) => timed(process.execPath, auditArgs(bin, host), binEnv(bin));
const timeFloorProcess = (socket: string) => timed(process.execPath, [FLOOR_BUNDLE, socket]);
/**
 * The issue's own floor: the same reads with the docker CLI (list and inspect every container, /system/df, /info), as a
 * user would script them. `echo` keeps stdout non-empty at 0 containers, which `timed` checks.
 */
const CLI_FLOOR = `ids=$(${DOCKER} ps -aq --no-trunc); if [ -n "$ids" ]; then ${DOCKER} inspect $ids; fi; ${DOCKER} system df >/dev/null; ${DOCKER} info >/dev/null; echo done`;
const timeCliFloor = (env: NodeJS.ProcessEnv) => timed('/bin/sh', ['-c', CLI_FLOOR], env);

/** One more audit with the RSS probe: peak RSS, report bytes, exit code, collectors that did not finish. */
async function auditShape(
  bin: string,
  host: string,
): Promise<{ rssKiB: number; bytes: number; code: number | null; unfinished: string[]; findings: number }> {
  const rssFile = path.join(TMP, 'rss');
  const r = await run(process.execPath, ['-r', RSS_PRELOAD, ...auditArgs(bin, host)], { ...binEnv(bin), BENCH_RSS_FILE: rssFile });
  const rssKiB = Number(await fs.readFile(rssFile, 'utf8'));
  let unfinished: string[];
  let findings = 0;
  try {
    const report = JSON.parse(r.stdout.toString('utf8')) as { timings: { name: string; status: string }[]; findings: unknown[] };
    unfinished = report.timings.filter((t) => t.status === 'timeout' || t.status === 'error').map((t) => `${t.name}:${t.status}`);
    findings = report.findings.length;
  } catch (error) {
    unfinished = [`report unreadable: ${(error as Error).message}`];
  }
  return { rssKiB, bytes: r.stdout.length, code: r.code, unfinished, findings };
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const daemon = await runningDockerd({ daemonJson: { 'log-opts': { 'max-size': '10m' } }, pidfileBesideSocket: true });
try {
  const image = await importBusybox(daemon);
  const dockerEnv = { ...process.env, DOCKER_HOST: daemon.host, DOCKER_CONFIG: path.join(TMP, 'docker-config') };
  let created = 0;
  console.log(`audit vs API floor (${RUNS} runs each, medians; containers ${RUNNING ? 'running' : 'created, not started'})`);
  const rows: string[] = [];
  const shapes: string[] = [];
  const disks: string[] = [];
  for (const size of SIZES) {
    const toCreate = Array.from({ length: Math.max(0, size - created) }, (_, i) => created + i);
    await mapLimit(toCreate, 8, async (i) => {
      const res = await post(daemon.socket, `/containers/create?name=idle-${i}`, {
        Image: image,
        Cmd: ['/bin/sleep', '86400'],
        Labels: { bench: 'dockhand' },
      });
      if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
      if (RUNNING) {
        const started = await post(daemon.socket, `/containers/${(res.json as { Id: string }).Id}/start`, {});
        if (started.status !== 204) throw new Error(`start failed: ${JSON.stringify(started.json)}`);
      }
    });
    created = Math.max(created, size);
    // Warm both paths once (page cache, daemon caches), then alternate so drift hits both equally.
    await apiFloor(daemon.socket);
    for (const bin of BINS) await timeAudit(bin, daemon.host);
    const audits = BINS.map(() => [] as number[]);
    const diskRuns = BINS.map(() => [] as number[]);
    const floors: number[] = [];
    const processFloors: number[] = [];
    const cliFloors: number[] = [];
    const dfRuns: number[] = [];
    const dfMinRuns: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      floors.push(await apiFloor(daemon.socket));
      processFloors.push(await timeFloorProcess(daemon.socket));
      cliFloors.push(await timeCliFloor(dockerEnv));
      dfRuns.push(await timed(DOCKER, ['system', 'df', '-v'], dockerEnv));
      dfMinRuns.push(await timed(process.execPath, [DF_MIN, daemon.socket]));
      for (const [b, bin] of BINS.entries()) {
        audits[b]!.push(await timeAudit(bin, daemon.host));
        diskRuns[b]!.push(await timed(process.execPath, [bin, 'disk', '--format', 'json', '--host', daemon.host], binEnv(bin)));
      }
    }
    const f = median(floors);
    const pf = median(processFloors);
    const cf = median(cliFloors);
    const df = median(dfRuns);
    const dfMin = median(dfMinRuns);
    for (const [b, bin] of BINS.entries()) {
      const name = BINS.length > 1 ? ` ${bin}` : '';
      const a = median(audits[b]!);
      rows.push(
        `${pad(size, 10)} | ${pad(a.toFixed(0), 10)} | ${pad(cf.toFixed(0), 20)} | ${pad((a / cf).toFixed(2), 5)} | ${pad(pf.toFixed(0), 19)} | ${pad((a / pf).toFixed(2), 5)} | ${pad(f.toFixed(0), 21)} | ${pad((a / f).toFixed(2), 5)}${name}`,
      );
      const shape = await auditShape(bin, daemon.host);
      const perContainer =
        size > 0
          ? ` | ${pad((shape.rssKiB / size).toFixed(1), 9)} | ${pad((shape.bytes / size).toFixed(0), 7)}`
          : ` | ${pad('-', 9)} | ${pad('-', 7)}`;
      shapes.push(
        `${pad(size, 10)} | ${pad((shape.rssKiB / 1024).toFixed(0), 9)} | ${pad((shape.bytes / 1e6).toFixed(2), 9)}${perContainer} | ${pad(shape.findings, 8)} | ${pad(String(shape.code), 4)} | ${shape.unfinished.join(', ') || 'none'}${name}`,
      );
      const d = median(diskRuns[b]!);
      disks.push(
        `${pad(size, 10)} | ${pad(d.toFixed(0), 9)} | ${pad(df.toFixed(0), 24)} | ${pad((d / df).toFixed(2), 5)} | ${pad(dfMin.toFixed(0), 26)} | ${pad((dfMin / df).toFixed(2), 5)}${name}`,
      );
    }
    console.log(`  ${size} containers measured`);
  }
  console.log('containers | audit (ms) | floor, docker CLI (ms) | ratio | floor, process (ms) | ratio | floor, in-process (ms) | ratio');
  for (const row of rows) console.log(row);
  console.log('\naudit shape (one extra run with an RSS probe): peak RSS, JSON report size, per container (KiB of RSS, bytes of JSON)');
  console.log('containers | RSS (MiB) | JSON (MB) | KiB/cont. | B/cont. | findings | exit | collectors not finished');
  for (const row of shapes) console.log(row);
  console.log(`\ndockhand disk vs docker system df -v (${RUNS} runs each, medians)`);
  console.log('containers | disk (ms) | docker system df -v (ms) | ratio | bare node GET /system/df (ms) | ratio');
  for (const row of disks) console.log(row);
} finally {
  await daemon.stop();
  await fs.rm(TMP, { recursive: true, force: true });
}
if (process.env.BENCH_SKIP_PRUNE !== '1') await runPruneBench();
