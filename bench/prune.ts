// Prune planning at scale, part of `npm run bench` (alone: BENCH_ONLY=prune npm run bench). A private dockerd gets
// BENCH_PRUNE_IMAGES images (default 500, committed locally from a few containers, so they share layers as built
// images do) and BENCH_PRUNE_CONTAINERS stopped containers (default 1,000) spread over half of them. Then it times, as
// medians: `dockhand audit --format json` (the audit's snapshot), `dockhand prune plan --format json`, and inside this
// process the prune snapshot and the pure planning step. Not a test: no assertions.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { importBusybox, runningDockerd } from '../test/support/dockerd';
import { LocalHost } from '../main/host/local-host';
import { connectEngine } from '../main/prune/connect';
import { buildPlan, defaultPruneOptions } from '../main/prune/plan';
import { takeSnapshot } from '../main/prune/snapshot';
import { mapLimit } from '../main/util/timeout';
import { median, post } from './engine-post';

const IMAGES = Number(process.env.BENCH_PRUNE_IMAGES ?? 500);
const CONTAINERS = Number(process.env.BENCH_PRUNE_CONTAINERS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Containers whose filesystems the images are committed from: each gives a distinct top layer. */
const SOURCES = 10;
const BIN = path.resolve(import.meta.dirname, '../bin/dockhand.cjs');

function timeCli(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || code === 1 || code === 4
        ? resolve(performance.now() - t0)
        : reject(new Error(`dockhand ${args.join(' ')} exited ${code}`)),
    );
  });
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

export async function runPruneBench(): Promise<void> {
  const daemon = await runningDockerd({ daemonJson: {}, pidfileBesideSocket: true });
  try {
    const base = await importBusybox(daemon, 'bench/base:1');
    const sources: string[] = [];
    for (let s = 0; s < SOURCES; s++) {
      const created = await post(daemon.socket, `/containers/create?name=source-${s}`, {
        Image: base,
        Cmd: ['/bin/sh', '-c', `head -c ${(s + 1) * 10_000} /dev/urandom > /layer-${s}`],
      });
      const id = (created.json as { Id: string }).Id;
      await post(daemon.socket, `/containers/${id}/start`, {});
      await post(daemon.socket, `/containers/${id}/wait`, {});
      sources.push(id);
    }
    const t0 = performance.now();
    const images = await mapLimit(
      Array.from({ length: IMAGES }, (_, i) => i),
      4,
      async (i) => {
        const res = await post(daemon.socket, `/commit?container=${sources[i % SOURCES]}&repo=bench/img&tag=${i}`, {
          Labels: { n: String(i) },
        });
        if (res.status !== 201) throw new Error(`commit failed: ${JSON.stringify(res.json)}`);
        return `bench/img:${i}`;
      },
    );
    await mapLimit(
      Array.from({ length: CONTAINERS }, (_, i) => i),
      8,
      async (i) => {
        const res = await post(daemon.socket, `/containers/create?name=idle-${i}`, {
          Image: images[i % Math.max(1, Math.floor(IMAGES / 2))],
          Cmd: ['/bin/sleep', '1'],
        });
        if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.json)}`);
      },
    );
    console.log(
      `\nprune planning: ${IMAGES} images (over ${SOURCES} distinct top layers), ${CONTAINERS} stopped containers (set up in ${((performance.now() - t0) / 1000).toFixed(0)} s); ${RUNS} runs, medians`,
    );

    const { api, endpoint } = await connectEngine(new LocalHost(), { host: daemon.host }, 60_000);
    const snapshots: number[] = [];
    const plans: number[] = [];
    let removals = 0;
    try {
      for (let r = 0; r < RUNS + 1; r++) {
        const snap = await timed(() => takeSnapshot(api, new LocalHost(), endpoint, 60_000));
        const planned = await timed(() =>
          buildPlan(snap.value, defaultPruneOptions(), { now: new Date(), planId: randomUUID(), toolVersion: 'bench' }),
        );
        removals = planned.value.remove.length;
        if (r === 0) continue; // warm-up
        snapshots.push(snap.ms);
        plans.push(planned.ms);
      }
    } finally {
      api.close();
    }
    await timeCli(['audit', '--format', 'json', '--host', daemon.host]);
    await timeCli(['prune', 'plan', '--format', 'json', '--host', daemon.host]);
    const audits: number[] = [];
    const planCli: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      audits.push(await timeCli(['audit', '--format', 'json', '--host', daemon.host]));
      planCli.push(await timeCli(['prune', 'plan', '--format', 'json', '--host', daemon.host]));
    }
    const a = median(audits);
    const p = median(planCli);
    console.log('step                                   | ms (median)');
    console.log(`pure planning (buildPlan)              | ${median(plans).toFixed(1).padStart(8)}   (${removals} removals planned)`);
    console.log(`prune snapshot, in process             | ${median(snapshots).toFixed(0).padStart(8)}`);
    console.log(`dockhand prune plan --format json      | ${p.toFixed(0).padStart(8)}`);
    console.log(`dockhand audit --format json           | ${a.toFixed(0).padStart(8)}`);
    console.log(`prune plan minus audit                 | ${(p - a).toFixed(0).padStart(8)}`);
  } finally {
    await daemon.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPruneBench();
