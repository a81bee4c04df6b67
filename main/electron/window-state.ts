import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { writeJsonFile } from '../util/write-file';

export const WindowStateSchema = z.object({
  width: z.number().int().min(400).max(16384),
  height: z.number().int().min(300).max(16384),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
const MIN_SIZE = { width: 800, height: 560 } as const;

export function parseWindowState(raw: unknown): WindowState {
  const parsed = WindowStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : { ...DEFAULT_WINDOW_STATE };
}

/** Enough of the title bar on a screen to grab it. */
const GRAB = 64;

/**
 * The saved bounds, made to fit the screens there are now: a monitor unplugged since last time must not leave the
 * window off-screen (it is then centred), and a window larger than the work area is shrunk to it.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const width = Math.max(MIN_SIZE.width, Math.min(state.width, largest.width));
  const height = Math.max(MIN_SIZE.height, Math.min(state.height, largest.height));
  const fitted: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const { x, y } = state;
  const visible = workAreas.some((a) => x + width - GRAB >= a.x && x + GRAB <= a.x + a.width && y >= a.y && y + GRAB <= a.y + a.height);
  return visible ? { ...fitted, x, y } : fitted;
}

export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    return parseWindowState(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/**
 * Saves the window's bounds a moment after the last move or resize (dragging fires dozens of events a second), and
 * at once on close. Bounds are the normal ones, so un-maximizing later restores the size the user chose.
 */
export class WindowStateSaver {
  private timer: NodeJS.Timeout | null = null;
  private pending: WindowState | null = null;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly delayMs = 500,
  ) {}

  update(state: WindowState): void {
    this.pending = state;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const state = this.pending;
    this.pending = null;
    if (state) this.lastWrite = writeJsonFile(this.file, WindowStateSchema.parse(state)).catch(() => undefined);
    await this.lastWrite;
  }

  /** Settles once the last write begun (by the debounce timer or a flush) has landed: what a test waits on. */
  written(): Promise<void> {
    return this.lastWrite;
  }
}
