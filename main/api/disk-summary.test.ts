import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiskUsage } from '../../shared/facts';
import { diskCategories } from './disk-summary';

test('disk categories follow docker system df: shared layers once, in-use objects not reclaimable, unknown sizes as 0', () => {
  const usage: DiskUsage = {
    layersSize: 1000,
    images: [
      { id: 'a', repoTags: ['a:1'], size: 600, sharedSize: 200, containers: 1, created: 0, labels: {} },
      { id: 'b', repoTags: [], size: 400, sharedSize: 200, containers: 0, created: 0, labels: {} },
    ],
    containers: [
      { id: 'c1', names: ['/up'], image: 'a:1', sizeRw: 10, state: 'running', created: 0 },
      { id: 'c2', names: ['/down'], image: 'a:1', sizeRw: 30, state: 'exited', created: 0 },
    ],
    volumes: [
      { name: 'used', size: 50, refCount: 1, labels: {} },
      { name: 'orphan', size: 70, refCount: 0, labels: {} },
      { name: 'unknown', size: -1, refCount: 0, labels: {} },
    ],
    buildCache: [
      { id: 'x', type: 'regular', size: 5, inUse: true, shared: false, createdAt: '', lastUsedAt: null },
      { id: 'y', type: 'regular', size: 7, inUse: false, shared: false, createdAt: '', lastUsedAt: null },
      { id: 'z', type: 'regular', size: 100, inUse: false, shared: true, createdAt: '', lastUsedAt: null },
    ],
  };
  const byKind = Object.fromEntries(diskCategories(usage).map((c) => [c.kind, c]));
  assert.deepEqual(byKind.images, { kind: 'images', count: 2, active: 1, bytes: 1000, reclaimableBytes: 600 });
  assert.deepEqual(byKind.containers, { kind: 'containers', count: 2, active: 1, bytes: 40, reclaimableBytes: 30 });
  assert.deepEqual(byKind.volumes, { kind: 'volumes', count: 3, active: 1, bytes: 120, reclaimableBytes: 70 });
  assert.deepEqual(byKind['build-cache'], { kind: 'build-cache', count: 3, active: 1, bytes: 12, reclaimableBytes: 7 });
});
