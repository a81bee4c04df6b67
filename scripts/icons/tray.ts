import type { TrayIcon } from '../../main/electron/tray-state';

const DOT: Record<TrayIcon, string> = { ok: '#2da44e', warn: '#d29922', fail: '#cf222e', unknown: '#8c959f' };

/** The tray icon: the app mark, simplified for 16–32 px, with the last audit's state as a dot in the corner. */
export function traySvg(state: TrayIcon): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
  <rect x="1" y="1" width="30" height="30" rx="7" fill="#1466c0"/>
  <rect x="6" y="10" width="6" height="5" rx="1" fill="#ffffff"/>
  <rect x="13" y="10" width="6" height="5" rx="1" fill="#ffcf5c"/>
  <rect x="9.5" y="4.5" width="6" height="5" rx="1" fill="#9fd3ff"/>
  <path d="M4 16.5 H25 L22 22 H7 Z" fill="#ffffff"/>
  <circle cx="24.5" cy="24.5" r="6.5" fill="${DOT[state]}" stroke="#ffffff" stroke-width="2"/>
</svg>`;
}
