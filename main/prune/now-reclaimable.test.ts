import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrunePlan } from '../../shared/prune';
import { nowReclaimable } from './now-reclaimable';

test('what a prune made reclaimable: removed by the same options now, kept by the plan that ran', () => {
  const item = (type: 'image' | 'container', id: string) => ({ type, id, name: id, tags: [], size: 10, reclaim: 10, created: null, lastUsed: null, why: `${id} is unused` });
  const applied = { remove: [item('container', 'c1')], keep: [{ type: 'image', id: 'i1', name: 'i1', size: 10, reason: 'in-use', why: 'used by container c1, which is kept' }] } as unknown as PrunePlan;
  const next = { remove: [item('image', 'i1'), item('image', 'new')], keep: [] } as unknown as PrunePlan;
  assert.deepEqual(nowReclaimable(applied, next), { objects: [{ type: 'image', id: 'i1', name: 'i1', reclaim: 10, why: 'i1 is unused', keptBecause: 'in-use' }], bytes: 10 });
});
