import os from 'node:os';
import type { DiskSummary, HostStats } from '../../shared/api';
import { longestMount } from '../collect/mount-table';

/**
 * The host's CPU, memory, load and the data root's filesystem, from systeminformation: loaded on the first call only,
 * so neither the CLI nor the app's start-up pays for it.
 */
export async function hostStats(disk: DiskSummary | null): Promise<HostStats> {
  const si = await import('systeminformation');
  const [cpu, mem, load, filesystems] = await Promise.all([
    si.cpu(),
    si.mem(),
    si.currentLoad(),
    disk?.dataRoot ? si.fsSize() : Promise.resolve([]),
  ]);
  const averages = os.loadavg();
  const dataRoot = disk?.dataRoot?.path ?? null;
  const mount = dataRoot
    ? longestMount(
        filesystems.map((f, index) => ({ mountPoint: f.mount, fsType: f.type, line: index + 1 })),
        dataRoot,
      )
    : null;
  const fs = mount ? filesystems[mount.line - 1]! : null;
  return {
    cpu: {
      model: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || 'unknown',
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
      busyPercent: Number.isFinite(load.currentLoad) ? Math.min(100, Math.max(0, Math.round(load.currentLoad * 10) / 10)) : null,
    },
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    // Windows has no load average: Node reports zeros there.
    load: process.platform === 'win32' ? null : { one: averages[0]!, five: averages[1]!, fifteen: averages[2]! },
    dataRootFs:
      fs && dataRoot
        ? { dataRoot, mountPoint: fs.mount, fsType: fs.type, totalBytes: fs.size, usedBytes: fs.used, availableBytes: fs.available }
        : null,
    dataRootNote: fs
      ? null
      : dataRoot
        ? `no local filesystem holds ${dataRoot}`
        : (disk?.error ?? 'run an audit first: the data root comes from the daemon'),
  };
}
