import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiskUsage } from '../../../shared/api';
import { usageRows } from './disk-model';

test('usage rows scale to the largest type and never show more reclaimable than the type holds', () => {
  const usage: DiskUsage = {
    report: {
      kind: 'dockhand.disk',
      collectedAt: '2026-01-01T00:00:00Z',
      endpoint: 'unix:///x.sock',
      engineVersion: '20.10',
      rows: [
        { type: 'images', count: 3, bytes: 1000, unknown: 0, note: null },
        { type: 'containers', count: 2, bytes: 10, unknown: 0, note: '1 running' },
        { type: 'volumes', count: 0, bytes: 0, unknown: 0, note: null },
        { type: 'build-cache', count: 0, bytes: 0, unknown: 0, note: null },
        { type: 'container-logs', count: 2, bytes: null, unknown: 0, note: 'remote' },
      ],
      total: 1010,
      dataRoot: null,
    },
    reclaimable: { images: 400, containers: 50, volumes: 0, buildCache: 0, containerLogs: 7 },
  };
  const rows = usageRows(usage);
  assert.deepEqual(rows.map((r) => [r.type, r.share, r.reclaimable]), [
    ['images', 1, 400],
    ['containers', 0.01, 10],
    ['volumes', 0, 0],
    ['build-cache', 0, 0],
    ['container-logs', 0, 7],
  ]);
  assert.equal(rows[0]!.reclaimShare, 0.4);
});
