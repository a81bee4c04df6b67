import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatBytes } from '../../shared/format';
import { type PrunePlan, PruneResultSchema, type PruneProgress } from '../../shared/prune';
import { DOCKER_CLI, forEachEngine, importBusybox, type PrivateDockerd, runningDockerd } from '../../test/support/dockerd';
import type { EngineApi } from '../collect/engine-api';
import { LocalHost } from '../host/local-host';
import { applyPlan } from './apply';
import { connectEngine } from './connect';
import { buildPlan, defaultPruneOptions } from './plan';
import { ImageLayerCache } from './layer-cache';
import { takeSnapshot } from './snapshot';

/**
 * Prune against a real private dockerd, on each engine: images sharing layers built with BuildKit FROM a local base, a
 * running container and its image, stopped containers, dangling images, protected objects, anonymous and named volumes
 * in and out of use, build cache. The plan must be exact, the apply safe, and the prediction match what the Engine
 * frees.
 */

/**
 * Debian's docker.io CLI (20.10) builds with BuildKit by itself; newer CLIs need the buildx plugin, which has no
 * Debian package here. The tests' prerequisites install docker.io, so this binary is there.
 */
const BUILDKIT_CLI = DOCKER_CLI;

function buildkitBuild(daemon: PrivateDockerd, tag: string, dockerfile: string): Promise<void> {
  return (async () => {
    const dir = await fs.mkdtemp(path.join(daemon.dir, 'ctx-'));
    await fs.writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(BUILDKIT_CLI, ['build', '-q', '-t', tag, dir], {
        env: { ...process.env, DOCKER_HOST: daemon.host, DOCKER_BUILDKIT: '1', DOCKER_CONFIG: path.join(daemon.dir, 'client') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker build ${tag} exited ${code}: ${err}`))));
    });
  })();
}

/** Random bytes, so no two layers are the same by accident. */
const random = (bytes: number, file: string) => `RUN head -c ${bytes} /dev/urandom > ${file}`;

async function plan(api: EngineApi, endpointHost: string, options = defaultPruneOptions()): Promise<PrunePlan> {
  const host = new LocalHost();
  const snapshot = await takeSnapshot(
    api,
    host,
    { host: endpointHost, transport: 'unix', tls: null, context: null, reason: 'test', flavour: 'unknown' },
    10_000,
  );
  return buildPlan(snapshot, options, { now: new Date(), planId: `test-${Date.now()}`, toolVersion: 'test' });
}

const names = (p: PrunePlan, type: string) =>
  p.remove
    .filter((r) => r.type === type)
    .map((r) => r.name)
    .sort();
const kept = (p: PrunePlan, type: string) => Object.fromEntries(p.keep.filter((k) => k.type === type).map((k) => [k.name, k.reason]));

forEachEngine('prune against a real dockerd', (engine, test) => {
  let daemon: PrivateDockerd;
  let api: EngineApi;
  const anonymous: { inUse?: string; unused?: string } = {};

  before(async () => {
    daemon = await runningDockerd({ engine, daemonJson: {} });
    await importBusybox(daemon, 'base:1');
    await buildkitBuild(daemon, 'mid:1', `FROM base:1\nENV A=1\nWORKDIR /app\n${random(3_000_000, '/app/shared.bin')}\nLABEL stage=mid\n`);
    await buildkitBuild(daemon, 'childa:1', `FROM mid:1\n${random(1_000_000, '/app/a.bin')}\nCMD ["/bin/sleep", "3600"]\n`);
    await buildkitBuild(daemon, 'childb:1', `FROM mid:1\nRUN mkdir /b\n${random(2_000_000, '/b/b.bin')}\n`);
    await buildkitBuild(daemon, 'protected:1', `FROM base:1\nLABEL dockhand.protect=true\n${random(500_000, '/p.bin')}\n`);
    // Built twice under one tag: the first build becomes a dangling image.
    await buildkitBuild(daemon, 'dang:1', `FROM base:1\n${random(700_000, '/d1.bin')}\n`);
    await buildkitBuild(daemon, 'dang:1', `FROM base:1\n${random(800_000, '/d2.bin')}\n`);

    await daemon.docker(['run', '-d', '--name', 'web', '-v', '/data', 'childa:1']);
    await daemon.docker([
      'run',
      '--name',
      'job',
      '-v',
      'jobvol:/out',
      'childb:1',
      'sh',
      '-c',
      'head -c 200000 /dev/urandom > /big; head -c 50000 /dev/urandom > /out/o; echo done',
    ]);
    await daemon.docker(['run', '--name', 'tmp', '-v', '/scratch', 'base:1', 'sh', '-c', 'head -c 300000 /dev/urandom > /scratch/f']);
    await daemon.docker(['rm', 'tmp']); // leaves its anonymous volume behind, unused
    await daemon.docker(['create', '--name', 'sleeper', 'childa:1']);
    for (const [name, label] of [
      ['keepme', null],
      ['precious', 'dockhand.protect=true'],
    ] as const) {
      await daemon.docker(['volume', 'create', ...(label ? ['--label', label] : []), name]);
      await daemon.docker(['run', '--rm', '-v', `${name}:/v`, 'base:1', 'sh', '-c', 'head -c 400000 /dev/urandom > /v/f']);
    }
    await daemon.docker(['network', 'create', 'idle-net']);
    const volumes = JSON.parse(
      await daemon.docker(['volume', 'ls', '--format', '{{json .Name}}']).then((t) => `[${t.split('\n').join(',')}]`),
    ) as string[];
    const webMounts = JSON.parse(await daemon.docker(['inspect', '--format', '{{json .Mounts}}', 'web'])) as { Name: string }[];
    anonymous.inUse = webMounts[0]!.Name;
    anonymous.unused = volumes.find((v) => /^[0-9a-f]{64}$/.test(v) && v !== anonymous.inUse);
    ({ api } = await connectEngine(new LocalHost(), { host: daemon.host }, 10_000));
  });
  after(async () => {
    api?.close();
    await daemon?.stop();
  });

  test('per-layer sizes from the image history are exactly the layer store’s own sizes', async () => {
    const snapshot = await takeSnapshot(
      api,
      new LocalHost(),
      { host: daemon.host, transport: 'unix', tls: null, context: null, reason: 'test', flavour: 'unknown' },
      10_000,
    );
    let layers = 0;
    for (const image of snapshot.images) {
      assert.equal(image.layers.ambiguousBytes, 0, `${image.tags[0]}: alignment settled`);
      assert.equal(
        image.layers.sizes.reduce((a, b) => a + b, 0),
        image.size,
        `${image.tags[0]}: layer sizes add up to the Engine's image Size`,
      );
      for (const [i, chainId] of image.layers.chain.entries()) {
        const onDisk = Number(
          await fs.readFile(path.join(daemon.dir, 'data/image/overlay2/layerdb/sha256', chainId.replace('sha256:', ''), 'size'), 'utf8'),
        );
        assert.equal(image.layers.sizes[i], onDisk, `${image.tags[0]} layer ${i}`);
        layers++;
      }
    }
    assert.ok(layers >= 12);
  });

  test('with a layer cache, a second snapshot inspects no image and aligns the same layers; gone images are forgotten', async () => {
    const endpoint = {
      host: daemon.host,
      transport: 'unix' as const,
      tls: null,
      context: null,
      reason: 'test',
      flavour: 'unknown' as const,
    };
    const cache = new ImageLayerCache();
    const calls: string[] = [];
    const counting: EngineApi = {
      ...api,
      get: <T>(resource: string, query?: Record<string, string>, timeoutMs?: number) => {
        calls.push(resource);
        return api.get<T>(resource, query, timeoutMs);
      },
    };
    const scope = { logs: 'all' as const, layers: true, layerCache: cache };
    const first = await takeSnapshot(counting, new LocalHost(), endpoint, 10_000, scope);
    const imageCalls = calls.filter((c) => c.startsWith('/images/')).length;
    assert.equal(imageCalls, first.images.length * 2, 'one inspect and one history per image, the first time');
    assert.equal(cache.size, first.images.length);
    calls.length = 0;
    const second = await takeSnapshot(counting, new LocalHost(), endpoint, 10_000, scope);
    assert.deepEqual(
      calls.filter((c) => c.startsWith('/images/')),
      [],
      'nothing asked again',
    );
    // By id: the daemon lists images created in the same second in either order.
    const layersById = (s: typeof first) => new Map(s.images.map((i) => [i.id, i.layers]));
    assert.deepEqual(layersById(second), layersById(first));
    cache.set('sha256:gone', { diffIds: [], history: [] });
    await takeSnapshot(counting, new LocalHost(), endpoint, 10_000, scope);
    assert.equal(cache.get('sha256:gone'), undefined, 'an image the daemon no longer has is forgotten');
  });

  test('plan, apply: exact lists, protections hold, late objects untouched, a started container skipped, bytes as predicted', async () => {
    const options = defaultPruneOptions({ volumes: 'anonymous', volumeNames: ['keepme', 'precious'] });
    const p = await plan(api, daemon.host, options);

    assert.deepEqual(names(p, 'container'), ['job', 'sleeper']);
    assert.deepEqual(kept(p, 'container'), { web: 'running' });
    // The dangling image has no name but its short id: count it by kind instead.
    const images = p.remove.filter((r) => r.type === 'image');
    assert.deepEqual(
      images
        .filter((r) => r.tags.length > 0)
        .map((r) => r.name)
        .sort(),
      ['base:1', 'childb:1', 'dang:1', 'mid:1'],
    );
    assert.equal(images.filter((r) => r.tags.length === 0).length, 1, 'the dangling image');
    assert.deepEqual(kept(p, 'image'), { 'childa:1': 'in-use', 'protected:1': 'protected' });
    assert.deepEqual(names(p, 'volume'), [anonymous.unused, 'keepme'].sort());
    assert.deepEqual(kept(p, 'volume'), { [anonymous.inUse!]: 'in-use', jobvol: 'not-selected', precious: 'protected' });
    assert.deepEqual(names(p, 'network'), ['idle-net']);
    assert.ok(p.remove.filter((r) => r.type === 'build-cache').length >= 5, 'the idle build cache records');
    assert.equal(p.keep.filter((k) => k.type === 'build-cache').length, 0);
    // 20.10 lists each record's parent, so the plan puts children first; 26.1 and 28.5 list none, so the apply removes
    // them in passes (the plan says so), and every record still goes.
    const unordered = p.predicted.notes.some((n) => /lists no parent for any build cache record/.test(n));
    assert.equal(unordered, engine !== '20.10', p.predicted.notes.join('\n'));
    // Shared layers: mid:1 and base:1 free nothing (childa and protected keep their layers); childb frees its own 2 MB.
    const reclaim = Object.fromEntries(images.map((r) => [r.name, r.reclaim]));
    assert.equal(reclaim['mid:1'], 0);
    assert.equal(reclaim['base:1'], 0);
    assert.equal(reclaim['childb:1'], 2_000_000);
    assert.equal(reclaim['dang:1'], 800_000);
    assert.equal(p.predicted.uncertain, 0);

    // After planning: an object is created (must stay untouched), a planned container is started (must be skipped).
    await daemon.docker(['create', '--name', 'late', 'base:1']);
    await daemon.docker(['volume', 'create', 'f'.repeat(64)]);
    await daemon.docker(['start', 'sleeper']);

    const events: PruneProgress[] = [];
    const result = PruneResultSchema.parse(await applyPlan(api, p, { timeoutMs: 10_000, onProgress: (e) => events.push(e) }));
    assert.equal(result.complete, true, result.error ?? '');
    const outcome = (name: string) => result.outcomes.find((o) => o.name === name)!;
    assert.equal(outcome('sleeper').status, 'skipped');
    assert.match(outcome('sleeper').reason!, /started since the plan: it is running now/);
    assert.equal(outcome('base:1').status, 'skipped', 'late was created from base:1 after the plan');
    assert.match(outcome('base:1').reason!, /in use since the plan by container late/);
    assert.equal(result.counts.failed, 0);
    assert.equal(result.counts.skipped, 2);
    assert.equal(result.counts.removed, p.remove.length - 2);

    // Progress: one event per object, counting up, bytes never going down.
    const removing = events.filter((e) => e.phase === 'removing');
    assert.equal(removing.length, p.remove.length);
    assert.deepEqual(
      removing.map((e) => e.done),
      p.remove.map((_, i) => i + 1),
    );
    assert.ok(removing.every((e, i) => i === 0 || e.bytesSoFar >= removing[i - 1]!.bytesSoFar));
    assert.deepEqual([events[0]!.phase, events.at(-2)!.phase, events.at(-1)!.phase], ['measuring-before', 'measuring-after', 'done']);

    // Nothing running, in use, protected or created after the plan was removed.
    const exists = (args: string[]) =>
      daemon.docker(args).then(
        () => true,
        () => false,
      );
    for (const c of ['web', 'sleeper', 'late']) assert.ok(await exists(['container', 'inspect', c]), c);
    for (const i of ['childa:1', 'protected:1', 'base:1']) assert.ok(await exists(['image', 'inspect', i]), i);
    for (const v of [anonymous.inUse!, 'jobvol', 'precious', 'f'.repeat(64)]) assert.ok(await exists(['volume', 'inspect', v]), v);
    for (const gone of [
      ['container', 'inspect', 'job'],
      ['image', 'inspect', 'childb:1'],
      ['volume', 'inspect', 'keepme'],
      ['network', 'inspect', 'idle-net'],
    ])
      assert.equal(await exists(gone), false, gone.join(' '));

    // Predicted vs freed, measured by the Engine's own accounting before and after.
    const freed = result.freed.engineBytes!;
    const predicted = result.predicted.removed;
    console.log(`predicted ${predicted} B (${formatBytes(predicted)}), freed ${freed} B (${formatBytes(freed)})`);
    assert.ok(predicted > 4_000_000);
    assert.equal(freed, predicted, 'to the byte, on each engine');
  });

  test('images removed while their build cache stays: BuildKit still holds the layers, and the plan said so', async () => {
    await buildkitBuild(daemon, 'again:1', `FROM childa:1\n${random(600_000, '/again1.bin')}\n`);
    await buildkitBuild(daemon, 'again:1', `FROM childa:1\n${random(650_000, '/again2.bin')}\n`);
    const imagesOnly = await plan(
      api,
      daemon.host,
      defaultPruneOptions({ containers: false, images: 'dangling', buildCache: false, networks: false }),
    );
    assert.equal(imagesOnly.remove.length, 1);
    assert.equal(imagesOnly.predicted.total, 600_000);
    assert.equal(imagesOnly.predicted.uncertain, 600_000, 'a kept shared build cache record may hold all of it');
    assert.ok(imagesOnly.predicted.notes.some((n) => /build cache records the plan keeps share them/.test(n)));
    const first = await applyPlan(api, imagesOnly, { timeoutMs: 10_000 });
    assert.equal(first.counts.removed, 1);
    // The Engine's accounting moves the layer from images to (now unshared) build cache: nothing is freed yet.
    assert.equal(first.freed.engineBytes, 0);
    assert.equal(first.freed.after!.images, first.freed.before!.images - 600_000);

    const cache = await plan(api, daemon.host, defaultPruneOptions({ containers: false, images: 'none', networks: false }));
    const second = await applyPlan(api, cache, { timeoutMs: 10_000 });
    console.log(`build cache after its image went: predicted ${second.predicted.removed} B, freed ${second.freed.engineBytes} B`);
    assert.ok(second.predicted.removed >= 600_000);
    assert.equal(second.freed.engineBytes, second.predicted.removed);
  });
});

