import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { test } from 'node:test';
import { HostStatsSchema } from '../../shared/api';
import { hostStats } from './host-stats';

test("this machine's CPU, memory and load agree with the kernel's; the data root's filesystem with statfs", async () => {
  const dataRoot = os.tmpdir();
  const stats = HostStatsSchema.parse(
    await hostStats({
      collectedAt: new Date().toISOString(),
      categories: [],
      totalBytes: 0,
      reclaimableBytes: 0,
      dataRoot: { path: dataRoot, totalBytes: 1, availableBytes: 1, mountPoint: null },
      error: null,
    }),
  );
  assert.equal(stats.cpu.cores, os.cpus().length);
  const memTotalKiB = Number(/^MemTotal:\s+(\d+) kB/m.exec(await fs.readFile('/proc/meminfo', 'utf8'))![1]);
  assert.equal(stats.memory.totalBytes, memTotalKiB * 1024);
  assert.ok(stats.memory.availableBytes > 0 && stats.memory.availableBytes <= stats.memory.totalBytes);
  assert.ok(stats.load, 'Linux has load averages');
  const st = await fs.statfs(dataRoot);
  assert.ok(stats.dataRootFs, stats.dataRootNote ?? '');
  // df counts 1 KiB blocks: the same filesystem, sized to the KiB.
  assert.equal(Math.round(stats.dataRootFs.totalBytes / 1024), Math.round((st.blocks * st.bsize) / 1024));
  assert.equal(stats.dataRootFs.dataRoot, dataRoot);
});

test('before the first audit there is no data root to measure: said, not guessed', async () => {
  const stats = await hostStats(null);
  assert.equal(stats.dataRootFs, null);
  assert.match(stats.dataRootNote ?? '', /run an audit first/);
});
