import { ChevronDown, ChevronRight, Wrench } from 'lucide-react';
import type { KeyboardEvent } from 'react';
import type { Category } from '../../../shared/finding';
import { SeverityBadge, StatusBadge } from '../components/Badges';
import { useVirtualRows } from '../components/useVirtualRows';
import { isFixable, type Row } from '../lib/findings-model';
import { plainProse } from '../lib/prose';
import { SEVERITY_LABEL, STATUS_LABEL } from '../lib/labels';

const GROUP_HEIGHT = 40;
// A first guess: each finding row is measured once drawn, so a long title wraps instead of being cut off.
const FINDING_HEIGHT = 80;

const rowId = (index: number) => `finding-row-${index}`;

interface FindingListProps {
  rows: Row[];
  activeIndex: number;
  selectedId: string | null;
  onActivate: (index: number) => void;
  onOpen: (index: number) => void;
  onToggle: (category: Category) => void;
}

function rowLabel(row: Row): string {
  if (row.kind === 'group') return `${row.label}, ${row.count} findings`;
  const { finding, check } = row.item;
  return `${STATUS_LABEL[finding.result.status]}, ${SEVERITY_LABEL[finding.severity]}: ${check.title}${finding.result.target ? `, ${finding.result.target}` : ''}${isFixable(finding) ? ', Dockhand can fix it' : ''}`;
}

/**
 * The findings as a tree of categories, virtualized: only the rows in view exist in the DOM, so ten thousand findings
 * scroll like ten. Keyboard: arrows, Home/End, PageUp/PageDown, Left/Right to collapse and expand, Enter to open.
 * Focus stays on the tree (aria-activedescendant); the active row is always scrolled into view, so it always exists.
 */
export function FindingList({ rows, activeIndex, selectedId, onActivate, onOpen, onToggle }: FindingListProps) {
  const { scrollRef, virtualizer, moveByKey } = useVirtualRows({
    count: rows.length,
    estimateSize: (i) => (rows[i]?.kind === 'group' ? GROUP_HEIGHT : FINDING_HEIGHT),
    activeIndex,
    onActivate,
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (moveByKey(e)) return;
    const row = rows[activeIndex];
    const move = (to: number) => {
      e.preventDefault();
      onActivate(Math.max(0, Math.min(rows.length - 1, to)));
    };
    switch (e.key) {
      case 'ArrowRight':
        if (row?.kind === 'group') {
          e.preventDefault();
          if (!row.expanded) onToggle(row.category);
          else move(activeIndex + 1);
        }
        return;
      case 'ArrowLeft':
        if (!row) return;
        e.preventDefault();
        if (row.kind === 'group' && row.expanded) onToggle(row.category);
        else if (row.kind === 'finding') {
          for (let i = activeIndex; i >= 0; i--) if (rows[i]?.kind === 'group') return move(i);
        }
        return;
      case 'Enter':
      case ' ':
        if (!row) return;
        e.preventDefault();
        if (row.kind === 'group') onToggle(row.category);
        else onOpen(activeIndex);
        return;
    }
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={scrollRef}
      className="finding-list"
      role="tree"
      aria-label="Findings by category"
      tabIndex={0}
      aria-activedescendant={rows[activeIndex] ? rowId(activeIndex) : undefined}
      onKeyDown={onKeyDown}
      data-testid="finding-list"
    >
      <div className="finding-list-inner" style={{ height: virtualizer.getTotalSize() }} role="presentation">
        {items.map((v) => {
          const row = rows[v.index]!;
          const active = v.index === activeIndex;
          const common = {
            id: rowId(v.index),
            role: 'treeitem',
            'aria-level': row.kind === 'group' ? 1 : 2,
            'aria-posinset': row.posInSet,
            'aria-setsize': row.setSize,
            'aria-label': rowLabel(row),
            'data-index': v.index,
            style: { transform: `translateY(${v.start}px)`, height: row.kind === 'group' ? v.size : undefined },
          } as const;
          if (row.kind === 'group') {
            const Chevron = row.expanded ? ChevronDown : ChevronRight;
            return (
              <div
                key={`g:${row.category}`}
                {...common}
                aria-expanded={row.expanded}
                className={`tree-row group-row${active ? ' active' : ''}`}
                onClick={() => {
                  onActivate(v.index);
                  onToggle(row.category);
                }}
              >
                <Chevron aria-hidden="true" className="chevron" />
                <span className="group-label">{row.label}</span>
                <span className="group-count">{row.count}</span>
              </div>
            );
          }
          const { finding, check } = row.item;
          const selected = finding.id === selectedId;
          return (
            <div
              key={`f:${finding.id}`}
              ref={virtualizer.measureElement}
              {...common}
              aria-selected={selected}
              className={`tree-row finding-row status-row-${finding.result.status}${active ? ' active' : ''}${selected ? ' selected' : ''}`}
              onClick={() => onOpen(v.index)}
              data-finding-id={finding.id}
            >
              <div className="finding-marks">
                <StatusBadge status={finding.result.status} />
                <SeverityBadge severity={finding.severity} />
                {isFixable(finding) && (
                  <span className="fixable-mark" title="Dockhand can fix this" data-testid="fixable-mark">
                    <Wrench aria-hidden="true" /> Fixable
                  </span>
                )}
              </div>
              <div className="finding-text">
                <span className="finding-title">{check.title}</span>
                <span className="finding-row-sub muted">
                  {finding.result.target && <span className="finding-target">{finding.result.target} · </span>}
                  {plainProse(finding.result.status === 'skipped' ? (finding.result.reason ?? '') : finding.result.message)}
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