describe('a daemon that dies mid-prune', () => {
  let daemon: PrivateDockerd;
  before(async () => {
    daemon = await runningDockerd({ daemonJson: {} });
    await importBusybox(daemon, 'base:1');
    for (let i = 0; i < 5; i++) await daemon.docker(['create', '--name', `stopped-${i}`, 'base:1']);
  });
  after(async () => daemon?.stop());

  test('gives a partial result: what was removed, what failed, what was not attempted; never a crash', async () => {
    const { api } = await connectEngine(new LocalHost(), { host: daemon.host }, 3_000);
    try {
      const p = await plan(api, daemon.host, defaultPruneOptions({ images: 'none', buildCache: false, networks: false }));
      assert.equal(p.remove.length, 5);
      const result = await applyPlan(api, p, {
        timeoutMs: 3_000,
        onProgress: (e) => {
          if (e.phase === 'removing' && e.done === 2) process.kill(daemon.pid, 'SIGKILL');
        },
      });
      assert.equal(result.complete, false);
      assert.deepEqual(
        result.outcomes.map((o) => o.status),
        ['removed', 'removed', 'failed', 'not-attempted', 'not-attempted'],
      );
      assert.match(
        result.outcomes[2]!.reason!,
        /the daemon stopped answering before it was removed: it is still there/,
        'killed before its removal was asked for',
      );
      assert.match(result.error!, /connection refused|does not exist|closed/);
      assert.equal(result.freed.after, null);
      assert.equal(result.freed.engineBytes, null);
      assert.deepEqual(result.counts, { removed: 2, skipped: 0, failed: 1, unconfirmed: 0, notAttempted: 2 });
      PruneResultSchema.parse(result);
    } finally {
      api.close();
    }
  });
});
