import { formatBytes, groupDigits } from '../../shared/format';
import { KEEP_LABEL } from '../../shared/prune-words';
import type { DiskReport, KeptObject, PlannedRemoval, PruneObjectType, PruneProgress, PrunePlan, PruneResult } from '../../shared/prune';

/** Text renderings of the prune plan, its progress and result, and `dockhand disk`: derived from the JSON contracts. */

const TYPE_TITLE: Record<PruneObjectType, string> = {
  container: 'Containers',
  image: 'Images',
  volume: 'Volumes',
  network: 'Networks',
  'build-cache': 'Build cache',
};
const TYPES: PruneObjectType[] = ['container', 'image', 'volume', 'network', 'build-cache'];

function shortId(type: PruneObjectType, id: string): string {
  if (type === 'volume' || type === 'build-cache') return id.length > 32 ? `${id.slice(0, 12)}…` : id;
  return id.replace(/^sha256:/, '').slice(0, 12);
}

function bytesOrUnknown(n: number | null): string {
  return n === null ? 'size unknown' : formatBytes(n);
}

function removalLine(r: PlannedRemoval): string {
  const when = r.lastUsed ? `last used ${r.lastUsed.slice(0, 19)}Z` : r.created ? `created ${r.created.slice(0, 19)}Z` : '';
  const frees =
    r.type === 'network'
      ? ''
      : `frees ${formatBytes(r.reclaim)}${r.size !== null && r.size !== r.reclaim ? ` of ${formatBytes(r.size)}` : ''}`;
  const extra = r.tags.length > 1 ? ` (also ${r.tags.slice(1).join(', ')})` : '';
  return `  - ${shortId(r.type, r.id)}  ${r.name ?? ''}${extra}  ${[frees, when].filter(Boolean).join(' · ')}\n      ${r.why}`;
}

function keptLine(k: KeptObject): string {
  return `  = ${shortId(k.type, k.id)}  ${k.name ?? ''}  [${k.reason}] ${k.why}`;
}

export function renderPlanText(plan: PrunePlan, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  const p = plan.predicted;
  out.push(
    `Prune plan ${plan.planId} for ${plan.engine.name || plan.engine.endpoint} (Engine ${plan.engine.version}, ${plan.engine.endpoint})`,
  );
  out.push(
    `Made ${plan.createdAt}${plan.cutoff ? ` · keeps what is newer than ${plan.cutoff} (--until ${plan.options.until})` : ''} · protection label ${plan.options.protectLabel}=true`,
  );
  out.push('');
  for (const type of TYPES) {
    const removals = plan.remove.filter((r) => r.type === type);
    const kept = plan.keep.filter((k) => k.type === type);
    if (removals.length === 0 && kept.length === 0) continue;
    out.push(`${TYPE_TITLE[type]}: remove ${groupDigits(removals.length)}, keep ${groupDigits(kept.length)}`);
    for (const r of removals) out.push(removalLine(r));
    const shown = options.verbose ? kept : kept.filter((k) => k.reason !== 'builtin');
    const limit = options.verbose ? shown.length : 20;
    for (const k of shown.slice(0, limit)) out.push(keptLine(k));
    if (shown.length > limit) out.push(`  = … ${groupDigits(shown.length - limit)} more kept (--verbose lists them)`);
    out.push('');
  }
  if (plan.remove.length === 0) out.push('Nothing to remove.\n');
  out.push(
    `Will free ${formatBytes(p.total)}: containers ${formatBytes(p.byType.containers)} (+ logs ${formatBytes(p.byType.containerLogs)}), images ${formatBytes(p.byType.images)}, volumes ${formatBytes(p.byType.volumes)}, build cache ${formatBytes(p.byType.buildCache)}`,
  );
  if (p.uncertain > 0) out.push(`  of which up to ${formatBytes(p.uncertain)} is uncertain (see notes)`);
  for (const note of p.notes) out.push(`  note: ${note}`);
  return `${out.join('\n')}\n`;
}

