// `npm run bench` (transport part): does dockerode meet the audit's target for its bulk reads, or is the read-only
// pipelining client (main/collect/http1-reads.ts) needed? Each client runs as a cold process (bench/transport-client.ts:
// load, ping, list and inspect every container, /system/df, /info) over the unix socket, TCP with mutual TLS and ssh,
// next to the floor measured in the same run with the docker CLI (`docker ps -aq`, `docker inspect` of them all,
// `docker system df`, `docker info`, run in parallel as the audit does). Medians of BENCH_RUNS; not a test.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { build } from 'esbuild';
import { mapLimit } from '../main/util/timeout';
import { DOCKER_CLI, importBusybox } from '../test/support/dockerd';
import { startEndpoints } from '../test/transport/endpoints';
import { median, post } from './engine-post';

const SIZES = (process.env.BENCH_SIZES ?? '0,100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RUNNING = process.env.BENCH_RUNNING === '1';
const ENGINE = (process.env.BENCH_ENGINE ?? '28.5') as '28.5';

const BUNDLE = path.join(os.tmpdir(), `dockhand-transport-client-${process.pid}.cjs`);
// The client bundled as the CLI is (dockerode stays external, loaded from node_modules when used).
await build({
  entryPoints: [path.join(import.meta.dirname, 'transport-client.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: BUNDLE,
  logLevel: 'error',
  external: ['dockerode'],
  define: { 'import.meta.dirname': '__dirname' },
  mainFields: ['module', 'main'],
});
// The bundle resolves dockerode from its own directory: put it next to node_modules.
const bundle = path.join(path.resolve(import.meta.dirname, '..'), 'dist', path.basename(BUNDLE));
await fs.mkdir(path.dirname(bundle), { recursive: true });
await fs.rename(BUNDLE, bundle);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} exited ${code}: ${err.slice(-500)}`)),
    );
  });
}

async function timeClient(endpoint: object, reads: string, env: NodeJS.ProcessEnv): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const out = await run(process.execPath, [bundle, JSON.stringify(endpoint), reads], env);
  const wall = performance.now() - t0;
  return { wall, cpu: Number(out.trim().split(' ')[1]) };
}

async function timeCliFloor(hostArg: string, env: NodeJS.ProcessEnv): Promise<number> {
  const docker = (args: string[]) => run(DOCKER_CLI, ['--host', hostArg, ...args], env);
  const t0 = performance.now();
  await Promise.all([
    (async () => {
      const ids = (await docker(['ps', '-aq', '--no-trunc'])).split('\n').filter(Boolean);
      if (ids.length) await docker(['inspect', ...ids]);
    })(),
    docker(['system', 'df']),
    docker(['info']),
  ]);
  return performance.now() - t0;
}

/** The whole audit over one endpoint, as a user runs it (the built CLI, a cold process). */
const CLI = path.join(import.meta.dirname, '..', 'bin', 'dockhand.cjs');
async function timeAudit(hostArg: string, env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  await run(process.execPath, [CLI, 'audit', '--format', 'json', '--timeout', '60000', '--host', hostArg], env).catch((error: Error) => {
    // Exit 1 (findings failed) is an audit that ran to the end; anything else is not a figure.
    if (!/exited 1:/.test(error.message)) throw new Error(`the audit over ${hostArg} did not complete: ${error.message}`);
  });
  return performance.now() - t0;
}

const e = await startEndpoints(ENGINE);
const audits: string[] = [];
try {
  const image = await importBusybox(e.daemon);
  const config = { DOCKER_CONFIG: path.join(e.daemon.dir, 'client') };
  const plain = e.sshd.clientEnv({ ...process.env, ...config });
  const paths = [
    { name: 'unix', endpoint: e.unix, host: e.unix.host, reads: ['http1-reads', 'dockerode'], env: plain },
    // The docker CLI applies DOCKER_TLS_VERIFY to any endpoint: only here.
    { name: 'tls', endpoint: e.tcp(), host: e.tcpHost, reads: ['http1-reads', 'dockerode'], env: e.cliEnv(config) },
    { name: 'ssh', endpoint: e.ssh, host: e.ssh.host, reads: ['dockerode'], env: plain },
  ];
  let created = 0;
  console.log(
    `\nEngine client bulk reads, cold process, vs the docker CLI floor (engine ${ENGINE}, ${RUNS} runs, medians; containers ${RUNNING ? 'running' : 'created'})`,
  );
  console.log('containers | endpoint | client      | wall (ms) | cpu (ms) | CLI floor (ms) | wall / floor');
  for (const size of SIZES) {
    const toCreate = Array.from({ length: Math.max(0, size - created) }, (_, i) => created + i);
    await mapLimit(toCreate, 8, async (i) => {
      const res = await post(e.daemon.socket, `/containers/create?name=idle-${i}`, {
        Image: image,
        Cmd: ['/bin/sleep', '86400'],
        HostConfig: { NetworkMode: 'none' },
      });
      if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
      if (RUNNING) await post(e.daemon.socket, `/containers/${(res.json as { Id: string }).Id}/start`, {});
    });
    created = Math.max(created, size);
    for (const p of paths) {
      // Warm once (page cache, the daemon's caches, sshd), then alternate so drift hits every client alike.
      await timeCliFloor(p.host, p.env);
      const floor: number[] = [];
      const results = new Map(p.reads.map((r) => [r, { wall: [] as number[], cpu: [] as number[] }]));
      for (const reads of p.reads) await timeClient(p.endpoint, reads, p.env);
      for (let r = 0; r < RUNS; r++) {
        floor.push(await timeCliFloor(p.host, p.env));
        for (const reads of p.reads) {
          const t = await timeClient(p.endpoint, reads, p.env);
          results.get(reads)!.wall.push(t.wall);
          results.get(reads)!.cpu.push(t.cpu);
        }
      }
      const f = median(floor);
      await timeAudit(p.host, p.env);
      const audit: number[] = [];
      for (let r = 0; r < RUNS; r++) audit.push(await timeAudit(p.host, p.env));
      audits.push(
        `${String(size).padStart(10)} | ${p.name.padEnd(8)} | ${median(audit).toFixed(0).padStart(10)} | ${f.toFixed(0).padStart(14)} | ${(median(audit) / f).toFixed(2).padStart(12)}`,
      );
      for (const [reads, t] of results) {
        const w = median(t.wall);
        console.log(
          `${String(size).padStart(10)} | ${p.name.padEnd(8)} | ${reads.padEnd(11)} | ${w.toFixed(0).padStart(9)} | ${median(t.cpu).toFixed(0).padStart(8)} | ${f.toFixed(0).padStart(14)} | ${(w / f).toFixed(2).padStart(12)}`,
        );
      }
    }
  }
  console.log(`\nThe whole audit (dockhand audit --format json), cold process, vs the same docker CLI floor`);
  console.log('containers | endpoint | audit (ms) | CLI floor (ms) | audit / floor');
  for (const row of audits) console.log(row);
} finally {
  await e.stop();
  await fs.rm(bundle, { force: true });
}
