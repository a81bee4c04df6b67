import type { Fact } from '../../shared/fact';
import type { DataRootFsFact } from '../../shared/facts/disk';
import type { DiskReport } from '../../shared/prune';
import { formatBytes } from '../../shared/format';
import { diskTotals } from './engine-df';
import type { PruneSnapshot } from './snapshot';

/**
 * `dockhand disk` from a snapshot: usage by type with each byte once. Images are LayersSize (a layer shared by ten
 * images counts once, where summing image sizes counts it ten times), build cache excludes records that are image
 * layers already, container logs are files the Engine does not count at all.
 */
export function diskReport(snapshot: PruneSnapshot, dataRoot: Fact<DataRootFsFact> | null, now: Date): DiskReport {
  const df = snapshot.df;
  const totals = diskTotals(df);
  const summed = df.images.reduce((a, i) => a + i.size, 0);
  const unknownVolumes = df.volumes.filter((v) => v.size === null).length;
  const sharedRecords = df.buildCache.filter((b) => b.shared).length;
  const logs = snapshot.containers.map((c) => c.logBytes);
  const running = snapshot.containers.filter((c) => c.active).length;
  const logBytes = snapshot.logsNote ? null : logs.reduce<number>((a, b) => a + (b ?? 0), 0);
  const rows: DiskReport['rows'] = [
    {
      type: 'images',
      count: df.images.length,
      bytes: totals.images,
      unknown: 0,
      note: summed > totals.images ? `shared layers once (image sizes add up to ${formatBytes(summed)})` : null,
    },
    {
      type: 'containers',
      count: snapshot.containers.length,
      bytes: totals.containers,
      unknown: 0,
      note: `${running} running; writable layers`,
    },
    {
      type: 'volumes',
      count: df.volumes.length,
      bytes: totals.volumes,
      unknown: unknownVolumes,
      note: unknownVolumes ? `${unknownVolumes} of unknown size (a driver that does not report it)` : null,
    },
    {
      type: 'build-cache',
      count: df.buildCache.length,
      bytes: totals.buildCache,
      unknown: 0,
      note: sharedRecords ? `${sharedRecords} record(s) shared with image layers, counted there` : null,
    },
    {
      type: 'container-logs',
      count: logs.filter((l) => l !== null).length,
      bytes: logBytes,
      unknown: 0,
      note: snapshot.logsNote ?? 'json-file/local log files, removed with their container',
    },
  ];
  return {
    kind: 'dockhand.disk',
    collectedAt: now.toISOString(),
    endpoint: snapshot.endpoint,
    engineVersion: snapshot.engine.version,
    rows,
    total: totals.total + (logBytes ?? 0),
    dataRoot: dataRoot?.ok
      ? { path: dataRoot.value.path, totalBytes: dataRoot.value.totalBytes, availableBytes: dataRoot.value.availableBytes }
      : null,
  };
}