export function renderProgressLine(e: PruneProgress): string {
  if (e.phase === 'measuring-before') return `measuring disk usage before removing ${groupDigits(e.total)} object(s)…`;
  if (e.phase === 'measuring-after') return 'measuring disk usage after…';
  if (e.phase === 'done' || !e.outcome) return 'done';
  const o = e.outcome;
  const status = o.status === 'removed' ? 'removed' : `${o.status}: ${o.reason ?? ''}`;
  return `[${groupDigits(e.done)}/${groupDigits(e.total)}] ${formatBytes(e.bytesSoFar)} so far · ${o.type} ${shortId(o.type, o.id)} ${o.name ?? ''} — ${status}`;
}

/** `from` says how the prune was asked for, so the way to remove what it made reclaimable names the same way. */
export function renderResultText(result: PruneResult, from: 'plan' | 'command' = 'plan'): string {
  const out: string[] = [];
  const c = result.counts;
  out.push(
    `${result.complete ? 'Prune done' : 'Prune INCOMPLETE'} (${result.finishedAt}, plan ${result.planId}): ${groupDigits(c.removed)} removed, ${groupDigits(c.skipped)} skipped, ${groupDigits(c.failed)} failed, ${groupDigits(c.unconfirmed)} unconfirmed, ${groupDigits(c.notAttempted)} not attempted`,
  );
  if (result.error) out.push(`  the daemon failed part-way: ${result.error}`);
  for (const o of result.outcomes.filter((x) => x.status !== 'removed'))
    out.push(`  ${o.status}: ${o.type} ${shortId(o.type, o.id)} ${o.name ?? ''} — ${o.reason ?? ''}`);
  const f = result.freed;
  if (f.engineBytes !== null) {
    out.push(
      `Freed ${formatBytes(f.engineBytes)} (Engine disk usage ${formatBytes(f.before!.total)} → ${formatBytes(f.after!.total)}), predicted ${formatBytes(result.predicted.removed)} for what was removed`,
    );
  } else {
    out.push(
      `Freed: unknown (the Engine could not be asked after the prune); predicted ${formatBytes(result.predicted.removed)} for what was removed`,
    );
  }
  if (f.containerLogs > 0) out.push(`  plus ${formatBytes(f.containerLogs)} of container log files removed with their containers`);
  const next = result.nowReclaimable;
  if (next && next.objects.length > 0) {
    const n = next.objects.length;
    const added = next.added.length > 0 ? ` with ${next.added.join(' and ')}` : '';
    const again = from === 'command' ? `run the same command again${added}` : `make a new plan with this one's options${added}`;
    out.push(
      `Now reclaimable because of this prune: ${groupDigits(n)} object${n === 1 ? '' : 's'}, ${formatBytes(next.bytes)}; to remove ${n === 1 ? 'it' : 'them'}, ${again}`,
    );
    for (const o of next.objects)
      out.push(
        `  ${o.type} ${o.name ?? shortId(o.type, o.id)} (${formatBytes(o.reclaim)}): ${o.why}; kept before: ${KEEP_LABEL[o.keptBecause]}`,
      );
  }
  return `${out.join('\n')}\n`;
}

export function renderDiskText(report: DiskReport): string {
  const out: string[] = [`Docker disk usage on ${report.endpoint} (Engine ${report.engineVersion}); shared layers counted once`, ''];
  out.push(`${'TYPE'.padEnd(16)}${'COUNT'.padStart(8)}${'SIZE'.padStart(12)}  NOTE`);
  for (const row of report.rows) {
    out.push(
      `${row.type.padEnd(16)}${groupDigits(row.count).padStart(8)}${bytesOrUnknown(row.bytes).padStart(12)}  ${row.note ?? ''}`.trimEnd(),
    );
  }
  out.push(`${'total'.padEnd(16)}${''.padStart(8)}${formatBytes(report.total).padStart(12)}`);
  if (report.dataRoot)
    out.push(
      '',
      `Data root ${report.dataRoot.path}: ${formatBytes(report.dataRoot.availableBytes)} free of ${formatBytes(report.dataRoot.totalBytes)}`,
    );
  out.push('', 'What can go, exactly: dockhand prune plan');
  return `${out.join('\n')}\n`;
}
