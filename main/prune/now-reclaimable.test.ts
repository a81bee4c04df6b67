import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PruneObjectType, PrunePlan } from '../../shared/prune';
import { nowReclaimable, widenedOptions } from './now-reclaimable';
import { defaultPruneOptions } from './plan';

const item = (type: PruneObjectType, id: string, extra: { name?: string; uses?: { type: PruneObjectType; id: string }[] } = {}) => ({
  type,
  id,
  name: extra.name ?? id,
  tags: [],
  size: 10,
  reclaim: 10,
  created: null,
  lastUsed: null,
  why: `${id} is unused`,
  ...(extra.uses && { uses: extra.uses }),
});

test('what a prune made reclaimable: kept by the plan that ran for a reason that is gone, removed by the same options now', () => {
  const options = defaultPruneOptions();
  const applied = {
    options,
    remove: [item('container', 'c1')],
    keep: [{ type: 'image', id: 'i1', name: 'i1', size: 10, reason: 'in-use', why: 'used by container c2, which is kept' }],
  } as unknown as PrunePlan;
  const next = { options, remove: [item('image', 'i1'), item('image', 'new')], keep: [] } as unknown as PrunePlan;
  assert.deepEqual(nowReclaimable(applied, next), {
    objects: [{ type: 'image', id: 'i1', name: 'i1', reclaim: 10, why: 'i1 is unused', keptBecause: 'in-use' }],
    bytes: 10,
    options,
    added: [],
  });
});

test('a prune of containers only: the image and network its containers used are listed with the options that remove them', () => {
  const options = defaultPruneOptions({ images: 'none', networks: false });
  const uses = [
    { type: 'image' as const, id: 'i1' },
    { type: 'network' as const, id: 'net1' },
  ];
  const applied = { options, remove: [item('container', 'c1', { uses })], keep: [] } as unknown as PrunePlan;
  const wider = widenedOptions(options);
  assert.deepEqual([wider.images, wider.networks, wider.volumes], ['unused', true, options.volumes], 'volumes are never added');
  // The network is removed by id; the container named it: matched either way. An unrelated unused image is not listed.
  const next = {
    options: wider,
    remove: [item('image', 'i1'), item('image', 'unrelated'), item('network', 'n-id', { name: 'net1' })],
    keep: [],
  } as unknown as PrunePlan;
  const now = nowReclaimable(applied, next);
  assert.deepEqual(
    now.objects.map((o) => [o.type, o.name, o.keptBecause]),
    [
      ['image', 'i1', 'not-selected'],
      ['network', 'net1', 'not-selected'],
    ],
  );
  assert.equal(now.bytes, 20);
  assert.deepEqual(now.added, ['--images unused', '--networks']);
  assert.deepEqual([now.options.images, now.options.networks, now.options.containers], ['unused', true, true]);
});

test('widening adds nothing to a prune that removes no containers or images (build cache only)', () => {
  const options = defaultPruneOptions({ containers: false, images: 'none', networks: false, buildCache: true });
  assert.deepEqual(widenedOptions(options), options);
});
