// `npm run bench`: a full `dockhand audit --format json` against a private dockerd with 0, 100 and 1,000 idle
// containers, next to the API floor measured in the same run. Prints medians and the ratio. Not a test: no assertions.
//
// Two floors: the API calls alone inside this (warm) process, and the same calls as a fresh `node` process, timed
// wall-clock like the audit. The second is the like-for-like one: any tool a user runs pays process start-up and a
// cold JIT; the first shows what Dockhand adds on top of the raw calls.
import { spawn } from 'node:child_process';
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
const BIN = path.resolve(import.meta.dirname, '../bin/dockhand.cjs');


function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (c: Buffer) => (bytes += c.length));
    child.on('error', reject);
    child.on('close', (code) => ((code === 0 || code === 4 || code === 1) && bytes > 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

const FLOOR_BUNDLE = path.join(os.tmpdir(), `dockhand-floor-${process.pid}.cjs`);
await build({ entryPoints: [path.join(import.meta.dirname, 'floor-process.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: FLOOR_BUNDLE, logLevel: 'error' });
const timeAudit = (host: string) => timeProcess([BIN, 'audit', '--format', 'json', '--host', host]);
const timeFloorProcess = (socket: string) => timeProcess([FLOOR_BUNDLE, socket]);

const daemon = await runningDockerd({ daemonJson: { 'log-opts': { 'max-size': '10m' } } });
try {
  const image = await importBusybox(daemon);
  let created = 0;
  console.log(`dockhand audit vs API floor (${RUNS} runs each, medians; containers ${RUNNING ? 'running' : 'created, not started'})`);
  console.log('containers | audit (ms) | floor, process (ms) | ratio | floor, in-process (ms) | ratio');
  for (const size of SIZES) {
    const toCreate = Array.from({ length: Math.max(0, size - created) }, (_, i) => created + i);
    await mapLimit(toCreate, 8, async (i) => {
      const res = await post(daemon.socket, `/containers/create?name=idle-${i}`, { Image: image, Cmd: ['/bin/sleep', '86400'], Labels: { bench: 'dockhand' } });
      if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
      if (RUNNING) await post(daemon.socket, `/containers/${(res.json as { Id: string }).Id}/start`, {});
    });
    created = Math.max(created, size);
    // Warm both paths once (page cache, daemon caches), then alternate so drift hits both equally.
    await apiFloor(daemon.socket);
    await timeAudit(daemon.host);
    const audits: number[] = [];
    const floors: number[] = [];
    const processFloors: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      floors.push(await apiFloor(daemon.socket));
      processFloors.push(await timeFloorProcess(daemon.socket));
      audits.push(await timeAudit(daemon.host));
    }
    const a = median(audits);
    const f = median(floors);
    const pf = median(processFloors);
    console.log(`${String(size).padStart(10)} | ${a.toFixed(0).padStart(10)} | ${pf.toFixed(0).padStart(19)} | ${(a / pf).toFixed(2).padStart(5)} | ${f.toFixed(0).padStart(21)} | ${(a / f).toFixed(2).padStart(5)}`);
  }
} finally {
  await daemon.stop();
  await import('node:fs/promises').then((fs) => fs.rm(FLOOR_BUNDLE, { force: true }));
}
await runPruneBench();
