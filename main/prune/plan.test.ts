import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { EngineInfo } from '../../shared/facts';
import { PrunePlanSchema } from '../../shared/prune';
import type { DfBuildRecord, DfVolume } from './engine-df';
import { parseLabelFilter } from './filters';
import { alignImages } from './layers';
import { buildPlan, defaultPruneOptions, orderChildrenFirst } from './plan';
import { parsePlanText, planDigest } from './plan-file';
import { planKey, signPlan } from './plan-signature';
import type { PruneSnapshot, SnapshotContainer, SnapshotImage } from './snapshot';

const NOW = new Date('2024-05-08T00:00:00Z');
const OLD = '2024-04-01T00:00:00.000Z';
const OLD_S = Date.parse(OLD) / 1000;
const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const hex = (c: string) => c.repeat(64);

function container(name: string, imageId: string, state: string, extra: Partial<SnapshotContainer> = {}): SnapshotContainer {
  return {
    id: `c-${name}`,
    name,
    imageId,
    image: imageId,
    created: OLD,
    state,
    active: ['running', 'paused', 'restarting'].includes(state),
    labels: {},
    sizeRw: 1000,
    logBytes: 10,
    volumes: [],
    networks: [],
    ...extra,
  };
}

/** A synthetic host: base ← app (running), base ← old (stopped container), a dangling image, a classic parent chain. */
function snapshot(): PruneSnapshot {
  const step = (size: number, createdBy = 'RUN x') => ({ size, createdBy, comment: '' });
  const inputs = [
    { id: 'img-base', diffIds: [d(1)], history: [step(1000, '')] },
    { id: 'img-app', diffIds: [d(1), d(2)], history: [step(1000, ''), step(200)] },
    { id: 'img-old', diffIds: [d(1), d(3)], history: [step(1000, ''), step(300)] },
    { id: 'img-dangling', diffIds: [d(1), d(4)], history: [step(1000, ''), step(400)] },
    { id: 'img-protected', diffIds: [d(1), d(5)], history: [step(1000, ''), step(500)] },
    { id: 'img-parent', diffIds: [d(6)], history: [step(600, '')] },
    { id: 'img-child', diffIds: [d(6), d(7)], history: [step(600, ''), step(700)] },
  ];
  const aligned = alignImages(inputs);
  const image = (id: string, tags: string[], extra: Partial<SnapshotImage> = {}): SnapshotImage => {
    const layers = aligned.get(id)!;
    return {
      id,
      parentId: null,
      tags,
      digests: [],
      created: OLD_S,
      size: layers.sizes.reduce((a, b) => a + b, 0),
      sharedSize: 0,
      labels: {},
      layers,
      ...extra,
    };
  };
  const volume = (name: string, extra: Partial<DfVolume> = {}): DfVolume => ({
    name,
    driver: 'local',
    createdAt: OLD,
    labels: {},
    size: 5000,
    refCount: 0,
    ...extra,
  });
  const record = (id: string, extra: Partial<DfBuildRecord> = {}): DfBuildRecord => ({
    id,
    parents: [],
    type: 'regular',
    description: id,
    inUse: false,
    shared: false,
    size: 800,
    createdAt: OLD,
    lastUsedAt: OLD,
    ...extra,
  });
  const images = [
    image('img-base', ['base:1']),
    image('img-app', ['app:1']),
    image('img-old', ['old:1']),
    image('img-dangling', []),
    image('img-protected', ['keep:1'], { labels: { 'dockhand.protect': 'true' } }),
    image('img-parent', [], { created: OLD_S - 10 }),
    image('img-child', ['kid:1'], { parentId: 'img-parent', labels: { team: 'web' } }),
  ];
  return {
    takenAt: NOW.toISOString(),
    info: {} as EngineInfo,
    endpoint: 'unix:///run/docker.sock',
    engine: { id: 'ENGINE-1', name: 'host', version: '20.10.24', apiVersion: '1.41' },
    df: {
      layersSize: 4700,
      images,
      containers: [],
      volumes: [
        volume(hex('a')),
        volume(hex('b')),
        volume('data'),
        volume('cache'),
        volume('precious', { labels: { 'dockhand.protect': 'true' } }),
        volume(hex('c'), { size: null, driver: 'nfs' }),
      ],
      buildCache: [
        record('r-parent', { shared: true, size: 250 }),
        record('r-child', { parents: ['r-parent'] }),
        record('r-busy', { inUse: true }),
        record('r-under-recent'),
        record('r-recent', { parents: ['r-under-recent'], lastUsedAt: '2024-05-07T00:00:00Z' }),
      ],
    },
    containers: [
      container('web', 'img-app', 'running', { volumes: [hex('b')], networks: ['frontend'] }),
      container('job', 'img-old', 'exited', { networks: ['jobs'] }),
      container('fresh', 'img-old', 'exited', { created: '2024-05-07T12:00:00.000Z' }),
      container('pinned', 'img-base', 'exited', { labels: { 'dockhand.protect': 'true' } }),
    ],
    images,
    networks: [
      { id: 'n-bridge', name: 'bridge', driver: 'bridge', scope: 'local', created: OLD, labels: {} },
      { id: 'n-front', name: 'frontend', driver: 'bridge', scope: 'local', created: OLD, labels: {} },
      { id: 'n-jobs', name: 'jobs', driver: 'bridge', scope: 'local', created: OLD, labels: {} },
      { id: 'n-idle', name: 'idle', driver: 'bridge', scope: 'local', created: OLD, labels: {} },
    ],
    logsNote: null,
  };
}

