import { type CSSProperties, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useVirtualRows } from './useVirtualRows';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The cell that names the row (a row header for screen readers). */
  rowHeader?: boolean;
  numeric?: boolean;
  /** Where the cell goes when the table is narrow (200% zoom): its grid-area in the stacked layout (styles.css). */
  area: string;
}

interface VirtualTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** id of the heading that names the table. */
  labelledBy: string;
  /** Wide layout: one grid track per column (CSS grid-template-columns). */
  tracks: string;
  className?: string;
  testId?: string;
  /** data-* attributes for each row (ids the tests and tools find rows by). */
  rowData?: (row: T) => Record<`data-${string}`, string>;
}

/** Until measured: a row of one line. Rows that wrap (narrow windows, long reasons) are measured as they appear. */
const ROW_ESTIMATE = 34;
const HEADER_ESTIMATE = 32;

/**
 * A read-only data grid, virtualized like the findings tree (useVirtualRows): thousands of rows, only the visible ones
 * in the DOM. A screen reader still hears the table's size and each row's place (aria-rowcount, aria-rowindex), and
 * the column header of each cell. Keyboard: Tab into it, arrows move between rows and cells, Home/End and
 * PageUp/PageDown jump; the active cell is the grid's aria-activedescendant.
 */
export function VirtualTable<T>({ rows, columns, rowKey, labelledBy, tracks, className, testId, rowData }: VirtualTableProps<T>) {
  const idBase = useId();
  const [activeRow, setActiveRow] = useState(0);
  const [activeCol, setActiveCol] = useState(0);
  const [headerHeight, setHeaderHeight] = useState(HEADER_ESTIMATE);
  const headerRef = useRef<HTMLDivElement>(null);
  const { scrollRef, virtualizer, moveByKey } = useVirtualRows({
    count: rows.length,
    estimateSize: () => ROW_ESTIMATE,
    activeIndex: activeRow,
    onActivate: setActiveRow,
    scrollMargin: headerHeight,
  });

  // The header is sticky inside the scrolling grid (so the grid itself is the one focusable scroll region): the rows
  // start below it, and a row scrolled to must not end up under it.
  useEffect(() => {
    const header = headerRef.current;
    if (!header) return;
    const observer = new ResizeObserver(() => setHeaderHeight(header.offsetHeight));
    observer.observe(header);
    return () => observer.disconnect();
  }, []);

  // A shorter list (a new plan) keeps the cursor on a row that exists.
  useEffect(() => setActiveRow((i) => Math.min(i, Math.max(0, rows.length - 1))), [rows]);

  const cellId = (row: number, col: number) => `${idBase}-r${row}-c${col}`;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (moveByKey(e)) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      setActiveCol((c) => Math.max(0, Math.min(columns.length - 1, c + (e.key === 'ArrowLeft' ? -1 : 1))));
    }
  };

  const gridStyle = { '--tracks': tracks } as CSSProperties;
  return (
    <div
      ref={scrollRef}
      className={`vtable${className ? ` ${className}` : ''}`}
      role="grid"
      aria-labelledby={labelledBy}
      aria-readonly="true"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      aria-activedescendant={rows.length > 0 ? cellId(activeRow, activeCol) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid={testId}
      style={gridStyle}
    >
      <div role="rowgroup" className="vtable-head" ref={headerRef}>
        <div role="row" aria-rowindex={1} className="vtable-row">
          {columns.map((c, i) => (
            <div
              key={c.key}
              role="columnheader"
              aria-colindex={i + 1}
              className={`vtable-cell${c.numeric ? ' num' : ''}`}
              style={{ '--area': c.area } as CSSProperties}
            >
              {c.header}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          return (
            <div
              key={rowKey(row)}
              ref={virtualizer.measureElement}
              data-index={v.index}
              role="row"
              aria-rowindex={v.index + 2}
              className={`vtable-row${v.index === activeRow ? ' active' : ''}`}
              style={{ transform: `translateY(${v.start - headerHeight}px)` }}
              onClick={() => setActiveRow(v.index)}
              {...rowData?.(row)}
            >
              {columns.map((c, i) => (
                <div
                  key={c.key}
                  id={cellId(v.index, i)}
                  role={c.rowHeader ? 'rowheader' : 'gridcell'}
                  aria-colindex={i + 1}
                  className={`vtable-cell${c.numeric ? ' num' : ''}${v.index === activeRow && i === activeCol ? ' active' : ''}`}
                  style={{ '--area': c.area } as CSSProperties}
                  data-label={c.header}
                >
                  {c.cell(row)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
