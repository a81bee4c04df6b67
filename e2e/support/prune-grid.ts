import type { Page } from 'playwright-core';

/**
 * The objects the preview's removal grid lists, in order, scrolled through from top to bottom (it only renders what is
 * in view): each row's object id and the text of its row header (the object's name).
 */
export async function listedRemovals(page: Page): Promise<{ id: string; name: string }[]> {
  return page.getByTestId('prune-remove').evaluate(async (grid) => {
    const seen = new Map<number, { id: string; name: string }>();
    grid.scrollTop = 0;
    for (;;) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const row of grid.querySelectorAll<HTMLElement>('[role="row"][data-object-id]')) {
        seen.set(Number(row.getAttribute('aria-rowindex')), {
          id: row.dataset.objectId!,
          name: row.querySelector('[role="rowheader"]')?.textContent ?? '',
        });
      }
      if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1) break;
      grid.scrollTop += grid.clientHeight / 2;
    }
    return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  });
}
