import { Cpu } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { DiskSummary, HostStats } from '../../../../shared/api';
import { formatBytes } from '../../lib/format';
import { useStore } from '../../state/hooks';

function Meter({ label, percent }: { label: string; percent: number }) {
  const pct = Math.min(100, Math.max(0, Math.round(percent)));
  return (
    <div
      className="progress-bar"
      role="meter"
      aria-label={`${label} ${pct}% used`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className={`progress-fill ${pct >= 90 ? 'fill-bad' : pct >= 75 ? 'fill-warn' : ''}`} style={{ width: `${pct}%` }} />
    </div>
  );
}

/**
 * This machine next to Docker's usage: CPU, memory, load and the data root's filesystem, asked when the Overview
 * opens and after each audit (`disk` changes then). A failure hides the panel: the audit is what the screen is about.
 */
export function HostPanel({ disk }: { disk: DiskSummary | null }) {
  const store = useStore();
  const [stats, setStats] = useState<HostStats | null>(null);
  useEffect(() => {
    let live = true;
    store.client.call('host.stats', {}).then(
      (s) => live && setStats(s),
      () => live && setStats(null),
    );
    return () => {
      live = false;
    };
  }, [store, disk]);
  if (!stats) return null;
  const { cpu, memory, load, dataRootFs } = stats;
  const memUsed = memory.totalBytes > 0 ? (100 * (memory.totalBytes - memory.availableBytes)) / memory.totalBytes : 0;
  const fsUsed = dataRootFs && dataRootFs.totalBytes > 0 ? (100 * dataRootFs.usedBytes) / dataRootFs.totalBytes : 0;
  return (
    <section className="card host-panel" aria-labelledby="host-panel-title">
      <div className="card-head">
        <h2 id="host-panel-title">
          <Cpu aria-hidden="true" className="inline-icon" /> This machine
        </h2>
        <span className="muted">{cpu.model}</span>
      </div>
      <dl className="facts-grid">
        <div>
          <dt>CPU</dt>
          <dd>
            {cpu.cores} threads, {cpu.physicalCores} cores{cpu.busyPercent !== null && ` · ${cpu.busyPercent}% busy`}
          </dd>
        </div>
        <div>
          <dt>Load</dt>
          <dd>{load ? `${load.one.toFixed(2)} · ${load.five.toFixed(2)} · ${load.fifteen.toFixed(2)}` : 'not reported on this OS'}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>
            {formatBytes(memory.availableBytes)} free of {formatBytes(memory.totalBytes)}
            <Meter label="Memory" percent={memUsed} />
          </dd>
        </div>
        <div>
          <dt>Data root filesystem</dt>
          <dd>
            {dataRootFs ? (
              <>
                <code>{dataRootFs.mountPoint}</code> ({dataRootFs.fsType}) · {formatBytes(dataRootFs.availableBytes)} free of{' '}
                {formatBytes(dataRootFs.totalBytes)}
                <Meter label="Data root filesystem" percent={fsUsed} />
              </>
            ) : (
              <span className="muted">{stats.dataRootNote}</span>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
