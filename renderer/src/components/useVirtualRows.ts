import { elementScroll, type Virtualizer, useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type RefObject, useEffect, useRef } from 'react';

/** PageUp/PageDown move the cursor by this many rows. */
const PAGE_ROWS = 10;

/**
 * The scroll element's size from ResizeObserver alone. TanStack's default also reads it at once, inside a layout
 * effect: on the first render of ten thousand findings that forced the page's whole first layout into the same task
 * (~30 ms of a long task). The observer reports after the browser's own layout; until then `initialRect` stands.
 */
function observeSizeAfterLayout(
  instance: Virtualizer<HTMLDivElement, Element>,
  cb: (rect: { width: number; height: number }) => void,
): () => void {
  const element = instance.scrollElement;
  if (!element) return () => undefined;
  const observer = new ResizeObserver(() => cb({ width: element.clientWidth, height: element.clientHeight }));
  observer.observe(element, { box: 'content-box' });
  return () => observer.disconnect();
}

/**
 * TanStack's scroll, except to where the element already is: a new list is scrolled to its top on mount, and that
 * write forces a layout inside the first render's task, for no movement at all.
 */
const scrollUnlessThere: typeof elementScroll = (offset, options, instance) => {
  if (offset + (options.adjustments ?? 0) === (instance.scrollOffset ?? 0)) return;
  elementScroll(offset, options, instance);
};

export interface VirtualRowsOptions {
  count: number;
  estimateSize: (index: number) => number;
  /** The keyboard cursor (aria-activedescendant): kept in view whenever it moves. */
  activeIndex: number;
  onActivate: (index: number) => void;
  /** Rows drawn beyond the visible ones, so fast scrolling does not show blanks. */
  overscan?: number;
  /** Height of what sits above the rows inside the scroll element (a sticky header): rows start below it. */
  scrollMargin?: number;
}

export interface VirtualRows {
  scrollRef: RefObject<HTMLDivElement | null>;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** Handles the keys every list shares (arrows, Home/End, PageUp/PageDown); true when it moved the cursor. */
  moveByKey: (e: KeyboardEvent<HTMLElement>) => boolean;
}

/**
 * A virtualized, keyboard-driven list of rows: only the rows in view exist in the DOM, focus stays on the scroll
 * element (aria-activedescendant), and the active row is always scrolled into view, so it always exists. The findings
 * tree and the prune preview tables both use it; each adds its own roles and keys.
 */
export function useVirtualRows({
  count,
  estimateSize,
  activeIndex,
  onActivate,
  overscan = 8,
  scrollMargin = 0,
}: VirtualRowsOptions): VirtualRows {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan,
    initialRect: { width: 0, height: window.innerHeight },
    observeElementRect: observeSizeAfterLayout,
    scrollToFn: scrollUnlessThere,
    scrollMargin,
    // A row scrolled to stops below a sticky header, not under it.
    scrollPaddingStart: scrollMargin,
  });

  // Follow the cursor when it moves; on first render the list starts at the top anyway, and asking the virtualizer to
  // scroll there would force a layout for nothing.
  const shownIndex = useRef(activeIndex);
  useEffect(() => {
    if (activeIndex === shownIndex.current || activeIndex < 0 || activeIndex >= count) return;
    shownIndex.current = activeIndex;
    virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, count, virtualizer]);

  const moveByKey = (e: KeyboardEvent<HTMLElement>): boolean => {
    const last = count - 1;
    const target =
      e.key === 'ArrowDown'
        ? activeIndex + 1
        : e.key === 'ArrowUp'
          ? activeIndex - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : e.key === 'PageDown'
                ? activeIndex + PAGE_ROWS
                : e.key === 'PageUp'
                  ? activeIndex - PAGE_ROWS
                  : null;
    if (target === null || count === 0) return false;
    e.preventDefault();
    onActivate(Math.max(0, Math.min(last, target)));
    return true;
  };

  return { scrollRef, virtualizer, moveByKey };
}
