import type { DiskSummary } from '../../../../shared/api';
import { usageRows } from '../../lib/disk-model';
import { formatBytes, groupDigits } from '../../lib/format';

/**
 * The one disk picture as a table, the same on Overview and on Disk: objects, in use, size and what the default
 * cleanup would free, by type. Each figure carries data-figure so the two screens can be compared as a user reads them.
 */
export function UsageTable({ disk, caption, notes = false }: { disk: DiskSummary; caption: string; notes?: boolean }) {
  const rows = usageRows(disk);
  return (
    <table className="table usage-table" data-collected-at={disk.collectedAt}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col" className="num">
            Objects
          </th>
          <th scope="col" className="num">
            In use
          </th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col" className="num">
            Reclaimable
          </th>
          {notes && <th scope="col">Note</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.type} data-kind={r.type}>
            <th scope="row">{r.label}</th>
            <td className="num" data-figure="count">
              {groupDigits(r.count)}
            </td>
            <td className="num" data-figure="active">
              {groupDigits(r.active)}
            </td>
            <td className="num" data-figure="bytes">
              {r.bytes === null ? 'unknown' : formatBytes(r.bytes)}
            </td>
            <td className="num" data-figure="reclaimable">
              {formatBytes(r.reclaimable)}
            </td>
            {notes && <td className="muted">{r.note ?? ''}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