const ctx = { now: NOW, planId: 'plan-1', toolVersion: 'test' };
const ids = (plan: ReturnType<typeof buildPlan>, type: string) => plan.remove.filter((r) => r.type === type).map((r) => r.id);
const keptReason = (plan: ReturnType<typeof buildPlan>, id: string) => plan.keep.find((k) => k.id === id)?.reason;

describe('prune planner (pure)', () => {
  test('the default plan: what docker system prune -a covers, minus running, in-use and protected; no volumes', () => {
    const plan = buildPlan(snapshot(), defaultPruneOptions(), ctx);
    assert.deepEqual(ids(plan, 'container'), ['c-job', 'c-fresh']);
    assert.equal(keptReason(plan, 'c-web'), 'running');
    assert.equal(keptReason(plan, 'c-pinned'), 'protected');
    // img-old goes with its stopped containers; img-base stays for the protected container; children before parents.
    assert.deepEqual(ids(plan, 'image'), ['img-child', 'img-parent', 'img-dangling', 'img-old']);
    assert.equal(keptReason(plan, 'img-app'), 'in-use');
    assert.equal(keptReason(plan, 'img-base'), 'in-use');
    assert.equal(keptReason(plan, 'img-protected'), 'protected');
    assert.deepEqual(ids(plan, 'volume'), [], 'volumes only when asked');
    assert.ok(plan.predicted.notes.some((n) => /volumes are not part of this plan/.test(n)));
    assert.deepEqual(ids(plan, 'network'), ['n-idle', 'n-jobs'], 'jobs: its only container is removed too');
    assert.equal(keptReason(plan, 'n-front'), 'in-use');
    assert.equal(keptReason(plan, 'n-bridge'), 'builtin');
    assert.deepEqual(ids(plan, 'build-cache'), ['r-child', 'r-parent', 'r-recent', 'r-under-recent']);
    assert.equal(keptReason(plan, 'r-busy'), 'in-use');
    // Shared layers are freed once: base's 1000 stays (kept), each removed image frees its own top layer only.
    const reclaim = Object.fromEntries(plan.remove.map((r) => [r.id, r.reclaim]));
    assert.deepEqual([reclaim['img-old'], reclaim['img-dangling'], reclaim['img-child'], reclaim['img-parent']], [300, 400, 700, 600]);
    assert.equal(reclaim['r-parent'], 0, 'a shared record is an image layer: counted with the images');
    assert.equal(plan.predicted.byType.images, 2000);
    assert.equal(plan.predicted.byType.containers, 2000);
    assert.equal(plan.predicted.byType.containerLogs, 20);
    assert.equal(plan.predicted.byType.buildCache, 800 * 3);
    assert.equal(plan.predicted.total, 2000 + 20 + 2000 + 2400);
    assert.equal(PrunePlanSchema.parse(plan).digest, plan.digest);
  });

  test('--until keeps what is newer; build cache by last use; a record under a kept one stays too', () => {
    const plan = buildPlan(snapshot(), defaultPruneOptions({ until: '168h' }), ctx);
    assert.equal(plan.cutoff, '2024-05-01T00:00:00.000Z');
    assert.equal(keptReason(plan, 'c-fresh'), 'too-recent');
    assert.equal(keptReason(plan, 'img-old'), 'in-use', 'its recent container stays, so it does');
    assert.equal(keptReason(plan, 'r-recent'), 'too-recent');
    assert.equal(keptReason(plan, 'r-under-recent'), 'parent-of-kept');
    assert.deepEqual(ids(plan, 'build-cache'), ['r-child', 'r-parent']);
  });

  test('an Engine that lists no build cache parents (26.1, 28.5): all idle records go, the plan says how, and what may stay', () => {
    const withoutParents = () => {
      const s = snapshot();
      return { ...s, df: { ...s.df, buildCache: s.df.buildCache.map((r) => ({ ...r, parents: [] })) } };
    };
    const all = buildPlan(withoutParents(), defaultPruneOptions(), ctx);
    assert.deepEqual(ids(all, 'build-cache').sort(), ['r-child', 'r-parent', 'r-recent', 'r-under-recent']);
    assert.ok(
      all.predicted.notes.some((n) => /lists no parent for any build cache record: the apply removes them in passes/.test(n)),
      all.predicted.notes.join('\n'),
    );
    // r-busy is kept and may be built on any removed record: their unshared bytes are uncertain (r-parent's are an image's).
    assert.equal(all.predicted.uncertain - buildPlan(snapshot(), defaultPruneOptions(), ctx).predicted.uncertain, 800 * 3);
    assert.ok(all.predicted.notes.some((n) => /may stay: records the plan keeps may be built on records it removes/.test(n)));

    // With the relation known, none of that: the planner orders children first and keeps parents of kept records.
    const known = buildPlan(snapshot(), defaultPruneOptions(), ctx);
    assert.ok(!known.predicted.notes.some((n) => /lists no parent/.test(n)));
    // Only records that cannot have a parent (sources): nothing to say either way.
    const sources = snapshot();
    sources.df.buildCache = [{ ...sources.df.buildCache[0]!, type: 'source.local', shared: false }];
    assert.ok(!buildPlan(sources, defaultPruneOptions(), ctx).predicted.notes.some((n) => /build cache/.test(n)));
  });

  test('dangling only; a classic parent of a kept image stays; label filters', () => {
    const dangling = buildPlan(
      snapshot(),
      defaultPruneOptions({ containers: false, images: 'dangling', buildCache: false, networks: false }),
      ctx,
    );
    assert.deepEqual(ids(dangling, 'image'), ['img-dangling']);
    assert.equal(keptReason(dangling, 'img-parent'), 'parent-of-kept', 'untagged, but kid:1 is built on it');
    assert.equal(keptReason(dangling, 'img-child'), 'not-selected');
    assert.equal(keptReason(dangling, 'img-old'), 'in-use', 'containers are not part of this plan, so theirs stay in use');
    const web = buildPlan(
      snapshot(),
      defaultPruneOptions({ containers: false, buildCache: false, networks: false, labelFilters: [parseLabelFilter('label=team=web')] }),
      ctx,
    );
    assert.deepEqual(ids(web, 'image'), ['img-child']);
    assert.equal(keptReason(web, 'img-dangling'), 'filtered');
    assert.equal(keptReason(web, 'img-parent'), 'filtered');
  });

  test('volumes: anonymous, by name, all; in use, protected and unknown sizes said so', () => {
    const anon = buildPlan(snapshot(), defaultPruneOptions({ volumes: 'anonymous', volumeNames: ['cache', 'missing'] }), ctx);
    assert.deepEqual(ids(anon, 'volume'), [hex('a'), 'cache', hex('c')]);
    assert.equal(keptReason(anon, hex('b')), 'in-use');
    assert.equal(keptReason(anon, 'data'), 'not-selected');
    assert.equal(keptReason(anon, 'precious'), 'not-selected');
    assert.equal(anon.predicted.byType.volumes, 10000, 'the nfs volume is removed but not counted');
    assert.equal(anon.predicted.unknownSizeVolumes, 1);
    assert.ok(anon.predicted.notes.some((n) => /missing \(asked for by name\) does not exist/.test(n)));
    const all = buildPlan(snapshot(), defaultPruneOptions({ volumes: 'all' }), ctx);
    assert.equal(keptReason(all, 'precious'), 'protected');
    assert.ok(ids(all, 'volume').includes('data'));
  });

  test('images removed while a shared build cache record stays: the uncertain bytes are said', () => {
    const plan = buildPlan(snapshot(), defaultPruneOptions({ buildCache: false }), ctx);
    assert.equal(plan.predicted.uncertain, 250);
    assert.ok(plan.predicted.notes.some((n) => /build cache records the plan keeps share them/.test(n)));
  });

  test('a plan file is validated: schema, then digest, then signature', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-plan-'));
    try {
      const key = await planKey(dir);
      const plan = signPlan(buildPlan(snapshot(), defaultPruneOptions(), ctx), key);
      const text = JSON.stringify(plan);
      assert.deepEqual(parsePlanText(text, 'p.json', key), plan);
      const { digest: _d, signature: _s, ...body } = plan;
      assert.equal(planDigest(body), plan.digest);
      const reordered = JSON.stringify(Object.fromEntries(Object.entries(plan).reverse()));
      assert.deepEqual(parsePlanText(reordered, 'p.json', key).planId, 'plan-1', 'key order does not matter');
      const tampered = JSON.stringify({ ...plan, remove: [...plan.remove, { ...plan.remove[0]!, id: 'c-web' }] });
      assert.throws(() => parsePlanText(tampered, 'p.json', key), /changed after it was planned/);
      assert.throws(() => parsePlanText('{"kind":"dockhand.prune-plan"}', 'p.json', key), /p\.json is not a Dockhand prune plan: /);
      assert.throws(() => parsePlanText('{oops', 'p.json', key), /p\.json is not JSON/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('children come before their parents', () => {
    const order = orderChildrenFirst(
      ['a', 'b', 'c', 'd'],
      (x) => x,
      (x) => ({ a: [], b: ['a'], c: ['b'], d: ['a'] })[x]!,
    );
    assert.ok(
      order.indexOf('c') < order.indexOf('b') && order.indexOf('b') < order.indexOf('a') && order.indexOf('d') < order.indexOf('a'),
    );
  });
});
